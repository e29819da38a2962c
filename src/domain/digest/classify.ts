/** The digest's classifier: each fleet-summary sample through the same message rules as `check` and `explain`. */
import { parseMessage } from "../diagnosis/parse-message.js";
import { classify } from "../diagnosis/rules/catalog.js";
import type { Classifier } from "./types.js";

export const ruleClassifier: Classifier = (sample, errorId) => {
  // The row's error id is authoritative (as in `check`): a 37309 row is Intel DCAP whatever its text says.
  const rule = classify(parseMessage(sample, { errorId }), { telemetry: true });
  return { rule: rule.meta.id, category: rule.meta.category };
};
