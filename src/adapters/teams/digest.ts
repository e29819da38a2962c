/**
 * `attest digest subscribe|list|unsubscribe|preview` in Teams (the text is already admitted: access
 * checked, mention stripped). Subscriptions belong to the channel (the root conversation id, not a
 * reply thread); subscribe and unsubscribe only in a channel, list and preview anywhere. The preview
 * goes to the caller only: in place in a personal chat, else in a new 1:1 chat with them.
 */
import { type Activity, ActivityTypes, type TurnContext } from "botbuilder";
import {
  type DigestActor,
  type DigestReply,
  digestReplyText,
  handleDigestCommand,
} from "../../app/chat/digest-commands.js";
import { auditRejected, type ChatActor } from "../../app/chat/handle-command.js";
import { parseDigestCommand } from "../../domain/digest/commands.js";
import type { Tone } from "../../domain/view/labels.js";
import {
  renderHelpCard,
  renderLinesCard,
  renderNoticeCard,
} from "../../render/adaptive-card/render-simple-cards.js";
import { renderDigestCard } from "../../render/digest/adaptive-card.js";
import type { TeamsBotDeps } from "./bot.js";
import { cardMessage } from "./card-message.js";
import { rootConversationReference } from "./conversation.js";

/** `digest …` or `attest digest …`; group 1 is what follows the word digest. */
export const DIGEST_TEXT = /^(?:\/?attest\s+)?digest(?=\s|$)([\s\S]*)$/i;

export const DIGESTS_OFF_TEXT =
  "Scheduled digests are off on this bot (no digest store is configured), so there is nothing to subscribe to. The team that runs the bot can turn them on.";

const CHANNEL_ONLY_TEXT =
  "Digest subscriptions belong to a channel: @mention attest in the channel that should receive the digest. Here you can use `digest list` and `digest preview`.";

const TITLES: Readonly<Record<Exclude<DigestReply["kind"], "preview">, { title: string; tone: Tone }>> = {
  subscribed: { title: "Digest subscribed", tone: "good" },
  list: { title: "Digest subscriptions", tone: "accent" },
  unsubscribed: { title: "Digest unsubscribed", tone: "good" },
  not_found: { title: "No such subscription", tone: "warning" },
  bad_input: { title: "That did not work", tone: "warning" },
  error: { title: "Something went wrong", tone: "attention" },
};

/** The reply in the conversation (everything but the preview card). */
function replyActivity(reply: Exclude<DigestReply, { kind: "preview" }>): Partial<Activity> {
  if (reply.kind === "bad_input")
    return cardMessage(
      renderHelpCard({ message: reply.message, example: reply.example }),
      "That did not work",
    );
  if (reply.kind === "error") return cardMessage(renderNoticeCard("error", reply.message), reply.message);
  const text = digestReplyText(reply);
  const { title, tone } = TITLES[reply.kind];
  return cardMessage(renderLinesCard(title, text.split("\n"), tone), text.split("\n")[0] ?? title);
}

/** Runs `attest digest <rest>` for the admitted `actor`. Returns the outcome (for invoke answers). */
export async function runDigestText(
  deps: TeamsBotDeps,
  context: TurnContext,
  actor: ChatActor,
  rest: string,
): Promise<string> {
  if (!deps.digest) {
    auditRejected(deps.chat, actor, "digest", "digests_off");
    await context.sendActivity(
      cardMessage(renderNoticeCard("unavailable", DIGESTS_OFF_TEXT), DIGESTS_OFF_TEXT),
    );
    return "digests_off";
  }
  const parsed = parseDigestCommand(rest);
  if (!parsed.ok) {
    auditRejected(deps.chat, actor, "digest", "bad_input");
    await context.sendActivity(cardMessage(renderHelpCard(parsed.error), "That did not work"));
    return "bad_input";
  }
  const command = parsed.command;
  const activity = context.activity;
  const scope = activity.conversation?.conversationType;
  if ((command.kind === "subscribe" || command.kind === "unsubscribe") && scope !== "channel") {
    auditRejected(deps.chat, actor, `digest ${command.kind}`, "wrong_scope");
    await context.sendActivity(
      cardMessage(renderLinesCard("Use a channel", [CHANNEL_ONLY_TEXT], "warning"), CHANNEL_ONLY_TEXT),
    );
    return "wrong_scope";
  }
  await context.sendActivity({ type: ActivityTypes.Typing });
  const reference = rootConversationReference(activity);
  const digestActor: DigestActor = {
    platform: "teams",
    userId: actor.userId,
    tenantId: actor.tenantId,
    target: { platform: "teams", conversationId: reference.conversation.id },
    teamsReference: reference as unknown as Readonly<Record<string, unknown>>,
  };
  const reply = await handleDigestCommand(deps.digest, digestActor, command);
  if (reply.kind !== "preview") {
    await context.sendActivity(replyActivity(reply));
    return reply.kind;
  }
  const card = cardMessage(renderDigestCard(reply.post), reply.post.title);
  if (scope === "personal") {
    await context.sendActivity(card);
    return "preview";
  }
  try {
    await deps.openPersonalChat(context, async (personal) => {
      await personal.sendActivity(card);
    });
    await context.sendActivity("I sent you the digest preview in a personal chat with attest.");
    return "preview";
  } catch (error) {
    deps.logger.warn("teams.preview_not_sent", {
      who: actor.userId,
      error: error instanceof Error ? error.message : String(error),
    });
    const text =
      "I could not message you privately. Open a personal chat with attest (or install it for yourself) and try `digest preview` there.";
    await context.sendActivity(cardMessage(renderNoticeCard("unavailable", text), text));
    return "preview_not_sent";
  }
}
