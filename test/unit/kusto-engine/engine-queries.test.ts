import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import {
  ATTEST_SCHEMA,
  MonAnalyticsDBSnapshot,
  MonTenantRingCapacity,
} from "../../../src/kusto-engine/schema.js";
import type { KqlValue, ResultTable } from "../../../src/kusto-engine/types.js";
import { healthRow } from "../../fixtures/tsg-queries.js";

const QUERIES = new URL("../../../queries/", import.meta.url);
const query = (name: string) => readFileSync(new URL(`${name}.kql`, QUERIES), "utf8");

const T0 = Date.parse("2021-01-04T00:00:00Z");
const H = 3_600_000;
const RING = "tr1850.uksouth1-a.worker.database.windows.net";
const FORBIDDEN =
  "Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Return code: '0x00000193'.";
const WRONG_URL = "Authentication method: HttpConnectAndSendRequest, status: 0x00002ee7";

const row = (schema: typeof MonAnalyticsDBSnapshot, values: Record<string, KqlValue>): KqlValue[] =>
  schema.columns.map((c) => values[c.name] ?? (c.type === "string" ? "" : null));

const health = [
  healthRow({
    TIMESTAMP: T0 + 1 * H,
    LogicalServerName: "SGXtest2",
    NodeName: "DB.23",
    AppName: "app1",
    ClusterName: RING,
    error_id: 37324,
    message: FORBIDDEN,
  }),
  healthRow({
    TIMESTAMP: T0 + 2 * H,
    LogicalServerName: "sgxtest2",
    NodeName: "DB.24",
    AppName: "app2",
    ClusterName: RING,
    error_id: 37324,
    message: FORBIDDEN,
  }),
  healthRow({
    TIMESTAMP: T0 + 3 * H,
    LogicalServerName: "sgxtest2",
    NodeName: "DB.23",
    AppName: "app1",
    ClusterName: RING,
    error_id: 37303,
    message: WRONG_URL,
  }),
  healthRow({
    TIMESTAMP: T0 + 4 * H,
    LogicalServerName: "sgxtest2",
    NodeName: "DB.23",
    AppName: "app1",
    ClusterName: RING,
    error_id: 37308,
    message: "Loaded SGX enclave for Always Encrypted.",
  }),
  healthRow({
    TIMESTAMP: T0 + 5 * H,
    LogicalServerName: "sgxtest2",
    NodeName: "DB.23",
    AppName: "app1",
    ClusterName: RING,
    error_id: 33000,
    message: "enclave load failed: out of memory",
  }),
  healthRow({
    TIMESTAMP: T0 + 6 * H,
    LogicalServerName: "sgxtest2",
    NodeName: "DB.23",
    AppName: "app1",
    ClusterName: RING,
    error_id: 18456,
    message: "Login failed",
  }),
  healthRow({
    TIMESTAMP: T0 + 2 * H,
    LogicalServerName: "other",
    NodeName: "DB.1",
    AppName: "app9",
    ClusterName: "tr1.westus",
    error_id: 37324,
    message: FORBIDDEN,
  }),
  // Another server whose telemetry spells its ring in upper case (the capacity table: lower case).
  healthRow({
    TIMESTAMP: T0 + 1 * H,
    LogicalServerName: "ringcase",
    NodeName: "DB.7",
    ClusterName: "TR9.westus1-a.worker.database.windows.net",
    error_id: 37308,
    message: "Loaded SGX enclave for Always Encrypted.",
  }),
  // Outside every window used below.
  healthRow({
    TIMESTAMP: T0 - 30 * 24 * H,
    LogicalServerName: "sgxtest2",
    NodeName: "DB.23",
    ClusterName: RING,
    error_id: 37324,
    message: FORBIDDEN,
  }),
];
const snapshots = [
  row(MonAnalyticsDBSnapshot, {
    TIMESTAMP: T0 + 1 * H,
    logical_server_name: "sgxtest2",
    logical_database_name: "contosoDB",
    logical_database_id: "9d93e5d2",
    state: "Ready",
    service_level_objective: "SQLDB_GP_Gen5_2",
    tenant_ring_name: RING,
  }),
  row(MonAnalyticsDBSnapshot, {
    TIMESTAMP: T0 + 5 * H,
    logical_server_name: "sgxtest2",
    logical_database_name: "contosoDB",
    logical_database_id: "9d93e5d2",
    state: "Ready",
    service_level_objective: "SQLDB_GP_DC_2",
    tenant_ring_name: RING,
  }),
  row(MonAnalyticsDBSnapshot, {
    TIMESTAMP: T0 + 2 * H,
    logical_server_name: "SGXTEST2",
    logical_database_name: "jakub",
    logical_database_id: "3c02c8f8",
    state: "Ready",
    service_level_objective: "SQLDB_GP_DC_2",
    tenant_ring_name: RING,
  }),
  row(MonAnalyticsDBSnapshot, {
    TIMESTAMP: T0 + 2 * H,
    logical_server_name: "other",
    logical_database_name: "x",
    logical_database_id: "1",
    state: "Ready",
    service_level_objective: "SQLDB_BC_Gen5_2",
  }),
  // master (System SLO) and a non-user database are not judged by step 1.
  row(MonAnalyticsDBSnapshot, {
    TIMESTAMP: T0 + 2 * H,
    logical_server_name: "sgxtest2",
    logical_database_name: "master",
    logical_database_id: "m1",
    state: "Ready",
    service_level_objective: "System0",
  }),
  row(MonAnalyticsDBSnapshot, {
    TIMESTAMP: T0 + 2 * H,
    logical_server_name: "sgxtest2",
    logical_database_name: "sysdb",
    logical_database_id: "s1",
    state: "Ready",
    database_type: "SQLSystemDb",
    service_level_objective: "System2",
  }),
];
const rings = [
  row(MonTenantRingCapacity, {
    TIMESTAMP: T0 - 3 * 24 * H,
    tenant_ring_name: RING,
    azure_cluster: "lon22prdapp04",
    vm_size: "Standard_D8",
    nodes: 20,
    region: "uksouth",
  }),
  row(MonTenantRingCapacity, {
    TIMESTAMP: T0 - 1 * 24 * H,
    tenant_ring_name: RING,
    azure_cluster: "lon22prdapp04",
    vm_size: "SQLDCGen6_2",
    nodes: 25,
    region: "uksouth",
  }),
  row(MonTenantRingCapacity, {
    TIMESTAMP: T0,
    tenant_ring_name: "tr1.westus",
    azure_cluster: "x",
    vm_size: "SQLGen5",
    nodes: 5,
    region: "westus",
  }),
  row(MonTenantRingCapacity, {
    TIMESTAMP: T0,
    tenant_ring_name: "tr9.westus1-a.worker.database.windows.net",
    azure_cluster: "y",
    vm_size: "SQLDCGen6_2",
    nodes: 3,
    region: "westus",
  }),
];

const engine = new KustoEngine(
  ATTEST_SCHEMA,
  new Map([
    ["MonSQLSystemHealth", { rows: health }],
    ["MonAnalyticsDBSnapshot", { rows: snapshots }],
    ["MonTenantRingCapacity", { rows: rings }],
  ]),
);

const WINDOW = { windowStart: "2021-01-04T00:00:00Z", windowEnd: "2021-01-05T00:00:00Z" };
const run = (name: string, parameters: Record<string, string>) =>
  engine.execute(query(name), { now: T0 + 24 * H, parameters });
const objects = (t: ResultTable | undefined) =>
  (t?.rows ?? []).map((r) => Object.fromEntries(t!.columns.map((c, i) => [c.name, r[i] ?? null])));

describe("every queries/*.kql runs with parameters", () => {
  const files = readdirSync(QUERIES).filter((f) => f.endsWith(".kql"));
  it.each(files)("%s", (file) => {
    const tables = engine.execute(readFileSync(new URL(file, QUERIES), "utf8"), {
      now: T0 + 24 * H,
      parameters: { server: "sgxtest2", ...WINDOW },
    });
    expect(tables.length).toBeGreaterThan(0);
  });
});

describe("queries/*.kql results", () => {
  it("attestation-failures: totals, rows, then classes; server matched case-insensitively, newest first", () => {
    const [totals, detail, classes] = run("attestation-failures", { server: "sgxtest2", ...WINDOW });
    expect(objects(totals)).toEqual([{ total: 3, firstSeen: T0 + H, lastSeen: T0 + 3 * H }]);
    expect(detail?.columns.map((c) => c.name)).toEqual([
      "TIMESTAMP",
      "NodeName",
      "AppName",
      "ClusterName",
      "logical_database_guid",
      "error_id",
      "message",
    ]);
    expect(objects(detail).map((r) => [r.TIMESTAMP, r.error_id])).toEqual([
      [T0 + 3 * H, 37303],
      [T0 + 2 * H, 37324],
      [T0 + H, 37324],
    ]);
    expect(classes?.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "error_id:long",
      "code:string",
      "failures:long",
      "firstSeen:datetime",
      "lastSeen:datetime",
      "nodes:long",
      "sample:string",
    ]);
    expect(objects(classes)).toEqual([
      {
        error_id: 37324,
        code: "0x00000193",
        failures: 2,
        firstSeen: T0 + H,
        lastSeen: T0 + 2 * H,
        nodes: 2,
        sample: FORBIDDEN,
      },
      {
        error_id: 37303,
        code: "0x00002ee7",
        failures: 1,
        firstSeen: T0 + 3 * H,
        lastSeen: T0 + 3 * H,
        nodes: 1,
        sample: WRONG_URL,
      },
    ]);
    // The cap is meant for the rows (evidence): here the only row read is the newest (37303), yet the
    // 37324 class keeps its full count. (The classes are capped too, biggest first; there are few.)
    const [, capped, cappedClasses] = run("attestation-failures", {
      server: "sgxtest2",
      ...WINDOW,
      rowCap: "1",
    });
    expect(objects(capped).map((r) => r.error_id)).toEqual([37303]);
    expect(objects(cappedClasses).map((r) => [r.error_id, r.failures])).toEqual([[37324, 2]]);
  });

  it("database-slo: latest snapshot per user database (no master, no system database), by name", () => {
    const [t] = run("database-slo", { server: "sgxtest2", ...WINDOW });
    expect(objects(t)).toEqual([
      {
        logical_database_name: "contosoDB",
        logical_database_id: "9d93e5d2",
        state: "Ready",
        service_level_objective: "SQLDB_GP_DC_2",
        tenant_ring_name: RING,
        TIMESTAMP: T0 + 5 * H,
      },
      {
        logical_database_name: "jakub",
        logical_database_id: "3c02c8f8",
        state: "Ready",
        service_level_objective: "SQLDB_GP_DC_2",
        tenant_ring_name: RING,
        TIMESTAMP: T0 + 2 * H,
      },
    ]);
    const [one] = run("database-slo", { server: "sgxtest2", ...WINDOW, database: "JAKUB" });
    expect(objects(one).map((r) => r.logical_database_name)).toEqual(["jakub"]);
  });

  it("enclave-events: 37308 and enclave failure messages, latest per node and error id", () => {
    const [t] = run("enclave-events", { server: "sgxtest2", ...WINDOW });
    expect(objects(t).map((r) => [r.TIMESTAMP, r.NodeName, r.error_id, r.events])).toEqual([
      [T0 + 5 * H, "DB.23", 33000, 1],
      [T0 + 4 * H, "DB.23", 37308, 1],
      // "Enclave attestation failed" also contains both words (contains is case-insensitive).
      [T0 + 2 * H, "DB.24", 37324, 1],
      [T0 + 1 * H, "DB.23", 37324, 1],
    ]);
  });

  it("fleet-summary: counts by lower-cased server, error id, extracted code and period", () => {
    const [t] = run("fleet-summary", { ...WINDOW });
    expect(t?.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "server:string",
      "error_id:long",
      "code:string",
      "periodStart:datetime",
      "failures:long",
      "firstSeen:datetime",
      "lastSeen:datetime",
      "nodes:long",
      "sample:string",
    ]);
    expect(objects(t).map((r) => [r.server, r.error_id, r.code, r.periodStart, r.failures, r.nodes])).toEqual(
      [
        ["sgxtest2", 37324, "0x00000193", T0, 2, 2],
        ["sgxtest2", 37303, "0x00002ee7", T0, 1, 1],
        ["other", 37324, "0x00000193", T0, 1, 1],
      ],
    );
    const [some] = run("fleet-summary", { ...WINDOW, servers: "OTHER,nobody", period: "1h" });
    expect(objects(some).map((r) => [r.server, r.periodStart])).toEqual([["other", T0 + 2 * H]]);
    // Statement 2: which named servers sent any telemetry (any error id); none for the whole fleet.
    const [, fleetSeen] = run("fleet-summary", { ...WINDOW });
    expect(fleetSeen?.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "server:string",
      "lastSeen:datetime",
    ]);
    expect(objects(fleetSeen)).toEqual([]);
    const [, seen] = run("fleet-summary", { ...WINDOW, servers: "OTHER,nobody,RingCase,sgxtest2" });
    expect(objects(seen).sort((a, b) => String(a.server).localeCompare(String(b.server)))).toEqual([
      { server: "other", lastSeen: T0 + 2 * H },
      { server: "ringcase", lastSeen: T0 + H },
      { server: "sgxtest2", lastSeen: T0 + 6 * H },
    ]);
  });

  it("placement: rings seen for the server, then the latest VM size of those rings", () => {
    const [clusters, capacity, nodes] = run("placement", { server: "sgxtest2", ...WINDOW });
    expect(objects(clusters)).toEqual([{ ClusterName: RING, nodes: 2, rows: 6, lastSeen: T0 + 6 * H }]);
    // Statement 3: the nodes (per ring) that logged in the window, for the per-node 37308 check.
    expect(objects(nodes).reduce((n, r) => n + Number(r.rows), 0)).toBe(6);
    expect(new Set(objects(nodes).map((r) => `${r.ClusterName}/${r.NodeName}`)).size).toBe(2);
    expect(objects(nodes).every((r) => r.ClusterName === RING)).toBe(true);
    expect(objects(capacity)).toEqual([
      {
        tenant_ring_name: RING,
        TIMESTAMP: T0 - 24 * H,
        vm_size: "SQLDCGen6_2",
        azure_cluster: "lon22prdapp04",
        nodes: 25,
        region: "uksouth",
      },
    ]);
  });

  it("placement: ring names match the capacity table case-insensitively", () => {
    const [clusters, capacity] = run("placement", { server: "ringcase", ...WINDOW });
    expect(objects(clusters).map((r) => r.ClusterName)).toEqual([
      "TR9.westus1-a.worker.database.windows.net",
    ]);
    expect(objects(capacity).map((r) => [r.tenant_ring_name, r.vm_size])).toEqual([
      ["tr9.westus1-a.worker.database.windows.net", "SQLDCGen6_2"],
    ]);
  });
});
