/**
 * `check` through the real azure-kusto-data client against the served engine, and what happens to
 * hostile server names: the CLI refuses them before any request; and if one got past validation it
 * would travel only in `properties.Parameters`, never in the query text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { RetryingKustoRunner } from "../../../src/adapters/kusto/retrying-runner.js";
import { SdkKustoRunner } from "../../../src/adapters/kusto/sdk-runner.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { type CheckDeps, DEFAULT_CHECK_SETTINGS, planCheck, runCheck } from "../../../src/app/run-check.js";
import { runCli } from "../../../src/cli/main.js";
import { tablesFromJson } from "../../../src/kusto-engine/data-file.js";
import { buildDemoData, DEMO_SCENARIOS } from "../../../src/kusto-engine/demo-data.js";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { silentLogger } from "../../../src/ports/log.js";
import { GUIDE_SERVER, scenarioData } from "./scenarios.js";
import { DATABASE, type Served, serveData } from "./served.js";

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const catalog = loadQueryCatalog();

let served: Served;
let sdk: SdkKustoRunner;
/**
 * The SDK runner as the bot composes it: behind the retrying decorator, so that a keep-alive socket
 * the served engine closed just as it was reused (ECONNRESET, on a loaded machine) is retried as in
 * production rather than failing a test about something else.
 */
let kusto: RetryingKustoRunner;
beforeAll(async () => {
  served = await serveData(scenarioData(NOW), NOW);
  sdk = new SdkKustoRunner({
    clusterUrl: served.server.url,
    database: DATABASE,
    credential: null,
    logger: silentLogger,
    embedded: true,
  });
  kusto = new RetryingKustoRunner(sdk);
  // The engine loads its KQL parser on its first query, which can take longer than a check's
  // 10 s query deadline on a loaded machine: load it here, outside what the tests measure.
  await sdk.run(
    { name: "warm-up", text: "MonTenantRingCapacity | take 1", parameters: {} },
    { deadlineMs: 60_000 },
  );
});
afterAll(async () => {
  sdk.close();
  await served.server.close();
});

const deps = (kusto: CheckDeps["kusto"]): CheckDeps => ({
  kusto,
  catalog,
  clock: fixedClock(NOW),
  logger: silentLogger,
  settings: DEFAULT_CHECK_SETTINGS,
});
const check = (kusto: CheckDeps["kusto"], server: string) =>
  runCheck(deps(kusto), { server, database: null, url: null, sinceMs: null });

describe("runCheck through SdkKustoRunner against the served engine", () => {
  it.each([
    [GUIDE_SERVER, "customer_error", "rbac-attestation-reader-missing"],
    ["healthy-srv", "healthy", "no-attestation-failures"],
    ["wrongvm-srv", "deployment_issue", "vm-size-not-sgx"],
    ["nodc-srv", "customer_error", "slo-not-dc-series"],
    ["ghost-srv", "needs_info", "no-telemetry"],
  ])("%s → %s (%s)", async (server, verdict, rule) => {
    const report = await check(kusto, server);
    expect(report.queries.map((q) => q.failure)).toEqual([null, null, null, null]);
    for (const q of report.queries) expect(q.requestId).toMatch(/^attest-bot;[0-9a-f-]{36}$/);
    expect(report.diagnosis.verdict).toBe(verdict);
    expect(report.diagnosis.findings.map((f) => f.rule)).toContain(rule);
  });

  it("reaches the same diagnosis as the in-process engine", async () => {
    const local = new EngineKustoRunner(
      new KustoEngine(ATTEST_SCHEMA, tablesFromJson(scenarioData(NOW), ATTEST_SCHEMA, "local")),
      fixedClock(NOW),
    );
    for (const server of [GUIDE_SERVER, "healthy-srv", "wrongvm-srv"]) {
      const [a, b] = [await check(local, server), await check(kusto, server)];
      expect(b.diagnosis, server).toEqual(a.diagnosis);
    }
  });

  it("each question's request carries the catalog text and the values only as parameters", async () => {
    const before = served.server.requests.length;
    await check(kusto, GUIDE_SERVER);
    const bodies = served.server.requests
      .slice(before)
      .filter((r) => r.path === "/v2/rest/query")
      .map((r) => r.body as { db: string; csl: string; properties: { Parameters: Record<string, string> } });
    expect(bodies).toHaveLength(4);
    const texts = new Set(Object.values(catalog).map((q) => q.text.trim()));
    for (const body of bodies) {
      expect(body.db).toBe(DATABASE);
      expect(texts.has(body.csl)).toBe(true);
      expect(body.properties.Parameters.server).toBe(GUIDE_SERVER);
      expect(body.csl).not.toContain(GUIDE_SERVER);
    }
  });
});

describe("the demo data over the wire", () => {
  let demo: Served;
  let demoSdk: SdkKustoRunner;
  let demoLocal: EngineKustoRunner;
  beforeAll(async () => {
    demo = await serveData(buildDemoData(NOW), NOW);
    demoSdk = new SdkKustoRunner({
      clusterUrl: demo.server.url,
      database: DATABASE,
      credential: null,
      logger: silentLogger,
    });
    demoLocal = new EngineKustoRunner(demo.engine, fixedClock(NOW));
  });
  afterAll(async () => {
    demoSdk.close();
    await demo.server.close();
  });

  it.each(DEMO_SCENARIOS.map((s) => [s.server, s.expectedVerdict, s] as const))(
    "%s → %s, the same diagnosis as in process",
    async (server, verdict) => {
      const [overWire, inProcess] = [await check(demoSdk, server), await check(demoLocal, server)];
      // Issue 14: an MAA-class failure also asks the fleet (fleet-incidents), a fifth question.
      const questions = verdict === "maa_escalation" ? 5 : 4;
      expect(overWire.queries.map((q) => q.failure)).toEqual(Array(questions).fill(null));
      expect(overWire.diagnosis).toEqual(inProcess.diagnosis);
      expect(overWire.diagnosis.verdict).toBe(verdict);
    },
  );
});

const HOSTILE = [
  'x" | take 1 //',
  "x' or 1==1 //",
  "sgxtestuksouthsrv\n| take 100000",
  "sgx|test",
  'a"; .drop table MonSQLSystemHealth',
  "x\r\ny",
  "trailing-hyphen-",
];

describe("hostile server names", () => {
  const io = (url: string) => {
    const out = { stdout: "", stderr: "" };
    return {
      out,
      io: {
        stdout: (t: string) => {
          out.stdout += t;
        },
        stderr: (t: string) => {
          out.stderr += t;
        },
        readStdin: async () => "",
        env: { ATTEST_KUSTO_CLUSTER_URL: url, ATTEST_KUSTO_DATABASE: DATABASE },
        stopSignal: new Promise<void>(() => {}),
      },
    };
  };

  /**
   * A server this process has never talked to: the SDK caches cloud metadata per host:port, so on
   * a fresh one any attempt to query shows up as a request (GET /v1/rest/auth/metadata first).
   */
  async function withFreshServer(body: (server: Served["server"]) => Promise<void>) {
    const fresh = await serveData(scenarioData(NOW), NOW);
    try {
      await body(fresh.server);
    } finally {
      await fresh.server.close();
    }
  }

  beforeEach(() => {
    // Keep the credential chain short for the control case (no IMDS probe, no `az` subprocess).
    vi.stubEnv("AZURE_TOKEN_CREDENTIALS", "EnvironmentCredential");
    return () => vi.unstubAllEnvs();
  });

  it.each(HOSTILE)(
    "the CLI rejects %j with exit 2, naming the field, and nothing reaches the server",
    (name) =>
      withFreshServer(async (server) => {
        const { out, io: cliIo } = io(server.url);
        const code = await runCli(["check", name, "--format", "json"], cliIo);
        expect(code).toBe(2);
        expect(out.stderr).toMatch(/^attest check: server: got /);
        expect(out.stderr).toContain("expected an Azure SQL server name");
        expect(out.stdout).toBe("");
        expect(server.requestCount).toBe(0);
      }),
  );

  it("control: a valid name with the same configuration does reach the server", () =>
    withFreshServer(async (server) => {
      const { io: cliIo } = io(server.url);
      // A loopback cluster (the served engine) is used without an Azure login.
      expect(await runCli(["check", "healthy-srv", "--format", "json"], cliIo)).toBe(0);
      expect(server.requestCount).toBeGreaterThan(0);
    }));

  it.each(HOSTILE)("past validation, %j would travel only in properties.Parameters", async (name) => {
    const before = served.server.requests.length;
    const plan = planCheck(
      { server: name, database: null, url: null, sinceMs: null },
      NOW,
      DEFAULT_CHECK_SETTINGS,
    );
    const result = await kusto.run(
      {
        name: "attestation-failures",
        text: catalog["attestation-failures"].text,
        parameters: plan.params["attestation-failures"],
      },
      { deadlineMs: 10_000 },
    );
    // Matched as a whole value against LogicalServerName: no server has that name, so no rows.
    // The totals row first, then every other statement (evidence rows, per-class summary) empty.
    expect(result.tables.length).toBeGreaterThanOrEqual(2);
    expect(result.tables.map((t) => t.rows.length)).toEqual([1, ...result.tables.slice(1).map(() => 0)]);
    expect(result.tables[0]?.rows[0]?.[0]).toBe(0);
    const recorded = served.server.requests.slice(before);
    expect(recorded).toHaveLength(1);
    const body = recorded[0]?.body as { csl: string; properties: { Parameters: Record<string, string> } };
    expect(body.csl).toBe(catalog["attestation-failures"].text.trim());
    expect(body.properties.Parameters.server).toBe(name);
    expect(body.csl).not.toContain(name);
  });

  it("runCheck with a hostile name that skipped validation reports no telemetry, never healthy", async () => {
    const report = await check(kusto, 'x" | take 1 //');
    expect(report.diagnosis.verdict).not.toBe("healthy");
    expect(report.diagnosis.findings.map((f) => f.rule)).toContain("no-telemetry");
  });
});
