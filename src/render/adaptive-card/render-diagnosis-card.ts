/**
 * DiagnosisView -> Adaptive Card 1.5 (`cards/diagnosis.json`). Teams refuses messages over about
 * 40 KB, so the card is bound with progressively tighter limits until it fits `maxBytes`; what is
 * left out is counted on the card.
 */
import type { DiagnosisView } from "../../domain/view/check-view.js";
import { type CardLimits, DEFAULT_LIMITS, diagnosisCardData } from "./card-data.js";
import { type AdaptiveCardJson, bindTemplate, cardBytes, TEAMS_MESSAGE_LIMIT_BYTES } from "./templates.js";

/**
 * Card budget in UTF-16 bytes (cardBytes): Teams' 40 KB message limit minus room for the activity
 * around the card (ids, serviceUrl, conversation, summary: about 1,500 characters = 3 KB) and a
 * margin. cardMessage + activityBytes measure the whole activity.
 */
export const MAX_CARD_BYTES = TEAMS_MESSAGE_LIMIT_BYTES - 6_000;

/**
 * Limits tried in order until the card fits. The KQL is cut last: evidence rows (one click away
 * in the CLI's JSON report) and long texts give way first, so the KQL stays whenever it can fit.
 */
const STEPS: readonly Partial<CardLimits>[] = [
  {},
  { evidenceRows: 15 },
  { evidenceRows: 10 },
  { evidenceRows: 5, textChars: 800 },
  // Fewer and shorter evidence rows before any KQL is cut (the bot's budget is smaller than the
  // default: the activity around the card and the follow-up buttons take room).
  { evidenceRows: 3, excerptChars: 100, textChars: 800 },
  { evidenceRows: 3, excerptChars: 80, textChars: 400 },
  { evidenceRows: 3, excerptChars: 80, textChars: 400, kqlChars: 1200 },
  { evidenceRows: 3, excerptChars: 80, textChars: 400, kqlChars: 600, findings: 5 },
  { evidenceRows: 3, excerptChars: 80, kqlChars: 0, textChars: 400, findings: 5 },
  { evidenceRows: 0, excerptChars: 60, kqlChars: 0, textChars: 200, findings: 3 },
];

export interface RenderedCard {
  readonly card: AdaptiveCardJson;
  readonly bytes: number;
  /** Templating warnings (none for a correct template). */
  readonly warnings: readonly string[];
  readonly limits: CardLimits;
}

export function renderDiagnosisCard(
  view: DiagnosisView,
  options: { readonly maxBytes?: number } = {},
): RenderedCard {
  const maxBytes = options.maxBytes ?? MAX_CARD_BYTES;
  let last: RenderedCard | null = null;
  for (const step of STEPS) {
    const limits = { ...DEFAULT_LIMITS, ...step };
    const { card, warnings } = bindTemplate("diagnosis", diagnosisCardData(view, limits));
    last = { card, bytes: cardBytes(card), warnings, limits };
    if (last.bytes <= maxBytes) return last;
  }
  // The tightest step still too big (pathological input): return it; the adapter logs the size.
  return last!;
}
