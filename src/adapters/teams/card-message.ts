/** An Adaptive Card as a Teams message activity, and its size as Teams counts it. */
import { type Activity, CardFactory, MessageFactory, TurnContext } from "botbuilder";
import { type AdaptiveCardJson, utf16Bytes } from "../../render/adaptive-card/templates.js";

/** The message activity carrying `card`, with a one-line summary for notifications. */
export function cardMessage(card: AdaptiveCardJson, summary: string): Partial<Activity> {
  const message = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  message.summary = summary;
  return message;
}

/**
 * UTF-16 bytes of `message` as sent in `context`'s conversation: with the ids, addresses and
 * conversation botbuilder adds (applyConversationReference), as Teams counts its 40 KB limit.
 */
export function activityBytes(message: Partial<Activity>, context: TurnContext): number {
  const reference = TurnContext.getConversationReference(context.activity);
  return utf16Bytes(TurnContext.applyConversationReference({ ...message }, reference));
}
