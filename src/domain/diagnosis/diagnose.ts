/**
 * `check`'s judgement: the rules applied to what Kusto answered. Repeated rows are grouped into
 * one finding per rule; a question without an answer or a server without telemetry is said so
 * (needs_info), never "healthy". Pure.
 */
import { providerOf } from "../url/check-attestation-url.js";
import { buildFinding, sortFindings } from "./build-finding.js";
import type { CheckFacts, DatabaseFact, DiagnoseOptions, HealthEvent } from "./facts.js";
import { type ParsedMessage, parseMessage } from "./parse-message.js";
import { classify, priorityOf } from "./rules/catalog.js";
import {
  attestationUrlMalformed,
  currentDatabases,
  databaseNotFound,
  dataUnavailable,
  enclaveLoadFailed,
  enclaveLoadFailures,
  enclaveLoadNotSeen,
  enclaveLoads,
  failuresBefore,
  failuresBeforeWindow,
  isDcSeriesSlo,
  isElasticPoolSlo,
  judgedDatabases,
  knownVmSize,
  noAttestationFailures,
  nodesWithoutLoad,
  nonDcDatabases,
  nonSgxPlacements,
  noTelemetry,
  ringsOfDatabases,
  sloNotDcSeries,
  sloUnknown,
  urlProblemDetails,
  vmSizeNotSgx,
} from "./rules/fact-rules.js";
import type { MitigationContext } from "./rules/rule.js";
import { maaCodeConflict } from "./rules/sql-error-rules.js";
import { type Diagnosis, type Evidence, type Finding, mostUrgent, type RuleMeta } from "./types.js";

/** The latest of ISO-8601 UTC timestamps (they sort as strings). */
const latestOf = (ts: readonly string[]): string => [...ts].sort().at(-1) ?? "";

const span = (w: { from: string; to: string }) => `${w.from} – ${w.to}`;

function evidenceOf(e: HealthEvent, code: string | null): Evidence {
  return { timestamp: e.timestamp, node: e.nodeName || null, errorId: e.errorId, code, message: e.message };
}

interface Group {
  readonly meta: RuleMeta;
  readonly evidence: Evidence[];
  readonly details: string[];
  provider: string | null;
  /** Rows of the query's failure classes that fed this group (0 when there is no summary). */
  classRows: number;
  /** Most nodes of one class (a lower bound of the group's nodes). */
  classNodes: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Sample messages of the classes that fed this group. */
  readonly samples: string[];
}

/**
 * A telemetry row's message, parsed, with the row's error_id column as its error number: the
 * column is what SQL logged, the text may not repeat it (e.g. "Enclave attestation failed due to
 * an error in Intel DCAP library" without "Error: 37309").
 */
function parseRow(message: string, errorId: number): ParsedMessage {
  const m = parseMessage(message);
  return Number.isInteger(errorId) && errorId > 0 ? { ...m, errorId } : m;
}

/**
 * The errorlog prefix SQL writes before each line (`2026-11-24 07:59:58.12 spid90 `): rows of one
 * failure differ only there, and no rule reads it, so rows are read once per text without it.
 */
const ERRORLOG_PREFIX = /\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+spid\d+s?\s+/g;

/** What one distinct (message, error id) says, worked out once per diagnosis however many rows repeat it. */
interface Reading {
  readonly m: ParsedMessage;
  readonly meta: RuleMeta;
  readonly conflict: string | null;
  /** The URLs quoted, with their provider and problems (URL checks are memoised too). */
  readonly urls: readonly { readonly provider: string | null; readonly problems: readonly string[] }[];
}

/**
 * Reads messages for one diagnosis: each distinct (error id, message without its errorlog prefix)
 * is parsed and classified once, each distinct URL checked once. Telemetry repeats the same failure
 * in many rows (and the per-class summary's sample is one of them), so most rows cost a map lookup.
 */
function messageReader(options: DiagnoseOptions): {
  read: (message: string, errorId: number) => Reading;
} {
  const matcher = options.classify ?? classify;
  const readings = new Map<string, Reading>();
  const urlChecks = new Map<string, { provider: string | null; problems: readonly string[] }>();
  const checkUrl = (url: string) => {
    let r = urlChecks.get(url);
    if (!r) {
      r = { provider: providerOf(url), problems: urlProblemDetails("URL quoted in the message", url) };
      urlChecks.set(url, r);
    }
    return r;
  };
  return {
    read(message, errorId) {
      const key = `${errorId}\u0000${message.replace(ERRORLOG_PREFIX, "")}`;
      let r = readings.get(key);
      if (!r) {
        const m = parseRow(message, errorId);
        r = {
          m,
          meta: matcher(m, { telemetry: true }).meta,
          conflict: maaCodeConflict(m),
          urls: m.urls.map(checkUrl),
        };
        readings.set(key, r);
      }
      return r;
    },
  };
}

const earlier = (a: string | null, b: string) => (a === null || b < a ? b : a);
const later = (a: string | null, b: string) => (a === null || b > a ? b : a);

/**
 * Attestation failures grouped per rule, plus the malformed URLs quoted in them and in --url. The
 * rows (newest first, capped) are the evidence; when the query's per-class summary is there, the
 * counts, first/last seen and node counts come from it, and a class the cap cut from the rows still
 * gets its finding (classified from its sample message).
 */
function eventFindings(
  facts: CheckFacts,
  ctx: MitigationContext,
  reader: ReturnType<typeof messageReader>,
): Finding[] {
  const groups = new Map<string, Group>();
  const group = (meta: RuleMeta): Group => {
    const g = groups.get(meta.id) ?? {
      meta,
      evidence: [],
      details: [],
      provider: null,
      classRows: 0,
      classNodes: 0,
      firstSeen: null,
      lastSeen: null,
      samples: [],
    };
    groups.set(meta.id, g);
    return g;
  };
  /** Classifies one message and notes its code, provider and URL problems; returns the groups it fed. */
  /** `raw`: the row's own message (its errorlog prefix may differ from the reading's). */
  const take = (r: Reading, raw: string): Group[] => {
    const { m } = r;
    const g = group(r.meta);
    const fed = [g];
    if (g.meta.id === "unrecognised-error")
      g.details.push(
        `Unrecognised: ${(raw === m.raw ? m.text : raw.replace(/\s+/g, " ").trim()).slice(0, 500)}`,
      );
    if (m.code)
      g.details.push(
        `Code ${m.code}${m.httpStatus ? ` = HTTP ${m.httpStatus}` : ""}${m.maaCode ? ` (MAA error code ${m.maaCode})` : ""}.`,
      );
    if (r.conflict && !g.details.includes(r.conflict)) g.details.push(r.conflict);
    for (const url of r.urls) {
      g.provider ??= url.provider;
      if (url.problems.length > 0) {
        const u = group(attestationUrlMalformed);
        u.details.push(...url.problems);
        u.provider ??= url.provider;
        if (!fed.includes(u)) fed.push(u);
      }
    }
    return fed;
  };
  const rows = facts.attestationEvents ?? [];
  for (const event of rows) {
    const r = reader.read(event.message, event.errorId);
    const evidence = evidenceOf(event, r.m.code);
    for (const g of take(r, event.message)) g.evidence.push(evidence);
  }
  const classes = facts.attestationClasses ?? null;
  for (const c of classes ?? []) {
    for (const g of take(reader.read(c.sample, c.errorId), c.sample)) {
      g.classRows += c.count;
      g.classNodes = Math.max(g.classNodes, c.nodes);
      if (c.firstSeen) g.firstSeen = earlier(g.firstSeen, c.firstSeen);
      if (c.lastSeen) g.lastSeen = later(g.lastSeen, c.lastSeen);
      g.samples.push(c.sample);
    }
  }
  if (facts.attestationUrl !== null) {
    const problems = urlProblemDetails("--url", facts.attestationUrl);
    if (problems.length > 0) group(attestationUrlMalformed).details.push(...problems);
  }
  const total = (classes ?? []).reduce((n, c) => n + c.count, 0);
  const truncated = !facts.attestationTruncated
    ? []
    : classes === null
      ? [
          `The failure query hit its row cap: only the newest ${rows.length} rows were read, so counts are lower bounds.`,
        ]
      : [
          `The failure query hit its row cap: the evidence is the newest ${rows.length} of ${total} rows; counts and first/last seen are over all of them.`,
        ];
  return [...groups.values()].map((g) => {
    const details = [...g.details];
    const named = new Set(g.evidence.flatMap((e) => (e.node ? [e.node] : []))).size;
    const nodes = `${g.classNodes} node${g.classNodes === 1 ? "" : "s"}`;
    if (g.evidence.length > 0 && g.classNodes > named)
      details.push(`Logged by at least ${nodes}; the nodes named are those of the rows read.`);
    if (g.classRows > 0 && g.evidence.length === 0)
      details.push(
        `None of these rows is among the newest ${rows.length} read (logged by ${nodes}); sample message: ${(g.samples[0] ?? "").replace(/\s+/g, " ").slice(0, 500)}`,
      );
    if (g.evidence.length > 0 || g.classRows > 0) details.push(...truncated);
    return buildFinding(g.meta, {
      evidence: g.evidence,
      details,
      ...(g.classRows > 0
        ? { count: Math.max(g.classRows, g.evidence.length), firstSeen: g.firstSeen, lastSeen: g.lastSeen }
        : {}),
      context: { ...ctx, provider: g.provider },
    });
  });
}

/** `judged`: the databases whose SLO matters (an unknown one among them is an unanswered question). */
function missingAnswers(facts: CheckFacts, judged: readonly DatabaseFact[]): string[] {
  const missing: string[] = [];
  if (facts.attestationEvents === null)
    missing.push("attestation failures (MonSQLSystemHealth, error ids 37324/37303/37325/37309)");
  if (facts.enclaveEvents === null) missing.push("enclave load events (MonSQLSystemHealth, error id 37308)");
  if (facts.databases === null) missing.push("database SLOs (MonAnalyticsDBSnapshot)");
  if (facts.placements === null || facts.serverSeen === null)
    missing.push("placement and ring VM size (MonSQLSystemHealth ClusterName, MonTenantRingCapacity)");
  if (facts.serverSeen === true && facts.placements?.length === 0)
    missing.push("placement: the server's telemetry names no ring (ClusterName)");
  for (const p of facts.placements ?? [])
    missing.push(
      p.ringName === ""
        ? "ring of the server's nodes (ClusterName is empty in MonSQLSystemHealth), so its VM size is unknown"
        : p.vmSize === null
          ? `VM size of ring ${p.ringName} (not found in MonTenantRingCapacity)`
          : knownVmSize(p) === null
            ? `VM size of ring ${p.ringName} (MonTenantRingCapacity says ${JSON.stringify(p.vmSize)})`
            : "",
    );
  for (const d of judged)
    if (isElasticPoolSlo(d.slo))
      missing.push(
        `service objective of database ${d.name || d.id}: it is in an elastic pool (SLO "ElasticPool" in MonAnalyticsDBSnapshot) and the pool's own SLO (DC-series or not) is unknown`,
      );
    else if (sloUnknown(d))
      missing.push(`service objective of database ${d.name || d.id} (empty in MonAnalyticsDBSnapshot)`);
  return missing.filter((m) => m !== "").map((m) => `Not answered: ${m}.`);
}

export function diagnose(facts: CheckFacts, options: DiagnoseOptions): Diagnosis {
  const ctx: MitigationContext = { server: facts.server, database: facts.database };
  const reader = messageReader(options);
  const findings: Finding[] = [];
  const databases = facts.databases === null ? null : currentDatabases(facts.databases);
  // Step 1 judges the failing (or named) database; without that, a non-DC database is only to
  // blame when no database of the server can use an enclave (all known SLOs are non-DC).
  const { judged, attributed } = judgedDatabases(
    databases ?? [],
    facts.database,
    facts.attestationEvents ?? [],
  );
  const allNonDc =
    databases !== null && databases.length > 0 && nonDcDatabases(databases).length === databases.length;
  const nonDc = attributed || allNonDc ? nonDcDatabases(judged) : [];
  // Step 2 finds the ring by database: the VM size is judged for the rings of the judged databases
  // that may be DC-series (every ring of the server when the snapshot does not give their ring);
  // null = not judged (no placement answer, or no such database: the SLO finding says it all).
  const mayBeDc = judged.filter((d) => !nonDc.includes(d) && (sloUnknown(d) || isDcSeriesSlo(d.slo)));
  const judgeRings = facts.placements !== null && !allNonDc && (judged.length === 0 || mayBeDc.length > 0);
  const { judged: ringsJudged, conflicts } = judgeRings
    ? ringsOfDatabases(facts.placements ?? [], mayBeDc)
    : { judged: null, conflicts: [] };
  const seenRings = [...new Set((facts.placements ?? []).map((p) => p.ringName).filter((r) => r !== ""))];
  const missing = [
    ...missingAnswers(facts, judged),
    ...conflicts.map(
      (d) =>
        `Not answered: ring of database ${d.name || d.id}: MonAnalyticsDBSnapshot says ${d.ringName}, the server's telemetry (ClusterName) names ${seenRings.join(", ")}; its VM size is not judged.`,
    ),
  ];
  if (missing.length > 0) findings.push(buildFinding(dataUnavailable, { details: missing, context: ctx }));

  const unseen = facts.serverSeen === false;
  if (unseen) {
    const details = [`No MonSQLSystemHealth rows for server "${facts.server}" in ${span(facts.window)}.`];
    if (facts.databases?.length === 0)
      details.push("No database of this server in MonAnalyticsDBSnapshot either.");
    if (facts.enclaveEvents?.length === 0)
      details.push(`No enclave load events in ${span(facts.loadWindow)}.`);
    findings.push(buildFinding(noTelemetry, { details, context: ctx }));
  }

  findings.push(...eventFindings(facts, ctx, reader));

  if (databases !== null) {
    const named = facts.database;
    if (databases.length === 0 && !unseen) {
      const detail = named
        ? `Database "${named}" of server "${facts.server}" is not in MonAnalyticsDBSnapshot for ${span(facts.loadWindow)}.`
        : `No database of server "${facts.server}" is in MonAnalyticsDBSnapshot for ${span(facts.loadWindow)}.`;
      findings.push(
        buildFinding(databaseNotFound, {
          details: [detail],
          context: ctx,
        }),
      );
    } else if (named && !databases.some((d) => d.name.toLowerCase() === named.toLowerCase())) {
      findings.push(
        buildFinding(databaseNotFound, {
          details: [`Database "${named}" is not among ${databases.map((d) => d.name).join(", ")}.`],
          context: ctx,
        }),
      );
    }
    if (nonDc.length > 0) {
      findings.push(
        buildFinding(sloNotDcSeries, {
          count: nonDc.length,
          details: nonDc.map(
            (d) =>
              `${d.name}: service objective ${d.slo}${attributed && !facts.database ? " (the attestation failures come from this database)" : ""}`,
          ),
          context: { ...ctx, database: nonDc.length === 1 ? (nonDc[0]?.name ?? null) : ctx.database },
        }),
      );
    }
  }

  // The VM size matters for DC-series databases; for non-DC ones the SLO finding already says it all.
  // Step 2 finds the ring by database: judge the rings of the judged databases that may be DC-series
  // (every ring of the server when those are not known).
  if (ringsJudged !== null) {
    const bad = nonSgxPlacements(ringsJudged, options.sgxVmSizes);
    if (bad.length > 0)
      findings.push(
        buildFinding(vmSizeNotSgx, {
          count: bad.length,
          details: bad.map(
            (p) =>
              `Ring ${p.ringName}: VM size ${knownVmSize(p)}; expected ${options.sgxVmSizes.join(" or ")}.`,
          ),
          context: ctx,
        }),
      );
  }

  if (facts.enclaveEvents !== null) {
    const loads = enclaveLoads(facts.enclaveEvents);
    const named = (facts.windowNodes ?? []).filter((n) => n.nodeName !== "");
    const unloaded = nodesWithoutLoad(named, facts.enclaveEvents);
    const node = (n: { clusterName: string; nodeName: string }) =>
      n.clusterName ? `${n.nodeName} (${n.clusterName})` : n.nodeName;
    if (loads.length === 0 && !unseen && !allNonDc)
      findings.push(
        buildFinding(enclaveLoadNotSeen, {
          details: [`No 37308 event for "${facts.server}" in ${span(facts.loadWindow)}.`],
          context: ctx,
        }),
      );
    else if (!unseen && !allNonDc && named.length > 0 && unloaded.length === named.length)
      // Step 4 checks the load per node: a load on a node the server no longer logs from says
      // nothing about the nodes it runs on now.
      findings.push(
        buildFinding(enclaveLoadNotSeen, {
          details: [
            `No 37308 event in ${span(facts.loadWindow)} on the nodes that logged for "${facts.server}" in ${span(facts.window)}: ${[...new Set(named.map(node))].join(", ")}.`,
            `37308 only on: ${[...new Set(loads.map(node))].join(", ")}.`,
          ],
          context: ctx,
        }),
      );
    const failed = enclaveLoadFailures(facts.enclaveEvents);
    if (failed.length > 0)
      findings.push(
        buildFinding(enclaveLoadFailed, {
          evidence: failed.map((e) => evidenceOf(e, null)),
          context: ctx,
        }),
      );
  }

  // "No failure in the window, but some before it": only when that is true, so that no finding
  // contradicts another one that counts failures in the window (issue 12).
  const noneInWindow =
    (facts.attestationEvents ?? []).length === 0 && (facts.attestationClasses ?? []).length === 0;
  if (facts.enclaveEvents !== null && noneInWindow) {
    const before = failuresBefore(facts.enclaveEvents, facts.window.from);
    if (before.length > 0) {
      const n = before.reduce((sum, e) => sum + (e.count ?? 1), 0);
      const days = Math.round(
        (Date.parse(facts.window.from) - Date.parse(facts.loadWindow.from)) / 86_400_000,
      );
      // Re-run over the whole load window (it ends where the failure window ends).
      const since = Math.ceil(
        (Date.parse(facts.loadWindow.to) - Date.parse(facts.loadWindow.from)) / 86_400_000,
      );
      const last = latestOf(before.map((e) => e.timestamp));
      const ids = [...new Set(before.map((e) => e.errorId).filter((id) => id > 0))].sort();
      findings.push(
        buildFinding(failuresBeforeWindow, {
          // The rows are summarised (one per node and error id, with a count): "Seen" counts failures.
          count: n,
          evidence: before.map((e) => evidenceOf(e, reader.read(e.message, e.errorId).m.code)),
          details: [
            `${n} attestation failure${n === 1 ? "" : "s"}${ids.length > 0 ? ` (error ${ids.join(", ")})` : ""} in the ${days} day${days === 1 ? "" : "s"} before the window ${span(facts.window)} (last at ${last}); re-run with --since ${since}d.`,
          ],
          context: ctx,
        }),
      );
    }
  }

  if (
    findings.length === 0 &&
    facts.attestationEvents?.length === 0 &&
    (facts.attestationClasses ?? []).length === 0
  ) {
    const loads = enclaveLoads(facts.enclaveEvents ?? []);
    const others = nonDcDatabases(databases ?? []);
    const show = (ds: readonly DatabaseFact[]) => ds.map((d) => `${d.name} (${d.slo})`).join(", ");
    const details = [
      `No 37324/37303/37325/37309 rows in ${span(facts.window)}.`,
      `Databases on DC-series: ${show((databases ?? []).filter((d) => !others.includes(d)))}.`,
      ...(others.length > 0
        ? [`Not on DC-series (no enclave there, and no failures logged): ${show(others)}.`]
        : []),
      `Enclave loaded (37308) on: ${[...new Set(loads.map((e) => e.nodeName))].sort().join(", ")}.`,
    ];
    findings.push(buildFinding(noAttestationFailures, { details, context: ctx }));
  }
  const sorted = sortFindings(findings, priorityOf);
  return {
    verdict: sorted.length === 0 ? "needs_info" : mostUrgent(sorted.map((f) => f.category)),
    findings: sorted,
  };
}
