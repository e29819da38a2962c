import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../src/adapters/kusto/engine-runner.js";
import { loadQueryCatalog } from "../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../src/app/run-check.js";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { tablesFromJson } from "../../src/kusto-engine/data-file.js";
import { buildDemoData, DEMO_SCENARIOS } from "../../src/kusto-engine/demo-data.js";
import { KustoEngine } from "../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../src/kusto-engine/schema.js";
import { fixedClock } from "../../src/ports/clock.js";
import { silentLogger } from "../../src/ports/log.js";

const NOW_ISO = "2026-11-24T09:00:00.000Z";
const now = Date.parse(NOW_ISO);

function demoRunner() {
  const engine = new KustoEngine(ATTEST_SCHEMA, tablesFromJson(buildDemoData(now), ATTEST_SCHEMA, "demo"));
  return new EngineKustoRunner(engine, fixedClock(now));
}

const deps = {
  kusto: demoRunner(),
  catalog: loadQueryCatalog(),
  clock: fixedClock(now),
  logger: silentLogger,
  settings: DEFAULT_CHECK_SETTINGS,
};

describe("demo data", () => {
  it("is deterministic and of realistic size", () => {
    const a = buildDemoData(now);
    expect(JSON.stringify(buildDemoData(now))).toBe(JSON.stringify(a));
    const rows = Object.values(a).reduce((n, t) => n + t.length, 0);
    expect(rows).toBeGreaterThan(2000);
    expect(rows).toBeLessThan(10_000);
  });

  it("has a scenario per server present, and the no-telemetry server is absent", () => {
    const servers = new Set(buildDemoData(now).MonSQLSystemHealth?.map((r) => r.LogicalServerName));
    for (const s of DEMO_SCENARIOS) expect(servers.has(s.server)).toBe(s.scenario !== "no-telemetry");
  });
});

describe("check over the demo data (embedded engine)", () => {
  it.each(DEMO_SCENARIOS)("$server ($scenario) → $expectedVerdict $expectedRules", async (s) => {
    const report = await runCheck(deps, { server: s.server, database: null, url: null, sinceMs: null });
    expect(report.queries.filter((q) => q.failure !== null)).toEqual([]);
    expect(report.diagnosis.verdict).toBe(s.expectedVerdict);
    expect(report.diagnosis.findings.map((f) => f.rule)).toEqual(s.expectedRules);
  });

  it("sgxtestuksouthsrv: the RBAC finding has the guide's node, app and the role command with the server name", async () => {
    const report = await runCheck(deps, {
      server: "sgxtestuksouthsrv",
      database: null,
      url: null,
      sinceMs: null,
    });
    const [f] = report.diagnosis.findings;
    expect(f?.count).toBeGreaterThanOrEqual(25);
    expect(f?.nodes).toEqual(["DB.23", "DB.24"]);
    expect(f?.mitigation.commands[0]).toContain('-RoleDefinitionName "Attestation Reader"');
    expect(f?.mitigation.commands.join("\n")).toContain("-ServerName sgxtestuksouthsrv");
    expect(f?.evidence[0]?.code).toBe("0x00000193");
  });

  it("sgxtestuksouthsrv2 (its name starts with the 403 server's name) gets none of its rows", async () => {
    const report = await runCheck(deps, {
      server: "sgxtestuksouthsrv2",
      database: null,
      url: null,
      sinceMs: null,
    });
    expect(report.diagnosis.findings.flatMap((f) => f.evidence)).toEqual([]);
  });

  it("a malformed --url on a healthy server is a customer error", async () => {
    const report = await runCheck(deps, {
      server: "sgxtest2",
      database: null,
      url: "http://sgxattest.eus.attest.azure.net/attest/SgxEnclave",
      sinceMs: null,
    });
    expect(report.diagnosis.verdict).toBe("customer_error");
    expect(report.diagnosis.findings.map((f) => f.rule)).toEqual(["attestation-url-malformed"]);
  });

  it("--database narrows the SLO question; an unknown one is needs_info", async () => {
    const one = await runCheck(deps, { server: "sgxtest2", database: "contosoDB", url: null, sinceMs: null });
    expect(one.diagnosis.verdict).toBe("healthy");
    const none = await runCheck(deps, { server: "sgxtest2", database: "nosuchdb", url: null, sinceMs: null });
    expect(none.diagnosis.findings.map((f) => f.rule)).toEqual(["database-not-found"]);
  });
});

/**
 * Review items 1, 2, 5, 7, 8, 17 over the embedded engine: a small data file, one server per case
 * (each seen, on an SGX ring with its enclave loaded unless the case says otherwise).
 */
describe("check over a small data file (review fixes)", () => {
  const at = (ms: number) => new Date(now - ms).toISOString();
  const MIN = 60_000;
  const RING = "tr1850.uksouth1-a.worker.database.windows.net";
  const health: Record<string, unknown>[] = [];
  const snapshots: Record<string, unknown>[] = [];
  const GUID = "79967fe5-dcfe-46a7-9d3c-000000000001";
  const seen = (server: string, cluster = RING) => {
    health.push(
      {
        TIMESTAMP: at(20 * 60 * MIN),
        LogicalServerName: server,
        NodeName: "DB.23",
        ClusterName: cluster,
        logical_database_guid: GUID,
        error_id: 37308,
        message: "2026-11-23 12:59:00.00 Server Loaded SGX enclave for Always Encrypted.",
      },
      {
        TIMESTAMP: at(60 * MIN),
        LogicalServerName: server,
        NodeName: "DB.23",
        ClusterName: cluster,
        logical_database_guid: GUID,
        error_id: 18456,
        message: "Login failed for user 'x'.",
      },
    );
  };
  const db = (server: string, name: string, slo: string, more: Record<string, unknown> = {}) =>
    snapshots.push({
      TIMESTAMP: at(3 * 60 * MIN),
      logical_server_name: server,
      logical_database_name: name,
      logical_database_id: `id-${name}`,
      state: "Ready",
      service_level_objective: slo,
      ...more,
    });
  const failure = (server: string, ago: number, errorId: number, message: string) =>
    health.push({
      TIMESTAMP: at(ago),
      LogicalServerName: server,
      NodeName: "DB.23",
      ClusterName: RING,
      logical_database_guid: GUID,
      error_id: errorId,
      message,
    });

  // 1: a DC database plus a Gen5 one, and a server with master (System0) and a system database.
  seen("mixed");
  db("mixed", "maindb", "SQLDB_GP_DC_2");
  db("mixed", "reportingdb", "SQLDB_GP_Gen5_2");
  seen("withmaster");
  db("withmaster", "appdb", "SQLDB_GP_DC_2", { database_type: "SQLUserDb" });
  db("withmaster", "master", "System0");
  db("withmaster", "sysdb", "System2", { database_type: "SQLSystemDb" });
  // 2: telemetry with an empty ClusterName only.
  seen("emptycluster", "");
  db("emptycluster", "ecdb", "SQLDB_GP_DC_2");
  // 7: an empty SLO.
  seen("emptyslo");
  db("emptyslo", "esdb", "");
  // 17: the ring in upper case in telemetry.
  seen("ringcase", RING.toUpperCase());
  db("ringcase", "rcdb", "SQLDB_GP_DC_2");
  // 8: a 37309 row whose text names only the Intel DCAP library.
  seen("dcap");
  db("dcap", "dcapdb", "SQLDB_GP_DC_2");
  failure(
    "dcap",
    30 * MIN,
    37309,
    "2026-11-24 08:29:00.00 spid12 Enclave attestation failed due to an error in Intel DCAP library (sgx_qv_verify_quote returned 0xe019).",
  );
  // 8: a 37325 row whose text names nothing: only its error_id says what it is.
  seen("dcapbare");
  db("dcapbare", "dcapbaredb", "SQLDB_GP_DC_2");
  failure("dcapbare", 30 * MIN, 37325, "Enclave attestation failed (quote collateral unavailable).");
  // 5: more 403 rows than the row cap, and one older MAA 500 row.
  seen("lowcode");
  db("lowcode", "lowcodedb", "SQLDB_GP_DC_2");
  const forbidden =
    "Error: 37324, Severity: 16, State: 57. Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Error message: 'Access to /attest/SgxEnclave is denied'. Attestation URL: 'https://a.uks.attest.azure.net/attest/SgxEnclave'. Return code: '0x00000193'.";
  for (let i = 0; i < 12; i++) failure("lowcode", (10 + i) * MIN, 37324, forbidden);
  failure(
    "lowcode",
    150 * MIN,
    37324,
    "Error: 37324, Severity: 16, State: 57. Enclave attestation failed. Attestation service returned Error code: 'InternalServerError'. Error message: 'x'. Attestation URL: 'https://a.uks.attest.azure.net/attest/SgxEnclave'. Return code: '0x000001f4'.",
  );

  const rings: Record<string, unknown>[] = [
    {
      TIMESTAMP: at(60 * MIN),
      tenant_ring_name: RING,
      azure_cluster: "lon22prdapp04",
      vm_size: "SQLDCGen6_2",
    },
  ];
  const ring = (name: string, vmSize: string) =>
    rings.push({ TIMESTAMP: at(60 * MIN), tenant_ring_name: name, azure_cluster: "c", vm_size: vmSize });
  // Review 3 item 4: db recreated with the name of a dropped Gen5 database (the dropped row newer).
  seen("recreated");
  db("recreated", "recdb", "SQLDB_GP_DC_2");
  db("recreated", "recdb", "SQLDB_GP_Gen5_2", {
    logical_database_id: "id-recdb-old",
    state: "Dropped",
    TIMESTAMP: at(2 * 60 * MIN),
  });
  // Review 3 item 5: a pooled database.
  seen("pooled");
  db("pooled", "pooldb", "ElasticPool");
  // Review 3 item 6: a padded SGX VM size, and an "Unknown" one.
  seen("vmpadded", "tr2.uksouth1-a.worker.database.windows.net");
  db("vmpadded", "vpdb", "SQLDB_GP_DC_2");
  ring("tr2.uksouth1-a.worker.database.windows.net", "SQLDCGen6_2 ");
  seen("vmunknown", "tr3.uksouth1-a.worker.database.windows.net");
  db("vmunknown", "vudb", "SQLDB_GP_DC_2");
  ring("tr3.uksouth1-a.worker.database.windows.net", "Unknown");

  // Review 3 item 2: a 403 ten minutes before the 3h window.
  seen("outside");
  db("outside", "outdb", "SQLDB_GP_DC_2");
  failure("outside", 190 * MIN, 37324, forbidden);

  // Review 3 item 8: failure rows whose error_id is missing (null) or 0; the errorlog text says 37324.
  seen("nullid");
  db("nullid", "nulldb", "SQLDB_GP_DC_2");
  failure("nullid", 40 * MIN, 0, forbidden);
  health.push({
    TIMESTAMP: at(50 * MIN),
    LogicalServerName: "nullid",
    NodeName: "DB.23",
    ClusterName: RING,
    logical_database_guid: GUID,
    error_id: null,
    message: forbidden,
  });

  // Review 3 item 3: in-window telemetry only from a node without a 37308 (same ring, other ring).
  const other = (server: string, node: string, cluster: string) => {
    health.push(
      {
        TIMESTAMP: at(20 * 60 * MIN),
        LogicalServerName: server,
        NodeName: "DB.23",
        ClusterName: RING,
        logical_database_guid: GUID,
        error_id: 37308,
        message: "2026-11-23 12:59:00.00 Server Loaded SGX enclave for Always Encrypted.",
      },
      {
        TIMESTAMP: at(60 * MIN),
        LogicalServerName: server,
        NodeName: node,
        ClusterName: cluster,
        logical_database_guid: GUID,
        error_id: 18456,
        message: "Login failed for user 'x'.",
      },
    );
    db(server, `${server}db`, "SQLDB_GP_DC_2");
  };
  other("othernode", "DB.5", RING);
  other("otherring", "DB.23", "tr2.uksouth1-a.worker.database.windows.net");

  // Review 3 item 1: a Gen5 database on a Gen5 ring beside the DC one (judge the DC one's ring);
  // and a snapshot ring the telemetry does not name.
  const TR9 = "tr9.uksouth1-a.worker.database.windows.net";
  ring(TR9, "Gen5_Standard");
  seen("mixedrings");
  seen("mixedrings", TR9);
  db("mixedrings", "dcdb", "SQLDB_GP_DC_2", { tenant_ring_name: RING });
  db("mixedrings", "g5db", "SQLDB_GP_Gen5_2", { tenant_ring_name: TR9 });
  seen("snapring");
  db("snapring", "srdb", "SQLDB_GP_DC_2", { tenant_ring_name: TR9 });

  const data = {
    MonSQLSystemHealth: health,
    MonAnalyticsDBSnapshot: snapshots,
    MonTenantRingCapacity: rings,
  };
  const small = {
    ...deps,
    kusto: new EngineKustoRunner(
      new KustoEngine(ATTEST_SCHEMA, tablesFromJson(data, ATTEST_SCHEMA, "review data")),
      fixedClock(now),
    ),
    settings: { ...DEFAULT_CHECK_SETTINGS, rowCap: 10 },
  };
  const check = (server: string) => runCheck(small, { server, database: null, url: null, sinceMs: null });

  it.each([
    ["mixed", "healthy", ["no-attestation-failures"]],
    ["withmaster", "healthy", ["no-attestation-failures"]],
    ["emptycluster", "needs_info", ["data-unavailable"]],
    ["emptyslo", "needs_info", ["data-unavailable"]],
    ["ringcase", "healthy", ["no-attestation-failures"]],
    ["dcap", "deployment_issue", ["intel-dcap-error"]],
    ["dcapbare", "deployment_issue", ["azure-dcap-client-error"]],
    ["lowcode", "maa_escalation", ["maa-internal-error", "rbac-attestation-reader-missing"]],
    ["recreated", "healthy", ["no-attestation-failures"]],
    ["pooled", "needs_info", ["data-unavailable"]],
    ["vmpadded", "healthy", ["no-attestation-failures"]],
    ["vmunknown", "needs_info", ["data-unavailable"]],
    ["outside", "needs_info", ["failures-before-window"]],
    ["nullid", "customer_error", ["rbac-attestation-reader-missing"]],
    ["othernode", "needs_info", ["enclave-load-not-seen"]],
    ["otherring", "needs_info", ["enclave-load-not-seen"]],
    ["mixedrings", "healthy", ["no-attestation-failures"]],
    ["snapring", "needs_info", ["data-unavailable"]],
  ])("%s → %s %j", async (server, verdict, expected) => {
    const report = await check(server);
    expect(report.queries.filter((q) => q.failure !== null)).toEqual([]);
    expect(report.diagnosis.verdict).toBe(verdict);
    expect(report.diagnosis.findings.map((f) => f.rule)).toEqual(expected);
  });

  it("nullid: both rows without an error id (0 and null) are counted as failures", async () => {
    const report = await check("nullid");
    expect(report.diagnosis.findings[0]?.count).toBe(2);
  });

  it("mixed with --database reportingdb blames the Gen5 database", async () => {
    const report = await runCheck(small, {
      server: "mixed",
      database: "reportingdb",
      url: null,
      sinceMs: null,
    });
    expect(report.diagnosis.findings.map((f) => [f.rule, f.details])).toEqual([
      ["slo-not-dc-series", ["reportingdb: service objective SQLDB_GP_Gen5_2"]],
    ]);
  });

  it("recreated with --database recdb judges the current (DC) database, not the dropped one", async () => {
    const report = await runCheck(small, {
      server: "recreated",
      database: "recdb",
      url: null,
      sinceMs: null,
    });
    expect(report.diagnosis.verdict).toBe("healthy");
    expect(report.diagnosis.findings[0]?.details).toContain("Databases on DC-series: recdb (SQLDB_GP_DC_2).");
  });

  it("lowcode: counts and first seen come from the whole window, not the capped rows", async () => {
    const report = await check("lowcode");
    const [maa, rbac] = report.diagnosis.findings;
    expect(maa).toMatchObject({ count: 1, firstSeen: at(150 * MIN), lastSeen: at(150 * MIN), evidence: [] });
    expect(rbac).toMatchObject({ count: 12, firstSeen: at(21 * MIN), lastSeen: at(10 * MIN) });
    expect(rbac?.evidence).toHaveLength(10);
  });
});

function memoryIo(): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => "",
    env: {},
    stopSignal: new Promise<void>(() => {}),
    out: () => out,
    err: () => err,
  };
}

describe("attest check <demo server> --format json", () => {
  it.each(DEMO_SCENARIOS)("$server → exit 0 and the issue's JSON shape", async (s) => {
    const io = memoryIo();
    const code = await runCli(["check", s.server, "--now", NOW_ISO, "--format", "json"], io);
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    const json = JSON.parse(io.out()) as Record<string, unknown>;
    expect(json).toMatchObject({
      server: s.server,
      window: { from: "2026-11-24T06:00:00.000Z", to: NOW_ISO },
      verdict: s.expectedVerdict,
    });
    const findings = json.findings as Record<string, unknown>[];
    expect(findings.map((f) => f.rule)).toEqual(s.expectedRules);
    for (const f of findings) {
      for (const key of [
        "rule",
        "category",
        "title",
        "why",
        "mitigation",
        "owner",
        "count",
        "firstSeen",
        "lastSeen",
        "evidence",
      ])
        expect(f).toHaveProperty(key);
    }
  });

  it("text output reads as a report", async () => {
    const io = memoryIo();
    expect(await runCli(["check", "sgxattest5pr", "--now", NOW_ISO], io)).toBe(0);
    expect(io.out()).toMatch(/CUSTOMER ACTION NEEDED: Attestation policy rejected the enclave/);
    expect(io.out()).toContain('[ type=="x-ms-sgx-product-id", value==4639 ]');
    // A command the reader can paste into a terminal (the CLI is an npm script).
    expect(io.out()).toContain("Re-run: npm run -s attest -- check sgxattest5pr --since 3h");
  });
});

describe("attest explain (stdin) uses the same rules", () => {
  it("classifies the guide's 4.4 message as an MAA escalation, as JSON", async () => {
    const io = {
      ...memoryIo(),
      readStdin: async () =>
        "Attestation service returned Error code: 'InternalServerError'. Error message: 'An internal server error has occurred'. Attestation URL: 'https://sgxattest5pr.eus.attest.azure.net/attest/SgxEnclave'. Return code: '0x000001f4'.",
    };
    let out = "";
    const code = await runCli(["explain", "--format", "json"], { ...io, stdout: (t) => (out += t) });
    expect(code).toBe(0);
    const json = JSON.parse(out) as { verdict: string; findings: { rule: string; owner: string }[] };
    expect(json.verdict).toBe("maa_escalation");
    expect(json.findings.map((f) => [f.rule, f.owner])).toEqual([
      ["maa-internal-error", "Azure Security Engineering/Azure Attestation Service"],
    ]);
  });
});
