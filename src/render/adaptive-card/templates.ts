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

/** The card's size as Teams counts it (UTF-8 bytes of the JSON). */
export function cardBytes(card: AdaptiveCardJson): number {
  return new TextEncoder().encode(JSON.stringify(card)).length;
}
