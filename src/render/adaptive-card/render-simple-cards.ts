/** The small cards: help (with what was wrong), progress ("running N checks on X…") and notices. */
import type { CommandError } from "../../domain/command/parse-command.js";
import { TONE_STYLE } from "./card-data.js";
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
  { usage: "attest help", description: "Shows this card." },
];

/** Help; with `error`, first says what was wrong and shows a correct example. */
export function renderHelpCard(error: CommandError | null): AdaptiveCardJson {
  return bindTemplate("help", {
    problems: error ? [{ problem: error.message, example: error.example }] : [],
    commands: COMMANDS,
    note: "In a channel or group chat, @mention the bot first. In a personal chat, `check <server>` alone works.",
  }).card;
}

/** The placeholder posted when a command takes longer than the inline budget; updated in place later. */
export function renderProgressCard(title: string): AdaptiveCardJson {
  return bindTemplate("progress", {
    title,
    detail: "This card is replaced by the result when it is ready.",
  }).card;
}

export type NoticeKind = "refused" | "unavailable" | "error";

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
