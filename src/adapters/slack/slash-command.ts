/**
 * `/attest ...`: refused, malformed, help and explain are answered in the acknowledgement itself;
 * a check is acknowledged at once with "Checking X…" (whatever Kusto does), and its result goes
 * through response_url, falling back to chat.postEphemeral.
 */
import type { App } from "@slack/bolt";
import { auditRejected, CHECK_QUESTIONS, handleCommand } from "../../app/chat/handle-command.js";
import { parseCommand } from "../../domain/command/parse-command.js";
import type { SlackMessage } from "../../render/block-kit/blocks.js";
import { renderProgress, renderRefusal, renderUsage } from "../../render/block-kit/render-messages.js";
import { refusalOf } from "./config.js";
import { deliverEphemeral, sdkBlocks } from "./deliver.js";
import { plainText } from "./mention.js";
import { commandWord, replyMessage, type SlackDeps, slackActor } from "./reply.js";

/** The slash command, as declared in infra/slack/manifest.yaml. */
export const SLASH_COMMAND = "/attest";

const ephemeral = (m: SlackMessage) => ({
  response_type: "ephemeral" as const,
  text: m.text,
  blocks: sdkBlocks(m),
});

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
    const parsed = parseCommand(plainText(command.text));
    if (!parsed.ok) {
      auditRejected(deps.chat, actor, commandWord(command.text), "bad_input");
      await ack(ephemeral(renderUsage(parsed.error, "slash")));
      return;
    }
    if (parsed.command.kind !== "check") {
      const reply = await handleCommand(deps.chat, actor, parsed.command);
      await ack(ephemeral(replyMessage(deps, reply, where, "slash", true)));
      return;
    }
    await ack(ephemeral(renderProgress(parsed.command.server, CHECK_QUESTIONS)));
    const reply = await handleCommand(deps.chat, actor, parsed.command);
    const message = replyMessage(deps, reply, where, "slash", true);
    const via = await deliverEphemeral(
      { respond, client, logger: deps.logger },
      {
        channel: where.channel,
        user: command.user_id,
        responseUrl: command.response_url,
        responseUrls: deps.config.responseUrls,
      },
      message,
    );
    deps.logger.info("slack.delivered", { command: "check", via });
  });
}
