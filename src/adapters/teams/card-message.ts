/** An Adaptive Card as a Teams message activity. */
import { type Activity, CardFactory, MessageFactory } from "botbuilder";
import type { AdaptiveCardJson } from "../../render/adaptive-card/templates.js";

/** The message activity carrying `card`, with a one-line summary for notifications. */
export function cardMessage(card: AdaptiveCardJson, summary: string): Partial<Activity> {
  const message = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  message.summary = summary;
  return message;
}
