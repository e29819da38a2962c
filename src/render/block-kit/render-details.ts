/** The "Show evidence" and "Show KQL" replies: the rows and queries behind a diagnosis. */
import type { DiagnosisView, QueryView } from "../../domain/view/check-view.js";
import { evidenceCause } from "../../domain/view/check-view.js";
import { localizeTimes, slackTime } from "../time.js";
import { type Block, context, type SlackMessage, section } from "./blocks.js";
import { blockTextLength, fencedCode, fitGroups, joinWithin, LIMITS, truncate } from "./limits.js";
import { escapeMrkdwn, inlineCode } from "./mrkdwn.js";

/** What prints every row and every query in full: the CLI's JSON report. */
function fullReport(view: DiagnosisView): string {
  return view.fullReportCommand
    ? `${inlineCode(view.fullReportCommand)} in the CLI has them all.`
    : "The CLI's JSON report (--format json) has them all.";
}

/** Evidence rows shown at most; the rest are counted. */
export const MAX_EVIDENCE_ROWS = 60;
/**
 * Rows kept when the message's total text (`LIMITS.totalText`) is short: rows are dropped first,
 * down to this many; then their message excerpts are shortened (`EXCERPTS`, longest first).
 */
export const MIN_EVIDENCE_ROWS = 5;
/** Excerpt lengths tried in turn, from the normal one down. */
const EXCERPTS = [300, 150, 80, 40] as const;
/** Room kept for the closing note on what was left out. */
const NOTE_ROOM = 300;

function excerpt(message: string, max: number): string {
  const one = message.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

type EvidenceRow = DiagnosisView["evidence"][number];

function evidenceLine(r: EvidenceRow, excerptMax: number): string {
  const parts = [
    r.timestamp ? localizeTimes(r.timestamp, slackTime) : "`-`",
    r.node ? inlineCode(r.node) : null,
    r.errorId !== null ? `error ${r.errorId}` : null,
    r.code ? inlineCode(r.code) : null,
    `_${escapeMrkdwn(r.rule)}_`,
  ].filter((p) => p !== null);
  return truncate(
    `• ${parts.join(" · ")}\n    ${escapeMrkdwn(excerpt(evidenceCause(r.message), excerptMax))}`,
    LIMITS.text,
  );
}

/** Characters `lines` take when packed into sections (one newline between lines, counted always). */
const packedLength = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0);

/**
 * The newest rows whose lines fit in `room` characters: rows are dropped first (down to
 * MIN_EVIDENCE_ROWS), then excerpts shortened; returns the lines and the excerpt length used.
 */
function fitEvidence(rows: readonly EvidenceRow[], room: number): { lines: string[]; excerptMax: number } {
  let fallback: { lines: string[]; excerptMax: number } = { lines: [], excerptMax: EXCERPTS[0] };
  for (const excerptMax of EXCERPTS) {
    const all = rows.map((r) => evidenceLine(r, excerptMax));
    const lines: string[] = [];
    let used = 0;
    for (const line of all) {
      if (used + line.length + 1 > room) break;
      lines.push(line);
      used += line.length + 1;
    }
    fallback = { lines, excerptMax };
    if (lines.length >= Math.min(MIN_EVIDENCE_ROWS, rows.length)) return fallback;
  }
  return fallback;
}

/** Splits lines into section texts of at most `max` characters each (a longer line is truncated). */
function chunk(lines: readonly string[], max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current && current.length + 1 + line.length > max) {
      out.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out;
}

export function renderEvidence(view: DiagnosisView): SlackMessage {
  const rows = view.evidence;
  const title = `*Evidence — ${escapeMrkdwn(view.subject)}* (${rows.length} ${rows.length === 1 ? "row" : "rows"}, newest first)`;
  if (rows.length === 0)
    return { text: `Evidence — ${view.subject}: none`, blocks: [section(`${title}\n_No evidence rows._`)] };
  const head = [section(truncate(title, LIMITS.text))];
  const room = LIMITS.totalText - blockTextLength(head) - NOTE_ROOM;
  const candidates = rows.slice(0, MAX_EVIDENCE_ROWS);
  const whole = candidates.map((r) => evidenceLine(r, EXCERPTS[0]));
  const fitted =
    packedLength(whole) <= room ? { lines: whole, excerptMax: EXCERPTS[0] } : fitEvidence(candidates, room);
  const left = rows.length - fitted.lines.length;
  const notes: string[] = [];
  if (left > 0) notes.push(`${left} more rows not shown`);
  if (fitted.excerptMax < EXCERPTS[0])
    notes.push(`messages cut to ${fitted.excerptMax} characters to fit one Slack message`);
  const groups = chunk(fitted.lines, LIMITS.text).map((t): Block[] => [section(t)]);
  const tail: Block[] = notes.length > 0 ? [context(`_… ${notes.join("; ")}._ ${fullReport(view)}`)] : [];
  return {
    text: truncate(`Evidence — ${view.subject}: ${rows.length} rows`, LIMITS.fallback),
    blocks: fitGroups(head, groups, tail, "row groups", fullReport(view)),
  };
}

export interface QueriesRenderOptions {
  /** The query as it should be shown (e.g. runnable, with its parameter values bound). */
  readonly format: (query: QueryView) => string;
}

/** A query's code is never cut below this to make room; queries are dropped (and counted) instead. */
const MIN_KQL = 400;

/**
 * Shares `room` characters among texts of the given lengths: short ones keep their length, the
 * rest split what is left evenly (each capped at `cap`).
 */
export function shareRoom(lengths: readonly number[], room: number, cap: number): number[] {
  const out = lengths.map(() => 0);
  const order = lengths.map((length, i) => ({ length: Math.min(length, cap), i }));
  order.sort((a, b) => a.length - b.length);
  let left = room;
  order.forEach(({ length, i }, k) => {
    const share = Math.floor(left / (order.length - k));
    out[i] = Math.max(0, Math.min(length, share));
    left -= out[i] ?? 0;
  });
  return out;
}

export function renderQueries(view: DiagnosisView, options: QueriesRenderOptions): SlackMessage {
  const title = `*KQL — ${escapeMrkdwn(view.subject)}* (${view.queries.length} ${view.queries.length === 1 ? "query" : "queries"})`;
  if (view.queries.length === 0)
    return { text: `KQL — ${view.subject}: none`, blocks: [section(`${title}\n_No queries were run._`)] };
  const head = [section(truncate(title, LIMITS.text))];
  const heads = view.queries.map((q) => {
    const status = q.status === "ok" ? "ok" : "FAILED";
    const lines = [`*${escapeMrkdwn(q.name)}* — ${status}, ${q.rows} rows, ${q.ms} ms`];
    if (q.note) lines.push(`_${escapeMrkdwn(q.note)}_`);
    if (q.requestId) lines.push(`Client request id: ${inlineCode(q.requestId)}`);
    return section(
      joinWithin(
        lines.map((l) => truncate(l, 1000)),
        LIMITS.text,
        "lines",
      ),
    );
  });
  const codes = view.queries.map((q) => options.format(q));
  // The KQL text is shortened last: the budget left after the title, every query's heading and
  // a note is shared among the queries; a query cut below MIN_KQL is left out instead (fitGroups).
  const room = LIMITS.totalText - blockTextLength(head) - blockTextLength(heads) - NOTE_ROOM;
  const full = codes.map((c) => fencedCode(c, LIMITS.text).length);
  const shares = shareRoom(full, room, LIMITS.text);
  const groups = view.queries.map((_, i): Block[] => {
    const share = shares[i] ?? 0;
    const fit = share >= (full[i] ?? 0) ? LIMITS.text : Math.max(MIN_KQL, share);
    return [heads[i] ?? section("-"), section(fencedCode(codes[i] ?? "", fit))];
  });
  return {
    text: truncate(`KQL — ${view.subject}`, LIMITS.fallback),
    blocks: fitGroups(head, groups, [], "queries", fullReport(view)),
  };
}
