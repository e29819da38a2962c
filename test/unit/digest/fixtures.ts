/** Shared test data for the digest: a tiny classifier and a row builder. */
import type { Classifier, FleetSummaryRow } from "../../../src/domain/digest/types.js";

/** Stands in for the diagnosis rules: keyed on the return code in the sample. */
export const tinyClassifier: Classifier = (sample) => {
  if (sample.includes("0x00000193")) return { rule: "rbac-missing", category: "customer_error" };
  if (sample.includes("0x000001f4")) return { rule: "maa-500", category: "maa_escalation" };
  if (sample.includes("enclave not loaded"))
    return { rule: "enclave-not-loaded", category: "deployment_issue" };
  return { rule: "unknown-failure", category: "needs_info" };
};

export const DAY = 86_400_000;
export const TO = Date.parse("2026-11-24T00:00:00Z");

/** A row in window `slot` (0 = current) of a 1-day digest ending at TO. */
export function row(
  server: string,
  slot: number,
  failures: number,
  sample = "Return code: '0x00000193'",
): FleetSummaryRow {
  const start = TO - (slot + 1) * DAY;
  return {
    server,
    errorId: 37324,
    code: /0x[0-9a-f]{8}/i.exec(sample)?.[0] ?? null,
    periodStart: new Date(start).toISOString(),
    failures,
    firstSeen: new Date(start + 3_600_000).toISOString(),
    lastSeen: new Date(start + 7_200_000).toISOString(),
    nodes: 1,
    sample,
  };
}
