/**
 * The digest as an Adaptive Card (1.5) for Teams: header, totals, one container per top server
 * with a Run-check button, then "and N more". Kept under Teams' 40 KB message limit (UTF-16) by
 * capping the servers listed and the text per server, then listing fewer servers if need be. Every TextBlock is shown literally
 * (escapeMarkdown): server names, titles and rule lines come from telemetry and chat input.
 */

import type { DigestView } from "../../domain/digest/types.js";
import { CATEGORY_VIEW } from "../../domain/view/labels.js";
import type { DigestPost } from "../../ports/chat-poster.js";
import { escapeProse, escapeMarkdown as md } from "../adaptive-card/markdown.js";
import { cardBytes, TEAMS_MESSAGE_LIMIT_BYTES } from "../adaptive-card/templates.js";
import { localizeTimes, teamsTime } from "../time.js";
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

/** Instants as Adaptive Card DATE/TIME functions: the reader's local time. */
const teams = (text: string) => localizeTimes(text, teamsTime);

/** Servers on one card, whatever topN asks for. */
export const CARD_MAX_SERVERS = 15;

/**
 * Card budget (UTF-16 bytes): a proactive digest's activity around the card (channel conversation
 * id, serviceUrl, bot and summary) is under 2 KB, so 4 KB are left for it and a margin.
 */
export const DIGEST_CARD_MAX_BYTES = TEAMS_MESSAGE_LIMIT_BYTES - 4_000;

const COLOR = { good: "Good", warning: "Warning", attention: "Attention", accent: "Accent" } as const;

/**
 * The digest card within `maxBytes` (UTF-16, as Teams counts its 40 KB message limit): with fewer
 * servers listed ("and N more") when the full list would not fit.
 */
export function renderDigestCard(
  post: DigestPost,
  options: { readonly maxBytes?: number } = {},
): Record<string, unknown> {
  const maxBytes = options.maxBytes ?? DIGEST_CARD_MAX_BYTES;
  let card = digestCard(post, CARD_MAX_SERVERS);
  for (let cap = CARD_MAX_SERVERS - 1; cap >= 0 && cardBytes(card) > maxBytes; cap--)
    card = digestCard(post, cap);
  return card;
}

function digestCard(post: DigestPost, cap: number): Record<string, unknown> {
  // Names from telemetry and chat input (title, servers, rules) are escaped before the shared
  // phrasing puts them in Markdown; the phrasing's own Markdown stays.
  // The unseen line is escaped whole (escapeProse), its names with it.
  const view: DigestView = post.view;
  const { shown, more } = pick(post, cap);
  const body: unknown[] = [
    { type: "TextBlock", text: md(clip(post.title, 200)), weight: "Bolder", size: "Medium", wrap: true },
    { type: "TextBlock", text: teams(windowLine(view)), isSubtle: true, spacing: "None", wrap: true },
    { type: "TextBlock", text: totalsLine(view), wrap: true },
    { type: "TextBlock", text: summaryLine(view), isSubtle: true, wrap: true },
  ];
  const unseen = unseenLine(view);
  if (unseen !== null)
    body.push({
      type: "TextBlock",
      text: `⚠ ${teams(escapeProse(clip(unseen, 2000)))}`,
      color: COLOR.warning,
      wrap: true,
    });
  const missed = missedLine(view);
  if (missed !== null)
    body.push({
      type: "TextBlock",
      text: `⚠ ${teams(escapeProse(clip(missed, 2000)))}`,
      color: COLOR.warning,
      wrap: true,
    });
  // Issue 14: one row per fleet-wide incident, with its escalate button.
  for (const line of incidentLines(view).slice(0, 3)) {
    body.push({
      type: "Container",
      separator: true,
      items: [
        {
          type: "TextBlock",
          text: teams(md(clip(line.headline, 400))),
          weight: "Bolder",
          color: COLOR.attention,
          wrap: true,
        },
        {
          type: "TextBlock",
          text: md(clip(line.servers, 1000)),
          spacing: "None",
          isSubtle: true,
          wrap: true,
        },
      ],
    });
    body.push({
      type: "ActionSet",
      actions: [
        {
          type: "Action.Submit",
          title: "Escalation packet",
          data: {
            msteams: { type: "messageBack", text: line.escalate, displayText: line.escalate },
            attestCommand: line.escalate,
          },
        },
      ],
    });
  }
  const snoozed = snoozedLine(view);
  if (snoozed !== null)
    body.push({ type: "TextBlock", text: md(clip(snoozed, 2000)), isSubtle: true, wrap: true });
  for (const raw of shown) {
    const s = { ...raw, byRule: Object.fromEntries(Object.entries(raw.byRule).map(([r, n]) => [md(r), n])) };
    body.push({
      type: "Container",
      separator: true,
      items: [
        {
          type: "ColumnSet",
          columns: [
            {
              type: "Column",
              width: "stretch",
              items: [{ type: "TextBlock", text: md(clip(s.server, 80)), weight: "Bolder", wrap: true }],
            },
            {
              type: "Column",
              width: "auto",
              items: [
                {
                  type: "TextBlock",
                  text: verdictLabel(s),
                  color: COLOR[CATEGORY_VIEW[s.verdict].tone],
                  wrap: true,
                },
              ],
            },
          ],
        },
        {
          type: "TextBlock",
          text: `Failures ${trendLine(s)}`,
          spacing: "None",
          wrap: true,
          fontType: "Monospace",
        },
        { type: "TextBlock", text: clip(rulesLine(s), 300), spacing: "None", isSubtle: true, wrap: true },
        { type: "TextBlock", text: teams(seenLine(s)), spacing: "None", isSubtle: true, wrap: true },
      ],
    });
    body.push({
      type: "ActionSet",
      actions: [
        {
          type: "Action.Submit",
          title: `Run check on ${clip(s.server, 40)}`,
          data: {
            msteams: {
              type: "messageBack",
              text: checkCommand(s.server),
              displayText: checkCommand(s.server),
            },
            attest: { command: "check", server: s.server },
          },
        },
      ],
    });
  }
  const snooze = snoozeCommand(view);
  if (snooze !== null && shown.length === 1)
    body.push({
      type: "ActionSet",
      actions: [
        {
          type: "Action.Submit",
          title: "Snooze this server for a day",
          data: {
            msteams: { type: "messageBack", text: snooze, displayText: snooze },
            attestCommand: snooze,
          },
        },
      ],
    });
  if (more > 0)
    body.push({ type: "TextBlock", text: moreLine(more), separator: true, isSubtle: true, wrap: true });
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    msteams: { width: "Full" },
    body,
  };
}
