/**
 * Issue 10, Kusto faults: the real azure-kusto-data client (SdkKustoRunner, behind the retrying
 * decorator the bot composes) against the served engine's faults over 127.0.0.1. Transient
 * failures (429 with Retry-After, 5xx, a reset connection) are retried within the deadline;
 * permanent ones (400, 401/403) are not; throttling is named as throttling with the retries made;
 * and a stalled or trickling answer does not keep a socket open past the deadline.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  REAL_TIMERS,
  RetryingKustoRunner,
  type RetryPolicy,
  realSleep,
} from "../../../src/adapters/kusto/retrying-runner.js";
import { SdkKustoRunner } from "../../../src/adapters/kusto/sdk-runner.js";
import { runCli } from "../../../src/cli/main.js";
import { KustoFailure, type KustoRunner } from "../../../src/ports/kusto.js";
import { silentLogger } from "../../../src/ports/log.js";
import { scenarioData } from "./scenarios.js";
import { DATABASE, type Served, serveData } from "./served.js";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const QUERY = { name: "q", text: "MonTenantRingCapacity | take 5", parameters: {} } as const;
const POLICY: RetryPolicy = { maxRetries: 2, baseDelayMs: 50, maxDelayMs: 200, minAttemptMs: 100 };

let served: Served;
let proxy: TcpProxy;
const opened: SdkKustoRunner[] = [];

/** A fresh SDK runner (its own keep-alive pool) through the proxy, with the bot's retrying decorator. */
function runner(waits: number[] = []): { sdk: SdkKustoRunner; kusto: RetryingKustoRunner } {
  const sdk = new SdkKustoRunner({
    clusterUrl: proxy.url,
    database: DATABASE,
    credential: null,
    logger: silentLogger,
    embedded: true,
  });
  opened.push(sdk);
  const kusto = new RetryingKustoRunner(sdk, POLICY, {
    ...REAL_TIMERS,
    sleep: (ms, signal) => {
      waits.push(ms);
      return realSleep(ms, signal);
    },
  });
  return { sdk, kusto };
}

const queriesSeen = () => served.server.requests.filter((r) => r.path === "/v2/rest/query").length;

async function failureOf(promise: Promise<unknown>): Promise<KustoFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KustoFailure);
    return error as KustoFailure;
  }
  throw new Error("expected the run to fail");
}

beforeAll(async () => {
  served = await serveData(scenarioData(NOW), NOW);
  proxy = await startTcpProxy({ port: served.server.port });
  // The SDK caches the cluster's cloud metadata per host, and the engine loads its KQL parser on
  // the first query (seconds): do both once, before the tests.
  await runner().kusto.run(QUERY, { deadlineMs: 50_000 });
});

afterAll(async () => {
  for (const r of opened) r.close();
  await proxy.close();
  await served.server.close();
});

describe("transient failures are retried within the deadline", () => {
  it("a 429 is retried after its Retry-After and then answered", async () => {
    const waits: number[] = [];
    const { kusto } = runner(waits);
    served.server.setFaults({ throttle: { retryAfterSeconds: 1 }, times: 1 });
    const before = queriesSeen();
    const result = await kusto.run(QUERY, { deadlineMs: 10_000 });
    expect(result.tables[0]?.rows.length).toBeGreaterThan(0);
    expect(queriesSeen() - before).toBe(2);
    expect(kusto.retries).toBe(1);
    // Retry-After honoured: the wait is at least what Kusto asked for.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
  });

  it.each([500, 503])("a %d is retried with backoff and then answered", async (status) => {
    const { kusto } = runner();
    served.server.setFaults({ status5xx: status, times: 1 });
    const before = queriesSeen();
    const result = await kusto.run(QUERY, { deadlineMs: 10_000 });
    expect(result.tables[0]?.rows.length).toBeGreaterThan(0);
    expect(queriesSeen() - before).toBe(2);
  });

  it("a reset connection is retried and then answered", async () => {
    const { kusto } = runner();
    const before = queriesSeen();
    proxy.resetNext(1);
    const result = await kusto.run(QUERY, { deadlineMs: 10_000 });
    expect(result.tables[0]?.rows.length).toBeGreaterThan(0);
    expect(kusto.retries).toBe(1);
    expect(queriesSeen() - before).toBe(1);
  });

  it("throttling that does not stop is named as throttling, with the retries made", async () => {
    const { kusto } = runner();
    served.server.setFaults({ throttle: { retryAfterSeconds: 1 } });
    const before = queriesSeen();
    try {
      const failure = await failureOf(kusto.run(QUERY, { deadlineMs: 10_000 }));
      expect(failure.kind).toBe("throttled");
      expect(failure.retries).toBe(2);
      expect(failure.message).toBe("q: Kusto is throttling requests (429) — retried 2 times");
      expect(failure.message).not.toContain("reach");
      expect(queriesSeen() - before).toBe(3);
    } finally {
      served.server.setFaults(null);
    }
  });

  it("a Retry-After past the deadline is not waited for", async () => {
    const waits: number[] = [];
    const { kusto } = runner(waits);
    served.server.setFaults({ throttle: { retryAfterSeconds: 30 } });
    const before = queriesSeen();
    try {
      const failure = await failureOf(kusto.run(QUERY, { deadlineMs: 3000 }));
      expect(failure.kind).toBe("throttled");
      expect(failure.retryAfterMs).toBe(30_000);
      expect(failure.message).toContain("Kusto is throttling requests (429) — not retried");
      expect(failure.message).toContain("Retry-After 30 s is past the deadline");
      expect(waits).toEqual([]);
      expect(queriesSeen() - before).toBe(1);
    } finally {
      served.server.setFaults(null);
    }
  });
});

describe("permanent failures are not retried", () => {
  it("400 (a query Kusto rejects): one request, bad_query", async () => {
    const { kusto } = runner();
    const before = queriesSeen();
    const failure = await failureOf(
      kusto.run(
        { name: "broken", text: "MonSQLSystemHealth | where nope == 1", parameters: {} },
        { deadlineMs: 5000 },
      ),
    );
    expect(failure.kind).toBe("bad_query");
    expect(failure.retries).toBe(0);
    expect(queriesSeen() - before).toBe(1);
  });

  describe.each([401, 403])("%d (no access)", (status) => {
    let server: Server;
    let queries = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url?.startsWith("/v2/rest/query")) queries += 1;
        req.resume();
        const body = JSON.stringify({
          error: { code: "Forbidden", message: "Principal is not authorized", "@permanent": true },
        });
        res.writeHead(req.url?.startsWith("/v1/rest/auth/metadata") ? 404 : status, {
          "content-type": "application/json",
        });
        res.end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("one request, no retry, 'refused access'", async () => {
      const sdk = new SdkKustoRunner({
        clusterUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        database: DATABASE,
        credential: null,
        logger: silentLogger,
      });
      opened.push(sdk);
      const kusto: KustoRunner = new RetryingKustoRunner(sdk, POLICY);
      const failure = await failureOf(kusto.run(QUERY, { deadlineMs: 5000 }));
      expect(failure.kind).toBe("failed");
      expect(failure.transient).toBe(false);
      expect(failure.retries).toBe(0);
      expect(failure.message).toContain(`Kusto refused access (${status})`);
      expect(queries).toBe(1);
    });
  });
});

describe("the deadline closes the request", () => {
  // How long the test waits for the socket to close: well before it would close without the fix
  // (stall: the SDK's idle timeout, deadline + 1 s; trickle: the end of the body, 4 s).
  it.each([
    ["a stalled answer", { stall: true }, 600],
    ["a trickling body (a frame a second: no idle timeout fires)", { slowBodyMs: 1000 }, 1500],
  ])("%s: timeout at the deadline, and its socket is closed at once", async (_, faults, closeWithinMs) => {
    const { sdk, kusto } = runner();
    const mark = proxy.accepted;
    served.server.setFaults(faults);
    try {
      const failure = await failureOf(kusto.run(QUERY, { deadlineMs: 800 }));
      expect(failure.kind).toBe("timeout");
      expect(sdk.inFlight).toBe(0);
      expect(proxy.accepted).toBeGreaterThan(mark);
      // Before the fix the SDK kept reading (trickle: seconds more; stall: until its idle timeout).
      await vi.waitFor(() => expect(proxy.openAfter(mark)).toBe(0), { timeout: closeWithinMs, interval: 20 });
    } finally {
      served.server.setFaults(null);
    }
  });

  it("a caller's abort signal closes the request too", async () => {
    const { sdk } = runner();
    const mark = proxy.accepted;
    served.server.setFaults({ stall: true });
    try {
      const controller = new AbortController();
      const running = failureOf(sdk.run(QUERY, { deadlineMs: 30_000, signal: controller.signal }));
      await vi.waitFor(() => expect(proxy.openAfter(mark)).toBe(1));
      controller.abort();
      const failure = await running;
      expect(failure.kind).toBe("timeout");
      expect(failure.message).toContain("cancelled");
      // Without the fix the stalled request would stay open for its 31 s idle timeout.
      await vi.waitFor(() => expect(proxy.openAfter(mark)).toBe(0), { timeout: 1500, interval: 20 });
    } finally {
      served.server.setFaults(null);
    }
  });
});

describe("the CLI with a trickling Kusto", () => {
  it("answers once (exit 3) at its deadline, with no connection left open behind it", async () => {
    const mark = proxy.accepted;
    // A frame every 1.5 s: the SDK's idle timeout (deadline + 1 s = 2 s) never fires, and the
    // bodies take 6 s or more to trickle out.
    served.server.setFaults({ slowBodyMs: 1500 });
    const out = { stdout: "", stderr: "" };
    try {
      const code = await runCli(["check", "sgxtestuksouthsrv", "--format", "json"], {
        stdout: (t: string) => {
          out.stdout += t;
        },
        stderr: (t: string) => {
          out.stderr += t;
        },
        readStdin: async () => "",
        env: {
          ATTEST_KUSTO_CLUSTER_URL: proxy.url,
          ATTEST_KUSTO_DATABASE: DATABASE,
          ATTEST_QUERY_TIMEOUT: "1s",
        },
        stopSignal: new Promise<void>(() => {}),
      });
      expect(code).toBe(3);
      const json = JSON.parse(out.stdout) as { error: { reason: string; queries: { kind: string }[] } };
      expect(json.error.queries.map((q) => q.kind)).toEqual(["timeout", "timeout", "timeout", "timeout"]);
      // (Under load a question can reach its deadline before its request is even sent.)
      expect(proxy.accepted).toBeGreaterThan(mark);
      // The engine serves in this process and may still be busy with the queries for a moment
      // (the proxy sees the closes when it gets the event loop back): well under the trickle's 6 s.
      await vi.waitFor(() => expect(proxy.openAfter(mark)).toBe(0), { timeout: 3000, interval: 20 });
    } finally {
      served.server.setFaults(null);
    }
  });
});

describe("the CLI names throttling (text and JSON)", () => {
  it("exit 3; JSON error reason 'throttled' with the retries; stderr says throttling", async () => {
    const fresh = await serveData(scenarioData(NOW), NOW);
    fresh.server.setFaults({ throttle: { retryAfterSeconds: 1 } });
    const out = { stdout: "", stderr: "" };
    try {
      const code = await runCli(["check", "sgxtestuksouthsrv", "--format", "json"], {
        stdout: (t: string) => {
          out.stdout += t;
        },
        stderr: (t: string) => {
          out.stderr += t;
        },
        readStdin: async () => "",
        env: {
          ATTEST_KUSTO_CLUSTER_URL: fresh.server.url,
          ATTEST_KUSTO_DATABASE: DATABASE,
          ATTEST_QUERY_TIMEOUT: "8s",
        },
        stopSignal: new Promise<void>(() => {}),
      });
      expect(code).toBe(3);
      const json = JSON.parse(out.stdout) as {
        error: { reason: string; message: string; queries: { kind: string; retries: number }[] };
      };
      expect(json.error.reason).toBe("throttled");
      expect(json.error.queries.map((q) => q.kind)).toEqual([
        "throttled",
        "throttled",
        "throttled",
        "throttled",
      ]);
      const retries = json.error.queries.reduce((n, q) => n + q.retries, 0);
      expect(retries).toBeGreaterThan(0);
      expect(json.error.message).toContain(`Kusto is throttling requests (429) — retried ${retries} times`);
      expect(out.stderr).toContain("Kusto is throttling requests (429)");
      expect(out.stderr).not.toContain("could not be reached");
    } finally {
      await fresh.server.close();
    }
  });
});
