/**
 * Checks off the main thread (issue 10): CheckWorkerPool runs `runCheck` in a worker thread with
 * its own Kusto runner, here over the real SDK against the served engine on 127.0.0.1, over the
 * embedded demo data, and against a Kusto that never answers.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestContext } from "../../../src/adapters/log/request-context.js";
import { CheckWorkerPool, slotOf } from "../../../src/adapters/worker/check-pool.js";
import { CheckWorkerError } from "../../../src/adapters/worker/check-protocol.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import {
  type CheckReport,
  DEFAULT_CHECK_SETTINGS,
  KustoUnavailable,
  runCheck,
} from "../../../src/app/run-check.js";
import { createKustoRunner } from "../../../src/compose/kusto-runner.js";
import { fixedClock } from "../../../src/ports/clock.js";
import type { Logger } from "../../../src/ports/log.js";
import { MemoryMetrics } from "../../../src/ports/metrics.js";
import { scenarioData } from "../kusto/scenarios.js";
import { DATABASE, type Served, serveData } from "../kusto/served.js";

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const request = (server: string) => ({ server, database: null, url: null, sinceMs: null });

/** Log lines with the request context they were written in. */
class ContextLogger implements Logger {
  readonly lines: { event: string; fields: Record<string, unknown>; httpRequestId: string | null }[] = [];
  #add(event: string, fields: Readonly<Record<string, unknown>> = {}) {
    this.lines.push({
      event,
      fields: { ...fields },
      httpRequestId: requestContext.getStore()?.httpRequestId ?? null,
    });
  }
  info(event: string, fields?: Readonly<Record<string, unknown>>) {
    this.#add(event, fields);
  }
  warn(event: string, fields?: Readonly<Record<string, unknown>>) {
    this.#add(event, fields);
  }
  error(event: string, fields?: Readonly<Record<string, unknown>>) {
    this.#add(event, fields);
  }
}

/** What must not depend on where the check ran (timings and request ids aside). */
const comparable = (r: CheckReport) => ({
  ...r,
  queries: r.queries.map((q) => ({ ...q, durationMs: 0, requestId: null })),
});

/** A TCP server that accepts connections and never answers: a Kusto that stopped responding. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** One worker over `url` (a Kusto that never answers), with long query deadlines. */
const silentPool = (url: string, logger: Logger, extra: { checkTimeoutMs?: number } = {}) =>
  CheckWorkerPool.start({
    size: 1,
    nice: 0,
    env: { ATTEST_KUSTO_CLUSTER_URL: url, ATTEST_KUSTO_DATABASE: DATABASE },
    settings: { ...DEFAULT_CHECK_SETTINGS, queryDeadlineMs: 20_000 },
    logger,
    metrics: new MemoryMetrics(),
    now: () => Date.now(),
    warm: false,
    ...extra,
  });

/** The nice value of each of this process's threads (Linux). */
function threadNices(): number[] {
  return readdirSync("/proc/self/task").map((t) =>
    Number(readFileSync(`/proc/self/task/${t}/stat`, "utf8").split(") ")[1]?.split(" ")[16]),
  );
}

describe("CheckWorkerPool over the embedded demo data", () => {
  const logger = new ContextLogger();
  const metrics = new MemoryMetrics();
  let pool: CheckWorkerPool;
  beforeAll(async () => {
    pool = await CheckWorkerPool.start({
      size: 1,
      nice: 10,
      env: {},
      settings: DEFAULT_CHECK_SETTINGS,
      logger,
      metrics,
      now: () => NOW,
      warm: true,
    });
  }, 60_000);
  afterAll(() => pool.close());

  it("gives the report the main thread would give (same data, same clock)", async () => {
    const clock = fixedClock(NOW);
    const kusto = createKustoRunner({ mode: "embedded", dataFile: null }, { clock, logger });
    const deps = { kusto, catalog: loadQueryCatalog(), clock, logger, settings: DEFAULT_CHECK_SETTINGS };
    for (const server of ["sgxtestuksouthsrv", "sgxtestmaa500", "sgxtest2"]) {
      const inWorker = await pool.run(request(server));
      const onMain = await runCheck(deps, request(server));
      expect(inWorker.diagnosis.findings.length).toBeGreaterThan(0);
      expect(comparable(inWorker)).toEqual(comparable(onMain));
    }
  });

  it("writes the worker's log lines on the main thread, in the context of the request that asked", async () => {
    await requestContext.run({ httpRequestId: "req-worker-1" }, () => pool.run(request("sgxtestwrongurl")));
    const done = logger.lines.find((l) => l.event === "check.done" && l.fields.server === "sgxtestwrongurl");
    expect(done?.httpRequestId).toBe("req-worker-1");
  });

  it("counts the worker's Kusto queries in the main thread's metrics", async () => {
    const before = metrics.kustoQueries.length;
    await pool.run(request("sgxtestgen5"));
    const added = metrics.kustoQueries.slice(before);
    expect(added.map((q) => q.query).sort()).toEqual(
      ["attestation-failures", "database-slo", "enclave-events", "placement"].sort(),
    );
    expect(added.every((q) => q.outcome === "ok")).toBe(true);
  });

  it.runIf(process.platform === "linux")(
    "runs the worker's thread at nice 10 and leaves the main thread at 0",
    () => {
      expect(pool.stats.nice).toEqual([10]);
      const nices = threadNices();
      expect(nices.filter((n) => n === 10)).toHaveLength(1);
      expect(readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ")[16]).toBe("0");
    },
  );

  it("sends every check of a server to the same worker", () => {
    expect(slotOf("SgxTest2", 4)).toBe(slotOf("sgxtest2", 4));
    const slots = new Set(["a", "b", "c", "d", "e", "f", "g", "h"].map((s) => slotOf(`server-${s}`, 4)));
    expect(slots.size).toBeGreaterThan(1);
  });
});

describe("CheckWorkerPool over the SDK and the served engine", () => {
  let served: Served;
  let pool: CheckWorkerPool;
  beforeAll(async () => {
    served = await serveData(scenarioData(NOW), NOW);
    pool = await CheckWorkerPool.start({
      size: 1,
      nice: 10,
      env: { ATTEST_KUSTO_CLUSTER_URL: served.server.url, ATTEST_KUSTO_DATABASE: DATABASE },
      settings: DEFAULT_CHECK_SETTINGS,
      logger: new ContextLogger(),
      metrics: new MemoryMetrics(),
      now: () => NOW,
      warm: false,
    });
  }, 60_000);
  afterAll(async () => {
    await pool.close();
    await served.server.close();
  });

  it("asks the served engine the check's four questions and reports its answers", async () => {
    const before = served.server.requests.length;
    const report = await pool.run(request("sgxtestuksouthsrv"));
    const queries = served.server.requests.slice(before).filter((r) => r.path === "/v2/rest/query");
    expect(queries).toHaveLength(4);
    expect(report.target).toMatchObject({ clusterUrl: served.server.url, embedded: true });
    expect(report.queries.every((q) => q.failure === null && q.requestId)).toBe(true);
    expect(report.diagnosis.findings.map((f) => f.rule)).toContain("rbac-attestation-reader-missing");
  });
});

describe("CheckWorkerPool when Kusto or the worker fails", () => {
  it("an unreachable Kusto is a KustoUnavailable on the main thread, with the user's sentence", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const pool = await CheckWorkerPool.start({
      size: 1,
      nice: 0,
      env: { ATTEST_KUSTO_CLUSTER_URL: url, ATTEST_KUSTO_DATABASE: DATABASE },
      settings: { ...DEFAULT_CHECK_SETTINGS, queryDeadlineMs: 3000 },
      logger: new ContextLogger(),
      metrics: new MemoryMetrics(),
      now: () => Date.now(),
      warm: false,
    });
    try {
      const error = await pool.run(request("sgxtest2")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KustoUnavailable);
      expect((error as KustoUnavailable).userMessage).toBe(
        "Kusto could not be reached, so nothing was checked. Try again in a minute.",
      );
      expect((error as KustoUnavailable).failures).toHaveLength(4);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it("a worker that stops fails only its checks, is logged, and a new one takes the next check", async () => {
    const silent = await silentServer();
    const logger = new ContextLogger();
    const pool = await silentPool(silent.url, logger);
    try {
      const first = pool.run(request("sgxtest2")).catch((e: unknown) => e);
      await expect.poll(() => pool.stats.running).toBe(1);
      await pool.stopWorker(0);
      const error = await first;
      expect(error).toBeInstanceOf(CheckWorkerError);
      expect((error as Error).message).toMatch(/^the check worker stopped \(exit code \d+\)$/);
      expect(logger.lines.find((l) => l.event === "check_worker.stopped")?.fields).toMatchObject({
        checksFailed: 1,
      });
      expect(pool.stats).toMatchObject({ running: 0, restarts: 1 });

      // The next check gets a new worker (it waits on the silent Kusto like the first).
      const second = pool.run(request("sgxtest2")).catch((e: unknown) => e);
      await expect.poll(() => pool.stats.running, { timeout: 30_000 }).toBe(1);
      await pool.close();
      const stopped = await second;
      expect(stopped).toBeInstanceOf(CheckWorkerError);
      expect((stopped as Error).message).toBe("the bot stopped before the check finished");
    } finally {
      await pool.close();
      await silent.close();
    }
  }, 60_000);

  it("a check its worker does not answer in time is answered on the main thread, and the worker goes on", async () => {
    const silent = await silentServer();
    const logger = new ContextLogger();
    const pool = await silentPool(silent.url, logger, { checkTimeoutMs: 300 });
    try {
      const error = await pool.run(request("sgxtest2")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckWorkerError);
      expect((error as Error).message).toBe("the check did not finish within 300 ms");
      expect(logger.lines.some((l) => l.event === "check_worker.check_timeout")).toBe(true);
      expect(pool.stats).toMatchObject({ running: 0, restarts: 0 });
    } finally {
      await pool.close();
      await silent.close();
    }
  }, 30_000);
});
