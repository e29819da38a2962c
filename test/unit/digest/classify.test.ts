import { describe, expect, it } from "vitest";
import { explain } from "../../../src/domain/diagnosis/explain.js";
import { ruleClassifier } from "../../../src/domain/digest/classify.js";
import { RBAC_SSMS, SEED_MESSAGES } from "../../fixtures/seed-messages.js";

describe("ruleClassifier", () => {
  it("gives every seed message the rule the guide gives it (same rules as explain)", () => {
    const single = SEED_MESSAGES.filter((m) => !m.alsoRules && !m.lead);
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

  it("classifies the RBAC example as a customer error", () => {
    expect(ruleClassifier(RBAC_SSMS, 37324).category).toBe("customer_error");
  });
});
