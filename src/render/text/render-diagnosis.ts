/** Renders a DiagnosisView as plain text for a terminal (and for chat fallbacks). */
import { type DiagnosisView, evidenceCause, type FindingView } from "../../domain/view/check-view.js";
import { localizeTimes, textTime } from "../time.js";

/** Prose with every instant as `YYYY-MM-DD HH:MM UTC`. */
const prose = (text: string) => localizeTimes(text, textTime);

export interface TextOptions {
  /** Evidence rows printed per finding. */
  readonly evidencePerFinding: number;
  /**
   * How the reader runs an `attest …` command where this text is read: "attest" in chat, and
   * "npm run -s attest --" in a terminal (the CLI is an npm script, not a binary on the PATH).
   */
  readonly commandPrefix: string;
}

const DEFAULTS: TextOptions = { evidencePerFinding: 3, commandPrefix: "attest" };

const indent = (text: string, by = "    ") =>
  text
    .split("\n")
    .map((l) => (l ? by + l : l))
    .join("\n");

function excerpt(message: string, max = 160): string {
  const one = message.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function renderFinding(f: FindingView, n: number, options: TextOptions): string {
  const lines = [`${n}. [${f.categoryLabel}] ${f.title}`, `   Why: ${prose(f.why)}`];
  if (f.occurrence) lines.push(`   Seen: ${prose(f.occurrence)}`);
  for (const d of f.details) lines.push(`   - ${prose(d)}`);
  lines.push(`   Do: ${prose(f.mitigation)}`);
  // Commands set apart by single blank lines.
  for (const c of f.commands) lines.push("", indent(c, "       "));
  if (f.commands.length > 0) lines.push("");
  lines.push(
    `   Owner: ${f.owner}`,
    `   Source: ${f.source.title}${f.source.url ? ` <${f.source.url}>` : ""}`,
  );
  const shown = f.evidence.slice(0, options.evidencePerFinding);
  if (shown.length > 0) {
    lines.push("   Evidence:");
    for (const e of shown)
      lines.push(
        `     ${e.timestamp ? prose(e.timestamp) : "-"}  ${e.node ?? "-"}  ${e.errorId ?? "-"}  ${e.code ?? "-"}  ${excerpt(evidenceCause(e.message))}`,
      );
    const more = f.count - shown.length;
    if (more > 0) lines.push(`     … and ${more} more`);
  }
  return lines.join("\n");
}

export function renderDiagnosisText(view: DiagnosisView, options: Partial<TextOptions> = {}): string {
  const o = { ...DEFAULTS, ...options };
  const v = view.verdict;
  const head =
    view.kind === "check"
      ? `attest check ${view.subject}${view.database ? ` / ${view.database}` : ""}`
      : "attest explain";
  const out = [head, "", `${v.icon} ${v.label.toUpperCase()}: ${v.headline}`, `Whose move: ${v.whoseMove}`];
  if (view.window) out.push(`Window: ${view.window}`);
  if (view.freshness) out.push(`Data: ${view.freshness}`);
  if (view.cached) out.push(`Cached: ${view.cached}`);
  if (view.attestationUrl) out.push(`Attestation URL: ${view.attestationUrl}`);
  out.push("");
  view.findings.forEach((f, i) => {
    out.push(renderFinding(f, i + 1, o), "");
  });
  if (view.queries.length > 0) {
    out.push("Checks run:");
    for (const q of view.queries)
      out.push(
        `  ${q.status === "ok" ? "ok    " : "FAILED"} ${q.name} (${q.rows} ${q.rows === 1 ? "row" : "rows"}, ${q.ms} ms)${q.note ? ` — ${q.note}` : ""}`,
      );
  }
  if (view.explorerUrl) out.push("", `Open in Azure Data Explorer: ${view.explorerUrl}`);
  if (view.rerunCommand) out.push("", `Re-run: ${view.rerunCommand.replace(/^attest\b/, o.commandPrefix)}`);
  return `${out.join("\n").trimEnd()}\n`;
}
