import { describe, expect, it } from "vitest";
import { EVIDENCE_CAP } from "../../../src/domain/diagnosis/build-finding.js";
import { diagnose } from "../../../src/domain/diagnosis/diagnose.js";
import type {
  CheckFacts,
  DatabaseFact,
  FailureClass,
  HealthEvent,
} from "../../../src/domain/diagnosis/facts.js";
import type { Category } from "../../../src/domain/diagnosis/types.js";
import { FILTERED_ROW, RBAC_BODY } from "../../fixtures/seed-messages.js";

const OPTIONS = { sgxVmSizes: ["SQLDCGen6_2"] };
const RING = "tr1850.uksouth1-a.worker.database.windows.net";

const event = (over: Partial<HealthEvent> = {}): HealthEvent => ({
  timestamp: "2026-11-24T08:00:00.000Z",
  nodeName: "DB.23",
  appName: "db6df7be41cd",
  clusterName: RING,
  databaseGuid: "9d93e5d2-559b-4197-82ba-1c89f4344d74",
  errorId: 37324,
  message: `2026-11-24 07:59:58.12 spid90 Error: 37324, Severity: 16, State: 57. 2026-11-24 07:59:58.12 spid90 ${RBAC_BODY}`,
  ...over,
});

const loaded = event({
  timestamp: "2026-11-22T03:00:00.000Z",
  errorId: 37308,
  message: "2026-11-22 02:58:48.26 Server Loaded SGX enclave for Always Encrypted.",
});

/** A healthy server: seen, DC-series, SGX ring, enclave loaded, no failures. */
const healthy: CheckFacts = {
  server: "sgxtest2",
  database: null,
  window: { from: "2026-11-24T06:00:00.000Z", to: "2026-11-24T09:00:00.000Z" },
  loadWindow: { from: "2026-11-17T09:00:00.000Z", to: "2026-11-24T09:00:00.000Z" },
  attestationEvents: [],
  attestationTruncated: false,
  enclaveEvents: [loaded],
  databases: [
    { name: "contosoDB", id: "9d93e5d2-559b-4197-82ba-1c89f4344d74", state: "Ready", slo: "SQLDB_GP_DC_2" },
    { name: "jakub", id: "3c02c8f8-497e-4010-a2ef-ffdf90f8b24", state: "Ready", slo: "SQLDB_GP_DC_2" },
  ],
  placements: [{ clusterName: RING, ringName: RING, vmSize: "SQLDCGen6_2" }],
  serverSeen: true,
  attestationUrl: null,
};

const DC_DB: DatabaseFact = {
  name: "contosoDB",
  id: "9d93e5d2-559b-4197-82ba-1c89f4344d74",
  state: "Ready",
  slo: "SQLDB_GP_DC_2",
};
const GEN5_DB: DatabaseFact = { name: "reportingdb", id: "id-rep", state: "Ready", slo: "SQLDB_GP_Gen5_2" };
const INTEL_DCAP_LIBRARY =
  "2026-11-25 10:59:00.00 spid12 Enclave attestation failed due to an error in Intel DCAP library (sgx_qv_verify_quote returned 0xe019).";
const MAA_500 =
  "Error: 37324, Severity: 16, State: 57. Enclave attestation failed. Attestation service returned Error code: 'InternalServerError'. Error message: 'x'. Attestation URL: 'https://a.uks.attest.azure.net/attest/SgxEnclave'. Return code: '0x000001f4'.";

const rules = (f: CheckFacts) => diagnose(f, OPTIONS).findings.map((x) => x.rule);

interface Case {
  readonly given: string;
  readonly facts: Partial<CheckFacts>;
  readonly verdict: Category;
  readonly rules: readonly string[];
}

const CASES: readonly Case[] = [
  { given: "a healthy server", facts: {}, verdict: "healthy", rules: ["no-attestation-failures"] },
  {
    given: "no rows at all for the server",
    facts: { serverSeen: false, attestationEvents: [], enclaveEvents: [], databases: [], placements: [] },
    verdict: "needs_info",
    rules: ["no-telemetry"],
  },
  {
    given: "the failure query failed",
    facts: { attestationEvents: null },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  {
    given: "every query failed but one",
    facts: { enclaveEvents: null, databases: null, placements: null, serverSeen: null },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  {
    given: "a ring missing from the capacity table",
    facts: { placements: [{ clusterName: RING, ringName: RING, vmSize: null }] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  {
    given: "403 rows",
    facts: {
      attestationEvents: [event(), event({ nodeName: "DB.24", timestamp: "2026-11-24T08:30:00.000Z" })],
    },
    verdict: "customer_error",
    rules: ["rbac-attestation-reader-missing"],
  },
  {
    given: "[Filtered Args] rows",
    facts: { attestationEvents: [event({ message: FILTERED_ROW })] },
    verdict: "needs_info",
    rules: ["filtered-args"],
  },
  {
    given: "a non-DC database",
    facts: {
      databases: [{ name: "gen5db", id: "1", state: "Ready", slo: "SQLDB_GP_Gen5_2" }],
      enclaveEvents: [],
      placements: [{ clusterName: RING, ringName: RING, vmSize: "SQLGen5_2" }],
    },
    verdict: "customer_error",
    rules: ["slo-not-dc-series"],
  },
  {
    given: "a DC database on a non-SGX ring",
    facts: { placements: [{ clusterName: RING, ringName: RING, vmSize: "SQLGen5_8" }], enclaveEvents: [] },
    verdict: "deployment_issue",
    rules: ["vm-size-not-sgx", "enclave-load-not-seen"],
  },
  {
    given: "no 37308 load event",
    facts: { enclaveEvents: [] },
    verdict: "needs_info",
    rules: ["enclave-load-not-seen"],
  },
  {
    given: "an enclave that failed to load",
    facts: {
      enclaveEvents: [
        loaded,
        event({
          errorId: 33099,
          nodeName: "DB.23",
          timestamp: "2026-11-24T07:00:00.000Z",
          message: "Failed to load the SGX enclave.",
        }),
      ],
    },
    verdict: "deployment_issue",
    rules: ["enclave-load-failed"],
  },
  {
    given: "a malformed --url and no failures",
    facts: { attestationUrl: "http://p.eus.attest.azure.net/attest/SgxEnclave" },
    verdict: "customer_error",
    rules: ["attestation-url-malformed"],
  },
  {
    given: "a well-formed --url",
    facts: { attestationUrl: "https://p.eus.attest.azure.net/attest/SgxEnclave" },
    verdict: "healthy",
    rules: ["no-attestation-failures"],
  },
  {
    given: "a named database that does not exist",
    facts: { database: "nope", databases: [] },
    verdict: "needs_info",
    rules: ["database-not-found"],
  },
  {
    given: "a DCAP error and 403 rows",
    facts: {
      attestationEvents: [
        event(),
        event({
          errorId: 37325,
          message:
            "Error: 37325, Severity: 16, State: 1. Enclave attestation failed due to an error in Azure Data Center Attestation Primitives (DCAP) Client.",
        }),
      ],
    },
    verdict: "deployment_issue",
    rules: ["azure-dcap-client-error", "rbac-attestation-reader-missing"],
  },
  // Review item 1: judge the failing (or named) database; never blame the customer for a non-DC
  // database that is not failing while a DC one is there.
  {
    given: "a DC database plus a non-DC one, enclave loaded, no failures",
    facts: { databases: [DC_DB, GEN5_DB] },
    verdict: "healthy",
    rules: ["no-attestation-failures"],
  },
  {
    given: "failures on the DC database and a non-DC one beside it",
    facts: { databases: [DC_DB, GEN5_DB], attestationEvents: [event()] },
    verdict: "customer_error",
    rules: ["rbac-attestation-reader-missing"],
  },
  {
    given: "failures on the non-DC database",
    facts: {
      databases: [DC_DB, GEN5_DB],
      attestationEvents: [
        event({ databaseGuid: "ID-REP", message: "Error: 37324, Severity: 16. something new" }),
      ],
    },
    verdict: "customer_error",
    rules: ["slo-not-dc-series", "unrecognised-error"],
  },
  {
    given: "--database naming the non-DC database",
    facts: { database: "reportingdb", databases: [GEN5_DB] },
    verdict: "customer_error",
    rules: ["slo-not-dc-series"],
  },
  // Review item 7: an empty SLO is missing data, not a customer error.
  {
    given: "a database whose SLO is empty",
    facts: { databases: [{ ...DC_DB, slo: "" }] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  {
    given: "a database whose SLO is empty beside a non-DC one",
    facts: { databases: [{ ...DC_DB, slo: " " }, GEN5_DB] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  // Review item 2: the server was seen but its ring is unknown.
  {
    given: "a server seen with no ring at all",
    facts: { placements: [] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  {
    given: "a server seen only with an empty ClusterName",
    facts: { placements: [{ clusterName: "", ringName: "", vmSize: null }] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  // Review item 8: the row's error_id column counts, not only the message text.
  {
    given: "a 37309 row whose text names only the Intel DCAP library",
    facts: { attestationEvents: [event({ errorId: 37309, message: INTEL_DCAP_LIBRARY })] },
    verdict: "deployment_issue",
    rules: ["intel-dcap-error"],
  },
  {
    given: "a 37325 row whose text names only the Azure DCAP client",
    facts: {
      attestationEvents: [
        event({
          errorId: 37325,
          message: "Enclave attestation failed due to an error in Azure DCAP client.",
        }),
      ],
    },
    verdict: "deployment_issue",
    rules: ["azure-dcap-client-error"],
  },
  {
    given: "37309 and 37325 rows whose text names no library at all (only error_id tells)",
    facts: {
      attestationEvents: [
        event({
          errorId: 37309,
          message: "Enclave attestation failed (sgx_qv_verify_quote returned 0xe019).",
        }),
        event({ errorId: 37325, message: "Enclave attestation failed (quote collateral unavailable)." }),
      ],
    },
    verdict: "deployment_issue",
    rules: ["azure-dcap-client-error", "intel-dcap-error"],
  },
  // Review item 5: a failure class cut from the capped rows still gets its finding.
  {
    given: "capped 403 rows and an older MAA 500 class only in the summary",
    facts: {
      attestationEvents: [event()],
      attestationTruncated: true,
      attestationClasses: [
        {
          errorId: 37324,
          code: "0x00000193",
          count: 600,
          firstSeen: "2026-11-24T06:10:00.000Z",
          lastSeen: "2026-11-24T08:00:00.000Z",
          nodes: 1,
          sample: event().message,
        },
        {
          errorId: 37324,
          code: "0x000001f4",
          count: 1,
          firstSeen: "2026-11-24T06:05:00.000Z",
          lastSeen: "2026-11-24T06:05:00.000Z",
          nodes: 1,
          sample: MAA_500,
        },
      ],
    },
    verdict: "maa_escalation",
    rules: ["maa-internal-error", "rbac-attestation-reader-missing"],
  },
  // Review 3 item 5: "ElasticPool" hides the pool's SLO (a DC pool is possible): unknown, not non-DC.
  {
    given: "a pooled database (SLO ElasticPool)",
    facts: { databases: [{ ...DC_DB, slo: "ElasticPool" }] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  {
    given: "--database naming a pooled database",
    facts: { database: "contosoDB", databases: [{ ...DC_DB, slo: "elasticpool" }, GEN5_DB] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  // Review 3 item 6: a padded SGX size is that size; "Unknown" is no answer, like an empty one.
  {
    given: "a ring VM size with a trailing space",
    facts: { placements: [{ clusterName: RING, ringName: RING, vmSize: "SQLDCGen6_2 " }] },
    verdict: "healthy",
    rules: ["no-attestation-failures"],
  },
  {
    given: 'a ring VM size "Unknown"',
    facts: { placements: [{ clusterName: RING, ringName: RING, vmSize: "Unknown" }] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  {
    given: "a blank ring VM size",
    facts: { placements: [{ clusterName: RING, ringName: RING, vmSize: "  " }] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  // Review 3 item 2: a failure just before the window is not "healthy".
  {
    given: "no failure in the window, a 37324 ten minutes before it",
    facts: { enclaveEvents: [loaded, event({ timestamp: "2026-11-24T05:50:00.000Z" })] },
    verdict: "needs_info",
    rules: ["failures-before-window"],
  },
  {
    given: "a 37324 before the window whose error_id is 0 (only the text says 37324)",
    facts: { enclaveEvents: [loaded, event({ timestamp: "2026-11-22T05:50:00.000Z", errorId: 0 })] },
    verdict: "needs_info",
    rules: ["failures-before-window"],
  },
  {
    given: "an enclave failure that is not an attestation failure, before the window, then a load",
    facts: {
      enclaveEvents: [
        loaded,
        event({
          timestamp: "2026-11-21T05:50:00.000Z",
          errorId: 33101,
          message: "Failed to load enclave.",
        }),
      ],
    },
    verdict: "healthy",
    rules: ["no-attestation-failures"],
  },
  // Review 3 item 3: the 37308 must be on a node the server logs from now (step 4, per node).
  {
    given: "the only 37308 is on another node than the ones seen in the window",
    facts: { windowNodes: [{ clusterName: RING, nodeName: "DB.5" }] },
    verdict: "needs_info",
    rules: ["enclave-load-not-seen"],
  },
  {
    given: "the only 37308 is on a node of the same name on another ring",
    facts: {
      windowNodes: [{ clusterName: "tr2.uksouth1-a.worker.database.windows.net", nodeName: "DB.23" }],
    },
    verdict: "needs_info",
    rules: ["enclave-load-not-seen"],
  },
  {
    given: "a 37308 on one of the nodes seen in the window (ring case differs)",
    facts: {
      windowNodes: [
        { clusterName: RING, nodeName: "DB.5" },
        { clusterName: RING.toUpperCase(), nodeName: "db.23" },
      ],
    },
    verdict: "healthy",
    rules: ["no-attestation-failures"],
  },
  // Review 3 item 1: the VM size is judged for the rings of the judged DC databases (step 2: by DB).
  {
    given: "a Gen5 database on a Gen5 ring beside the DC database on an SGX ring",
    facts: {
      databases: [
        { ...DC_DB, ringName: RING },
        { ...GEN5_DB, ringName: "tr9.uksouth1-a.worker.database.windows.net" },
      ],
      placements: [
        { clusterName: RING, ringName: RING, vmSize: "SQLDCGen6_2" },
        {
          clusterName: "tr9.uksouth1-a.worker.database.windows.net",
          ringName: "tr9.uksouth1-a.worker.database.windows.net",
          vmSize: "Gen5_Standard",
        },
      ],
    },
    verdict: "healthy",
    rules: ["no-attestation-failures"],
  },
  {
    given: "the DC database on the Gen5 ring (short ring name in the snapshot)",
    facts: {
      databases: [
        { ...DC_DB, ringName: "TR9" },
        { ...GEN5_DB, ringName: RING },
      ],
      placements: [
        { clusterName: RING, ringName: RING, vmSize: "SQLDCGen6_2" },
        {
          clusterName: "tr9.uksouth1-a.worker.database.windows.net",
          ringName: "tr9.uksouth1-a.worker.database.windows.net",
          vmSize: "Gen5_Standard",
        },
      ],
    },
    verdict: "deployment_issue",
    rules: ["vm-size-not-sgx"],
  },
  {
    given: "the snapshot places the DC database on a ring the telemetry does not name",
    facts: { databases: [{ ...DC_DB, ringName: "tr9.uksouth1-a.worker.database.windows.net" }] },
    verdict: "needs_info",
    rules: ["data-unavailable"],
  },
  {
    given: "the snapshot ring is not known: every ring of the server is judged",
    facts: {
      databases: [{ ...DC_DB, ringName: "" }],
      placements: [
        { clusterName: RING, ringName: RING, vmSize: "SQLDCGen6_2" },
        { clusterName: "tr9", ringName: "tr9", vmSize: "Gen5_Standard" },
      ],
    },
    verdict: "deployment_issue",
    rules: ["vm-size-not-sgx"],
  },
  // Review 3 item 4: a dropped database whose name was reused is not the current database.
  {
    given: "--database naming a DC database recreated over a dropped Gen5 one",
    facts: {
      database: "contosoDB",
      databases: [
        { ...DC_DB, timestamp: "2026-11-24T05:00:00.000Z" },
        {
          ...DC_DB,
          id: "old",
          state: "Dropped",
          slo: "SQLDB_GP_Gen5_2",
          timestamp: "2026-11-20T05:00:00.000Z",
        },
      ],
    },
    verdict: "healthy",
    rules: ["no-attestation-failures"],
  },
  {
    given: "two live rows of one name: the latest (DC) is the current database",
    facts: {
      database: "contosoDB",
      databases: [
        { ...DC_DB, id: "old", slo: "SQLDB_GP_Gen5_2", timestamp: "2026-11-20T05:00:00.000Z" },
        { ...DC_DB, timestamp: "2026-11-24T05:00:00.000Z" },
      ],
    },
    verdict: "healthy",
    rules: ["no-attestation-failures"],
  },
  {
    given: "two live rows of one name: the latest (Gen5) is the current database",
    facts: {
      database: "contosoDB",
      databases: [
        { ...DC_DB, id: "new", slo: "SQLDB_GP_Gen5_2", timestamp: "2026-11-24T05:00:00.000Z" },
        { ...DC_DB, timestamp: "2026-11-20T05:00:00.000Z" },
      ],
    },
    verdict: "customer_error",
    rules: ["slo-not-dc-series"],
  },
];

describe("diagnose: given/when/then", () => {
  it.each(CASES)("given $given → $verdict $rules", ({ facts, verdict, rules: expected }) => {
    const d = diagnose({ ...healthy, ...facts }, OPTIONS);
    expect(d.verdict).toBe(verdict);
    expect(d.findings.map((f) => f.rule)).toEqual(expected);
  });
});

describe("diagnose: details", () => {
  it("a finding no row backs counts nothing: the healthy finding has count 0, not 1 (issue 12)", () => {
    const [f] = diagnose(healthy, OPTIONS).findings;
    expect(f?.rule).toBe("no-attestation-failures");
    expect(f?.count).toBe(0);
    expect(f?.evidence).toEqual([]);
  });

  it("never says healthy when failure rows are missing, even if all else is fine", () => {
    for (const facts of [
      { attestationEvents: null },
      { serverSeen: false },
      { serverSeen: null },
    ] as Partial<CheckFacts>[])
      expect(diagnose({ ...healthy, ...facts }, OPTIONS).verdict).not.toBe("healthy");
  });

  it("groups repeated rows into one finding with count, first/last seen and nodes", () => {
    const rows = Array.from({ length: 60 }, (_, i) =>
      event({
        nodeName: `DB.${20 + (i % 3)}`,
        timestamp: new Date(Date.parse("2026-11-24T06:00:00.000Z") + i * 60_000).toISOString(),
      }),
    );
    const [f] = diagnose({ ...healthy, attestationEvents: rows }, OPTIONS).findings;
    expect(f).toMatchObject({
      rule: "rbac-attestation-reader-missing",
      count: 60,
      firstSeen: "2026-11-24T06:00:00.000Z",
      lastSeen: "2026-11-24T06:59:00.000Z",
      nodes: ["DB.20", "DB.21", "DB.22"],
    });
    expect(f?.details).toEqual(["Code 0x00000193 = HTTP 403 (MAA error code Forbidden)."]);
    expect(f?.evidence).toHaveLength(EVIDENCE_CAP);
    expect(f?.evidence[0]?.timestamp).toBe("2026-11-24T06:59:00.000Z");
    expect(f?.evidence[0]).toMatchObject({ errorId: 37324, code: "0x00000193", node: "DB.22" });
  });

  it("fills the server and the provider from the messages into the RBAC commands", () => {
    const [f] = diagnose(
      { ...healthy, server: "sgxtestuksouthsrv", attestationEvents: [event()] },
      OPTIONS,
    ).findings;
    const all = f?.mitigation.commands.join("\n") ?? "";
    expect(all).toContain("-ServerName sgxtestuksouthsrv");
    expect(all).toContain("Get-AzAttestation -Name sgxattestuks");
  });

  it("checks every URL quoted in 37324 messages", () => {
    const bad = event({
      message: RBAC_BODY.replace("/attest/SgxEnclave?", "/attest/SgxEnclav?")
        .replace("0x00000193", "0x00000194")
        .replace("'Forbidden'", "'NotFound'")
        .replace("Access to /attest/SgxEnclave is denied", "Not found"),
    });
    const d = diagnose({ ...healthy, attestationEvents: [bad, bad] }, OPTIONS);
    expect(d.findings.map((f) => f.rule)).toEqual(["attestation-url-malformed", "maa-other-4xx"]);
    expect(d.findings[0]?.count).toBe(2);
    expect(d.findings[0]?.details).toEqual([
      'URL quoted in the message "https://sgxattestuks.uks.attest.azure.net/attest/SgxEnclav?api-version=2018-09-01-preview": path is "/attest/SgxEnclav"; expected path /attest/SgxEnclave (exactly)',
    ]);
  });

  it("says so when the failure query was truncated", () => {
    const d = diagnose({ ...healthy, attestationEvents: [event()], attestationTruncated: true }, OPTIONS);
    expect(d.findings[0]?.details.join(" ")).toMatch(/hit its row cap: only the newest 1 rows were read/);
  });

  it("takes counts, first/last seen and node counts from the failure classes, evidence from the rows", () => {
    const classes: FailureClass[] = [
      {
        errorId: 37324,
        code: "0x00000193",
        count: 600,
        firstSeen: "2026-11-24T06:10:00.000Z",
        lastSeen: "2026-11-24T08:30:00.000Z",
        nodes: 3,
        sample: event().message,
      },
      {
        errorId: 37324,
        code: "0x000001f4",
        count: 2,
        firstSeen: "2026-11-24T06:05:00.000Z",
        lastSeen: "2026-11-24T06:06:00.000Z",
        nodes: 1,
        sample: MAA_500,
      },
    ];
    const d = diagnose(
      {
        ...healthy,
        attestationEvents: [event(), event({ timestamp: "2026-11-24T08:30:00.000Z" })],
        attestationTruncated: true,
        attestationClasses: classes,
      },
      OPTIONS,
    );
    const [maa, rbac] = d.findings;
    expect(maa).toMatchObject({
      rule: "maa-internal-error",
      count: 2,
      firstSeen: "2026-11-24T06:05:00.000Z",
      lastSeen: "2026-11-24T06:06:00.000Z",
      evidence: [],
    });
    expect(maa?.details.join(" ")).toContain(
      "None of these rows is among the newest 2 read (logged by 1 node)",
    );
    expect(maa?.details.join(" ")).toContain("Return code: '0x000001f4'");
    expect(rbac).toMatchObject({
      rule: "rbac-attestation-reader-missing",
      count: 600,
      firstSeen: "2026-11-24T06:10:00.000Z",
      lastSeen: "2026-11-24T08:30:00.000Z",
      nodes: ["DB.23"],
    });
    expect(rbac?.evidence).toHaveLength(2);
    expect(rbac?.details).toContain(
      "Logged by at least 3 nodes; the nodes named are those of the rows read.",
    );
    expect(rbac?.details.join(" ")).toMatch(
      /the evidence is the newest 2 of 602 rows; counts and first\/last seen/,
    );
  });

  it("blames the non-DC database the failures come from, by name", () => {
    const d = diagnose(
      { ...healthy, databases: [DC_DB, GEN5_DB], attestationEvents: [event({ databaseGuid: "id-rep" })] },
      OPTIONS,
    );
    const slo = d.findings.find((f) => f.rule === "slo-not-dc-series");
    expect(slo?.details).toEqual([
      "reportingdb: service objective SQLDB_GP_Gen5_2 (the attestation failures come from this database)",
    ]);
    expect(slo?.mitigation.commands.join("\n")).toContain("-DatabaseName reportingdb");
  });

  it("an empty SLO is named as unanswered, never as the customer's SLO", () => {
    const d = diagnose({ ...healthy, databases: [{ ...DC_DB, slo: "" }] }, OPTIONS);
    expect(d.findings[0]?.details).toEqual([
      "Not answered: service objective of database contosoDB (empty in MonAnalyticsDBSnapshot).",
    ]);
  });

  it("an empty ClusterName is named as an unknown ring", () => {
    const d = diagnose(
      { ...healthy, placements: [{ clusterName: "", ringName: "", vmSize: null }] },
      OPTIONS,
    );
    expect(d.findings[0]?.details).toEqual([
      "Not answered: ring of the server's nodes (ClusterName is empty in MonSQLSystemHealth), so its VM size is unknown.",
    ]);
  });

  it("names what is missing", () => {
    const d = diagnose({ ...healthy, databases: null }, OPTIONS);
    expect(d.findings[0]?.details).toEqual(["Not answered: database SLOs (MonAnalyticsDBSnapshot)."]);
  });

  it("counts the failures before the window from the summarised rows and says how to re-run", () => {
    const d = diagnose(
      {
        ...healthy,
        enclaveEvents: [
          loaded,
          event({ timestamp: "2026-11-24T05:50:00.000Z", count: 4 }),
          event({ timestamp: "2026-11-23T05:50:00.000Z", nodeName: "DB.24", count: 2 }),
        ],
      },
      OPTIONS,
    );
    const [f] = d.findings;
    expect(f?.rule).toBe("failures-before-window");
    expect(f?.details).toEqual([
      "6 attestation failures (error 37324) in the 7 days before the window 2026-11-24T06:00:00.000Z – 2026-11-24T09:00:00.000Z (last at 2026-11-24T05:50:00.000Z); re-run with --since 7d.",
    ]);
    expect(f?.evidence).toHaveLength(2);
    expect(f?.mitigation.commands).toContain("attest check sgxtest2 --since 7d");
    // Issue 12: "Seen" counts the failures (4 + 2), not the 2 summarised rows.
    expect(f?.count).toBe(6);
  });

  it("with failures in the window, no finding says there were none (failures-before-window is left out)", () => {
    const d = diagnose(
      {
        ...healthy,
        attestationEvents: [event()],
        enclaveEvents: [loaded, event({ timestamp: "2026-11-24T05:50:00.000Z", count: 4 })],
      },
      OPTIONS,
    );
    expect(d.findings.map((f) => f.rule)).not.toContain("failures-before-window");
    expect(d.findings.map((f) => f.why).join(" ")).not.toContain(
      "No attestation failure was logged in the window",
    );
  });

  it("with a 1-day window the failures are in the 6 days before it, and the re-run covers all 7", () => {
    const d = diagnose(
      {
        ...healthy,
        window: { from: "2026-11-23T09:00:00.000Z", to: "2026-11-24T09:00:00.000Z" },
        enclaveEvents: [loaded, event({ timestamp: "2026-11-20T05:50:00.000Z" })],
      },
      OPTIONS,
    );
    expect(d.findings[0]?.details).toEqual([
      "1 attestation failure (error 37324) in the 6 days before the window 2026-11-23T09:00:00.000Z – 2026-11-24T09:00:00.000Z (last at 2026-11-20T05:50:00.000Z); re-run with --since 7d.",
    ]);
  });

  it("orders by urgency, then count, then rule priority", () => {
    const d = diagnose(
      {
        ...healthy,
        attestationEvents: [event(), event(), event({ message: FILTERED_ROW })],
        enclaveEvents: [],
        placements: [{ clusterName: RING, ringName: RING, vmSize: "SQLGen5_8" }],
      },
      OPTIONS,
    );
    expect(d.findings.map((f) => [f.rule, f.category])).toEqual([
      ["vm-size-not-sgx", "deployment_issue"],
      ["rbac-attestation-reader-missing", "customer_error"],
      ["enclave-load-not-seen", "needs_info"],
      ["filtered-args", "needs_info"],
    ]);
  });

  it("an unrecognised row keeps its raw text", () => {
    const d = diagnose(
      { ...healthy, attestationEvents: [event({ message: "Error: 37324, Severity: 16. something new" })] },
      OPTIONS,
    );
    expect(d.findings[0]?.rule).toBe("unrecognised-error");
    expect(d.findings[0]?.details[0]).toContain("something new");
    expect(rules({ ...healthy, attestationEvents: [] })).toEqual(["no-attestation-failures"]);
  });

  it("a return code that contradicts the MAA error code is a conflict that names both", () => {
    const message =
      "2026-11-24 07:59:58.12 spid90 Error: 37324, Severity: 16, State: 57. Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Error message: 'Access to /attest/SgxEnclave is denied'. Attestation URL: 'https://p1.uks.attest.azure.net/attest/SgxEnclave'. Return code: '0x00000191'.";
    const d = diagnose({ ...healthy, attestationEvents: [event({ message })] }, OPTIONS);
    expect(d.verdict).toBe("needs_info");
    expect(d.findings[0]?.rule).toBe("maa-code-conflict");
    expect(d.findings[0]?.details).toContain(
      "MAA error code Forbidden (HTTP 403) disagrees with return code 0x00000191 (HTTP 401).",
    );
  });
});
