/** Conversation references for proactive posts (digests) and 1:1 chats. */
import { type Activity, type ConversationReference, TurnContext } from "botbuilder";

/**
 * The reference of the conversation `activity` came from, at its root: a Teams channel message
 * has `19:…@thread.tacv2;messageid=…` (the reply thread), and a digest belongs in the channel,
 * not in that thread. No activity id, so a proactive post is a new message, not a reply.
 */
export function rootConversationReference(
  activity: Partial<Activity>,
): Partial<ConversationReference> & { conversation: { id: string } } {
  const reference = TurnContext.getConversationReference(activity);
  const conversation = reference.conversation;
  const id = (conversation?.id ?? "").split(";")[0] ?? "";
  const { activityId: _thread, ...rest } = reference;
  return {
    ...rest,
    conversation: { ...(conversation ?? { isGroup: true, name: "", conversationType: "" }), id },
  };
}
