/**
 * The digest as Slack Block Kit: header, totals, one section per top server with a Run-check
 * button, then "and N more". Within Slack's limits: at most 50 blocks, section text at most
 * 3,000 characters, header text at most 150, button values at most 2,000.
 */
import type { DigestPost } from "../../ports/chat-poster.js";
import { localizeTimes, slackTime } from "../time.js";
import {
  checkCommand,
  clip,
  incidentLines,
  missedLine,
  moreLine,
  pick,
  rulesLine,
  seenLine,
  snoozeCommand,
  snoozedLine,
  summaryLine,
  totalsLine,
  trendLine,
  unseenLine,
  verdictLabel,
  windowLine,
} from "./lines.js";

/** Instants as Slack dates: the reader's time zone, the UTC text as fallback. */
const slack = (text: string) => localizeTimes(text, slackTime);

export const SLACK_MAX_BLOCKS = 50;
/** Header, context, totals, the no-telemetry section, divider and the trailing "more" context leave room for this many servers. */
export const BLOCKS_MAX_SERVERS = 40;
export const RUN_CHECK_ACTION = "attest_run_check";
/**
 * Text in all blocks together: Slack answers `msg_blocks_too_long` near 12,000 characters even when
 * every block is within its own limit (slackapi/bolt-js#2509, #2867). Counted as JSON: over-counts.
 */
export const SLACK_MAX_TOTAL_TEXT = 10_000;

/** Escapes Slack mrkdwn control characters. */
const esc = (t: string): string => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface SlackMessage {
  /** Notification and accessibility fallback. */
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

export function renderDigestBlocks(post: DigestPost): SlackMessage {
  const { view } = post;
  const { shown, more } = pick(post, BLOCKS_MAX_SERVERS);
  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: clip(post.title, 150), emoji: true } },
    { type: "context", elements: [{ type: "mrkdwn", text: slack(esc(windowLine(view))) }] },
    {
      type: "section",
      text: { type: "mrkdwn", text: clip(`*${esc(totalsLine(view))}*\n${esc(summaryLine(view))}`, 3000) },
    },
  ];
  const unseen = unseenLine(view);
  if (unseen !== null)
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: clip(`:warning: ${slack(esc(unseen))}`, 3000) },
    });
  const missed = missedLine(view);
  if (missed !== null)
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: clip(`:warning: ${slack(esc(missed))}`, 3000) },
    });
  // Issue 14: one row per fleet-wide incident, with its escalate button.
  for (const [i, line] of incidentLines(view).slice(0, 3).entries())
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: clip(`*${slack(esc(line.headline))}*\n${esc(line.servers)}`, 3000) },
      accessory: {
        type: "button",
        text: { type: "plain_text", text: "Escalation packet", emoji: false },
        action_id: `attest_followup_escalate_${i}`,
        value: clip(line.escalate, 2000),
      },
    });
  const snoozed = snoozedLine(view);
  if (snoozed !== null)
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: clip(esc(snoozed), 3000) }] });
  blocks.push({ type: "divider" });
  const size = (b: Record<string, unknown>) => JSON.stringify(b).length;
  // Room for the trailing "and N more" line.
  let used = blocks.reduce((n, b) => n + size(b), 0) + 200;
  let fitted = 0;
  for (const [i, s] of shown.entries()) {
    const text = [
      `*${esc(s.server)}* — ${esc(verdictLabel(s))}`,
      `Failures \`${esc(trendLine(s))}\``,
      esc(rulesLine(s)),
      `_${slack(esc(seenLine(s)))}_`,
    ].join("\n");
    const block = {
      type: "section",
      text: { type: "mrkdwn", text: clip(text, 3000) },
      accessory: {
        type: "button",
        text: { type: "plain_text", text: "Run check", emoji: false },
        action_id: `${RUN_CHECK_ACTION}_${i}`,
        value: clip(checkCommand(s.server), 2000),
      },
    };
    if (used + size(block) > SLACK_MAX_TOTAL_TEXT) break;
    blocks.push(block);
    used += size(block);
    fitted++;
  }
  const snooze = snoozeCommand(view);
  if (snooze !== null && fitted === 1)
    blocks.push({
      type: "actions",
      block_id: "attest_digest_snooze",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Snooze this server for a day", emoji: false },
          action_id: "attest_followup_snooze",
          value: clip(snooze, 2000),
        },
      ],
    });
  const left = more + shown.length - fitted;
  if (left > 0) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: moreLine(left) }] });
  return {
    text: clip(`${post.title}: ${totalsLine(view)} (${summaryLine(view)})`, 3000),
    blocks: blocks.slice(0, SLACK_MAX_BLOCKS),
  };
}
