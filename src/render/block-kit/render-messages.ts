/** The short Slack replies: help and usage errors, progress, refusals and failures. */
import type { CommandError } from "../../domain/command/parse-command.js";
import { COMMAND_WORDS, usageFor } from "../../domain/command/usage.js";
import { context, plain, type SlackMessage, section } from "./blocks.js";
import { joinWithin, LIMITS, truncate } from "./limits.js";
import { escapeMrkdwn, inlineCode } from "./mrkdwn.js";

/** How the user reaches the bot: `/attest ...` or `@attest ...`. */
export type Invocation = "slash" | "mention";

const prefix = (how: Invocation) => (how === "slash" ? "/attest" : "@attest");

/** "attest check x" as the user would type it here. */
export function asTyped(example: string, how: Invocation): string {
  return example.replace(/^attest\b/, prefix(how));
}

const HELP = [
  [
    "check <server> [database] [--url URL] [--since 6h]",
    "diagnose attestation failures of a server from telemetry",
  ],
  ["explain <pasted error text>", "explain an error message (Msg 37324, ...) without querying anything"],
  [
    "policy <pasted policy>",
    "check an attestation policy: does it parse, does it let the Azure SQL enclave through, is it as strict as the recommended one",
  ],
  [
    'digest subscribe [--servers a,b | --all] [--cron "0 9 * * 1-5"] [--tz Europe/London] [--min-failures N] [--quiet-when-clear]',
    "post a digest of attestation failures to this channel on a schedule",
  ],
  ["digest list", "this channel's digest subscriptions and when each runs next"],
  ["digest unsubscribe <id>", "stop a subscription of this channel"],
  ["digest preview", "the digest now, shown only to you"],
  ["help", "this message"],
] as const;

/** Only the slash command has a trigger_id to open a form with. */
const SLASH_ONLY = [["policy", "opens a form to paste the policy into"]] as const;

/**
 * Help; with `error`, a short reply instead: what was wrong, the usage line of the command that
 * was tried (the same grammar as Teams and the CLI) and a correct example.
 */
export function renderUsage(error: CommandError | null, how: Invocation): SlackMessage {
  const p = prefix(how);
  const entries = how === "slash" ? [...HELP.slice(0, 2), ...SLASH_ONLY, ...HELP.slice(2)] : HELP;
  const lines = entries.map(([usage, what]) => `• ${inlineCode(`${p} ${usage}`)} — ${escapeMrkdwn(what)}`);
  const blocks = [];
  if (error) {
    const usage = usageFor(error.example) ?? COMMAND_WORDS;
    blocks.push(
      section(
        truncate(
          `⚠️ *That did not work:* ${escapeMrkdwn(error.message)}\n*Usage:* ${inlineCode(asTyped(usage, how))}\n*Try:* ${inlineCode(asTyped(error.example, how))}`,
          LIMITS.text,
        ),
      ),
      context(`${inlineCode(`${p} help`)} lists every command.`),
    );
  } else
    blocks.push(
      section(`*attest* diagnoses Always Encrypted (SGX) attestation failures.\n${lines.join("\n")}`),
    );
  return {
    text: truncate(
      error ? `That did not work: ${escapeMrkdwn(error.message)}` : "attest help",
      LIMITS.fallback,
    ),
    blocks,
  };
}

/** The immediate answer while the check runs. */
export function renderProgress(server: string, questions: number): SlackMessage {
  const text = `⏳ Checking *${escapeMrkdwn(server)}* (${questions} Kusto queries)…`;
  return { text: truncate(`Checking ${escapeMrkdwn(server)}…`, LIMITS.fallback), blocks: [section(text)] };
}

/** The immediate answer while something slower than an acknowledgement runs (a digest preview). */
export function renderBusy(what: string): SlackMessage {
  const text = truncate(`⏳ ${escapeMrkdwn(what)}…`, LIMITS.text);
  return { text, blocks: [section(text)] };
}

/** Workspace or channel not allowed: nothing ran. */
export function renderRefusal(where: "workspace" | "channel"): SlackMessage {
  const text = `🚫 attest is not enabled in this ${where}, so nothing was run. Ask the bot's operator to allow it.`;
  return { text, blocks: [section(text)] };
}

/** Kusto unavailable, an internal error, or an expired result: one line. */
export function renderNotice(message: string): SlackMessage {
  const text = truncate(`⚠️ ${escapeMrkdwn(message)}`, LIMITS.text);
  return { text: truncate(text, LIMITS.fallback), blocks: [section(text)] };
}

/**
 * A plain-text answer (e.g. a digest subscription list): shown as plain_text, so cron patterns
 * like `* * * * *` are not taken for bold markup; whole lines are kept within Slack's limit.
 */
export function renderText(text: string): SlackMessage {
  const lines = text.split("\n").map((l) => truncate(l, 1000));
  const body = joinWithin(lines, LIMITS.text, "lines");
  return {
    text: truncate(escapeMrkdwn(text), LIMITS.fallback),
    blocks: [{ type: "section", text: plain(body) }],
  };
}

/**
 * A line saying who asked, for results posted to the channel: at most 75 characters, within the
 * room a diagnosis keeps for it below the total (POSTED_BY_ROOM).
 */
export function renderPostedBy(userId: string): SlackMessage["blocks"][number] {
  return context(`Posted by <@${userId.replace(/[^A-Z0-9]/gi, "").slice(0, 50)}> with attest`);
}
