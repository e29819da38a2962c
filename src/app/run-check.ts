/**
 * The `check` use case: the troubleshooting guide's questions asked of Kusto concurrently, the
 * answers turned into facts, the rules applied. A question that could not be answered becomes a
 * null fact (the rules say so); when no question could be answered at all, KustoUnavailable.
 */
import { diagnose } from "../domain/diagnosis/diagnose.js";
import type { CheckFacts, TimeWindow } from "../domain/diagnosis/facts.js";
import type { Diagnosis } from "../domain/diagnosis/types.js";
import {
  DEFAULT_INCIDENT_SETTINGS,
  type Incident,
  type IncidentSettings,
  incidentOf,
  incidentSentence,
} from "../domain/incident/detect.js";
import type { Clock } from "../ports/clock.js";
import { KustoFailure, type KustoQueryResult, type KustoRunner } from "../ports/kusto.js";
import { type Logger, silentLogger } from "../ports/log.js";
import {
  latest,
  rowsOf,
  toDatabases,
  toFailureClasses,
  toHealthEvents,
  toPlacements,
  toWindowNodes,
} from "./check-facts.js";
import { incidentsOf } from "./fleet-incidents.js";
import type { CatalogQuery, QueryCatalog, QueryName } from "./query-catalog.js";

export interface CheckRequest {
  readonly server: string;
  readonly database: string | null;
  readonly url: string | null;
  /** Failure window length in ms; null = settings.defaultWindowMs. */
  readonly sinceMs: number | null;
}

export interface CheckSettings {
  /** Failure window when none is asked for (TSG queries look back 3h). */
  readonly defaultWindowMs: number;
  /** Enclave loads happen at start-up, so look back further for them (at least the failure window). */
  readonly loadWindowMs: number;
  /** Wall-clock limit per query. */
  readonly queryDeadlineMs: number;
  /** Row cap per query. */
  readonly rowCap: number;
  readonly sgxVmSizes: readonly string[];
  /**
   * Fleet-wide incidents: when the server has an MAA-class failure, `check` asks the fleet whether
   * at least `minServers` servers fail the same way in its region or on its provider within
   * `windowMs` (default DEFAULT_INCIDENT_SETTINGS).
   */
  readonly incidents?: IncidentSettings;
}

export const DEFAULT_CHECK_SETTINGS: CheckSettings = {
  defaultWindowMs: 3 * 3_600_000,
  loadWindowMs: 7 * 86_400_000,
  queryDeadlineMs: 10_000,
  rowCap: 500,
  sgxVmSizes: ["SQLDCGen6_2"],
};

export interface QueryRun {
  readonly name: QueryName;
  readonly file: string;
  readonly text: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly requestId: string | null;
  readonly durationMs: number;
  readonly rows: number;
  readonly failure: { readonly kind: string; readonly message: string; readonly code: string | null } | null;
}

export interface CheckReport {
  readonly server: string;
  readonly database: string | null;
  readonly attestationUrl: string | null;
  readonly window: TimeWindow;
  readonly loadWindow: TimeWindow;
  readonly diagnosis: Diagnosis;
  readonly queries: readonly QueryRun[];
  /** Latest telemetry timestamp seen for the server (how fresh the data is), or null. */
  readonly freshness: string | null;
  readonly generatedAt: string;
  readonly target: KustoRunner["target"];
  /** Age (ms) of the oldest answer that came from the Kusto answer cache; null when all are fresh. */
  readonly cacheAgeMs?: number | null;
  /**
   * The fleet-wide incident this server's MAA failures are part of, or null (none, not asked:
   * no MAA-class failure, or the fleet question could not be answered).
   */
  readonly incident?: Incident | null;
}

export interface CheckDeps {
  readonly kusto: KustoRunner;
  readonly catalog: QueryCatalog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: CheckSettings;
  /** Awaited between the steps of a check (answers → facts → rules), so acknowledgements go first; default: none. */
  readonly pause?: () => Promise<void>;
}

const times = (n: number) => `${n} time${n === 1 ? "" : "s"}`;

/**
 * What the user is told when no question got an answer: throttling is named as throttling (with
 * the retries made), everything else is "could not be reached".
 */
export function unavailableMessage(failures: readonly KustoFailure[]): string {
  const throttled = failures.filter((f) => f.kind === "throttled");
  if (throttled.length > 0) {
    const retries = throttled.reduce((n, f) => n + f.retries, 0);
    return `Kusto is throttling requests (429) — retried ${times(retries)}, so nothing was checked. Try again in a minute.`;
  }
  return "Kusto could not be reached, so nothing was checked. Try again in a minute.";
}

/** No query could be answered: the CLI exits 3, chat says Kusto is unavailable (or throttling). */
export class KustoUnavailable extends Error {
  readonly failures: readonly KustoFailure[];
  /** The one sentence for the user (chat, CLI, JSON). */
  readonly userMessage: string;
  /** "throttled" when Kusto throttled us, else "unavailable". */
  readonly reason: "throttled" | "unavailable";
  constructor(failures: readonly KustoFailure[]) {
    // One cause (an unreachable cluster) fails every question the same way: said once (issue 12).
    const causes = [...new Set(failures.map((f) => f.message))];
    super(`Kusto could not answer any of the ${failures.length} questions: ${causes.join("; ")}`);
    this.name = "KustoUnavailable";
    this.failures = failures;
    this.userMessage = unavailableMessage(failures);
    this.reason = failures.some((f) => f.kind === "throttled") ? "throttled" : "unavailable";
  }
}

/** A datetime as the KQL literal Kusto parses for a `datetime` parameter. */
export const datetimeLiteral = (ms: number): string => `datetime(${new Date(ms).toISOString()})`;

/** The parameters of each question, built from the request only (never spliced into text). */
export function planCheck(
  request: CheckRequest,
  now: number,
  settings: CheckSettings,
): {
  window: TimeWindow;
  loadWindow: TimeWindow;
  params: Record<Exclude<QueryName, "fleet-summary" | "fleet-incidents">, Record<string, string>>;
} {
  const windowMs = request.sinceMs ?? settings.defaultWindowMs;
  const loadMs = Math.max(windowMs, settings.loadWindowMs);
  const window = { from: new Date(now - windowMs).toISOString(), to: new Date(now).toISOString() };
  const loadWindow = { from: new Date(now - loadMs).toISOString(), to: window.to };
  const base = { server: request.server, windowEnd: datetimeLiteral(now), rowCap: String(settings.rowCap) };
  return {
    window,
    loadWindow,
    params: {
      "attestation-failures": { ...base, windowStart: datetimeLiteral(now - windowMs) },
      "enclave-events": { ...base, windowStart: datetimeLiteral(now - loadMs) },
      "database-slo": {
        ...base,
        windowStart: datetimeLiteral(now - loadMs),
        database: request.database ?? "",
      },
      placement: { ...base, windowStart: datetimeLiteral(now - windowMs) },
    },
  };
}

interface Answer {
  readonly run: QueryRun;
  readonly result: KustoQueryResult | null;
  readonly failure: KustoFailure | null;
}

async function ask(
  deps: CheckDeps,
  query: CatalogQuery,
  parameters: Record<string, string>,
): Promise<Answer> {
  const started = Date.now();
  const base = { name: query.name, file: query.file, text: query.text, parameters };
  try {
    const result = await deps.kusto.run(
      { name: query.name, text: query.text, parameters },
      { deadlineMs: deps.settings.queryDeadlineMs },
    );
    const rows = result.tables.reduce((n, t) => n + t.rows.length, 0);
    return {
      run: { ...base, requestId: result.requestId, durationMs: Date.now() - started, rows, failure: null },
      result,
      failure: null,
    };
  } catch (error) {
    const failure =
      error instanceof KustoFailure
        ? error
        : new KustoFailure("failed", String(error), { requestId: "", cause: error });
    return {
      run: {
        ...base,
        requestId: failure.requestId || null,
        durationMs: Date.now() - started,
        rows: 0,
        failure: { kind: failure.kind, message: failure.message, code: failure.code },
      },
      result: null,
      failure,
    };
  }
}

/** The oldest cached answer's age, or null when every answer is fresh. */
function cacheAgeOf(answers: readonly Answer[]): number | null {
  const ages = answers.flatMap((a) => (a.result?.cacheAgeMs === undefined ? [] : [a.result.cacheAgeMs]));
  return ages.length === 0 ? null : Math.max(...ages);
}

/** Runs the check. Throws KustoUnavailable when no question could be answered. */
export async function runCheck(deps: CheckDeps, request: CheckRequest): Promise<CheckReport> {
  const now = deps.clock.now();
  const plan = planCheck(request, now, deps.settings);
  const names = Object.keys(plan.params) as (keyof typeof plan.params)[];
  const answers = await Promise.all(names.map((n) => ask(deps, deps.catalog[n], plan.params[n])));
  const by = Object.fromEntries(names.map((n, i) => [n, answers[i]])) as Record<
    (typeof names)[number],
    Answer
  >;

  const failures = answers.flatMap((a) => (a.failure ? [a.failure] : []));
  if (failures.length === answers.length) throw new KustoUnavailable(failures);
  await deps.pause?.();

  const failuresResult = by["attestation-failures"].result;
  const totals = rowsOf(failuresResult?.tables[0])[0];
  const attestationEvents = failuresResult ? toHealthEvents(failuresResult.tables[1]) : null;
  const total = totals ? Number(totals("total") ?? 0) : 0;
  // Statement 3 (per-class summary); a result without it (an older query text) falls back to rows.
  const classTable = failuresResult?.tables[2];
  const attestationClasses = classTable ? toFailureClasses(classTable) : null;
  const enclave = by["enclave-events"].result;
  const slo = by["database-slo"].result;
  const placement = by.placement.result;

  const facts: CheckFacts = {
    server: request.server,
    database: request.database,
    window: plan.window,
    loadWindow: plan.loadWindow,
    attestationEvents,
    attestationTruncated: attestationEvents !== null && total > attestationEvents.length,
    attestationClasses,
    enclaveEvents: enclave ? toHealthEvents(enclave.tables[0]) : null,
    databases: slo ? toDatabases(slo.tables[0]) : null,
    placements: placement ? toPlacements(placement.tables[0], placement.tables[1]) : null,
    windowNodes: placement?.tables[2] ? toWindowNodes(placement.tables[2]) : null,
    serverSeen: placement ? (placement.tables[0]?.rows.length ?? 0) > 0 : null,
    attestationUrl: request.url,
  };
  await deps.pause?.();
  const diagnosed = diagnose(facts, { sgxVmSizes: deps.settings.sgxVmSizes });
  await deps.pause?.();
  const fleet = await askFleet(deps, request.server, diagnosed, now);
  const diagnosis = fleet.diagnosis;
  if (fleet.run) answers.push({ run: fleet.run, result: null, failure: null });
  const freshness = latest([
    ...rowsOf(placement?.tables[0]).map((r) => r("lastSeen") as string | null),
    ...(facts.attestationEvents ?? []).map((e) => e.timestamp),
  ]);
  deps.logger.info("check.done", {
    server: request.server,
    verdict: diagnosis.verdict,
    findings: diagnosis.findings.map((f) => f.rule),
    requestIds: answers.map((a) => a.run.requestId),
  });
  return {
    server: request.server,
    database: request.database,
    attestationUrl: request.url,
    window: plan.window,
    loadWindow: plan.loadWindow,
    diagnosis,
    queries: answers.map((a) => a.run),
    freshness,
    generatedAt: new Date(now).toISOString(),
    target: deps.kusto.target,
    cacheAgeMs: cacheAgeOf(answers),
    incident: fleet.incident,
  };
}

/**
 * One check of a server no one has, with logs off: loads the KQL parser and compiles the
 * catalog's query plans, so the first user's check does not pay for them. Never throws.
 */
export async function warmUpCheck(deps: Omit<CheckDeps, "logger">): Promise<void> {
  await runCheck(
    { ...deps, logger: silentLogger },
    { server: "attest-warm-up", database: null, url: null, sinceMs: null },
  ).catch(() => undefined);
}

/**
 * When the diagnosis has an MAA-class finding, asks the fleet whether it is part of a wider
 * incident and, when it is, says so in that finding. A failed fleet question changes nothing.
 */
async function askFleet(
  deps: CheckDeps,
  server: string,
  diagnosis: Diagnosis,
  now: number,
): Promise<{ diagnosis: Diagnosis; run: QueryRun | null; incident: Incident | null }> {
  const query = deps.catalog["fleet-incidents"];
  if (!query || !diagnosis.findings.some((f) => f.category === "maa_escalation"))
    return { diagnosis, run: null, incident: null };
  const settings = deps.settings.incidents ?? DEFAULT_INCIDENT_SETTINGS;
  const answer = await ask(deps, query, {
    windowStart: datetimeLiteral(now - settings.windowMs),
    windowEnd: datetimeLiteral(now),
    rowCap: "50000",
  });
  if (!answer.result) return { diagnosis, run: answer.run, incident: null };
  const incidents = incidentsOf(answer.result, settings);
  let found: Incident | null = null;
  const findings = diagnosis.findings.map((f) => {
    if (f.category !== "maa_escalation") return f;
    const incident = incidentOf(incidents, server, f.rule);
    if (!incident) return f;
    found ??= incident;
    return { ...f, details: [incidentSentence(incident), ...f.details] };
  });
  return { diagnosis: { ...diagnosis, findings }, run: answer.run, incident: found };
}
