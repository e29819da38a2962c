/**
 * `/attest ...`: refused, malformed, help, explain, policy and the digest commands that only read
 * or write the store are answered in the acknowledgement itself; a check (or a digest preview) is
 * acknowledged at once with a progress line (whatever Kusto does), and its result goes through
 * response_url, falling back to chat.postEphemeral. `/attest policy` alone opens the policy modal.
 */
import type { App } from "@slack/bolt";
import {
  auditRejected,
  BUSY_MESSAGE,
  CHECK_QUESTIONS,
  cutShortMessage,
  handleCommand,
} from "../../app/chat/handle-command.js";
import { yieldToLoop } from "../../app/serving/check-queue.js";
import { alwaysAnswer, type MayAnswer } from "../../app/serving/in-flight.js";
import { parseCommand } from "../../domain/command/parse-command.js";
import type { SlackMessage } from "../../render/block-kit/blocks.js";
import {
  renderBusy,
  renderNotice,
  renderProgress,
  renderRefusal,
  renderUsage,
} from "../../render/block-kit/render-messages.js";
import { refusalOf } from "./config.js";
import { deliverEphemeral, sdkBlocks } from "./deliver.js";
import { answerDigest, digestArguments, isPreview } from "./digest.js";
import { plainText } from "./mention.js";
import { openPolicyModal } from "./policy-modal.js";
import { commandWord, replyMessage, type SlackDeps, slackActor } from "./reply.js";

/** The slash command, as declared in infra/slack/manifest.yaml. */
export const SLASH_COMMAND = "/attest";

const ephemeral = (m: SlackMessage) => ({
  response_type: "ephemeral" as const,
  text: m.text,
  blocks: sdkBlocks(m),
});

/** `policy` with nothing after it: the user wants the form. */
const isBarePolicy = (text: string) => /^(?:\/?attest\s+)?policy\s*$/i.test(text.trim());

export function registerSlashCommand(app: App, deps: SlackDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    const where = { team: command.team_id, channel: command.channel_id };
    const actor = slackActor(command.user_id, where.team, where.channel);
    const refusal = refusalOf(deps.config, where.team, where.channel);
    if (refusal) {
      auditRejected(deps.chat, actor, commandWord(command.text), "refused");
      await ack(ephemeral(renderRefusal(refusal)));
      return;
    }
    const text = plainText(command.text);
    const ephemeralTarget = {
      channel: where.channel,
      user: command.user_id,
      responseUrl: command.response_url,
      responseUrls: deps.config.responseUrls,
    };
    const digestArgs = digestArguments(text);
    if (digestArgs !== null) {
      const who = { user: command.user_id, ...where };
      if (!isPreview(digestArgs) || deps.digest === null) {
        const answer = await answerDigest(deps, digestArgs, who, "slash");
        // Subscribing and unsubscribing change the channel's digests: the channel sees it.
        await ack({
          ...ephemeral(answer.message),
          response_type: answer.announce ? "in_channel" : "ephemeral",
        });
        return;
      }
      await ack(ephemeral(renderBusy("Building the digest preview (one fleet query)")));
      const answer = await answerDigest(deps, digestArgs, who, "slash");
      const via = await deliverEphemeral(
        { respond, client, logger: deps.logger },
        ephemeralTarget,
        answer.message,
      );
      deps.logger.info("slack.delivered", { command: "digest preview", via });
      return;
    }
    if (isBarePolicy(text)) {
      await ack();
      try {
        await openPolicyModal(client, command.trigger_id, where);
      } catch (error) {
        deps.logger.warn("slack.modal_failed", {
          error: error instanceof Error ? error.message : String(error),
        });
        await deliverEphemeral(
          { respond, client, logger: deps.logger },
          ephemeralTarget,
          renderNotice("The policy form could not be opened; paste the policy after /attest policy instead."),
        );
      }
      return;
    }
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      auditRejected(deps.chat, actor, commandWord(command.text), "bad_input");
      await ack(ephemeral(renderUsage(parsed.error, "slash")));
      return;
    }
    // A check, or an escalation (which runs the check): acknowledged first, answered when ready.
    if (parsed.command.kind !== "check" && parsed.command.kind !== "escalate") {
      const reply = await handleCommand(deps.chat, actor, parsed.command);
      await ack(ephemeral(replyMessage(deps, reply, where, "slash", true)));
      return;
    }
    if (deps.chat.busy?.()) {
      // Said in the acknowledgement itself: nothing is queued behind minutes of work.
      auditRejected(deps.chat, actor, "check", "busy");
      await ack(ephemeral(renderNotice(BUSY_MESSAGE)));
      return;
    }
    await ack(ephemeral(renderProgress(parsed.command.server, CHECK_QUESTIONS)));
    const server = parsed.command.server;
    const deliver = (message: SlackMessage) =>
      deliverEphemeral({ respond, client, logger: deps.logger }, ephemeralTarget, message);
    const work = async (mayAnswer: MayAnswer) => {
      const reply = await handleCommand(deps.chat, actor, parsed.command);
      await (deps.chat.pause ?? yieldToLoop)();
      if (!mayAnswer()) return;
      const via = await deliver(replyMessage(deps, reply, where, "slash", true));
      deps.logger.info("slack.delivered", { command: "check", via });
    };
    await (deps.chat.inFlight?.track(`slack check ${server}`, work, async () => {
      const via = await deliver(renderNotice(cutShortMessage(server)));
      deps.logger.info("slack.delivered", { command: "check", via, cutShort: true });
    }) ?? work(alwaysAnswer));
  });
}
