/**
 * The follow-up buttons of a diagnosis (feedback, escalation packet) as one more actions block.
 * Each button's value is the command it runs (at most 2,000 characters, validated on the way back
 * by parseCommand); action ids `attest_followup_<name>`.
 */
import type { DiagnosisView } from "../../domain/view/check-view.js";
import { followUps } from "../../domain/view/follow-ups.js";
import { plain, type SlackMessage } from "./blocks.js";

export const FOLLOW_UP_ACTION_PREFIX = "attest_followup_";
/** `attest_followup_<name>`, or `attest_followup_escalate_<i>` from a digest's incident rows. */
export const FOLLOW_UP_ACTION_PATTERN = /^attest_followup_(fixed|not_fixed|escalate|snooze)(_\d{1,2})?$/;

/** `message` with the follow-up buttons of `view` as a last actions block (Slack allows 50 blocks). */
export function withFollowUpBlocks(message: SlackMessage, view: DiagnosisView): SlackMessage {
  const buttons = followUps(view);
  if (buttons.length === 0 || message.blocks.length >= 50) return message;
  const block = {
    type: "actions",
    block_id: "attest_followups",
    elements: buttons.map((b) => ({
      type: "button",
      text: plain(b.title),
      action_id: `${FOLLOW_UP_ACTION_PREFIX}${b.name}`,
      value: b.command.slice(0, 2000),
      ...(b.name === "fixed" ? { style: "primary" } : {}),
    })),
  };
  return { ...message, blocks: [...message.blocks, block] } as SlackMessage;
}
