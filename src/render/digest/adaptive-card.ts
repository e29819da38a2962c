/**
 * The digest as an Adaptive Card (1.5) for Teams: header, totals, one container per top server
 * with a Run-check button, then "and N more". Kept well under Teams' ~28 KB message limit by
 * capping the servers listed and the text per server.
 */

import { CATEGORY_VIEW } from "../../domain/view/labels.js";
import type { DigestPost } from "../../ports/chat-poster.js";
import {
  checkCommand,
  clip,
  moreLine,
  pick,
  rulesLine,
  seenLine,
  summaryLine,
  totalsLine,
  trendLine,
  unseenLine,
  verdictLabel,
  windowLine,
} from "./lines.js";

/** Servers on one card, whatever topN asks for. */
export const CARD_MAX_SERVERS = 15;

const COLOR = { good: "Good", warning: "Warning", attention: "Attention", accent: "Accent" } as const;

export function renderDigestCard(post: DigestPost): Record<string, unknown> {
  const { view } = post;
  const { shown, more } = pick(post, CARD_MAX_SERVERS);
  const body: unknown[] = [
    { type: "TextBlock", text: clip(post.title, 200), weight: "Bolder", size: "Medium", wrap: true },
    { type: "TextBlock", text: windowLine(view), isSubtle: true, spacing: "None", wrap: true },
    { type: "TextBlock", text: totalsLine(view), wrap: true },
    { type: "TextBlock", text: summaryLine(view), isSubtle: true, wrap: true },
  ];
  const unseen = unseenLine(view);
  if (unseen !== null)
    body.push({ type: "TextBlock", text: `⚠ ${clip(unseen, 2000)}`, color: COLOR.warning, wrap: true });
  for (const s of shown) {
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
              items: [{ type: "TextBlock", text: clip(s.server, 80), weight: "Bolder", wrap: true }],
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
        { type: "TextBlock", text: seenLine(s), spacing: "None", isSubtle: true, wrap: true },
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
