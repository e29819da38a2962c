/**
 * The digest's classifier: each fleet-summary sample through the same rules as `check` and
 * `explain`: the message rules, plus the URL check on every attestation URL the message quotes
 * (a malformed one also counts under `attestation-url-malformed`, as `check` reports it).
 */
import { parseMessage } from "../diagnosis/parse-message.js";
import { classify } from "../diagnosis/rules/catalog.js";
import { attestationUrlMalformed } from "../diagnosis/rules/fact-rules.js";
import { checkAttestationUrl } from "../url/check-attestation-url.js";
import type { Classifier } from "./types.js";

export const ruleClassifier: Classifier = (sample, errorId) => {
  // The row's error id is authoritative (as in `check`): a 37309 row is Intel DCAP whatever its text says.
  const message = parseMessage(sample, { errorId });
  const rule = classify(message, { telemetry: true });
  const primary = { rule: rule.meta.id, category: rule.meta.category };
  const malformed =
    rule.meta.id !== attestationUrlMalformed.id && message.urls.some((url) => !checkAttestationUrl(url).ok);
  return malformed
    ? { ...primary, also: [{ rule: attestationUrlMalformed.id, category: attestationUrlMalformed.category }] }
    : primary;
};
