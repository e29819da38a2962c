/** The "Show evidence" and "Show KQL" replies: the rows and queries behind a diagnosis. */
import type { DiagnosisView, QueryView } from "../../domain/view/check-view.js";
import { type Block, context, type SlackMessage, section } from "./blocks.js";
import { fencedCode, fitGroups, joinWithin, LIMITS, truncate } from "./limits.js";
import { escapeMrkdwn, inlineCode } from "./mrkdwn.js";

/** Evidence rows shown at most; the rest are counted. */
export const MAX_EVIDENCE_ROWS = 60;
const EXCERPT = 300;

function excerpt(message: string): string {
  const one = message.replace(/\s+/g, " ").trim();
  return one.length > EXCERPT ? `${one.slice(0, EXCERPT - 1)}…` : one;
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
  const shown = rows.slice(0, MAX_EVIDENCE_ROWS);
  const lines = shown.map((r) => {
    const parts = [
      r.timestamp ? inlineCode(r.timestamp) : "`-`",
      r.node ? inlineCode(r.node) : null,
      r.errorId !== null ? `error ${r.errorId}` : null,
      r.code ? inlineCode(r.code) : null,
      `_${escapeMrkdwn(r.rule)}_`,
    ].filter((p) => p !== null);
    return `• ${parts.join(" · ")}\n    ${escapeMrkdwn(excerpt(r.message))}`;
  });
  const groups = chunk(lines, LIMITS.text).map((t): Block[] => [section(t)]);
  const tail: Block[] =
    rows.length > shown.length
      ? [context(`_… ${rows.length - shown.length} more rows not shown; the CLI's \`--json\` has them all._`)]
      : [];
  return {
    text: truncate(`Evidence — ${view.subject}: ${rows.length} rows`, LIMITS.fallback),
    blocks: fitGroups([section(title)], groups, tail, "row groups", "The CLI's `--json` has them all."),
  };
}

export interface QueriesRenderOptions {
  /** The query as it should be shown (e.g. runnable, with its parameter values bound). */
  readonly format: (query: QueryView) => string;
}

export function renderQueries(view: DiagnosisView, options: QueriesRenderOptions): SlackMessage {
  const title = `*KQL — ${escapeMrkdwn(view.subject)}* (${view.queries.length} ${view.queries.length === 1 ? "query" : "queries"})`;
  if (view.queries.length === 0)
    return { text: `KQL — ${view.subject}: none`, blocks: [section(`${title}\n_No queries were run._`)] };
  const groups = view.queries.map((q): Block[] => {
    const status = q.status === "ok" ? "ok" : "FAILED";
    const head = [`*${escapeMrkdwn(q.name)}* — ${status}, ${q.rows} rows, ${q.ms} ms`];
    if (q.note) head.push(`_${escapeMrkdwn(q.note)}_`);
    if (q.requestId) head.push(`Client request id: ${inlineCode(q.requestId)}`);
    return [
      section(
        joinWithin(
          head.map((l) => truncate(l, 1000)),
          LIMITS.text,
          "lines",
        ),
      ),
      section(fencedCode(options.format(q), LIMITS.text)),
    ];
  });
  return {
    text: truncate(`KQL — ${view.subject}`, LIMITS.fallback),
    blocks: fitGroups([section(title)], groups, [], "queries", "The CLI's `--json` has them all."),
  };
}
