/**
 * Issue 10, sharing: identical checks at the same time share their Kusto requests, answers are
 * reused for a short time with their age shown in every reply, and concurrent queries are capped
 * (the real SDK over the served engine on 127.0.0.1, as the bot composes it).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RetryingKustoRunner } from "../../../src/adapters/kusto/retrying-runner.js";
import { SdkKustoRunner } from "../../../src/adapters/kusto/sdk-runner.js";
import { questionKey, SharingKustoRunner } from "../../../src/adapters/kusto/sharing-runner.js";
import { viewOfReport } from "../../../src/app/chat/handle-command.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { checkReportJson } from "../../../src/app/report-json.js";
import { type CheckReport, DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { fixedClock } from "../../../src/ports/clock.js";
import type {
  KustoQueryRequest,
  KustoQueryResult,
  KustoRunner,
  KustoRunOptions,
} from "../../../src/ports/kusto.js";
import { silentLogger } from "../../../src/ports/log.js";
import { renderDiagnosisCard } from "../../../src/render/adaptive-card/render-diagnosis-card.js";
import { renderDiagnosis } from "../../../src/render/block-kit/render-diagnosis.js";
import { renderDiagnosisText } from "../../../src/render/text/render-diagnosis.js";
import { GUIDE_SERVER, scenarioData } from "./scenarios.js";
import { DATABASE, type Served, serveData } from "./served.js";

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const catalog = loadQueryCatalog();

let served: Served;
let sdk: SdkKustoRunner;
beforeAll(async () => {
  served = await serveData(scenarioData(NOW), NOW);
  sdk = new SdkKustoRunner({
    clusterUrl: served.server.url,
    database: DATABASE,
    credential: null,
    logger: silentLogger,
    embedded: true,
  });
  // The engine loads its KQL parser on the first query (seconds under load): not what is tested.
  await sdk.run(
    { name: "warm", text: "MonTenantRingCapacity | take 1", parameters: {} },
    { deadlineMs: 50_000 },
  );
});
afterAll(async () => {
  sdk.close();
  await served.server.close();
});

const queriesSeen = () => served.server.requests.filter((r) => r.path === "/v2/rest/query").length;

const check = (kusto: KustoRunner, server = GUIDE_SERVER, at = NOW) =>
  runCheck(
    { kusto, catalog, clock: fixedClock(at), logger: silentLogger, settings: DEFAULT_CHECK_SETTINGS },
    { server, database: null, url: null, sinceMs: null },
  );

/** A settable clock for the cache's ages. */
function manualClock(start: number) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("identical questions in flight share one request", () => {
  it("50 identical concurrent checks send each of the 4 questions once", async () => {
    const kusto = new SharingKustoRunner(new RetryingKustoRunner(sdk), { cacheTtlMs: 0, maxConcurrent: 8 });
    const before = queriesSeen();
    const reports = await Promise.all(Array.from({ length: 50 }, () => check(kusto)));
    expect(queriesSeen() - before).toBe(4);
    expect(kusto.stats()).toMatchObject({ asked: 200, sent: 4, shared: 196, cached: 0 });
    expect(new Set(reports.map((r) => r.diagnosis.verdict))).toEqual(new Set(["customer_error"]));
    for (const r of reports) expect(r.queries.map((q) => q.failure)).toEqual([null, null, null, null]);
  });

  it("windows that end in the same minute are the same question; another minute is not", () => {
    const base = { name: "q", text: "T", parameters: { server: "s" } };
    const at = (iso: string) => ({
      ...base,
      parameters: { ...base.parameters, windowEnd: `datetime(${iso})` },
    });
    expect(questionKey(at("2026-11-24T09:00:05.123Z"))).toBe(questionKey(at("2026-11-24T09:00:59.000Z")));
    expect(questionKey(at("2026-11-24T09:00:05.123Z"))).not.toBe(questionKey(at("2026-11-24T09:01:00.000Z")));
    expect(questionKey({ ...base, parameters: { server: "t" } })).not.toBe(questionKey(base));
  });

  it("two checks 20 s apart in the same minute share the requests", async () => {
    const kusto = new SharingKustoRunner(sdk, { cacheTtlMs: 0, maxConcurrent: 8 });
    const before = queriesSeen();
    await Promise.all([check(kusto, GUIDE_SERVER, NOW + 5_000), check(kusto, GUIDE_SERVER, NOW + 25_000)]);
    expect(queriesSeen() - before).toBe(4);
  });
});

describe("callers that give up", () => {
  it("one caller giving up leaves the shared request to the others; the last one aborts it", async () => {
    const kusto = new SharingKustoRunner(sdk, { cacheTtlMs: 0, maxConcurrent: 8 });
    const q = { name: "stalled", text: "print s = 1", parameters: {} };
    served.server.setFaults({ stall: true });
    try {
      const a = new AbortController();
      const b = new AbortController();
      const ra = kusto.run(q, { deadlineMs: 30_000, signal: a.signal }).catch((e: unknown) => e);
      const rb = kusto.run(q, { deadlineMs: 30_000, signal: b.signal }).catch((e: unknown) => e);
      await vi.waitFor(() => expect(sdk.inFlight).toBe(1));
      a.abort();
      expect(await ra).toMatchObject({ kind: "timeout" });
      expect(sdk.inFlight).toBe(1);
      b.abort();
      expect(await rb).toMatchObject({ kind: "timeout" });
      await vi.waitFor(() => expect(sdk.inFlight).toBe(0));
      await vi.waitFor(() =>
        expect(kusto.stats()).toMatchObject({ asked: 2, sent: 1, shared: 1, running: 0 }),
      );
    } finally {
      served.server.setFaults(null);
    }
  });
});

describe("the answer cache", () => {
  it("reuses answers for its lifetime and says how old they are; then asks again", async () => {
    const clock = manualClock(1_000_000);
    const kusto = new SharingKustoRunner(sdk, { cacheTtlMs: 60_000, maxConcurrent: 8, now: clock.now });
    const before = queriesSeen();
    const first = await check(kusto);
    expect(first.cacheAgeMs).toBeNull();
    clock.advance(40_000);
    const second = await check(kusto);
    expect(queriesSeen() - before).toBe(4);
    expect(second.cacheAgeMs).toBe(40_000);
    expect(second.diagnosis).toEqual(first.diagnosis);
    clock.advance(21_000);
    const third = await check(kusto);
    expect(queriesSeen() - before).toBe(8);
    expect(third.cacheAgeMs).toBeNull();
  });

  it("0 turns it off: every check asks Kusto", async () => {
    const kusto = new SharingKustoRunner(sdk, { cacheTtlMs: 0, maxConcurrent: 8 });
    const before = queriesSeen();
    await check(kusto);
    await check(kusto);
    expect(queriesSeen() - before).toBe(8);
  });

  it("does not keep failures", async () => {
    const kusto = new SharingKustoRunner(sdk, { cacheTtlMs: 60_000, maxConcurrent: 8 });
    const q = { name: "ring", text: "MonTenantRingCapacity | take 2", parameters: {} };
    served.server.setFaults({ status5xx: 503, times: 1 });
    await expect(kusto.run(q, { deadlineMs: 5000 })).rejects.toMatchObject({ kind: "failed" });
    const before = queriesSeen();
    const answer = await kusto.run(q, { deadlineMs: 5000 });
    expect(answer.cacheAgeMs).toBeUndefined();
    expect(queriesSeen() - before).toBe(1);
  });

  it("a fresh run (the readiness probe) skips the cache", async () => {
    const kusto = new SharingKustoRunner(sdk, { cacheTtlMs: 60_000, maxConcurrent: 8 });
    const q = { name: "readiness", text: "print ready = 1", parameters: {} };
    const before = queriesSeen();
    await kusto.run(q, { deadlineMs: 5000 });
    await kusto.run(q, { deadlineMs: 5000, fresh: true });
    expect(queriesSeen() - before).toBe(2);
  });
});

describe("a cached answer's age in every reply", () => {
  let report: CheckReport;
  beforeAll(async () => {
    const clock = manualClock(5_000_000);
    const kusto = new SharingKustoRunner(sdk, { cacheTtlMs: 60_000, maxConcurrent: 8, now: clock.now });
    await check(kusto);
    clock.advance(40_000);
    report = await check(kusto);
  });
  const AGE = "Kusto answer from 40 s ago (cached)";

  it("Teams (Adaptive Card)", () => {
    expect(JSON.stringify(renderDiagnosisCard(viewOfReport(report)).card)).toContain(AGE);
  });
  it("Slack (Block Kit)", () => {
    expect(JSON.stringify(renderDiagnosis(viewOfReport(report), { ref: null, offerPost: false }))).toContain(
      AGE,
    );
  });
  it("text", () => {
    expect(renderDiagnosisText(viewOfReport(report))).toContain(`Cached: ${AGE}`);
  });
  it("JSON", () => {
    expect(checkReportJson(report).cacheAgeMs).toBe(40_000);
  });
  it("a fresh answer shows no age", async () => {
    const fresh = await check(new SharingKustoRunner(sdk, { cacheTtlMs: 0, maxConcurrent: 8 }));
    expect(renderDiagnosisText(viewOfReport(fresh))).not.toContain("Cached:");
    expect(checkReportJson(fresh).cacheAgeMs).toBeNull();
  });
});

/** The real SDK runner, counting how many of its runs are in flight at once. */
class PeakCounter implements KustoRunner {
  readonly target: KustoRunner["target"];
  readonly inner: KustoRunner;
  active = 0;
  peak = 0;
  constructor(inner: KustoRunner) {
    this.inner = inner;
    this.target = inner.target;
  }
  async run(request: KustoQueryRequest, options: KustoRunOptions): Promise<KustoQueryResult> {
    this.active += 1;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await this.inner.run(request, options);
    } finally {
      this.active -= 1;
    }
  }
}

describe("the global limit on concurrent queries", () => {
  it("10 different checks at once (40 questions) run at most 3 queries at a time, and all are answered", async () => {
    const counter = new PeakCounter(sdk);
    const kusto = new SharingKustoRunner(counter, { cacheTtlMs: 0, maxConcurrent: 3 });
    served.server.setFaults({ latencyMs: 50 });
    try {
      const servers = Array.from({ length: 10 }, (_, i) => `srv-${i}`);
      const reports = await Promise.all(servers.map((s) => check(kusto, s)));
      expect(counter.peak).toBe(3);
      for (const r of reports) expect(r.queries.map((q) => q.failure)).toEqual([null, null, null, null]);
      expect(kusto.stats()).toMatchObject({ sent: 40, running: 0, waiting: 0 });
    } finally {
      served.server.setFaults(null);
    }
  });

  it("a question that cannot get a slot before its deadline times out (and is never sent)", async () => {
    const kusto = new SharingKustoRunner(sdk, { cacheTtlMs: 0, maxConcurrent: 1 });
    served.server.setFaults({ stall: true, times: 1 });
    const before = queriesSeen();
    const blocked = kusto.run({ name: "a", text: "print a = 1", parameters: {} }, { deadlineMs: 600 });
    const waiting = kusto.run({ name: "b", text: "print b = 1", parameters: {} }, { deadlineMs: 300 });
    await expect(waiting).rejects.toMatchObject({ kind: "timeout" });
    await expect(blocked).rejects.toMatchObject({ kind: "timeout" });
    expect(queriesSeen() - before).toBe(1);
  });
});
