/**
 * `@attest check <server>` in a channel: answered in a thread under the mention. A check first
 * posts "Checking X…" (chat.postMessage) and then replaces it with the result (chat.update).
 * Refusals, usage errors and digest previews go only to the person who asked (chat.postEphemeral).
 */
import type { App } from "@slack/bolt";
import {
  auditRejected,
  BUSY_MESSAGE,
  CHECK_QUESTIONS,
  cutShortMessage,
  handleCommand,
} from "../../app/chat/handle-command.js";
import { alwaysAnswer, type MayAnswer } from "../../app/serving/in-flight.js";
import { parseCommand } from "../../domain/command/parse-command.js";
import type { SlackMessage } from "../../render/block-kit/blocks.js";
import {
  renderNotice,
  renderProgress,
  renderRefusal,
  renderUsage,
} from "../../render/block-kit/render-messages.js";
import { refusalOf } from "./config.js";
import { sdkBlocks } from "./deliver.js";
import { answerDigest, digestArguments } from "./digest.js";
import { commandWord, replyMessage, type SlackDeps, slackActor } from "./reply.js";

/** The text after the leading `<@U…>` mention(s), as the user typed it (see plainText). */
export function stripMention(text: string): string {
  return plainText(text.replace(/^(\s*<@[A-Z0-9]+(?:\|[^>]*)?>)+\s*/i, "")).trim();
}

/**
 * Slack's message markup back to what was typed: auto-links `<https://x|x>` become the URL, other
 * `<…|label>` the label, and the escaped `&amp; &lt; &gt;` their characters.
 */
export function plainText(text: string): string {
  return text
    .replace(/<((?:https?):\/\/[^|>\s]+)(?:\|[^>]*)?>/gi, "$1")
    .replace(/<[^|>\s]+\|([^>]*)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The Events API events this app subscribes to (infra/slack/manifest.yaml lists the same). */
export const HANDLED_EVENTS = ["app_mention"] as const;

export function registerMention(app: App, deps: SlackDeps): void {
  app.event(HANDLED_EVENTS[0], async ({ event, body, client }) => {
    if (event.bot_id || !event.user) return;
    const user = event.user;
    const where = { team: body.team_id, channel: event.channel };
    const actor = slackActor(user, where.team, where.channel);
    const text = stripMention(event.text);
    const thread = event.thread_ts ?? event.ts;
    const privately = (m: SlackMessage) =>
      client.chat.postEphemeral({ channel: where.channel, user, text: m.text, blocks: sdkBlocks(m) });
    const inThread = (m: SlackMessage) =>
      client.chat.postMessage({
        channel: where.channel,
        thread_ts: thread,
        text: m.text,
        blocks: sdkBlocks(m),
      });

    const refusal = refusalOf(deps.config, where.team, where.channel);
    if (refusal) {
      auditRejected(deps.chat, actor, commandWord(text), "refused");
      await privately(renderRefusal(refusal));
      return;
    }
    const digestArgs = digestArguments(text);
    if (digestArgs !== null) {
      const answer = await answerDigest(deps, digestArgs, { user, ...where }, "mention");
      await (answer.privately ? privately(answer.message) : inThread(answer.message));
      return;
    }
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      auditRejected(deps.chat, actor, commandWord(text), "bad_input");
      await privately(renderUsage(parsed.error, "mention"));
      return;
    }
    // A check, or an escalation (which runs the check): acknowledged first, answered when ready.
    if (parsed.command.kind !== "check" && parsed.command.kind !== "escalate") {
      const reply = await handleCommand(deps.chat, actor, parsed.command);
      await inThread(replyMessage(deps, reply, where, "mention", false));
      return;
    }
    if (deps.chat.busy?.()) {
      auditRejected(deps.chat, actor, "check", "busy");
      await privately(renderNotice(BUSY_MESSAGE));
      return;
    }
    const server = parsed.command.server;
    const progress = await inThread(renderProgress(server, CHECK_QUESTIONS));
    // The progress message is replaced by the result, or by "cut short" when the bot stops first.
    const answer = async (message: SlackMessage) => {
      if (progress.ts)
        await client.chat.update({
          channel: where.channel,
          ts: progress.ts,
          text: message.text,
          blocks: sdkBlocks(message),
        });
      else await inThread(message);
    };
    const work = async (mayAnswer: MayAnswer) => {
      const reply = await handleCommand(deps.chat, actor, parsed.command);
      if (mayAnswer()) await answer(replyMessage(deps, reply, where, "mention", false));
    };
    await (deps.chat.inFlight?.track(`slack mention check ${server}`, work, () =>
      answer(renderNotice(cutShortMessage(server))),
    ) ?? work(alwaysAnswer));
  });
}
