/** The digest's classifier: each fleet-summary sample through the same message rules as `check` and `explain`. */
import { parseMessage } from "../diagnosis/parse-message.js";
import { classify } from "../diagnosis/rules/catalog.js";
import type { Classifier } from "./types.js";

export const ruleClassifier: Classifier = (sample, errorId) => {
  const parsed = parseMessage(sample);
  // The row's error id is authoritative when the sample does not print one.
  const rule = classify(parsed.errorId === null ? { ...parsed, errorId } : parsed, { telemetry: true });
  return { rule: rule.meta.id, category: rule.meta.category };
};
