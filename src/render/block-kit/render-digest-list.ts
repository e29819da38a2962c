/**
 * `attest digest list` as Block Kit (mrkdwn, escaped): one line per subscription with its id,
 * servers (shortened: "a, b, c and 117 more"), schedule, next run and state, packed whole into
 * sections of at most 3,000 characters. The whole message keeps under Slack's undocumented
 * cumulative text limit (`msg_blocks_too_long` near 12,000 characters, slackapi/bolt-js#2509 and
 * #2867) and 50 blocks; subscriptions beyond that are counted and their ids listed.
 */
import type { ChannelStatus, Subscription } from "../../domain/digest/subscription.js";
import { type Block, context, type SlackMessage, section } from "./blocks.js";
import { joinWithin, LIMITS, truncate } from "./limits.js";
import { escapeMrkdwn, inlineCode } from "./mrkdwn.js";
import { asTyped, type Invocation } from "./render-messages.js";

/** One subscription and when it runs next (the shape of the use case's SubscriptionLine). */
export interface DigestListEntry {
  readonly subscription: Subscription;
  /** ISO-8601 UTC, or null when the pattern never fires again. */
  readonly nextRun: string | null;
}

export interface DigestListView {
  readonly entries: readonly DigestListEntry[];
  /**
   * Stored subscriptions of this channel that cannot be read (a corrupt file), one plain-text line
   * each as the use case words them (id first, where it lives, why): failing, so never left out.
   */
  readonly unreadable?: readonly string[];
}

export const DIGEST_LIST_LIMITS = {
  /** Characters of text in all blocks together, with a margin below Slack's ~12,000. */
  totalText: 10_000,
  /** Server names shown per subscription before "and N more". */
  names: 3,
  /** Characters of the server names shown per subscription (the first name is always shown). */
  namesText: 60,
  /** A single server name (Azure allows 63) is cut to this. */
  name: 40,
  /** A failing subscription's reason. */
  reason: 120,
  /** One subscription line, whatever it holds. */
  line: 600,
  /** The closing note on subscriptions that did not fit (ids and how to see them). */
  overflowNote: 2_000,
  /** The section listing unreadable subscriptions. */
  unreadable: 2_000,
} as const;

/** "2026-11-26 08:00 UTC" from an ISO-8601 UTC instant; anything else as it came. */
function when(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** "whole fleet", "a, b" or "a, b, c and 117 more" (escaped mrkdwn). */
export function shortServerList(servers: readonly string[]): string {
  if (servers.length === 0) return "whole fleet";
  const shown: string[] = [];
  let length = 0;
  for (const server of servers) {
    const name = cut(server, DIGEST_LIST_LIMITS.name);
    const add = (shown.length > 0 ? 2 : 0) + name.length;
    if (
      shown.length > 0 &&
      (shown.length >= DIGEST_LIST_LIMITS.names || length + add > DIGEST_LIST_LIMITS.namesText)
    )
      break;
    shown.push(name);
    length += add;
  }
  const rest = servers.length - shown.length;
  const names = escapeMrkdwn(shown.join(", "));
  return rest === 0 ? names : `${names} and ${rest} more`;
}

function stateText(status: ChannelStatus): string {
  if (status.state === "ok") return "✅ ok";
  return `⚠️ *failing* since ${escapeMrkdwn(when(status.since))}: ${inlineCode(cut(status.reason, DIGEST_LIST_LIMITS.reason))}`;
}

/** One subscription: `• d-3f9a1c: a, b and 3 more · `0 9 * * 1-5` `UTC` · next … · ✅ ok`. */
export function subscriptionLine(entry: DigestListEntry): string {
  const s = entry.subscription;
  const parts = [
    `• ${escapeMrkdwn(s.id)}: ${shortServerList(s.servers)}`,
    // Code spans: a cron's `*` and a zone's `_` are not markup.
    `${inlineCode(s.cron)} ${inlineCode(s.timeZone)}`,
    `next ${entry.nextRun === null ? "never" : escapeMrkdwn(when(entry.nextRun))}`,
    stateText(s.status),
  ];
  if (s.minFailures > 1) parts.push(`min ${s.minFailures} failures`);
  if (s.quietWhenClear) parts.push("quiet when clear");
  return truncate(parts.join(" · "), DIGEST_LIST_LIMITS.line);
}

/** Whole lines packed into sections of at most `LIMITS.text` characters. */
function packSections(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (current.length > 0 && [...current, line].join("\n").length > LIMITS.text) {
      blocks.push(section(current.join("\n")));
      current = [];
    }
    current.push(line);
  }
  if (current.length > 0) blocks.push(section(current.join("\n")));
  return blocks;
}

const textOf = (blocks: readonly Block[]) =>
  blocks.reduce((n, b) => {
    if (b.type === "section") return n + (b.text?.text.length ?? 0);
    if (b.type === "context") return n + b.elements.reduce((m, e) => m + e.text.length, 0);
    return n;
  }, 0);

function overflowNote(rest: readonly DigestListEntry[], how: Invocation): Block {
  const ids = joinWithin(
    rest.map((e) => escapeMrkdwn(e.subscription.id)),
    DIGEST_LIST_LIMITS.overflowNote - 500,
    "ids",
    ", ",
  );
  const example = inlineCode(asTyped("attest digest unsubscribe <id>", how));
  return context(
    truncate(
      `… ${rest.length} more subscription${rest.length === 1 ? "" : "s"} not shown in full: one Slack message holds only so much. Their ids: ${ids}. To see them listed in full, remove subscriptions this channel no longer needs (${example}) and list again.`,
      DIGEST_LIST_LIMITS.overflowNote,
    ),
  );
}

/** Unreadable subscriptions: a section of their own, never dropped for room. */
function unreadableSection(lines: readonly string[]): Block {
  const title = `⚠️ *${lines.length} subscription${lines.length === 1 ? "" : "s"} of this channel cannot be read* (failing until the bot's operator fixes or removes ${lines.length === 1 ? "it" : "them"}):`;
  const items = lines.map((l) => `• ${truncate(escapeMrkdwn(l), DIGEST_LIST_LIMITS.line)}`);
  return section(joinWithin([title, ...items], DIGEST_LIST_LIMITS.unreadable, "unreadable subscriptions"));
}

/**
 * The list as one message within Slack's limits. Every subscription shown has its id, schedule,
 * next run and state; when they do not all fit, the rest are counted and their ids listed. The
 * notification text is `options.fallback` when it fits, else the count and every id.
 */
export function renderDigestList(
  view: DigestListView,
  how: Invocation,
  options: {
    /** The list as plain text (the platform-neutral reply): the notification text when it fits. */
    readonly fallback?: string;
  } = {},
): SlackMessage {
  const entries = view.entries;
  const unreadable = view.unreadable ?? [];
  const tail = unreadable.length > 0 ? [unreadableSection(unreadable)] : [];
  if (entries.length === 0 && unreadable.length === 0) {
    const text = `No digest subscriptions in this channel. Try: ${asTyped("attest digest subscribe --all", how)}`;
    return {
      text,
      blocks: [
        section(
          `No digest subscriptions in this channel. Try: ${inlineCode(asTyped("attest digest subscribe --all", how))}`,
        ),
      ],
    };
  }
  const total = entries.length + unreadable.length;
  const head = [section(`*Digest subscriptions in this channel* (${total})`)];
  const lines = entries.map(subscriptionLine);
  const fixed = textOf(head) + textOf(tail);
  const blockRoom = LIMITS.blocks - head.length - tail.length;
  let body = packSections(lines);
  let shown = lines.length;
  if (textOf(body) + fixed > DIGEST_LIST_LIMITS.totalText || body.length > blockRoom) {
    // Keep room for the note (and its block) and show the leading subscriptions that fit.
    const room = DIGEST_LIST_LIMITS.totalText - fixed - DIGEST_LIST_LIMITS.overflowNote;
    shown = 0;
    let used = 0;
    for (const line of lines) {
      if (used + line.length + 1 > room) break;
      used += line.length + 1;
      shown++;
    }
    body = packSections(lines.slice(0, shown));
    while (body.length > blockRoom - 1 && shown > 1) body = packSections(lines.slice(0, --shown));
    body.push(overflowNote(entries.slice(shown), how));
  }
  const ids = entries.map((e) => e.subscription.id).join(", ") || "none readable";
  const plainList = escapeMrkdwn(options.fallback ?? "");
  return {
    text:
      plainList !== "" && plainList.length <= LIMITS.fallback
        ? plainList
        : truncate(escapeMrkdwn(`Digest subscriptions in this channel (${total}): ${ids}`), LIMITS.fallback),
    blocks: [...head, ...tail, ...body],
  };
}
