/** The small cards: help (with what was wrong), progress ("running N checks on X…") and notices. */
import type { CommandError } from "../../domain/command/parse-command.js";
import type { Tone } from "../../domain/view/labels.js";
import { TONE_STYLE } from "./card-data.js";
import { escapeMarkdown } from "./markdown.js";
import { type AdaptiveCardJson, bindTemplate } from "./templates.js";

const COMMANDS = [
  {
    usage: "attest check <server> [database] [--url URL] [--since 6h]",
    description:
      "Diagnoses attestation failures of a server from telemetry: whose move it is and what to do.",
  },
  {
    usage: "attest explain <pasted error text>",
    description: "Explains an error message a customer pasted (several lines are fine).",
  },
  {
    usage: "attest policy <pasted policy>",
    description:
      "Checks an attestation policy: does it parse, does it let the Azure SQL enclave through, is it as strict as the recommended policy. `attest policy` alone opens a box to paste it in.",
  },
  {
    usage:
      'attest digest subscribe [--servers a,b | --all] [--cron "0 9 * * 1-5"] [--tz Europe/London] [--min-failures N] [--quiet-when-clear]',
    description:
      'In a channel: posts a digest of attestation failures on a schedule, e.g. attest digest subscribe --all --cron "0 9 * * 1-5" --tz Europe/London.',
  },
  {
    usage: "attest digest list | unsubscribe <id> | preview",
    description:
      "Lists this channel's digest subscriptions, removes one (attest digest unsubscribe d-3f9a1c), or shows the digest now, to you only.",
  },
  { usage: "attest help", description: "Shows this card." },
];

/** Help; with `error`, first says what was wrong and shows a correct example. */
export function renderHelpCard(error: CommandError | null): AdaptiveCardJson {
  return bindTemplate("help", {
    // The problem may quote what was typed: shown literally.
    problems: error
      ? [{ problem: escapeMarkdown(error.message), example: escapeMarkdown(error.example) }]
      : [],
    commands: COMMANDS,
    note: "In a channel or group chat, @mention the bot first. In a personal chat, `check <server>` alone works.",
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
  return bindTemplate("notice", { title: n.title, text, ...TONE_STYLE[n.tone] }).card;
}
