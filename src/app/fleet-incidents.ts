/**
 * Asks Kusto about the whole fleet (`queries/fleet-incidents.kql`) and finds the incidents: many
 * servers failing with the same MAA error class in one region or on one provider, in one window.
 */
import { incidentClassifier } from "../domain/incident/classify.js";
import {
  detectIncidents,
  type Incident,
  type IncidentRow,
  type IncidentSettings,
} from "../domain/incident/detect.js";
import type { KustoQueryResult, KustoTable } from "../ports/kusto.js";
import { rowsOf } from "./check-facts.js";

const text = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const iso = (v: unknown): string => {
  const ms = Date.parse(text(v));
  return Number.isNaN(ms) ? text(v) : new Date(ms).toISOString();
};

/** Statement 1 (failures) and statement 2 (ring → region) to incident rows. */
export function toIncidentRows(
  failures: KustoTable | undefined,
  rings: KustoTable | undefined,
): IncidentRow[] {
  const regionOf = new Map(
    rowsOf(rings).map((r) => [text(r("tenant_ring_name")).toLowerCase(), text(r("region")) || null]),
  );
  return rowsOf(failures).map((r) => ({
    server: text(r("server")).toLowerCase(),
    errorId: Number(r("error_id") ?? 0),
    code: text(r("code")) || null,
    failures: Number(r("failures") ?? 0),
    firstSeen: iso(r("firstSeen")),
    lastSeen: iso(r("lastSeen")),
    sample: text(r("sample")),
    region: regionOf.get(text(r("ring")).toLowerCase()) ?? null,
  }));
}

/** The incidents in a fleet-incidents result. */
export function incidentsOf(
  result: KustoQueryResult,
  settings: Pick<IncidentSettings, "minServers">,
): Incident[] {
  return detectIncidents(toIncidentRows(result.tables[0], result.tables[1]), incidentClassifier, settings);
}
