/**
 * Metrics as Prometheus series (prom-client), served as text at `GET /metrics`. Each instance has
 * its own registry (no global state), with Node's process metrics (CPU, memory, event loop lag).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { CATEGORIES } from "../../domain/diagnosis/types.js";
import type { CommandRecord, DigestPostRecord, KustoRecord, Metrics } from "../../ports/metrics.js";

const VERDICTS: ReadonlySet<string> = new Set(CATEGORIES);
/** Seconds; a check runs four queries of up to ATTEST_QUERY_TIMEOUT (10 s) each. */
const COMMAND_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 12, 20, 40];
const KUSTO_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  readonly #commands: Counter<"platform" | "command" | "outcome">;
  readonly #commandSeconds: Histogram<"platform" | "command">;
  readonly #verdicts: Counter<"platform" | "verdict">;
  readonly #kustoQueries: Counter<"query" | "outcome">;
  readonly #kustoSeconds: Histogram<"query" | "outcome">;
  readonly #digestPosts: Counter<"platform" | "outcome">;
  readonly #cache: Counter<"cache" | "result">;
  readonly #queue: Gauge<"queue">;

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.#commands = new Counter({
      name: "attest_commands_total",
      help: "Chat commands handled, by platform, command and outcome (verdict category, refused, bad_input, unavailable, error).",
      labelNames: ["platform", "command", "outcome"],
      registers,
    });
    this.#commandSeconds = new Histogram({
      name: "attest_command_duration_seconds",
      help: "Time from a command's arrival to its answer.",
      labelNames: ["platform", "command"],
      buckets: COMMAND_BUCKETS,
      registers,
    });
    this.#verdicts = new Counter({
      name: "attest_verdicts_total",
      help: "Diagnoses made, by verdict category (whose move it is).",
      labelNames: ["platform", "verdict"],
      registers,
    });
    this.#kustoQueries = new Counter({
      name: "attest_kusto_queries_total",
      help: "Kusto queries, by catalog query and outcome (ok, unreachable, timeout, throttled, bad_query, failed).",
      labelNames: ["query", "outcome"],
      registers,
    });
    this.#kustoSeconds = new Histogram({
      name: "attest_kusto_query_duration_seconds",
      help: "Kusto query latency, by catalog query and outcome.",
      labelNames: ["query", "outcome"],
      buckets: KUSTO_BUCKETS,
      registers,
    });
    this.#digestPosts = new Counter({
      name: "attest_digest_posts_total",
      help: "Attempts to post a digest, by platform and outcome (posted, rate_limited, transient, permanent); a retried post counts once per attempt.",
      labelNames: ["platform", "outcome"],
      registers,
    });
    this.#cache = new Counter({
      name: "attest_cache_lookups_total",
      help: "Cache lookups, by cache and result (hit, miss).",
      labelNames: ["cache", "result"],
      registers,
    });
    this.#queue = new Gauge({
      name: "attest_queue_depth",
      help: "Items waiting in a work queue.",
      labelNames: ["queue"],
      registers,
    });
  }

  command(r: CommandRecord): void {
    this.#commands.inc({ platform: r.platform, command: r.command, outcome: r.outcome });
    this.#commandSeconds.observe({ platform: r.platform, command: r.command }, r.durationMs / 1000);
    if (VERDICTS.has(r.outcome)) this.#verdicts.inc({ platform: r.platform, verdict: r.outcome });
  }

  kustoQuery(r: KustoRecord): void {
    this.#kustoQueries.inc({ query: r.query, outcome: r.outcome });
    this.#kustoSeconds.observe({ query: r.query, outcome: r.outcome }, r.durationMs / 1000);
  }

  digestPost(r: DigestPostRecord): void {
    this.#digestPosts.inc({ platform: r.platform, outcome: r.outcome });
  }

  cacheLookup(cache: string, hit: boolean): void {
    this.#cache.inc({ cache, result: hit ? "hit" : "miss" });
  }

  queueDepth(queue: string, depth: number): void {
    this.#queue.set({ queue }, depth);
  }

  /** The Prometheus text exposition of every series. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
