/**
 * Builds one digest from ONE fleet-summary query (never a query per server): plan the look-back
 * (the window and the windows before it, for trend and sparkline), run it, classify, aggregate.
 */
import { buildDigest } from "../../domain/digest/aggregate.js";
import { applySnoozes, foldIncidents } from "../../domain/digest/incidents.js";
import type { Classifier, DigestView, FleetSummaryRow } from "../../domain/digest/types.js";
import { KustoFailure, type KustoRunner, type KustoTable } from "../../ports/kusto.js";
import { rowsOf } from "../check-facts.js";
import { incidentsOf } from "../fleet-incidents.js";
import type { CatalogQuery } from "../query-catalog.js";

export interface DigestRequest {
  /** Lowercase server names; empty = the whole fleet. */
  readonly servers: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly minFailures: number;
  /** Servers this conversation snoozed (left out of the rows, named instead). */
  readonly snoozed?: readonly string[];
}

export interface DigestSettings {
  /** Windows in the sparkline, the current one included. */
  readonly periods: number;
  readonly rowCap: number;
  readonly queryDeadlineMs: number;
}

export const DEFAULT_DIGEST_SETTINGS: DigestSettings = {
  periods: 7,
  rowCap: 50_000,
  queryDeadlineMs: 30_000,
};

export interface DigestDeps {
  readonly kusto: KustoRunner;
  /** `catalog["fleet-summary"]`. */
  readonly query: CatalogQuery;
  readonly classify: Classifier;
  readonly settings: DigestSettings;
  /**
   * Fleet-wide incidents (issue 14): `catalog["fleet-incidents"]` asked over the digest window;
   * servers failing as one incident are shown as one row. Absent = not looked for.
   */
  readonly incidents?: { readonly query: CatalogQuery; readonly minServers: number };
}

export interface DigestResult {
  readonly view: DigestView;
  readonly requestId: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** The fleet summary could not be answered: nothing is posted and the period is retried later. */
export class DigestUnavailable extends Error {
  readonly failure: KustoFailure;
  constructor(failure: KustoFailure) {
    super(`the fleet summary could not be answered: ${failure.message}`, { cause: failure });
    this.name = "DigestUnavailable";
    this.failure = failure;
  }
}

const datetimeLiteral = (ms: number): string => `datetime(${new Date(ms).toISOString()})`;

/** A KQL timespan literal in the largest unit that divides `ms` exactly: 1d, 6h, 90m, 45s, 250ms. */
export function timespanLiteral(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
    [1000, "s"],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms)}ms`;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** At most this many bins per window, to keep the row count of a large fleet low. */
export const MAX_BINS_PER_WINDOW = 24;

/**
 * The bin size. Kusto's `bin()` aligns bins to multiples of the size since 1970, so a bin is
 * split by the window boundaries only when the size divides both the window length and its end:
 * the largest such size, when that gives at most MAX_BINS_PER_WINDOW bins per window (09:00 UTC
 * daily: 3h; 08:00 UTC: 8h; hourly: 1h). Otherwise (an odd `--now`) a size dividing the length,
 * and a bin straddling the window start counts in the window (an error of at most one bin).
 */
export function binSizeMs(lengthMs: number, toMs: number): number {
  const aligned = gcd(lengthMs, ((toMs % lengthMs) + lengthMs) % lengthMs || lengthMs);
  if (lengthMs / aligned <= MAX_BINS_PER_WINDOW) return aligned;
  for (let n = MAX_BINS_PER_WINDOW; n > 1; n--) if (lengthMs % n === 0) return lengthMs / n;
  return lengthMs;
}

/** The fleet-summary parameters: reaching back `periods` windows, bins that fit the windows. */
export function planDigest(request: DigestRequest, settings: DigestSettings): Record<string, string> {
  const lengthMs = request.toMs - request.fromMs;
  return {
    windowStart: datetimeLiteral(request.toMs - lengthMs * settings.periods),
    // The query's end is inclusive; the digest window's is exclusive.
    windowEnd: datetimeLiteral(request.toMs - 1),
    period: timespanLiteral(binSizeMs(lengthMs, request.toMs)),
    servers: request.servers.join(","),
    rowCap: String(settings.rowCap),
  };
}

const iso = (v: unknown): string => {
  const ms = typeof v === "string" ? Date.parse(v) : Number.NaN;
  return Number.isNaN(ms) ? String(v ?? "") : new Date(ms).toISOString();
};

export function toFleetRows(table: KustoTable | undefined): FleetSummaryRow[] {
  return rowsOf(table).map((r) => {
    const code = r("code");
    return {
      server: String(r("server") ?? "").toLowerCase(),
      errorId: Number(r("error_id")),
      code: typeof code === "string" && code !== "" ? code : null,
      periodStart: iso(r("periodStart")),
      failures: Number(r("failures") ?? 0),
      firstSeen: iso(r("firstSeen")),
      lastSeen: iso(r("lastSeen")),
      nodes: Number(r("nodes") ?? 0),
      sample: String(r("sample") ?? ""),
    };
  });
}

/**
 * Statement 2 of the fleet summary: the named servers that sent any telemetry, lowercase name →
 * ISO time of the latest row.
 */
export function toSeenServers(table: KustoTable): Map<string, string> {
  const seen = new Map<string, string>();
  for (const r of rowsOf(table)) {
    const server = String(r("server") ?? "").toLowerCase();
    const lastSeen = iso(r("lastSeen"));
    if (server !== "" && lastSeen > (seen.get(server) ?? "")) seen.set(server, lastSeen);
  }
  return seen;
}

export async function runDigest(deps: DigestDeps, request: DigestRequest): Promise<DigestResult> {
  const parameters = planDigest(request, deps.settings);
  let result: Awaited<ReturnType<KustoRunner["run"]>>;
  try {
    result = await deps.kusto.run(
      { name: deps.query.name, text: deps.query.text, parameters },
      { deadlineMs: deps.settings.queryDeadlineMs },
    );
  } catch (error) {
    throw new DigestUnavailable(
      error instanceof KustoFailure
        ? error
        : new KustoFailure("failed", String(error), { requestId: "", cause: error }),
    );
  }
  const rows = toFleetRows(result.tables[0]);
  const seenTable = result.tables[1];
  // Without statement 2 a silent server would read as "no failures": no answer rather than a wrong one.
  if (request.servers.length > 0 && seenTable === undefined)
    throw new DigestUnavailable(
      new KustoFailure(
        "failed",
        "the fleet summary did not say which of the named servers sent telemetry (no second table)",
        { requestId: result.requestId },
      ),
    );
  const view = buildDigest(rows, deps.classify, {
    fromMs: request.fromMs,
    toMs: request.toMs,
    periods: deps.settings.periods,
    minFailures: request.minFailures,
    truncated: rows.length >= deps.settings.rowCap,
    named: request.servers,
    seen: seenTable === undefined ? new Map() : toSeenServers(seenTable),
  });
  const withIncidents = deps.incidents ? foldIncidents(view, await fleetIncidents(deps, request)) : view;
  return {
    view: applySnoozes(withIncidents, request.snoozed ?? []),
    requestId: result.requestId,
    parameters,
  };
}

/** The incidents in the digest window; none when the fleet question cannot be answered. */
async function fleetIncidents(deps: DigestDeps, request: DigestRequest) {
  if (!deps.incidents) return [];
  try {
    const result = await deps.kusto.run(
      {
        name: deps.incidents.query.name,
        text: deps.incidents.query.text,
        parameters: {
          windowStart: datetimeLiteral(request.fromMs),
          windowEnd: datetimeLiteral(request.toMs - 1),
          rowCap: String(deps.settings.rowCap),
        },
      },
      { deadlineMs: deps.settings.queryDeadlineMs },
    );
    const incidents = incidentsOf(result, deps.incidents);
    // A digest of named servers shows the incidents those servers are part of, not the fleet's.
    const named = new Set(request.servers.map((x) => x.toLowerCase()));
    return named.size === 0 ? incidents : incidents.filter((i) => i.servers.some((x) => named.has(x)));
  } catch {
    // The digest itself was answered; without the fleet question it lists servers one by one.
    return [];
  }
}
