/** Turns a rule and its evidence into one Finding (repeated rows grouped), and orders findings. */
import { fillMitigation, type MitigationContext } from "./rules/rule.js";
import { CATEGORIES, type Evidence, type Finding, type RuleMeta } from "./types.js";

/** Evidence rows kept per finding (newest first); `count` still counts them all. */
export const EVIDENCE_CAP = 50;

export interface FindingInput {
  readonly evidence?: readonly Evidence[];
  readonly details?: readonly string[];
  /** Defaults to the number of evidence rows, or 1 for a fact-based finding. */
  readonly count?: number;
  readonly context?: MitigationContext;
  /** First/last seen over all rows when known beyond the evidence (a query summary); widened by the evidence. */
  readonly firstSeen?: string | null;
  readonly lastSeen?: string | null;
}

const byNewest = (a: Evidence, b: Evidence) => (b.timestamp ?? "").localeCompare(a.timestamp ?? "");

export function buildFinding(meta: RuleMeta, input: FindingInput = {}): Finding {
  const evidence = [...(input.evidence ?? [])].sort(byNewest);
  const times = [...evidence.map((e) => e.timestamp), input.firstSeen, input.lastSeen]
    .flatMap((t) => (t ? [t] : []))
    .sort();
  const nodes = [...new Set(evidence.flatMap((e) => (e.node ? [e.node] : [])))].sort();
  return {
    rule: meta.id,
    category: meta.category,
    title: meta.title,
    why: meta.why,
    mitigation: fillMitigation(meta, input.context ?? {}),
    owner: meta.owner,
    source: meta.source,
    // A finding backed by no row (healthy, no telemetry, a query that failed) counted nothing: 0.
    count: input.count ?? evidence.length,
    firstSeen: times[0] ?? null,
    lastSeen: times[times.length - 1] ?? null,
    nodes,
    details: [...new Set(input.details ?? [])],
    evidence: evidence.slice(0, EVIDENCE_CAP),
  };
}

/** Most urgent category first, then most frequent, then rule priority (lower first). */
export function sortFindings(findings: readonly Finding[], priorityOf: (rule: string) => number): Finding[] {
  return [...findings].sort(
    (a, b) =>
      CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) ||
      Math.max(b.count, 1) - Math.max(a.count, 1) ||
      priorityOf(a.rule) - priorityOf(b.rule),
  );
}
