/** What the Slack listeners share: the dependencies, the actor, and a ChatReply as a message. */
import type { webApi } from "@slack/bolt";
import type { DigestChatDeps } from "../../app/chat/digest-commands.js";
import type { ChatActor, ChatDeps, ChatReply } from "../../app/chat/handle-command.js";
import type { Logger } from "../../ports/log.js";
import type { SlackMessage } from "../../render/block-kit/blocks.js";
import { withFollowUpBlocks } from "../../render/block-kit/follow-ups.js";
import { renderDiagnosis } from "../../render/block-kit/render-diagnosis.js";
import { renderEscalation } from "../../render/block-kit/render-escalation.js";
import { type Invocation, renderNotice, renderUsage } from "../../render/block-kit/render-messages.js";
import { renderPolicy } from "../../render/block-kit/render-policy.js";
import type { SlackConfig } from "./config.js";
import type { ResultStore } from "./result-store.js";

export interface SlackDeps {
  readonly chat: ChatDeps;
  /** `attest digest ...`; null when digests are off. */
  readonly digest: DigestChatDeps | null;
  readonly logger: Logger;
  readonly config: SlackConfig;
  readonly store: ResultStore;
}

export function slackActor(user: string, team: string, channel: string): ChatActor {
  return { platform: "slack", userId: user, tenantId: team, conversationId: channel };
}

/** The message for a reply; a diagnosis is stored so its buttons can find it again. */
export function replyMessage(
  deps: SlackDeps,
  reply: ChatReply,
  where: { readonly team: string; readonly channel: string },
  how: Invocation,
  offerPost: boolean,
): SlackMessage {
  switch (reply.kind) {
    case "diagnosis": {
      const ref = deps.store.put(reply.view, where.team, where.channel);
      // Issue 14: "This fixed it" / "This did not" / "Escalation packet".
      return withFollowUpBlocks(renderDiagnosis(reply.view, { ref, offerPost }), reply.view);
    }
    case "policy":
      return renderPolicy(reply.view);
    case "usage":
      return renderUsage(reply.error, how);
    case "unavailable":
    case "error":
    case "notice":
      return renderNotice(reply.message);
    case "escalation":
      return renderEscalation(reply.packet);
  }
}

/** The first word of a command, for audit lines of commands that did not parse. */
export function commandWord(text: string): string {
  const word = /^(?:\/?attest\s+)?(\S+)/i.exec(text.trim())?.[1] ?? "help";
  return /^[a-z?]{1,16}$/i.test(word) ? word.toLowerCase() : "unknown";
}

export type SlackClient = webApi.WebClient;
