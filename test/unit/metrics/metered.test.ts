/** The decorators count at the ports' boundary and pass everything through unchanged. */
import { describe, expect, it } from "vitest";
import { MeteredAuditLog, MeteredKustoRunner, MeteredPoster } from "../../../src/adapters/metrics/metered.js";
import { PrometheusMetrics } from "../../../src/adapters/metrics/prometheus-metrics.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { MemoryChatPoster, PostFailure } from "../../../src/ports/chat-poster.js";
import { KustoFailure, type KustoRunner } from "../../../src/ports/kusto.js";
import { MemoryMetrics } from "../../../src/ports/metrics.js";

const request = { name: "failures", text: "print 1", parameters: {} };
const target = { clusterUrl: "https://c.kusto.windows.net", database: "db", embedded: false };

describe("MeteredKustoRunner", () => {
  it("records latency and ok, and the failure kind (throttled) of a failed query, rethrowing it", async () => {
    const metrics = new MemoryMetrics();
    let fail: KustoFailure | null = null;
    const inner: KustoRunner = {
      target,
      run: async () => {
        if (fail) throw fail;
        return { tables: [], requestId: "attest-bot;1" };
      },
    };
    let t = 0;
    const runner = new MeteredKustoRunner(inner, metrics, () => (t += 25));
    expect(runner.target).toBe(target);
    await expect(runner.run(request, { deadlineMs: 1000 })).resolves.toMatchObject({
      requestId: "attest-bot;1",
    });
    fail = new KustoFailure("throttled", "429", { requestId: "attest-bot;2" });
    await expect(runner.run(request, { deadlineMs: 1000 })).rejects.toBe(fail);
    expect(metrics.kustoQueries).toEqual([
      { query: "failures", outcome: "ok", durationMs: 25 },
      { query: "failures", outcome: "throttled", durationMs: 25 },
    ]);
  });
});

describe("MeteredAuditLog", () => {
  it("records every audited command with its outcome and duration, and still audits it", () => {
    const metrics = new MemoryMetrics();
    const audit = new MemoryAuditLog();
    const entry = {
      platform: "teams" as const,
      who: "u",
      tenant: "t",
      conversation: "c",
      command: "check",
      parameters: {},
      outcome: "maa_escalation",
      durationMs: 900,
      kustoRequestIds: [],
    };
    new MeteredAuditLog(audit, metrics).record(entry);
    expect(audit.entries).toEqual([entry]);
    expect(metrics.commands).toEqual([
      { platform: "teams", command: "check", outcome: "maa_escalation", durationMs: 900 },
    ]);
  });
});

describe("MeteredPoster", () => {
  it("records posted, and the failure kind of a failed post attempt", async () => {
    const metrics = new MemoryMetrics();
    const inner = new MemoryChatPoster();
    inner.failures.push(new PostFailure("rate_limited", "429", { retryAfterMs: 1000 }));
    const poster = new MeteredPoster(inner, metrics);
    const to = { platform: "slack" as const, teamId: "T1", channelId: "C1" };
    const post = { view: {} as never, title: "digest", topN: 5 };
    await expect(poster.post(to, post)).rejects.toBeInstanceOf(PostFailure);
    await expect(poster.post(to, post)).resolves.toEqual({ messageId: "m1" });
    expect(metrics.digestPosts).toEqual([
      { platform: "slack", outcome: "rate_limited" },
      { platform: "slack", outcome: "posted" },
    ]);
  });
});

describe("PrometheusMetrics text", () => {
  it("counts a verdict apart from refusals, with the command histogram", async () => {
    const m = new PrometheusMetrics({ processMetrics: false });
    m.command({ platform: "slack", command: "check", outcome: "healthy", durationMs: 1500 });
    m.command({ platform: "slack", command: "check", outcome: "refused", durationMs: 2 });
    const text = await m.text();
    expect(text).toContain('attest_verdicts_total{platform="slack",verdict="healthy"} 1');
    expect(text).not.toContain('verdict="refused"');
    expect(text).toContain('attest_command_duration_seconds_count{platform="slack",command="check"} 2');
  });
});
