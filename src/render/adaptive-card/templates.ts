/**
 * The Adaptive Card templates in `cards/` (version 1.5), bound with `adaptivecards-templating`.
 * Templates are imported as JSON modules, so rendering stays pure (no file reads).
 */
// The package index re-exports a module typed from adaptivecards/src (.ts that fails our compiler settings).
import { Template } from "adaptivecards-templating/lib/template-engine.js";
import diagnosisTemplate from "../../../cards/diagnosis.json" with { type: "json" };
import helpTemplate from "../../../cards/help.json" with { type: "json" };
import noticeTemplate from "../../../cards/notice.json" with { type: "json" };
import progressTemplate from "../../../cards/progress.json" with { type: "json" };

/** An Adaptive Card as JSON. */
export type AdaptiveCardJson = Readonly<Record<string, unknown>>;

export const TEMPLATES = {
  diagnosis: diagnosisTemplate as unknown,
  help: helpTemplate as unknown,
  progress: progressTemplate as unknown,
  notice: noticeTemplate as unknown,
} as const;

export type TemplateName = keyof typeof TEMPLATES;

/** A bound card and the templating warnings (a correct template and data give none). */
export interface BoundCard {
  readonly card: AdaptiveCardJson;
  readonly warnings: readonly string[];
}

/** Binds `data` to the named template. */
export function bindTemplate(name: TemplateName, data: object): BoundCard {
  const template = new Template(TEMPLATES[name]);
  const card = template.expand({ $root: data }) as AdaptiveCardJson;
  return { card, warnings: template.getLastTemplateExpansionWarnings() };
}

/**
 * Teams refuses a bot message over 40 KB (413 MessageSizeTooBig), counting "the entire message
 * payload encoded as UTF-16" (Microsoft Learn, "Format your bot messages"). 40,000 rather than
 * 40,960: the documentation does not say which.
 */
export const TEAMS_MESSAGE_LIMIT_BYTES = 40_000;

/** Size of `value`'s JSON as Teams counts it: UTF-16, two bytes per code unit. */
export function utf16Bytes(value: unknown): number {
  return 2 * JSON.stringify(value).length;
}

/** The card's size as Teams counts it (UTF-16 bytes of the JSON). */
export function cardBytes(card: AdaptiveCardJson): number {
  return utf16Bytes(card);
}
