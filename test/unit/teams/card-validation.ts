/**
 * Test helper: parses a card with the `adaptivecards` library (headless: parse + validateProperties
 * need no DOM) and returns every parse and validation event. The package's ESM build has
 * extensionless imports Node cannot load, so its UMD bundle is loaded through require.
 */
import { createRequire } from "node:module";

type AdaptiveCardsModule = typeof import("adaptivecards");

const require = createRequire(import.meta.url);
const AC = require("adaptivecards/dist/adaptivecards.js") as AdaptiveCardsModule;

export interface CardCheck {
  /** Parse warnings (unknown elements, bad values) and validation failures (duplicate ids, ...). */
  readonly problems: readonly string[];
  /** The card as the library re-serializes it. */
  readonly parsed: Record<string, unknown>;
  readonly version: string;
}

export function checkCard(json: unknown): CardCheck {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  const parsed = card.toJSON() as Record<string, unknown>;
  return { problems, parsed, version: card.version.toString() };
}

/**
 * Markdown text as Teams shows it: CommonMark backslash escapes (a backslash before ASCII
 * punctuation) removed. Cards escape telemetry and user text (escapeMarkdown), so assertions on
 * what the reader sees go through this.
 */
export function shown(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

/**
 * Every string in a card's TextBlocks and facts as displayed (escapes removed: `shown`), for
 * assertions on content. `rawCardText` keeps the escapes.
 */
export function cardText(json: unknown): string {
  return shown(rawCardText(json));
}

/** Every string in a card's TextBlocks and facts, exactly as in the JSON (Markdown source). */
export function rawCardText(json: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if ((k === "text" || k === "title" || k === "value") && typeof x === "string") out.push(x);
        else walk(x);
      }
  };
  walk(json);
  return out.join("\n");
}
