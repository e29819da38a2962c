/** The small cards: help (with what was wrong), progress ("running N checks on X…") and notices. */
import type { CommandError } from "../../domain/command/parse-command.js";
import { COMMAND_WORDS, USAGES, usageFor } from "../../domain/command/usage.js";
import type { Tone } from "../../domain/view/labels.js";
import { TONE_STYLE } from "./card-data.js";
import { escapeMarkdown } from "./markdown.js";
import { type AdaptiveCardJson, bindTemplate } from "./templates.js";

/** Help; with `error`, a short card: what was wrong, the one usage line of that command, an example. */
export function renderHelpCard(error: CommandError | null): AdaptiveCardJson {
  const usage = error ? usageFor(error.example) : null;
  return bindTemplate("help", {
    // The problem may quote what was typed: shown literally. Usage lines and the example are code
    // (TextRuns, not Markdown), so `<server>` stays visible.
    problems: error
      ? [
          {
            problem: escapeMarkdown(error.message),
            usage: [{ line: usage ?? COMMAND_WORDS }],
            example: error.example,
          },
        ]
      : [],
    titles: error ? [] : [{ text: "attest: Always Encrypted attestation checks" }],
    commands: error
      ? []
      : // Descriptions are Markdown we write (`attest policy` as code).
        Object.values(USAGES).map((u) => ({ usage: u.usage, description: u.description })),
    note: escapeMarkdown(
      error
        ? "attest help lists every command."
        : "In a channel or group chat, @mention the bot first. In a personal chat, check <server> alone works.",
    ),
  }).card;
}

/** The placeholder posted when a command takes longer than the inline budget; updated in place later. */
export function renderProgressCard(title: string): AdaptiveCardJson {
  return bindTemplate("progress", {
    title: escapeMarkdown(title),
    detail: "This card is replaced by the result when it is ready.",
  }).card;
}

export type NoticeKind = "refused" | "unavailable" | "error";

/**
 * A short card of plain lines under a title (digest command replies). The lines quote chat input
 * and stored data (server lists, cron patterns, store paths, platform error codes): shown literally.
 */
export function renderLinesCard(title: string, lines: readonly string[], tone: Tone): AdaptiveCardJson {
  const t = TONE_STYLE[tone];
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body: [
      { type: "TextBlock", text: escapeMarkdown(title), weight: "Bolder", color: t.color, wrap: true },
      ...lines.map((text) => ({
        type: "TextBlock",
        text: escapeMarkdown(text),
        wrap: true,
        spacing: "Small",
      })),
    ],
  };
}

const NOTICE = {
  refused: { title: "Not allowed here", tone: "warning" },
  unavailable: { title: "Telemetry unavailable", tone: "warning" },
  error: { title: "Something went wrong", tone: "attention" },
} as const;

/** A one-message card: refusal, Kusto unavailable, internal error. */
export function renderNoticeCard(kind: NoticeKind, text: string): AdaptiveCardJson {
  const n = NOTICE[kind];
  // The title is on the tone's background: no tone colour on it (yellow on yellow), the container carries it.
  return bindTemplate("notice", { title: n.title, text, style: TONE_STYLE[n.tone].style }).card;
}
