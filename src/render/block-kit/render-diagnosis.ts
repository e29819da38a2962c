/**
 * DiagnosisView -> Block Kit message: a header with the verdict, one section per finding with
 * the mitigation commands in code blocks, context lines for the window and data freshness, and
 * the buttons. Reads only the view model (the Teams card reads the same one); keeps to LIMITS.
 */
import type { DiagnosisView, FindingView } from "../../domain/view/check-view.js";
import { chatCommand } from "../chat-command.js";
import { localizeTimes, slackTime } from "../time.js";
import { ACTION_IDS, encodeButtonValue } from "./actions.js";
import { type Block, type Button, context, divider, plain, type SlackMessage, section } from "./blocks.js";
import { fencedCode, fitGroups, joinWithin, LIMITS, truncate } from "./limits.js";
import { escapeMrkdwn, inlineCode, link } from "./mrkdwn.js";

/** Prose escaped, its UTC instants as Slack dates (the reader's time zone). */
const prose = (text: string) => localizeTimes(escapeMrkdwn(text), slackTime);

export interface DiagnosisRenderOptions {
  /** Opaque reference the buttons carry back (the adapter's result store key); null = no buttons. */
  readonly ref: string | null;
  /** Offer "Post to channel" (not on a message that is already in the channel). */
  readonly offerPost: boolean;
}

/**
 * Text kept free below LIMITS.totalText for the line "Posted by @user with attest" that the
 * "Post to channel" button adds to this message (renderPostedBy).
 */
export const POSTED_BY_ROOM = 100;

/** Longest line of a finding section before the section as a whole is fitted. */
const LINE_MAX = 1200;

function findingText(f: FindingView, n: number): string {
  const e = escapeMrkdwn;
  const lines = [`*${n}. ${e(f.title)}*  ·  _${e(f.categoryLabel)}_`, prose(f.why)];
  if (f.occurrence) lines.push(`*Seen:* ${prose(f.occurrence)}`);
  for (const d of f.details) lines.push(`• ${prose(d)}`);
  lines.push(`*Do:* ${prose(f.mitigation)}`);
  const source = f.source.url ? link(f.source.url, f.source.title) : e(f.source.title);
  lines.push(`*Owner:* ${e(f.owner)}  ·  *Source:* ${source}`);
  return joinWithin(
    lines.map((l) => truncate(l, LINE_MAX)),
    LIMITS.text,
    "lines",
  );
}

function findingBlocks(f: FindingView, n: number): Block[] {
  const blocks = [section(findingText(f, n))];
  if (f.commands.length > 0) {
    const fences = f.commands.map((c) => fencedCode(chatCommand(c), LIMITS.text - 100));
    blocks.push(section(joinWithin(fences, LIMITS.text, "commands")));
  }
  blocks.push(divider);
  return blocks;
}

function headBlocks(view: DiagnosisView): Block[] {
  const v = view.verdict;
  const e = escapeMrkdwn;
  const title = view.kind === "check" ? `${v.icon} ${v.label} — ${view.subject}` : `${v.icon} ${v.label}`;
  const summary = [`*${e(v.headline)}*`, `Whose move: *${e(v.whoseMove)}*`];
  if (view.database) summary.push(`Database: ${inlineCode(view.database)}`);
  if (view.attestationUrl) summary.push(`Attestation URL: ${inlineCode(view.attestationUrl)}`);
  const blocks: Block[] = [
    { type: "header", text: plain(truncate(title, LIMITS.header)) },
    section(
      joinWithin(
        summary.map((l) => truncate(l, LINE_MAX)),
        LIMITS.text,
        "lines",
      ),
    ),
  ];
  const facts =
    view.kind === "check"
      ? [
          `🕒 *Window:* ${prose(view.window ?? "")}`,
          `📡 *Data:* ${prose(view.freshness ?? "")}`,
          ...(view.cached ? [`♻️ *Cached:* ${prose(view.cached)}`] : []),
        ]
      : [`📋 From pasted text, ${localizeTimes(view.generatedAt, slackTime)}`];
  blocks.push(context(...facts.map((l) => truncate(l, LIMITS.text))));
  const failed = view.queries.filter((q) => q.status === "failed");
  if (failed.length > 0) {
    const which = failed.map((q) => `${q.name}${q.note ? ` (${q.note})` : ""}`).join("; ");
    blocks.push(
      context(
        truncate(
          `⚠️ ${failed.length} of ${view.queries.length} checks could not run: ${e(which)}. Their findings may be missing.`,
          LIMITS.text,
        ),
      ),
    );
  }
  blocks.push(divider);
  return blocks;
}

function buttons(view: DiagnosisView, options: DiagnosisRenderOptions): Block[] {
  const out: Button[] = [];
  const notes: string[] = [];
  if (options.ref !== null) {
    const value = encodeButtonValue({ ref: options.ref, command: view.rerunCommand });
    if (view.rerunCommand)
      out.push({ type: "button", action_id: ACTION_IDS.rerun, text: plain("🔁 Re-run"), value });
    if (view.evidence.length > 0)
      out.push({ type: "button", action_id: ACTION_IDS.evidence, text: plain("🔎 Show evidence"), value });
    if (view.queries.length > 0)
      out.push({ type: "button", action_id: ACTION_IDS.kql, text: plain("📜 Show KQL"), value });
    if (options.offerPost)
      out.push({ type: "button", action_id: ACTION_IDS.post, text: plain("📣 Post to channel"), value });
  }
  if (view.explorerUrl) {
    if (view.explorerUrl.length <= LIMITS.buttonUrl)
      out.push({
        type: "button",
        action_id: ACTION_IDS.explorer,
        text: plain("Open in Azure Data Explorer"),
        url: view.explorerUrl,
      });
    else notes.push("_The Azure Data Explorer link is too long for a button; use Show KQL instead._");
  }
  const blocks: Block[] = [];
  if (out.length > 0) blocks.push({ type: "actions", block_id: "attest_actions", elements: out });
  if (notes.length > 0) blocks.push(context(...notes));
  return blocks;
}

/** The fallback text (notifications, screen readers). */
export function diagnosisSummary(view: DiagnosisView): string {
  const v = view.verdict;
  return truncate(escapeMrkdwn(`${v.icon} ${v.label}: ${v.headline} (${view.subject})`), LIMITS.fallback);
}

export function renderDiagnosis(view: DiagnosisView, options: DiagnosisRenderOptions): SlackMessage {
  const groups =
    view.findings.length > 0
      ? view.findings.map((f, i) => findingBlocks(f, i + 1))
      : [[section("_No findings._")]];
  const hint =
    view.kind === "check" && view.rerunCommand
      ? `Run ${inlineCode(view.rerunCommand)} in the CLI for the full report.`
      : "Use the CLI for the full report.";
  return {
    text: diagnosisSummary(view),
    blocks: fitGroups(
      headBlocks(view),
      groups,
      buttons(view, options),
      "findings",
      truncate(hint, 2000),
      LIMITS.blocks,
      LIMITS.totalText - POSTED_BY_ROOM,
    ),
  };
}
