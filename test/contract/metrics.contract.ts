/** One contract for the Metrics port: the same records give the same totals in every implementation. */
import { describe, expect, it } from "vitest";
import type { Metrics } from "../../src/ports/metrics.js";

export interface MetricsUnderTest {
  readonly metrics: Metrics;
  /** Commands counted with these labels. */
  commands(platform: string, command: string, outcome: string): Promise<number>;
  /** Kusto queries counted with this outcome (all queries). */
  kustoQueries(outcome: string): Promise<number>;
  digestPosts(platform: string, outcome: string): Promise<number>;
  cacheLookups(cache: string, hit: boolean): Promise<number>;
  queueDepth(queue: string): Promise<number | null>;
}

export function metricsContract(name: string, setup: () => MetricsUnderTest): void {
  describe(`Metrics contract: ${name}`, () => {
    it("counts commands by platform, command and outcome", async () => {
      const sut = setup();
      sut.metrics.command({
        platform: "teams",
        command: "check",
        outcome: "customer_error",
        durationMs: 120,
      });
      sut.metrics.command({ platform: "teams", command: "check", outcome: "customer_error", durationMs: 80 });
      sut.metrics.command({ platform: "slack", command: "check", outcome: "refused", durationMs: 1 });
      expect(await sut.commands("teams", "check", "customer_error")).toBe(2);
      expect(await sut.commands("slack", "check", "refused")).toBe(1);
      expect(await sut.commands("slack", "check", "healthy")).toBe(0);
    });

    it("counts Kusto queries by outcome, throttling apart from other errors", async () => {
      const sut = setup();
      sut.metrics.kustoQuery({ query: "failures", outcome: "ok", durationMs: 30 });
      sut.metrics.kustoQuery({ query: "loads", outcome: "ok", durationMs: 40 });
      sut.metrics.kustoQuery({ query: "failures", outcome: "throttled", durationMs: 5 });
      sut.metrics.kustoQuery({ query: "failures", outcome: "timeout", durationMs: 10_000 });
      expect(await sut.kustoQueries("ok")).toBe(2);
      expect(await sut.kustoQueries("throttled")).toBe(1);
      expect(await sut.kustoQueries("timeout")).toBe(1);
    });

    it("counts digest posts, cache lookups and keeps the last queue depth", async () => {
      const sut = setup();
      sut.metrics.digestPost({ platform: "teams", outcome: "posted" });
      sut.metrics.digestPost({ platform: "slack", outcome: "permanent" });
      sut.metrics.cacheLookup("kusto", true);
      sut.metrics.cacheLookup("kusto", false);
      sut.metrics.cacheLookup("kusto", true);
      sut.metrics.queueDepth("digests", 4);
      sut.metrics.queueDepth("digests", 2);
      expect(await sut.digestPosts("teams", "posted")).toBe(1);
      expect(await sut.digestPosts("slack", "permanent")).toBe(1);
      expect(await sut.cacheLookups("kusto", true)).toBe(2);
      expect(await sut.cacheLookups("kusto", false)).toBe(1);
      expect(await sut.queueDepth("digests")).toBe(2);
    });
  });
}
