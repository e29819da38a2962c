/**
 * `attest digest subscribe|list|unsubscribe|preview` from Slack (slash command or mention), after
 * the same workspace/channel allow-lists as `check`: parsed with parseDigestCommand, run by
 * handleDigestCommand for the channel it came from. The preview is Block Kit for the caller only;
 * the list is Block Kit too (every subscription's id, schedule, next run and state, within Slack's
 * limits); every other reply is text. With digests off (no store), the answer says so and nothing runs.
 */
import type { DigestActor } from "../../app/chat/digest-commands.js";
import { digestReplyText, handleDigestCommand, unreadableText } from "../../app/chat/digest-commands.js";
import { auditRejected } from "../../app/chat/handle-command.js";
import { parseDigestCommand } from "../../domain/digest/commands.js";
import type { SlackMessage } from "../../render/block-kit/blocks.js";
import { renderDigestList } from "../../render/block-kit/render-digest-list.js";
import { type Invocation, renderText, renderUsage } from "../../render/block-kit/render-messages.js";
import { renderDigestBlocks } from "../../render/digest/block-kit.js";
import { type SlackDeps, slackActor } from "./reply.js";

/** The text after the word `digest` when `text` is a digest command (`[attest] digest ...`), else null. */
export function digestArguments(text: string): string | null {
  const m = /^(?:\/?attest\s+)?digest(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return m ? (m[1] ?? "") : null;
}

export function digestActor(user: string, team: string, channel: string): DigestActor {
  return {
    platform: "slack",
    userId: user,
    tenantId: team,
    target: { platform: "slack", teamId: team, channelId: channel },
  };
}

export const DIGESTS_OFF =
  "Digests are off on this bot (no digest store is configured), so nothing was subscribed or listed. Ask the bot's operator to enable them.";

/** What to send back, and who should see it. */
export interface DigestAnswer {
  readonly message: SlackMessage;
  /** True for previews, usage errors, failures and "digests are off": never shown to the channel. */
  readonly privately: boolean;
  /** True when the channel's digests changed (subscribed, unsubscribed): worth showing to the channel. */
  readonly announce: boolean;
}

/** The command `preview` needs Kusto and may take seconds: the slash command acknowledges it first. */
export function isPreview(args: string): boolean {
  const parsed = parseDigestCommand(args);
  return parsed.ok && parsed.command.kind === "preview";
}

/** Runs a digest command for `user` in `channel` (already allowed). Never throws. */
export async function answerDigest(
  deps: SlackDeps,
  args: string,
  who: { readonly user: string; readonly team: string; readonly channel: string },
  how: Invocation,
): Promise<DigestAnswer> {
  const actor = slackActor(who.user, who.team, who.channel);
  const parsed = parseDigestCommand(args);
  if (!parsed.ok) {
    auditRejected(deps.chat, actor, "digest", "bad_input");
    return { message: renderUsage(parsed.error, how), privately: true, announce: false };
  }
  if (deps.digest === null) {
    deps.chat.audit.record({
      platform: "slack",
      who: who.user,
      tenant: who.team,
      conversation: who.channel,
      command: `digest ${parsed.command.kind}`,
      parameters: {},
      outcome: "digests_off",
      durationMs: 0,
      kustoRequestIds: [],
    });
    return { message: renderText(DIGESTS_OFF), privately: true, announce: false };
  }
  const reply = await handleDigestCommand(
    deps.digest,
    digestActor(who.user, who.team, who.channel),
    parsed.command,
  );
  if (reply.kind === "preview") {
    // The digest renderer keeps to Block Kit's limits itself (render/digest/block-kit.ts).
    const m = renderDigestBlocks(reply.post) as unknown as SlackMessage;
    return { message: m, privately: true, announce: false };
  }
  if (reply.kind === "list")
    return {
      message: renderDigestList(
        { entries: reply.lines, unreadable: (reply.unreadable ?? []).map(unreadableText) },
        how,
        { fallback: digestReplyText(reply) },
      ),
      privately: false,
      announce: false,
    };
  return {
    message: renderText(digestReplyText(reply)),
    privately: reply.kind === "bad_input" || reply.kind === "error",
    announce: reply.kind === "subscribed" || reply.kind === "unsubscribed",
  };
}
