/** The incident classifier over the rule catalog (the same rules `check` applies to telemetry). */
import { parseMessage } from "../diagnosis/parse-message.js";
import { classify } from "../diagnosis/rules/catalog.js";
import { type IncidentClassifier, ruleIncidentClassifier } from "./detect.js";

export const incidentClassifier: IncidentClassifier = ruleIncidentClassifier((sample, errorId) =>
  classify(parseMessage(sample, { errorId }), { telemetry: true }),
);
