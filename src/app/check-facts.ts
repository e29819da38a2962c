/** Maps query results (rows by column name) to the facts the rules read. */
import type { DatabaseFact, HealthEvent, PlacementFact } from "../domain/diagnosis/facts.js";
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
  }));
}

export function toDatabases(table: KustoTable | undefined): DatabaseFact[] {
  return rowsOf(table).map((r) => ({
    name: str(r("logical_database_name")),
    id: str(r("logical_database_id")),
    state: str(r("state")),
    slo: str(r("service_level_objective")),
  }));
}

/** Statement 1 = clusters seen in telemetry; statement 2 = ring capacity rows. */
export function toPlacements(
  clusters: KustoTable | undefined,
  rings: KustoTable | undefined,
): PlacementFact[] {
  const vmSizeByRing = new Map(
    rowsOf(rings).map((r) => [str(r("tenant_ring_name")).toLowerCase(), str(r("vm_size"))]),
  );
  return rowsOf(clusters)
    .map((r) => str(r("ClusterName")))
    .filter((name) => name !== "")
    .map((clusterName) => ({
      clusterName,
      ringName: clusterName,
      vmSize: vmSizeByRing.get(clusterName.toLowerCase()) || null,
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
