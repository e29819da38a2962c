/**
 * The platform-neutral view of a `check` or `explain` result. Renderers (Adaptive Card, Block Kit,
 * text) read only this; each applies its own platform limits.
 */
import type { Category, Diagnosis, Evidence, Finding } from "../diagnosis/types.js";
import { CATEGORY_VIEW, type Tone } from "./labels.js";

export interface FindingView {
  readonly rule: string;
  readonly category: Category;
  readonly categoryLabel: string;
  readonly tone: Tone;
  readonly title: string;
  readonly why: string;
  /** e.g. "12 times, 09:01–11:45 UTC on 3 nodes"; null for a fact-based finding. */
  readonly occurrence: string | null;
  readonly count: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly nodes: readonly string[];
  readonly details: readonly string[];
  readonly mitigation: string;
  readonly commands: readonly string[];
  readonly owner: string;
  readonly source: { readonly title: string; readonly url: string | null };
  readonly evidence: readonly Evidence[];
}

export interface QueryView {
  readonly name: string;
  readonly text: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly status: "ok" | "failed";
  readonly rows: number;
  readonly ms: number;
  readonly note: string | null;
  readonly requestId: string | null;
}

export interface DiagnosisView {
  readonly kind: "check" | "explain";
  /** e.g. "sgxtestuksouthsrv" or "Pasted error". */
  readonly subject: string;
  readonly database: string | null;
  readonly attestationUrl: string | null;
  readonly verdict: {
    readonly category: Category;
    readonly label: string;
    readonly whoseMove: string;
    readonly tone: Tone;
    readonly icon: string;
    /** One line: the most urgent finding's title. */
    readonly headline: string;
  };
  /** "2026-11-24 06:00–09:00 UTC (last 3h)"; null for explain. */
  readonly window: string | null;
  readonly windowRange: { readonly from: string; readonly to: string } | null;
  /** "latest telemetry 09:58 UTC (2 min before the check)", or a warning when none. */
  readonly freshness: string | null;
  /** "Kusto answer from 40 s ago (cached)" when an answer came from the answer cache; else null. */
  readonly cached?: string | null;
  readonly findings: readonly FindingView[];
  /** Every distinct evidence row of every finding, newest first (`rule`: the rules it backs, comma-separated). */
  readonly evidence: readonly (Evidence & { readonly rule: string })[];
  readonly queries: readonly QueryView[];
  /** "attest check <server> ..." to run the same check again. */
  readonly rerunCommand: string | null;
  /**
   * The CLI command that prints this report in full (every evidence row, every query's KQL):
   * what a card or message points to when it leaves something out. Without `--url` (it changes
   * no query), so it stays short.
   */
  readonly fullReportCommand: string | null;
  /** Azure Data Explorer deep link for the main query; null when there is no real cluster. */
  readonly explorerUrl: string | null;
  readonly generatedAt: string;
}

/** A source link: public https URLs as is; seed files have no URL. */
function sourceView(source: { title: string; ref: string }): FindingView["source"] {
  return { title: source.title, url: /^https:\/\//.test(source.ref) ? source.ref : null };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-11-24 09:01 UTC". */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "3h", "90m", "2d" from milliseconds. */
export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

function occurrence(f: Finding): string | null {
  if (!f.firstSeen) return null;
  const times = f.count === 1 ? "once" : `${f.count} times`;
  const span =
    f.firstSeen === f.lastSeen || !f.lastSeen
      ? formatInstant(f.firstSeen)
      : `${formatInstant(f.firstSeen)} – ${formatInstant(f.lastSeen)}`;
  const nodes =
    f.nodes.length === 0 ? "" : f.nodes.length === 1 ? ` on ${f.nodes[0]}` : ` on ${f.nodes.length} nodes`;
  return `${times}, ${span}${nodes}`;
}

export function findingView(f: Finding): FindingView {
  const c = CATEGORY_VIEW[f.category];
  return {
    rule: f.rule,
    category: f.category,
    categoryLabel: c.label,
    tone: c.tone,
    title: f.title,
    why: f.why,
    occurrence: occurrence(f),
    count: f.count,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    nodes: f.nodes,
    details: f.details,
    mitigation: f.mitigation.text,
    commands: f.mitigation.commands,
    owner: f.owner,
    source: sourceView(f.source),
    evidence: f.evidence,
  };
}

export interface CheckViewInput {
  readonly server: string;
  readonly database: string | null;
  readonly attestationUrl: string | null;
  readonly window: { readonly from: string; readonly to: string };
  readonly diagnosis: Diagnosis;
  readonly freshness: string | null;
  readonly generatedAt: string;
  readonly queries: readonly {
    readonly name: string;
    readonly text: string;
    readonly parameters: Readonly<Record<string, string>>;
    readonly requestId: string | null;
    readonly durationMs: number;
    readonly rows: number;
    readonly failure: { readonly message: string } | null;
  }[];
  readonly explorerUrl: string | null;
  /** Age (ms) of the oldest cached answer, or null/absent when all answers are fresh. */
  readonly cacheAgeMs?: number | null;
}

/** "Kusto answer from 40 s ago (cached)", "… from 2 min ago …"; null for a fresh answer. */
export function cacheAgeText(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  const s = Math.max(0, Math.round(ms / 1000));
  const age = s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
  return `Kusto answer from ${age} ago (cached)`;
}

function verdictOf(diagnosis: Diagnosis): DiagnosisView["verdict"] {
  const c = CATEGORY_VIEW[diagnosis.verdict];
  const top = diagnosis.findings.find((f) => f.category === diagnosis.verdict) ?? diagnosis.findings[0];
  return { category: diagnosis.verdict, ...c, headline: top?.title ?? c.label };
}

/**
 * Every distinct evidence row, newest first. One row can back several findings (a malformed URL
 * is also a 4xx): it is listed once, with the rules it backs, so the row count matches the
 * findings' "Seen" counts instead of adding them up.
 */
function allEvidence(findings: readonly Finding[]): DiagnosisView["evidence"] {
  const rows = new Map<string, Evidence & { rule: string }>();
  for (const f of findings)
    for (const e of f.evidence) {
      const key = JSON.stringify([e.timestamp, e.node, e.errorId, e.code, e.message]);
      const seen = rows.get(key);
      rows.set(key, seen ? { ...seen, rule: `${seen.rule}, ${f.rule}` } : { ...e, rule: f.rule });
    }
  return [...rows.values()].sort((a, b) => (b.timestamp ?? "").localeCompare(a.timestamp ?? ""));
}

/**
 * The part of an errorlog message that names the cause: the errorlog's own timestamp and spid
 * prefixes, the "Error: N, Severity: N, State: N." header (the error id has its own column), the
 * return code (its own column) and the boilerplate around them are dropped.
 */
export function evidenceCause(message: string): string {
  return (
    message
      .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? spid\d+s?\s*/g, "")
      .replace(/\bError: \d+, Severity: \d+, State: \d+\.\s*/g, "")
      .replace(/\bEnclave attestation failed\.\s*/g, "")
      .replace(/\bAttestation service returned (?=Error code)/g, "")
      .replace(/\s*Return code: '0x[0-9a-f]+'\.?/gi, "")
      .replace(
        /\s*Verify the attestation policy\. If the policy is correct, contact Customer Support Services\./g,
        "",
      )
      .replace(/\s+/g, " ")
      .trim() || message.replace(/\s+/g, " ").trim()
  );
}

function rerun(input: CheckViewInput, withUrl = true): string {
  const words = ["attest check", input.server];
  if (input.database) words.push(input.database);
  const ms = Date.parse(input.window.to) - Date.parse(input.window.from);
  words.push(`--since ${formatDuration(ms)}`);
  if (withUrl && input.attestationUrl) words.push(`--url "${input.attestationUrl.replace(/"/g, "")}"`);
  return words.join(" ");
}

/** The view of a `check` report. */
export function checkView(input: CheckViewInput): DiagnosisView {
  const ms = Date.parse(input.window.to) - Date.parse(input.window.from);
  const minutesOld = input.freshness
    ? Math.round((Date.parse(input.generatedAt) - Date.parse(input.freshness)) / 60_000)
    : null;
  return {
    kind: "check",
    subject: input.server,
    database: input.database,
    attestationUrl: input.attestationUrl,
    verdict: verdictOf(input.diagnosis),
    window: `${formatInstant(input.window.from)} – ${formatInstant(input.window.to)} (last ${formatDuration(ms)})`,
    windowRange: input.window,
    freshness:
      input.freshness === null
        ? "no telemetry from this server in the window"
        : `latest telemetry ${formatInstant(input.freshness)} (${minutesOld} min before the check)`,
    cached: cacheAgeText(input.cacheAgeMs),
    findings: input.diagnosis.findings.map(findingView),
    evidence: allEvidence(input.diagnosis.findings),
    queries: input.queries.map((q) => ({
      name: q.name,
      text: q.text,
      parameters: q.parameters,
      status: q.failure ? "failed" : "ok",
      rows: q.rows,
      ms: q.durationMs,
      note: q.failure?.message ?? null,
      requestId: q.requestId,
    })),
    rerunCommand: rerun(input),
    fullReportCommand: `${rerun(input, false)} --format json`,
    explorerUrl: input.explorerUrl,
    generatedAt: input.generatedAt,
  };
}

/** The view of an `explain` result (pasted text, no Kusto). */
export function explainView(diagnosis: Diagnosis, generatedAt: string): DiagnosisView {
  return {
    kind: "explain",
    subject: "Pasted error",
    database: null,
    attestationUrl: null,
    verdict: verdictOf(diagnosis),
    window: null,
    windowRange: null,
    freshness: null,
    findings: diagnosis.findings.map(findingView),
    evidence: allEvidence(diagnosis.findings),
    queries: [],
    rerunCommand: null,
    fullReportCommand: null,
    explorerUrl: null,
    generatedAt,
  };
}
