/** Reading a Teams activity: who sent it, and the command text (typed, or from a card button). */
import { type Activity, TurnContext } from "botbuilder";
import type { ChatActor } from "../../app/chat/handle-command.js";

/** The verb of the card's Action.Execute buttons; the data carries the command text. */
export const RUN_VERB = "attest.run";

export function actorOf(activity: Partial<Activity>): ChatActor {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return {
    platform: "teams",
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? "",
    tenantId: activity.conversation?.tenantId ?? channelData?.tenant?.id ?? "",
    conversationId: activity.conversation?.id ?? "",
  };
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  nbsp: " ",
  "#39": "'",
};

/** Message text with the bot's @mention (and any other <at> tag) removed. */
export function typedText(activity: Partial<Activity>): string {
  const withoutBot = activity.entities ? TurnContext.removeRecipientMention(activity) : (activity.text ?? "");
  return (withoutBot ?? "")
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/&(amp|lt|gt|quot|nbsp|#39);/g, (_m, e: string) => ENTITIES[e] ?? "")
    .trim();
}

/** The command a card button carries: Action.Submit puts it in `value`, Action.Execute in `value.action.data`. */
export function buttonCommand(value: unknown): string | null {
  if (!value || typeof value !== "object") return null;
  const v = value as {
    attestCommand?: unknown;
    action?: { verb?: unknown; data?: { attestCommand?: unknown } };
  };
  const command = v.action ? v.action.data?.attestCommand : v.attestCommand;
  return typeof command === "string" ? command : null;
}
