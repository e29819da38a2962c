/**
 * `check`'s judgement: the rules applied to what Kusto answered. Repeated rows are grouped into
 * one finding per rule; a question without an answer or a server without telemetry is said so
 * (needs_info), never "healthy". Pure.
 */
import { providerOf } from "../url/check-attestation-url.js";
import { buildFinding, sortFindings } from "./build-finding.js";
import type { CheckFacts, DiagnoseOptions, HealthEvent } from "./facts.js";
import { parseMessage } from "./parse-message.js";
import { classify, priorityOf } from "./rules/catalog.js";
import {
  attestationUrlMalformed,
  databaseNotFound,
  dataUnavailable,
  enclaveLoadFailed,
  enclaveLoadFailures,
  enclaveLoadNotSeen,
  enclaveLoads,
  isDcSeriesSlo,
  noAttestationFailures,
  nonDcDatabases,
  nonSgxPlacements,
  noTelemetry,
  sloNotDcSeries,
  urlProblemDetails,
  vmSizeNotSgx,
} from "./rules/fact-rules.js";
import type { MitigationContext } from "./rules/rule.js";
import { type Diagnosis, type Evidence, type Finding, mostUrgent, type RuleMeta } from "./types.js";

const span = (w: { from: string; to: string }) => `${w.from} – ${w.to}`;

function evidenceOf(e: HealthEvent, code: string | null): Evidence {
  return { timestamp: e.timestamp, node: e.nodeName || null, errorId: e.errorId, code, message: e.message };
}

interface Group {
  readonly meta: RuleMeta;
  readonly evidence: Evidence[];
  readonly details: string[];
  provider: string | null;
}

/** Attestation failure rows grouped per rule, plus the malformed URLs quoted in them and in --url. */
function eventFindings(facts: CheckFacts, ctx: MitigationContext): Finding[] {
  const groups = new Map<string, Group>();
  const group = (meta: RuleMeta): Group => {
    const g = groups.get(meta.id) ?? { meta, evidence: [], details: [], provider: null };
    groups.set(meta.id, g);
    return g;
  };
  for (const event of facts.attestationEvents ?? []) {
    const m = parseMessage(event.message);
    const g = group(classify(m, { telemetry: true }).meta);
    const evidence = evidenceOf(event, m.code);
    g.evidence.push(evidence);
    if (g.meta.id === "unrecognised-error") g.details.push(`Unrecognised: ${m.text.slice(0, 500)}`);
    if (m.code)
      g.details.push(
        `Code ${m.code}${m.httpStatus ? ` = HTTP ${m.httpStatus}` : ""}${m.maaCode ? ` (MAA error code ${m.maaCode})` : ""}.`,
      );
    for (const url of m.urls) {
      g.provider ??= providerOf(url);
      const problems = urlProblemDetails("URL quoted in the message", url);
      if (problems.length > 0) {
        const u = group(attestationUrlMalformed);
        u.evidence.push(evidence);
        u.details.push(...problems);
        u.provider ??= providerOf(url);
      }
    }
  }
  if (facts.attestationUrl !== null) {
    const problems = urlProblemDetails("--url", facts.attestationUrl);
    if (problems.length > 0) group(attestationUrlMalformed).details.push(...problems);
  }
  const truncated = facts.attestationTruncated
    ? [
        `The failure query hit its row cap: only the newest ${facts.attestationEvents?.length ?? 0} rows were read, so counts are lower bounds.`,
      ]
    : [];
  return [...groups.values()].map((g) =>
    buildFinding(g.meta, {
      evidence: g.evidence,
      details: [...g.details, ...(g.evidence.length > 0 ? truncated : [])],
      context: { ...ctx, provider: g.provider },
    }),
  );
}

function missingAnswers(facts: CheckFacts): string[] {
  const missing: string[] = [];
  if (facts.attestationEvents === null)
    missing.push("attestation failures (MonSQLSystemHealth, error ids 37324/37303/37325/37309)");
  if (facts.enclaveEvents === null) missing.push("enclave load events (MonSQLSystemHealth, error id 37308)");
  if (facts.databases === null) missing.push("database SLOs (MonAnalyticsDBSnapshot)");
  if (facts.placements === null || facts.serverSeen === null)
    missing.push("placement and ring VM size (MonSQLSystemHealth ClusterName, MonTenantRingCapacity)");
  for (const p of facts.placements ?? [])
    if (p.vmSize === null) missing.push(`VM size of ring ${p.ringName} (not found in MonTenantRingCapacity)`);
  return missing.map((m) => `Not answered: ${m}.`);
}

export function diagnose(facts: CheckFacts, options: DiagnoseOptions): Diagnosis {
  const ctx: MitigationContext = { server: facts.server, database: facts.database };
  const findings: Finding[] = [];
  const missing = missingAnswers(facts);
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

  findings.push(...eventFindings(facts, ctx));

  const databases = facts.databases;
  const nonDc = databases ? nonDcDatabases(databases) : [];
  if (databases !== null) {
    const named = facts.database;
    if (databases.length === 0 && !unseen) {
      const what = named
        ? `Database "${named}" of server "${facts.server}"`
        : `No database of server "${facts.server}"`;
      findings.push(
        buildFinding(databaseNotFound, {
          details: [`${what} is not in MonAnalyticsDBSnapshot for ${span(facts.loadWindow)}.`],
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
          details: nonDc.map((d) => `${d.name}: service objective ${d.slo || "(empty)"}`),
          context: { ...ctx, database: nonDc.length === 1 ? (nonDc[0]?.name ?? null) : ctx.database },
        }),
      );
    }
  }

  // The VM size matters for DC-series databases; for non-DC ones the SLO finding already says it all.
  const someDc = databases === null || databases.length === 0 || databases.some((d) => isDcSeriesSlo(d.slo));
  if (facts.placements !== null && someDc) {
    const bad = nonSgxPlacements(facts.placements, options.sgxVmSizes);
    if (bad.length > 0)
      findings.push(
        buildFinding(vmSizeNotSgx, {
          count: bad.length,
          details: bad.map(
            (p) => `Ring ${p.ringName}: VM size ${p.vmSize}; expected ${options.sgxVmSizes.join(" or ")}.`,
          ),
          context: ctx,
        }),
      );
  }

  if (facts.enclaveEvents !== null) {
    const allNonDc = databases !== null && databases.length > 0 && nonDc.length === databases.length;
    if (enclaveLoads(facts.enclaveEvents).length === 0 && !unseen && !allNonDc)
      findings.push(
        buildFinding(enclaveLoadNotSeen, {
          details: [`No 37308 event for "${facts.server}" in ${span(facts.loadWindow)}.`],
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

  if (findings.length === 0 && facts.attestationEvents?.length === 0) {
    const loads = enclaveLoads(facts.enclaveEvents ?? []);
    const details = [
      `No 37324/37303/37325/37309 rows in ${span(facts.window)}.`,
      `Databases on DC-series: ${(databases ?? []).map((d) => `${d.name} (${d.slo})`).join(", ")}.`,
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
