/**
 * Rules judged on what `check` learned from Kusto (SLO, placement, enclave loads, whether data
 * came back at all) and on attestation URLs. Each is a RuleMeta plus a pure check.
 */
import {
  ATTESTATION_URL_EXAMPLE,
  checkAttestationUrl,
  type UrlProblem,
} from "../../url/check-attestation-url.js";
import type { DatabaseFact, HealthEvent, NodeFact, PlacementFact } from "../facts.js";
import type { RuleMeta } from "../types.js";
import { OWNER, SEED, TSG } from "./rule.js";
import { ATTESTATION_ERROR_IDS } from "./sql-error-rules.js";

export const ENCLAVE_LOADED_ERROR_ID = 37308;

export const sloNotDcSeries: RuleMeta = {
  id: "slo-not-dc-series",
  category: "customer_error",
  title: "Database is not on DC-series hardware",
  why: "Only DC-series SLOs (SQLDB_GP_DC_n, SQLDB_BC_DC_n, SQLDB_HS_DC_n) run on SGX hardware; any other SLO has no SGX enclave, so attestation fails.",
  mitigation: {
    text: "Ask the customer to use a DC-series database (e.g. SQLDB_GP_DC_2), or scale this one to a DC-series service objective.",
    commands: [
      "Set-AzSqlDatabase -ResourceGroupName <server resource group> -ServerName <server name> -DatabaseName <database name> -Edition GeneralPurpose -ComputeGeneration DC -VCore 2",
    ],
  },
  owner: OWNER.customer,
  source: { title: `${TSG}, Step 1: Determine (DC-series SLO)`, ref: SEED.tsg },
  priority: 1,
};

export const vmSizeNotSgx: RuleMeta = {
  id: "vm-size-not-sgx",
  category: "deployment_issue",
  title: "DC-series database placed on a ring without SGX VMs",
  why: "An SGX database must run on an SGX VM size (SQLDCGen6_2); this tenant ring has another VM size, so the enclave cannot exist there.",
  mitigation: {
    text: "Involve the provisioning team to understand why the DC-series database is placed on an unsupported VM size, and have it moved to an SGX ring.",
    commands: [],
  },
  owner: OWNER.provisioning,
  source: { title: `${TSG}, Step 2: DB placement logic (VM size)`, ref: SEED.tsg },
  priority: 2,
};

export const attestationUrlMalformed: RuleMeta = {
  id: "attestation-url-malformed",
  category: "customer_error",
  title: "Attestation URL is malformed",
  why: "The attestation URL must be https://<provider>.<region>.attest.azure.net/attest/SgxEnclave, with api-version absent or exactly 2018-09-01-preview; this one is not.",
  mitigation: {
    text: "Ask the customer to fix the attestation URL in the connection string (copy the provider's Attest URI and append /attest/SgxEnclave).",
    commands: [
      ATTESTATION_URL_EXAMPLE,
      "(Get-AzAttestation -Name <attestation provider name> -ResourceGroupName <provider resource group>).AttestUri",
    ],
  },
  owner: OWNER.customer,
  source: { title: `${TSG}, Step 3: Validate attestation URL format`, ref: SEED.tsg },
  // After the MAA-code rules: when MAA answered with a specific code, that code leads.
  priority: 34,
};

export const enclaveLoadNotSeen: RuleMeta = {
  id: "enclave-load-not-seen",
  category: "needs_info",
  title: "No SGX enclave load event (37308) found",
  why: "Telemetry has no 'Loaded SGX enclave for Always Encrypted' event for this server in the load window, so we cannot tell whether the enclave is loaded.",
  mitigation: {
    text: "Ask the customer to run the query below on the database: one row with current_memory_size_kb > 0 means the enclave is loaded. Or look for 37308 events over a longer window.",
    commands: [
      "select * from sys.dm_column_encryption_enclave",
      'MonSQLSystemHealth\n| where TIMESTAMP > ago(7d)\n| where LogicalServerName =~ "<server name>"\n| where error_id == 37308\n| project TIMESTAMP, NodeName, AppName, error_id, message\n| order by TIMESTAMP desc',
    ],
  },
  owner: OWNER.support,
  source: { title: `${TSG}, Step 4: Valid SGX Enclave load status`, ref: SEED.tsg },
  priority: 4,
};

export const enclaveLoadFailed: RuleMeta = {
  id: "enclave-load-failed",
  category: "deployment_issue",
  title: "SGX enclave failed to load",
  why: "The node reported an enclave failure and no later successful load (37308), so attestation cannot work there.",
  mitigation: {
    text: "Fail over the database to mitigate, and send an email to the security team for follow-up.",
    commands: [],
  },
  owner: OWNER.deployment,
  source: { title: `${TSG}, Step 4: Valid SGX Enclave load status (enclave fails to load)`, ref: SEED.tsg },
  priority: 5,
};

export const failuresBeforeWindow: RuleMeta = {
  id: "failures-before-window",
  category: "needs_info",
  title: "Attestation failures just before the window",
  why: "No attestation failure was logged in the window, but the 7 days before it have some (the guide's queries look back only 3h), so the customer's failure may simply be older than the window: this is not a healthy result.",
  mitigation: {
    text: "Re-run the check over the last 7 days to classify those failures, and ask the customer when the failure happened.",
    commands: ["attest check <server name> --since 7d"],
  },
  owner: OWNER.support,
  source: {
    title: `${TSG}, Step 4: Attestation Failure error messages (queries over ago(3h))`,
    ref: SEED.tsg,
  },
  priority: 3,
};

export const noTelemetry: RuleMeta = {
  id: "no-telemetry",
  category: "needs_info",
  title: "No telemetry found for this server",
  why: "Kusto returned no rows at all for this server in the window: the name may be wrong, the server may be in another region's cluster, or it was idle. This is not a healthy result.",
  mitigation: {
    text: "Check the server name (exact, not a prefix) and that the configured Kusto cluster covers the server's region; widen the window with --since; or ask the customer for the client-side error.",
    commands: ["attest check <server name> --since 1d"],
  },
  owner: OWNER.support,
  source: { title: `${TSG}, Step 2 and Step 4 (Kusto queries per region)`, ref: SEED.tsg },
  priority: 6,
};

export const dataUnavailable: RuleMeta = {
  id: "data-unavailable",
  category: "needs_info",
  title: "Some checks could not be run",
  why: "One or more Kusto questions got no answer (failed, timed out or not asked), so the diagnosis is incomplete and cannot be called healthy.",
  mitigation: {
    text: "Run the check again; if it keeps failing, run the listed questions by hand in Azure Data Explorer.",
    commands: [],
  },
  owner: OWNER.support,
  source: { title: `${TSG}, Steps 1-4`, ref: SEED.tsg },
  priority: 7,
};

export const databaseNotFound: RuleMeta = {
  id: "database-not-found",
  category: "needs_info",
  title: "Database not found for this server",
  why: "The database snapshot has no matching database of this server in the window, so its SLO (step 1) cannot be checked.",
  mitigation: {
    text: "Check the database name with the customer (or leave --database out to see all databases of the server).",
    commands: ["attest check <server name>"],
  },
  owner: OWNER.support,
  source: { title: `${TSG}, Step 1: Determine (servers and databases view)`, ref: SEED.tsg },
  priority: 8,
};

export const noAttestationFailures: RuleMeta = {
  id: "no-attestation-failures",
  category: "healthy",
  title: "No attestation failures in the window",
  why: "The server sent telemetry, its databases are DC-series on SGX VMs, the enclave loaded, and no 37324/37303/37325/37309 failure was logged in the window.",
  mitigation: {
    text: "Nothing to do on the server side. If the customer still sees a failure, ask for the exact client error and run `attest explain` on it.",
    commands: [],
  },
  owner: OWNER.support,
  source: { title: `${TSG}, Steps 1-4`, ref: SEED.tsg },
  priority: 9,
};

export const FACT_RULES: readonly RuleMeta[] = [
  sloNotDcSeries,
  vmSizeNotSgx,
  attestationUrlMalformed,
  enclaveLoadNotSeen,
  enclaveLoadFailed,
  failuresBeforeWindow,
  noTelemetry,
  dataUnavailable,
  databaseNotFound,
  noAttestationFailures,
];

// ---- pure checks ----

/** SGX-capable SLOs: SQLDB_[GP|BC|HS]_DC_n (TSG step 1). */
export const isDcSeriesSlo = (slo: string): boolean => /^SQLDB_(GP|BC|HS)_DC_\d+$/i.test(slo.trim());

/**
 * True when the snapshot does not tell the database's SLO (missing data, not a customer choice):
 * empty, or "ElasticPool" (sys.database_service_objectives says so for any pooled database, and a
 * pool can be DC-series: the pool's own SLO is not in the snapshot).
 */
export const sloUnknown = (d: DatabaseFact): boolean => d.slo.trim() === "" || isElasticPoolSlo(d.slo);

/** "ElasticPool": the database is in a pool whose SLO the snapshot does not give. */
export const isElasticPoolSlo = (slo: string): boolean => slo.trim().toLowerCase() === "elasticpool";

/** Databases whose SLO is known and not DC-series (an empty SLO is unknown, not "not DC"). */
export function nonDcDatabases(databases: readonly DatabaseFact[]): DatabaseFact[] {
  return databases.filter((d) => !sloUnknown(d) && !isDcSeriesSlo(d.slo));
}

/**
 * The current databases: Dropped rows left out, and one row per name (case-insensitive), the
 * latest; a dropped database whose name was reused says nothing about the one in use now.
 */
export function currentDatabases(databases: readonly DatabaseFact[]): DatabaseFact[] {
  const byName = new Map<string, DatabaseFact>();
  for (const d of databases) {
    if (d.state.trim().toLowerCase() === "dropped") continue;
    const key = d.name.trim().toLowerCase();
    const seen = byName.get(key);
    if (!seen || (d.timestamp ?? "") > (seen.timestamp ?? "")) byName.set(key, d);
  }
  return [...byName.values()];
}

/**
 * The databases whose SLO step 1 judges: the one named with --database; else the ones the failure
 * rows name (logical_database_guid = logical_database_id); else all of them. `attributed` is false
 * in the last case: then a non-DC database is only to blame when no database can use an enclave.
 */
export function judgedDatabases(
  databases: readonly DatabaseFact[],
  named: string | null,
  failures: readonly HealthEvent[],
): { readonly judged: readonly DatabaseFact[]; readonly attributed: boolean } {
  if (named) {
    const one = databases.filter((d) => d.name.toLowerCase() === named.toLowerCase());
    return { judged: one, attributed: true };
  }
  const failing = new Set(failures.map((e) => e.databaseGuid.trim().toLowerCase()).filter((g) => g !== ""));
  const hit = databases.filter((d) => failing.has(d.id.trim().toLowerCase()));
  return hit.length > 0 ? { judged: hit, attributed: true } : { judged: databases, attributed: false };
}

/**
 * True when two ring names name the same ring: equal ignoring case, or one is the short name (first
 * label) of the other ("tr1" vs "tr1.uks1-a.worker.database.windows.net").
 */
export function sameRing(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (x === "" || y === "") return false;
  const short = (full: string, name: string) => !name.includes(".") && full.split(".")[0] === name;
  return x === y || short(x, y) || short(y, x);
}

/**
 * The rings whose VM size step 2 judges, found "by using the DB and Server name": the rings of
 * `databases` (the judged ones that may be DC-series) as the snapshot gives them. When a database
 * has no ring in the snapshot, every ring of the server is judged. `conflicts`: databases whose
 * snapshot ring is none of the rings the telemetry names (snapshot and telemetry disagree).
 */
export function ringsOfDatabases(
  placements: readonly PlacementFact[],
  databases: readonly DatabaseFact[],
): { readonly judged: readonly PlacementFact[]; readonly conflicts: readonly DatabaseFact[] } {
  const named = placements.filter((p) => p.ringName.trim() !== "");
  const conflicts =
    named.length === 0
      ? []
      : databases.filter(
          (d) =>
            (d.ringName ?? "").trim() !== "" && !named.some((p) => sameRing(p.ringName, d.ringName ?? "")),
        );
  const everyRingKnown = databases.every((d) => (d.ringName ?? "").trim() !== "");
  const judged = everyRingKnown
    ? placements.filter((p) => databases.some((d) => sameRing(p.ringName, d.ringName ?? "")))
    : placements;
  return { judged, conflicts };
}

/** Values of vm_size that say "not known" rather than name a size. */
const UNKNOWN_VM_SIZES = new Set(["", "unknown", "n/a", "na", "none", "null", "-"]);

/** The ring's VM size, trimmed; null when the capacity table gave none or an "unknown" sentinel. */
export function knownVmSize(p: PlacementFact): string | null {
  const v = p.vmSize?.trim() ?? "";
  return UNKNOWN_VM_SIZES.has(v.toLowerCase()) ? null : v;
}

/** Placements whose ring VM size is known and not an SGX size. */
export function nonSgxPlacements(
  placements: readonly PlacementFact[],
  sgxVmSizes: readonly string[],
): PlacementFact[] {
  const ok = new Set(sgxVmSizes.map((s) => s.trim().toLowerCase()));
  return placements.filter((p) => {
    const size = knownVmSize(p);
    return size !== null && !ok.has(size.toLowerCase());
  });
}

const isAttestationFailure = (e: HealthEvent) =>
  (ATTESTATION_ERROR_IDS as readonly number[]).includes(e.errorId);

/** An attestation failure row: by error id, or (id missing) by the "Error: 373xx" in its text. */
const isAttestationFailureRow = (e: HealthEvent) =>
  isAttestationFailure(e) ||
  (!(Number.isInteger(e.errorId) && e.errorId > 0) && /\bError:\s*373(03|09|24|25)\b/.test(e.message));

/** Attestation failure rows (of the enclave-events query) logged before `from` (ISO-8601). */
export function failuresBefore(events: readonly HealthEvent[], from: string): HealthEvent[] {
  const start = Date.parse(from);
  return events.filter((e) => isAttestationFailureRow(e) && Date.parse(e.timestamp) < start);
}

/** 37308 "Loaded SGX enclave" events. */
export const enclaveLoads = (events: readonly HealthEvent[]): HealthEvent[] =>
  events.filter((e) => e.errorId === ENCLAVE_LOADED_ERROR_ID);

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The nodes seen in the window (those with a name) that logged no 37308 in `events`. A load counts
 * for a node of the same name on the same ring (or when either ring is not named).
 */
export function nodesWithoutLoad(nodes: readonly NodeFact[], events: readonly HealthEvent[]): NodeFact[] {
  const loads = enclaveLoads(events);
  return nodes.filter(
    (n) =>
      n.nodeName.trim() !== "" &&
      !loads.some(
        (e) =>
          same(e.nodeName, n.nodeName) &&
          (e.clusterName.trim() === "" || n.clusterName.trim() === "" || same(e.clusterName, n.clusterName)),
      ),
  );
}

/**
 * Enclave failures that are not attestation failures (those have their own rules), on nodes with
 * no later successful load.
 */
export function enclaveLoadFailures(events: readonly HealthEvent[]): HealthEvent[] {
  const lastLoad = new Map<string, number>();
  for (const e of enclaveLoads(events)) {
    const t = Date.parse(e.timestamp);
    lastLoad.set(e.nodeName, Math.max(lastLoad.get(e.nodeName) ?? t, t));
  }
  return events.filter(
    (e) =>
      e.errorId !== ENCLAVE_LOADED_ERROR_ID &&
      !isAttestationFailure(e) &&
      /enclave/i.test(e.message) &&
      /fail/i.test(e.message) &&
      !/attestation/i.test(e.message) &&
      Date.parse(e.timestamp) > (lastLoad.get(e.nodeName) ?? Number.NEGATIVE_INFINITY),
  );
}

/** Problems of one URL as finding details: `<source>: <url>: <what> (expected <expected>)`. */
export function urlProblemDetails(label: string, url: string): string[] {
  const r = checkAttestationUrl(url);
  if (r.ok) return [];
  return r.problems.map(
    (p: UrlProblem) => `${label} ${JSON.stringify(url)}: ${p.what}; expected ${p.expected}`,
  );
}
