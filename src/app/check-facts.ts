/** Maps query results (rows by column name) to the facts the rules read. */
import type {
  DatabaseFact,
  FailureClass,
  HealthEvent,
  NodeFact,
  PlacementFact,
} from "../domain/diagnosis/facts.js";
import type { KustoCell, KustoTable } from "../ports/kusto.js";

/** Row accessor by column name; missing columns read as null. */
export function rowsOf(table: KustoTable | undefined): ((name: string) => KustoCell)[] {
  if (!table) return [];
  const index = new Map(table.columns.map((c, i) => [c.name, i]));
  return table.rows.map((row) => (name: string) => {
    const i = index.get(name);
    return i === undefined ? null : (row[i] ?? null);
  });
}

const str = (v: KustoCell): string => (v === null ? "" : typeof v === "string" ? v : String(v));
const num = (v: KustoCell): number => (typeof v === "number" ? v : Number(v ?? Number.NaN));
const iso = (v: KustoCell): string => {
  if (typeof v !== "string") return "";
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? v : new Date(ms).toISOString();
};

export function toHealthEvents(table: KustoTable | undefined): HealthEvent[] {
  return rowsOf(table).map((r) => ({
    timestamp: iso(r("TIMESTAMP")),
    nodeName: str(r("NodeName")),
    appName: str(r("AppName")),
    clusterName: str(r("ClusterName")),
    databaseGuid: str(r("logical_database_guid")),
    errorId: num(r("error_id")),
    message: str(r("message")),
    ...countOf(r("events")),
  }));
}

/** The `events` column of a summarised row, when there is one. */
function countOf(v: KustoCell): { count?: number } {
  const n = num(v);
  return Number.isInteger(n) && n > 0 ? { count: n } : {};
}

/** attestation-failures statement 3: one row per error id and return code. */
export function toFailureClasses(table: KustoTable | undefined): FailureClass[] {
  return rowsOf(table).map((r) => ({
    errorId: num(r("error_id")),
    code: str(r("code")) || null,
    count: num(r("failures")),
    firstSeen: iso(r("firstSeen")),
    lastSeen: iso(r("lastSeen")),
    nodes: num(r("nodes")),
    sample: str(r("sample")),
  }));
}

export function toDatabases(table: KustoTable | undefined): DatabaseFact[] {
  return rowsOf(table).map((r) => ({
    name: str(r("logical_database_name")),
    id: str(r("logical_database_id")),
    state: str(r("state")),
    slo: str(r("service_level_objective")),
    timestamp: iso(r("TIMESTAMP")),
    ringName: str(r("tenant_ring_name")).trim(),
  }));
}

/**
 * Statement 1 = clusters seen in telemetry; statement 2 = ring capacity rows. Ring names match
 * case-insensitively. Rows with an empty ClusterName are left out when another ring is known; when
 * none is, the ring is unknown: one placement with an empty ring name and no VM size (the rules
 * call that unanswered, never healthy).
 */
export function toPlacements(
  clusters: KustoTable | undefined,
  rings: KustoTable | undefined,
): PlacementFact[] {
  const vmSizeByRing = new Map(
    rowsOf(rings).map((r) => [str(r("tenant_ring_name")).trim().toLowerCase(), str(r("vm_size")).trim()]),
  );
  const names = rowsOf(clusters).map((r) => str(r("ClusterName")).trim());
  // One placement per ring, whatever the case of its name in each row.
  const known = [...new Map(names.filter((n) => n !== "").map((n) => [n.toLowerCase(), n])).values()];
  if (known.length === 0) return names.length > 0 ? [{ clusterName: "", ringName: "", vmSize: null }] : [];
  return known.map((clusterName) => ({
    clusterName,
    ringName: clusterName,
    vmSize: vmSizeByRing.get(clusterName.toLowerCase()) || null,
  }));
}

/** placement statement 3: the (ring, node) pairs that logged for the server in the window. */
export function toWindowNodes(table: KustoTable | undefined): NodeFact[] {
  return rowsOf(table).map((r) => ({
    clusterName: str(r("ClusterName")).trim(),
    nodeName: str(r("NodeName")).trim(),
  }));
}

/** The latest timestamp among the given ISO strings, or null. */
export function latest(timestamps: Iterable<string | null | undefined>): string | null {
  let best: number | null = null;
  for (const t of timestamps) {
    const ms = t ? Date.parse(t) : Number.NaN;
    if (!Number.isNaN(ms) && (best === null || ms > best)) best = ms;
  }
  return best === null ? null : new Date(best).toISOString();
}
