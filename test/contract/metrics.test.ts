/** The Metrics contract against MemoryMetrics and PrometheusMetrics (read back from its registry). */
import { PrometheusMetrics } from "../../src/adapters/metrics/prometheus-metrics.js";
import { MemoryMetrics } from "../../src/ports/metrics.js";
import { metricsContract } from "./metrics.contract.js";

metricsContract("MemoryMetrics", () => {
  const m = new MemoryMetrics();
  return {
    metrics: m,
    commands: async (platform, command, outcome) =>
      m.commands.filter((c) => c.platform === platform && c.command === command && c.outcome === outcome)
        .length,
    kustoQueries: async (outcome) => m.kustoQueries.filter((q) => q.outcome === outcome).length,
    digestPosts: async (platform, outcome) =>
      m.digestPosts.filter((d) => d.platform === platform && d.outcome === outcome).length,
    cacheLookups: async (cache, hit) =>
      m.cacheLookups.filter((c) => c.cache === cache && c.hit === hit).length,
    queueDepth: async (queue) => m.queues.get(queue) ?? null,
  };
});

metricsContract("PrometheusMetrics", () => {
  const m = new PrometheusMetrics({ processMetrics: false });
  /** Sum of a series' values whose labels include `labels`. */
  const sum = async (name: string, labels: Record<string, string>) => {
    const metric = m.registry.getSingleMetric(name);
    if (!metric) throw new Error(`no metric ${name}`);
    const { values } = await metric.get();
    return values
      .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
      .reduce((total, v) => total + v.value, 0);
  };
  return {
    metrics: m,
    commands: (platform, command, outcome) => sum("attest_commands_total", { platform, command, outcome }),
    kustoQueries: (outcome) => sum("attest_kusto_queries_total", { outcome }),
    digestPosts: (platform, outcome) => sum("attest_digest_posts_total", { platform, outcome }),
    cacheLookups: (cache, hit) => sum("attest_cache_lookups_total", { cache, result: hit ? "hit" : "miss" }),
    queueDepth: async (queue) => {
      const { values } = await m.registry.getSingleMetric("attest_queue_depth")!.get();
      return values.find((v) => v.labels.queue === queue)?.value ?? null;
    },
  };
});
