/** The machine-readable form of `check` and `explain` (`--format json`). */
import type { Diagnosis } from "../domain/diagnosis/types.js";
import type { CheckReport } from "./run-check.js";

function findingsJson(diagnosis: Diagnosis) {
  return diagnosis.findings.map((f) => ({
    rule: f.rule,
    category: f.category,
    title: f.title,
    why: f.why,
    mitigation: f.mitigation,
    owner: f.owner,
    source: f.source,
    count: f.count,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    nodes: f.nodes,
    details: f.details,
    evidence: f.evidence,
  }));
}

export function checkReportJson(report: CheckReport) {
  return {
    server: report.server,
    database: report.database,
    window: report.window,
    verdict: report.diagnosis.verdict,
    findings: findingsJson(report.diagnosis),
    freshness: report.freshness,
    /** Age (ms) of the oldest answer served from the Kusto answer cache; null when all are fresh. */
    cacheAgeMs: report.cacheAgeMs ?? null,
    generatedAt: report.generatedAt,
    queries: report.queries.map((q) => ({
      name: q.name,
      requestId: q.requestId,
      durationMs: q.durationMs,
      rows: q.rows,
      failure: q.failure,
      // The whole query: what the cards and Slack point to when they shorten or leave out KQL.
      kql: q.text,
    })),
  };
}

export function explainJson(diagnosis: Diagnosis) {
  return { verdict: diagnosis.verdict, findings: findingsJson(diagnosis) };
}
