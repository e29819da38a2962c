/**
 * Adds the follow-up buttons (feedback, escalation packet) to a diagnosis card as an ActionSet at
 * the end of the body: each is an Action.Execute carrying its command, like Re-run.
 */
import type { DiagnosisView } from "../../domain/view/check-view.js";
import { followUps } from "../../domain/view/follow-ups.js";
import { RUN_VERB } from "./actions.js";
import type { AdaptiveCardJson } from "./templates.js";

export function followUpActionSet(view: DiagnosisView): Record<string, unknown> | null {
  const buttons = followUps(view);
  if (buttons.length === 0) return null;
  return {
    type: "ActionSet",
    id: "attestFollowUps",
    separator: true,
    actions: buttons.map((b) => ({
      type: "Action.Execute",
      title: b.title,
      verb: RUN_VERB,
      data: { attestCommand: b.command },
    })),
  };
}

/** `card` with the follow-up buttons of `view` appended to its body. */
export function withFollowUpActions(card: AdaptiveCardJson, view: DiagnosisView): AdaptiveCardJson {
  const set = followUpActionSet(view);
  if (!set) return card;
  return { ...card, body: [...((card.body as unknown[]) ?? []), set] };
}

/** Room the follow-up buttons take in a card (UTF-16 bytes), for the card budget. */
export const FOLLOW_UP_BYTES = 2_000;
