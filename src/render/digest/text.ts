/** The digest as plain text (CLI, logs, fallback notification text). */
import type { DigestPost } from "../../ports/chat-poster.js";
import {
  incidentLines,
  missedLine,
  moreLine,
  pick,
  rulesLine,
  seenLine,
  snoozedLine,
  summaryLine,
  totalsLine,
  trendLine,
  unseenLine,
  verdictLabel,
  windowLine,
} from "./lines.js";

export function renderDigestText(post: DigestPost): string {
  const { view } = post;
  const { shown, more } = pick(post, Number.POSITIVE_INFINITY);
  const out = [post.title, `Window: ${windowLine(view)}`, `Totals: ${totalsLine(view)}`, summaryLine(view)];
  const unseen = unseenLine(view);
  if (unseen !== null) out.push(`⚠ ${unseen}`);
  const missed = missedLine(view);
  if (missed !== null) out.push(`⚠ ${missed}`);
  for (const i of incidentLines(view))
    out.push("", i.headline, `    ${i.servers}`, `    Escalate: ${i.escalate}`);
  const snoozed = snoozedLine(view);
  if (snoozed !== null) out.push("", snoozed);
  shown.forEach((s, i) => {
    out.push("", `${String(i + 1).padStart(2)}. ${s.server} — ${verdictLabel(s)}`);
    out.push(`    failures ${trendLine(s)}`);
    out.push(`    ${rulesLine(s, 5)}`);
    out.push(`    ${seenLine(s)}`);
  });
  if (more > 0) out.push("", moreLine(more));
  if (view.cleared.length > 0)
    out.push("", `Cleared: ${view.cleared.slice(0, 20).join(", ")}${view.cleared.length > 20 ? ", …" : ""}`);
  return `${out.join("\n")}\n`;
}
