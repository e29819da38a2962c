/**
 * `/attest policy` with no text opens a modal with a multi-line input (views.open with the slash
 * command's trigger_id). Its submission is checked like a typed command (the workspace and the
 * channel the modal was opened from, kept in private_metadata), then runs the same policy check
 * and posts the result to the person who asked: ephemeral in that channel, or by DM when the
 * ephemeral post fails (e.g. the bot is not in the channel).
 */
import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { auditRejected, handleCommand } from "../../app/chat/handle-command.js";
import { parseCommand } from "../../domain/command/parse-command.js";
import type { SlackMessage } from "../../render/block-kit/blocks.js";
import { POLICY_MODAL, policyModal } from "../../render/block-kit/policy-modal.js";
import { renderNotice, renderRefusal, renderUsage } from "../../render/block-kit/render-messages.js";
import { refusalOf } from "./config.js";
import { sdkBlocks } from "./deliver.js";
import { replyMessage, type SlackClient, type SlackDeps, slackActor } from "./reply.js";

/** Where the modal was opened: the answer goes there. */
export const modalMetadataSchema = z.object({
  team: z.string().min(1).max(64),
  channel: z.string().min(1).max(64),
});
export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

/** Opens the policy modal for a slash command's `trigger_id` (valid for 3 seconds). */
export async function openPolicyModal(
  client: SlackClient,
  triggerId: string,
  where: ModalMetadata,
): Promise<void> {
  const view = policyModal(JSON.stringify(where));
  await client.views.open({
    trigger_id: triggerId,
    view: view as unknown as Parameters<typeof client.views.open>[0]["view"],
  });
}

/** Ephemeral in the channel; by DM (chat.postMessage to the user id) when that fails. */
async function tellUser(
  deps: SlackDeps,
  client: SlackClient,
  user: string,
  channel: string | null,
  m: SlackMessage,
): Promise<"chat.postEphemeral" | "dm"> {
  if (channel !== null) {
    try {
      await client.chat.postEphemeral({ channel, user, text: m.text, blocks: sdkBlocks(m) });
      return "chat.postEphemeral";
    } catch (error) {
      deps.logger.warn("slack.ephemeral_failed", {
        error: error instanceof Error ? error.message : String(error),
        fallback: "dm",
      });
    }
  }
  await client.chat.postMessage({ channel: user, text: m.text, blocks: sdkBlocks(m) });
  return "dm";
}

export function registerPolicyModal(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(POLICY_MODAL.callbackId, async ({ ack, body, view, client }) => {
    const text = view.state.values[POLICY_MODAL.blockId]?.[POLICY_MODAL.actionId]?.value ?? "";
    if (text.trim() === "") {
      await ack({ response_action: "errors", errors: { [POLICY_MODAL.blockId]: "Paste the policy text." } });
      return;
    }
    await ack();
    const user = body.user.id;
    const meta = modalMetadataSchema.safeParse(safeJson(view.private_metadata));
    if (!meta.success) {
      auditRejected(deps.chat, slackActor(user, body.team?.id ?? "", ""), "policy", "bad_input");
      await tellUser(
        deps,
        client,
        user,
        null,
        renderNotice("That form's data is not valid; run /attest policy again."),
      );
      return;
    }
    const team = body.team?.id ?? body.user.team_id ?? meta.data.team;
    const channel = meta.data.channel;
    const actor = slackActor(user, team, channel);
    // The channel comes back from Slack (signed) but is still checked like any typed command's.
    const refusal = refusalOf(deps.config, team, channel);
    if (refusal) {
      auditRejected(deps.chat, actor, "policy", "refused");
      await tellUser(deps, client, user, null, renderRefusal(refusal));
      return;
    }
    const parsed = parseCommand(`policy ${text}`);
    if (!parsed.ok || parsed.command.kind !== "policy") {
      auditRejected(deps.chat, actor, "policy", "bad_input");
      await tellUser(deps, client, user, channel, renderUsage(parsed.ok ? null : parsed.error, "slash"));
      return;
    }
    const reply = await handleCommand(deps.chat, actor, parsed.command);
    const where = { team, channel };
    const via = await tellUser(deps, client, user, channel, replyMessage(deps, reply, where, "slash", false));
    deps.logger.info("slack.delivered", { command: "policy", via });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
