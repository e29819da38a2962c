/**
 * Every rule, by id. Message rules are tried in priority order: the first that matches explains
 * the message (unrecognised-error matches everything and comes last).
 */
import { knownErrorId, type ParsedMessage } from "../parse-message.js";
import type { RuleMeta } from "../types.js";
import { DRIVER_RULES, outsideLoginFailed } from "./driver-rules.js";
import { FACT_RULES } from "./fact-rules.js";
import { MAA_TOOL_RULES } from "./maa-tool-rules.js";
import type { MessageRule } from "./rule.js";
import { SQL_ERROR_RULES } from "./sql-error-rules.js";

export const MESSAGE_RULES: readonly MessageRule[] = [
  ...SQL_ERROR_RULES,
  ...MAA_TOOL_RULES,
  ...DRIVER_RULES,
  outsideLoginFailed,
].sort((a, b) => a.meta.priority - b.meta.priority);

export const ALL_RULES: readonly RuleMeta[] = [...FACT_RULES, ...MESSAGE_RULES.map((r) => r.meta)];

export const RULES_BY_ID: ReadonlyMap<string, RuleMeta> = new Map(ALL_RULES.map((r) => [r.id, r]));

/** How to classify: where the message comes from, and what is known besides its text. */
export interface ClassifyOptions {
  /** A telemetry row: the explain-only rules (PowerShell / portal errors) are skipped. */
  readonly telemetry?: boolean;
  /**
   * The error number given alongside the text (the row's error_id column). Authoritative: it
   * replaces the number parsed from the text, so a 37309 / 37325 row is a DCAP error whatever
   * its text says. Same as `parseMessage(text, { errorId })`.
   */
  readonly errorId?: number | null;
}

/**
 * The rule that explains `m` (never undefined: unrecognised-error matches anything). Telemetry
 * rows skip the explain-only rules (PowerShell / portal errors never reach SQL telemetry).
 */
export function classify(m: ParsedMessage, options: ClassifyOptions = {}): MessageRule {
  const known = knownErrorId(options.errorId);
  const msg = known === null || known === m.errorId ? m : { ...m, errorId: known };
  const rule = MESSAGE_RULES.find((r) => !(options.telemetry && r.explainOnly) && r.matches(msg));
  if (!rule) throw new Error("unreachable: unrecognised-error matches every message");
  return rule;
}

export function ruleMeta(id: string): RuleMeta {
  const meta = RULES_BY_ID.get(id);
  if (!meta) throw new Error(`unknown rule id ${id}`);
  return meta;
}

/** A rule's priority (for ordering findings of equal urgency and count); unknown ids last. */
export const priorityOf = (id: string): number => RULES_BY_ID.get(id)?.priority ?? 1000;
