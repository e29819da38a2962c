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
});
