import { describe, expect, it } from "vitest";
import { explain } from "../../../src/domain/diagnosis/explain.js";
import { MESSAGE_RULES } from "../../../src/domain/diagnosis/rules/catalog.js";
import { ruleClassifier } from "../../../src/domain/digest/classify.js";
import { RBAC_SSMS, SEED_MESSAGES } from "../../fixtures/seed-messages.js";

describe("ruleClassifier", () => {
  // Digest samples are telemetry rows: classified like `check` does, so the rules that only
  // match client-side (PowerShell, portal) errors do not apply to them.
  const explainOnly = new Set(MESSAGE_RULES.filter((r) => r.explainOnly).map((r) => r.meta.id));

  it("gives every telemetry seed message the rule the guide gives it (same rules as check)", () => {
    const single = SEED_MESSAGES.filter((m) => !m.alsoRules && !m.lead && !explainOnly.has(m.rule));
    expect(single.length).toBeGreaterThan(3);
    for (const m of single) {
      const c = ruleClassifier(m.text, 37324);
      expect(c.rule, m.source).toBe(m.rule);
      expect(
        explain(m.text).findings.map((f) => f.rule),
        m.source,
      ).toContain(c.rule);
    }
  });

  it("never gives a telemetry row a client-side-only rule", () => {
    for (const m of SEED_MESSAGES.filter((x) => explainOnly.has(x.rule)))
      expect(explainOnly.has(ruleClassifier(m.text, 37324).rule), m.source).toBe(false);
  });

  it("classifies the RBAC example as a customer error", () => {
    expect(ruleClassifier(RBAC_SSMS, 37324).category).toBe("customer_error");
  });

  it("also counts a malformed URL quoted in the message under attestation-url-malformed, as check does", () => {
    const bad =
      "Enclave attestation failed. Attestation service returned Error code: 'NotFound'. Error message: 'Not found'. Attestation URL: 'https://sgxattestbad.eus.attest.azure.net/attest/SgxEnclav?api-version=2018-09-01-preview'. Return code: '0x00000194'.";
    expect(ruleClassifier(bad, 37324)).toEqual({
      rule: "maa-other-4xx",
      category: "customer_error",
      also: [{ rule: "attestation-url-malformed", category: "customer_error" }],
    });
    expect(explain(bad).findings.map((f) => f.rule)).toEqual(
      expect.arrayContaining(["maa-other-4xx", "attestation-url-malformed"]),
    );
    const good = bad.replace("/SgxEnclav?", "/SgxEnclave?");
    expect(ruleClassifier(good, 37324)).toEqual({ rule: "maa-other-4xx", category: "customer_error" });
  });
});
