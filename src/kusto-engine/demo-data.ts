/**
 * Demo telemetry for the embedded engine: one server per case of the troubleshooting guide
 * (../shared/seeds/000_*.txt), healthy servers (one sharing a prefix with a failing one), and
 * noise from unrelated error ids. Timestamps are relative to `nowMs`; a seeded PRNG makes the
 * same `nowMs` give the same rows. Shape: the data-file JSON, `{ "<Table>": [ {column: value} ] }`.
 */

import type { Category } from "../domain/diagnosis/types.js";

export interface DemoScenario {
  readonly server: string;
  readonly scenario: string;
  readonly description: string;
  readonly expectedVerdict: Category;
  /** Rule ids of the findings `check` gives, in order. */
  readonly expectedRules: readonly string[];
}

type Row = Record<string, unknown>;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Errorlog time as SQL prints it: `2021-01-04 23:23:46.94`. */
function errorlogTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(Math.floor(d.getUTCMilliseconds() / 10))}`;
}

/** `<time> spidN Error: id, Severity: s, State: st. <time> spidN <text>`, as MonSQLSystemHealth logs it. */
function errorlog(
  ms: number,
  spid: number,
  id: number,
  severity: number,
  state: number,
  text: string,
): string {
  const t = errorlogTime(ms);
  return `${t} spid${spid} Error: ${id}, Severity: ${severity}, State: ${state}. ${t} spid${spid} ${text}`;
}

const ATTEST_TAIL =
  "Verify the attestation policy. If the policy is correct, contact Customer Support Services.";
const url = (provider: string, region: string, path = "/attest/SgxEnclave") =>
  `https://${provider}.${region}.attest.azure.net${path}?api-version=2018-09-01-preview`;
const failed37324 = (code: string, message: string, attestationUrl: string, rc: string) =>
  `Enclave attestation failed. Attestation service returned Error code: '${code}'. Error message: '${message}'. Attestation URL: '${attestationUrl}'. Return code: '${rc}'. ${ATTEST_TAIL}`;

/** One kind of failure row: error id, state and the text after the errorlog prefix. */
interface Failure {
  readonly id: number;
  readonly state: number;
  readonly text: string;
}

const FAILURES = {
  rbac: {
    id: 37324,
    state: 57,
    text: failed37324(
      "Forbidden",
      "Access to /attest/SgxEnclave is denied",
      url("sgxattestuks", "uks"),
      "0x00000193",
    ),
  },
  wrongUrl: {
    id: 37303,
    state: 21,
    text: "Internal error occurred while obtaining an authentication token for an attestation service. Authentication method: HttpConnectAndSendRequest, status: 0x00002ee7",
  },
  policy: {
    id: 37324,
    state: 57,
    text: failed37324(
      "PolicyEvaluationError",
      'Native operation failed with 65518: ..\\NativePolicyWrapper\\NativePolicyEngine.cpp(186)(null)!: (caller:) Exception(0) 83FFFFFFE Policy Evaluation Error has occurred Msg:[Policy Engine Exception: No Permit claim was issued in the authorizationrules section, authorization failed.] ..\\Enclave\\api.cpp(882)(null)!: (caller:) LogHr(0) 83FFFFFFE Policy Evaluation Error has occurred Msg:[Unhandled Enclave Exception: "Policy Evaluation Error has occurred"]',
      url("sgxattest5pr", "eus"),
      "0x00000190",
    ),
  },
  maa500: {
    id: 37324,
    state: 57,
    text: failed37324(
      "InternalServerError",
      "An internal server error has occurred: Operation returned an invalid status code 'Unauthorized'",
      url("sgxattestmaa", "eus"),
      "0x000001f4",
    ),
  },
  azureDcap: {
    id: 37325,
    state: 1,
    text: "Enclave attestation failed due to an error in Azure Data Center Attestation Primitives (DCAP) Client. Validate Azure DCAP Client is installed and configured properly.",
  },
  intelDcap: {
    id: 37309,
    state: 1,
    text: "Enclave attestation failed due to an error in Intel Data Center Attestation Primitives (DCAP).",
  },
  filtered: {
    id: 37324,
    state: 57,
    text: "[Filtered Args] Enclave attestation failed. Attestation service returned Error code: '%1'. Error message: '%2'. Attestation URL: '%3'. Return code: '0x%4'. Verify the attestation policy. If the policy is correct, contact Customer Support Services.",
  },
  badUrl: {
    id: 37324,
    state: 57,
    text: failed37324(
      "NotFound",
      "The requested resource was not found",
      url("sgxattestbad", "weu", "/attest/SgxEnclav"),
      "0x00000194",
    ),
  },
} as const satisfies Record<string, Failure>;

/** Unrelated errorlog events every server logs (must not look like enclave failures). */
const NOISE: readonly ((db: string) => Failure)[] = [
  (db) => ({
    id: 18456,
    state: 38,
    text: `Login failed for user 'appuser'. Reason: Failed to open the explicitly specified database '${db}'. [CLIENT: 10.0.0.4]`,
  }),
  () => ({
    id: 17830,
    state: 11,
    text: "Network error code 0x2746 occurred while establishing a connection; the connection has been closed. This may have been caused by client or server login timeout expiration. [CLIENT: 10.0.0.7]",
  }),
  (db) => ({ id: 5701, state: 2, text: `Changed database context to '${db}'.` }),
  (db) => ({ id: 17137, state: 1, text: `Starting up database '${db}'.` }),
  () => ({
    id: 3408,
    state: 1,
    text: "Recovery is complete. This is an informational message only. No user action is required.",
  }),
];

interface DemoDatabase {
  readonly name: string;
  readonly id: string;
  readonly slo: string;
}

interface ServerSpec extends DemoScenario {
  readonly ring: string;
  readonly azureCluster: string;
  readonly region: string;
  readonly vmSize: string;
  readonly databases: readonly DemoDatabase[];
  readonly nodes: readonly string[];
  /** 37308 "Loaded SGX enclave" events on each node. */
  readonly enclaveLoaded: boolean;
  readonly failures: readonly Failure[];
  /**
   * Days before today on which the same failures already happened (older than the default 3h
   * window, so `check` is unaffected): what makes a digest show a server as recurring, with a trend.
   */
  readonly historyDays: number;
  /** When the failures happened, in minutes before now (default: 2 to 170, the whole 3h window). */
  readonly failureAgoMin?: { readonly from: number; readonly to: number };
  /** Failures of each kind (default: 25 to 44). */
  readonly failureCount?: number;
  /**
   * One of several servers in the same situation (the regional incident): in the demo data, but
   * not a scenario of its own (one of them stands for all).
   */
  readonly companion?: boolean;
}

const RING_UKS = "tr1850.uksouth1-a.worker.database.windows.net";
const dc2 = (name: string, id: string): DemoDatabase => ({ name, id, slo: "SQLDB_GP_DC_2" });

function spec(
  server: string,
  scenario: string,
  description: string,
  expectedVerdict: Category,
  expectedRules: readonly string[],
  rest: Partial<Omit<ServerSpec, keyof DemoScenario>> & { readonly n: number },
): ServerSpec {
  return {
    server,
    scenario,
    description,
    expectedVerdict,
    expectedRules,
    ring: rest.ring ?? `tr${rest.n}.eastus1-a.worker.database.windows.net`,
    azureCluster: rest.azureCluster ?? `bn${pad(rest.n % 50)}prdapp0${rest.n % 9}`,
    region: rest.region ?? "eastus",
    vmSize: rest.vmSize ?? "SQLDCGen6_2",
    databases: rest.databases ?? [dc2(`${server}db`, `0000${rest.n}-5d1c-4c3e-9a7b-${pad(rest.n, 12)}`)],
    nodes: rest.nodes ?? ["DB.11", "DB.12"],
    enclaveLoaded: rest.enclaveLoaded ?? true,
    failures: rest.failures ?? [],
    historyDays: rest.historyDays ?? 0,
    ...(rest.failureAgoMin ? { failureAgoMin: rest.failureAgoMin } : {}),
    ...(rest.failureCount ? { failureCount: rest.failureCount } : {}),
    ...(rest.companion ? { companion: true } : {}),
  };
}

/** The regional MAA incident in the demo data: its servers, MAA region and start. */
export const DEMO_INCIDENT = {
  servers: Array.from({ length: 14 }, (_, i) => `sgxtestregion${pad(i + 1)}`),
  /** The attestation providers' region label (`<provider>.eus2.attest.azure.net`). */
  region: "eus2",
  startedAgoMin: 48,
} as const;

/**
 * What customers paste from their applications for demo servers (issue 14): client driver errors,
 * filled in as the drivers fill them. `attest explain` classifies them; `attest check` on the
 * server shows what the server saw.
 */
export const DEMO_PASTES: readonly {
  readonly server: string;
  readonly source: string;
  readonly text: string;
  readonly rule: string;
}[] = [
  {
    server: "sgxtestclientsig",
    source: "Microsoft.Data.SqlClient (AttestationTokenSignatureValidationFailed)",
    text: "Microsoft.Data.SqlClient.SqlException (0x80131904): The validation of an attestation token failed. The token signature does not match the computed signature using a public key retrieved from the attestation public key endpoint at 'https://sgxattestweu.weu.attest.azure.net/certs'. Verify the DNS mapping for the endpoint - see https://go.microsoft.com/fwlink/?linkid=2157649 for more details. If correct, contact Customer Support Services.\n   at Microsoft.Data.SqlClient.SqlCommand.RunExecuteReaderTds(CommandBehavior cmdBehavior, RunBehavior runBehavior, Boolean returnStream, Boolean isAsync, Int32 timeout, Task& task, Boolean asyncWrite, Boolean inRetry, SqlDataReader ds, Boolean describeParameterEncryptionRequest)",
    rule: "driver-token-signature-unverified",
  },
  {
    server: "sgxtestgen5",
    source: "Microsoft JDBC Driver for SQL Server (R_enclaveNotSupported)",
    text: "com.microsoft.sqlserver.jdbc.SQLServerException: The SQL Server does not support enclave based computations - see https://go.microsoft.com/fwlink/?linkid=2157649 for more details.\n\tat com.microsoft.sqlserver.jdbc.SQLServerConnection.terminate(SQLServerConnection.java:4026)",
    rule: "driver-server-enclave-not-supported",
  },
  {
    server: "sgxtestuksouthsrv",
    source: "ODBC Driver 18 passing on the server's 37324",
    text: "[Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Error message: 'Access to /attest/SgxEnclave is denied'. Attestation URL: 'https://sgxattestuks.uks.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview'. Return code: '0x00000193'. Verify the attestation policy. If the policy is correct, contact Customer Support Services.",
    rule: "rbac-attestation-reader-missing",
  },
];

const SERVERS: readonly ServerSpec[] = [
  spec(
    "sgxtest2",
    "healthy",
    "The guide's step 1 server: four DC-series databases, enclave loaded, only noise.",
    "healthy",
    ["no-attestation-failures"],
    {
      n: 1850,
      ring: RING_UKS,
      azureCluster: "lon22prdapp04",
      region: "uksouth",
      nodes: ["DB.21", "DB.22", "DB.23"],
      databases: [
        dc2("contosoDB", "9d93e5d2-559b-4197-82ba-1c89f4344d74"),
        dc2("elnataest2", "812a6fde-8854-40dd-b2fa-4f134613ee80"),
        dc2("epooltest", "ab9fe9e0-d0cb-4c74-9506-b2b4642e7061"),
        dc2("jakub", "3c02c8f8-497e-4010-a2ef-ffdf90f8b24"),
      ],
    },
  ),
  spec(
    "sgxtestuksouthsrv",
    "rbac-403",
    "37324 Forbidden, return code 0x00000193: the server identity lacks Attestation Reader (step 4.1).",
    "customer_error",
    ["rbac-attestation-reader-missing"],
    {
      n: 1850,
      ring: RING_UKS,
      azureCluster: "lon22prdapp04",
      region: "uksouth",
      nodes: ["DB.23", "DB.24"],
      databases: [dc2("sgxtestdb", "79967fe5-dcfe-46a7-8d4c-2b1f0e6a9c31")],
      failures: [FAILURES.rbac],
      historyDays: 4,
    },
  ),
  spec(
    "sgxtestuksouthsrv2",
    "healthy-prefix",
    "Healthy; its name starts with the 403 server's name, which a `contains` filter would mix up.",
    "healthy",
    ["no-attestation-failures"],
    {
      n: 1850,
      ring: RING_UKS,
      azureCluster: "lon22prdapp04",
      region: "uksouth",
      nodes: ["DB.25"],
      databases: [dc2("sgxtestdb2", "5b8f2c1e-3d4a-4e6f-9a0b-7c1d2e3f4a5b")],
    },
  ),
  spec(
    "sgxtestwrongurl",
    "wrong-url-0x2ee7",
    "37303 HttpConnectAndSendRequest status 0x00002ee7: wrong attestation URL (step 4.2).",
    "customer_error",
    ["attestation-url-unreachable"],
    {
      n: 2101,
      failures: [FAILURES.wrongUrl],
    },
  ),
  spec(
    "sgxattest5pr",
    "policy-evaluation",
    "37324 PolicyEvaluationError 0x00000190: the attestation policy rejects the enclave (step 4.3).",
    "customer_error",
    ["policy-evaluation-failed"],
    {
      n: 2102,
      failures: [FAILURES.policy],
      historyDays: 2,
    },
  ),
  spec(
    "sgxtestmaa500",
    "maa-internal-error",
    "37324 InternalServerError 0x000001f4: escalate to the MAA owner (step 4.4).",
    "maa_escalation",
    ["maa-internal-error"],
    {
      n: 2103,
      failures: [FAILURES.maa500],
    },
  ),
  spec(
    "sgxtestazuredcap",
    "azure-dcap-37325",
    "37325 Azure DCAP client error on the node (step 4.5).",
    "deployment_issue",
    ["azure-dcap-client-error"],
    {
      n: 2104,
      failures: [FAILURES.azureDcap],
    },
  ),
  spec(
    "sgxtestinteldcap",
    "intel-dcap-37309",
    "37309 Intel DCAP error on the node (step 4.5).",
    "deployment_issue",
    ["intel-dcap-error"],
    {
      n: 2105,
      failures: [FAILURES.intelDcap],
      historyDays: 6,
    },
  ),
  spec(
    "sgxtestgen5",
    "non-dc-slo",
    "A Gen5 database (SQLDB_GP_Gen5_2): no SGX enclave at all (step 1).",
    "customer_error",
    ["slo-not-dc-series"],
    {
      n: 2106,
      vmSize: "SQLGen5_2",
      enclaveLoaded: false,
      databases: [{ name: "gen5db", id: "6f1e2d3c-4b5a-4697-8877-665544332211", slo: "SQLDB_GP_Gen5_2" }],
    },
  ),
  spec(
    "sgxtestwrongvm",
    "wrong-vm-size",
    "A DC-series database on a ring whose VM size is not SQLDCGen6_2 (step 2); no enclave loaded there.",
    "deployment_issue",
    ["vm-size-not-sgx", "enclave-load-not-seen"],
    {
      n: 2107,
      vmSize: "SQLGen5_8",
      enclaveLoaded: false,
    },
  ),
  spec(
    "sgxtestnoload",
    "no-enclave-load",
    "DC-series on an SGX ring, but no 37308 enclave load event in the load window (step 4).",
    "needs_info",
    ["enclave-load-not-seen"],
    {
      n: 2108,
      enclaveLoaded: false,
    },
  ),
  spec(
    "sgxtestfiltered",
    "filtered-args",
    "37324 rows logged with [Filtered Args] placeholders: ask for the client-side message.",
    "needs_info",
    ["filtered-args"],
    {
      n: 2109,
      failures: [FAILURES.filtered],
    },
  ),
  spec(
    "sgxtestbadurl",
    "malformed-url",
    "37324 NotFound 0x00000194 quoting an attestation URL with a misspelt path (step 3).",
    "customer_error",
    ["attestation-url-malformed", "maa-other-4xx"],
    {
      n: 2110,
      failures: [FAILURES.badUrl],
    },
  ),
  // Issue 14, appended so that the rows of the servers above stay as they are.
  spec(
    "sgxtestclientsig",
    "client-token-signature",
    "Healthy in telemetry, but the customer's application cannot verify the attestation token's signature: the driver error pasted in DEMO_PASTES (check says healthy, explain names the driver message).",
    "healthy",
    ["no-attestation-failures"],
    {
      n: 3001,
      ring: "tr3001.westeurope1-a.worker.database.windows.net",
      region: "westeurope",
      nodes: ["DB.31", "DB.32"],
    },
  ),
  ...regionalIncident(),
];

/**
 * A regional Azure Attestation outage: from 48 minutes ago, every server attesting with a
 * provider in East US 2 (eus2) gets InternalServerError 0x000001f4, half of them through the
 * shared provider. The first server is the scenario; the others are its companions.
 */
function regionalIncident(): ServerSpec[] {
  return DEMO_INCIDENT.servers.map((server, i) =>
    spec(
      server,
      i === 0 ? "maa-regional-incident" : `maa-regional-incident-${i + 1}`,
      "37324 InternalServerError 0x000001f4 from an East US 2 attestation provider, like 13 other servers since the same minute: one MAA incident, escalated once.",
      "maa_escalation",
      ["maa-internal-error"],
      {
        n: 3100 + i,
        ring: `tr${3100 + (i % 3)}.eastus2-a.worker.database.windows.net`,
        region: "eastus2",
        failures: [
          {
            id: 37324,
            state: 57,
            text: failed37324(
              "InternalServerError",
              "An internal server error has occurred",
              url(i % 2 === 0 ? "sharedeus2" : `sgxattregion${pad(i + 1)}`, "eus2"),
              "0x000001f4",
            ),
          },
        ],
        failureAgoMin: { from: 2, to: DEMO_INCIDENT.startedAgoMin },
        failureCount: 6 + (i % 5),
        companion: i > 0,
      },
    ),
  );
}

export const DEMO_SCENARIOS: readonly DemoScenario[] = [
  ...SERVERS.filter((s) => !s.companion).map(
    ({ server, scenario, description, expectedVerdict, expectedRules }) => ({
      server,
      scenario,
      description,
      expectedVerdict,
      expectedRules,
    }),
  ),
  {
    server: "sgxtestnotelemetry",
    scenario: "no-telemetry",
    description: "Absent from every table: `check` must say no telemetry was found, never healthy.",
    expectedVerdict: "needs_info",
    expectedRules: ["no-telemetry"],
  },
];

const hex = (rand: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");

/** The demo tables, relative to `nowMs` (deterministic for a given `nowMs`). */
export function buildDemoData(nowMs: number): Record<string, Row[]> {
  const rand = prng(0x5ea1);
  const iso = (ms: number) => new Date(ms).toISOString();
  const health: Row[] = [];
  const snapshots: Row[] = [];
  const capacity = new Map<string, Row[]>();

  const event = (
    s: ServerSpec,
    node: string,
    app: string,
    db: DemoDatabase,
    at: number,
    f: Failure,
    severity: number,
    rng: () => number = rand,
  ) => {
    const spid = 50 + Math.floor(rng() * 60);
    // The errorlog line is written a little before Kusto ingests it.
    const logged = at - 1_000 - Math.floor(rng() * 60_000);
    health.push({
      TIMESTAMP: iso(at),
      PreciseTimeStamp: iso(at),
      ClusterName: s.ring,
      NodeName: node,
      AppName: app,
      AppTypeName: "Worker.SQL.DB",
      LogicalServerName: s.server,
      logical_database_guid: db.id,
      logical_database_name: db.name,
      error_id: f.id,
      severity,
      state: f.state,
      message:
        f.id === 37308
          ? `${errorlogTime(logged)} Server ${f.text}`
          : errorlog(logged, spid, f.id, severity, f.state, f.text),
    });
  };

  for (const s of SERVERS) {
    const apps = new Map(
      s.nodes.map((n) => [
        n,
        s.server === "sgxtestuksouthsrv" && n === "DB.23" ? "db6df7be41cd" : hex(rand, 12),
      ]),
    );
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const firstDb = s.databases[0] as DemoDatabase;

    // Noise over the last day, with a few rows in the last hours so the server is seen in any window.
    const noiseAt = [
      10 * MIN,
      40 * MIN,
      100 * MIN,
      ...Array.from({ length: 140 }, () => Math.floor(rand() * DAY)),
    ];
    for (const ago of noiseAt) {
      const db = pick(s.databases);
      const f = pick(NOISE)(db.name);
      const node = pick(s.nodes);
      event(
        s,
        node,
        apps.get(node) ?? "",
        db,
        nowMs - ago,
        f,
        f.id === 18456 ? 14 : f.id === 17830 ? 20 : 10,
      );
    }
    // Enclave loads at node start-up (two and five days ago).
    if (s.enclaveLoaded)
      for (const node of s.nodes)
        for (const ago of [2 * DAY, 5 * DAY])
          event(
            s,
            node,
            apps.get(node) ?? "",
            firstDb,
            nowMs - ago - Math.floor(rand() * 6 * HOUR),
            { id: 37308, state: 1, text: "Loaded SGX enclave for Always Encrypted." },
            10,
          );
    // Failures inside the default 3h window (between 2 and 170 minutes ago).
    for (const f of s.failures) {
      const count = s.failureCount ?? 25 + Math.floor(rand() * 20);
      const timed = s.failureAgoMin;
      for (let i = 0; i < count; i++) {
        const node = pick(s.nodes);
        // A timed outbreak's first failure is at its start, so every server shares the minute.
        const at = !timed
          ? nowMs - 2 * MIN - Math.floor(rand() * 168 * MIN)
          : i === 0
            ? nowMs - timed.to * MIN
            : nowMs - timed.from * MIN - Math.floor(rand() * (timed.to - timed.from) * MIN);
        event(s, node, apps.get(node) ?? "", firstDb, at, f, 16);
      }
    }
    // Database snapshots every 6 hours over three days.
    for (const db of s.databases)
      for (let ago = 0; ago < 3 * DAY; ago += 6 * HOUR)
        snapshots.push({
          TIMESTAMP: iso(nowMs - ago - 5 * MIN),
          logical_server_name: s.server,
          logical_database_name: db.name,
          logical_database_id: db.id,
          state: "Ready",
          parent_state: "Ready",
          sql_instance_name: hex(rand, 12),
          logical_database_type: "SterlingLogicalDatabase",
          database_type: "SQLUserDb",
          service_level_objective: db.slo,
          edition: db.slo.includes("_BC_")
            ? "BusinessCritical"
            : db.slo.includes("_HS_")
              ? "Hyperscale"
              : "GeneralPurpose",
          tenant_ring_name: s.ring,
        });
    // Ring capacity every 4 hours over a day (once per ring).
    if (!capacity.has(s.ring))
      capacity.set(
        s.ring,
        Array.from({ length: 6 }, (_, i) => ({
          TIMESTAMP: iso(nowMs - i * 4 * HOUR - 20 * MIN),
          tenant_ring_name: s.ring,
          azure_cluster: s.azureCluster,
          vm_size: s.vmSize,
          nodes: 25,
          region: s.region,
        })),
      );
  }
  // Earlier days of recurring failures, from their own PRNG so the rows above stay as they are.
  const past = prng(0x4157);
  for (const s of SERVERS)
    for (const f of s.failures)
      for (let day = 1; day <= s.historyDays; day++) {
        // Fewer failures further back: a rising trend towards today.
        const count = 4 + Math.floor(past() * 6) + 3 * (s.historyDays - day);
        for (let i = 0; i < count; i++) {
          const node = s.nodes[Math.floor(past() * s.nodes.length)] as string;
          const at = nowMs - day * DAY - Math.floor(past() * (DAY - 3 * HOUR));
          event(s, node, hex(past, 12), s.databases[0] as DemoDatabase, at, f, 16, past);
        }
      }
  health.sort((a, b) => String(a.TIMESTAMP).localeCompare(String(b.TIMESTAMP)));
  return {
    MonSQLSystemHealth: health,
    MonAnalyticsDBSnapshot: snapshots,
    MonTenantRingCapacity: [...capacity.values()].flat(),
  };
}
