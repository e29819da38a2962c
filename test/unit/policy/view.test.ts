import { describe, expect, it } from "vitest";
import { policyReply, renderPolicyText } from "../../../src/domain/policy/view.js";
import { COND, fixture, permitWhen, RECOMMENDED_CONDITIONS } from "./helpers.js";

describe("policyReply (the chat 'policy' command)", () => {
  it("good tone and no recommended policy for the recommended policy", () => {
    const v = policyReply(permitWhen(RECOMMENDED_CONDITIONS));
    expect(v.verdict.tone).toBe("good");
    expect(v.recommendedPolicy).toBeNull();
    expect(v.findings).toEqual([]);
  });

  it("warning tone, the findings with their fix and the recommended policy for a weaker policy", () => {
    const v = policyReply(fixture("sample-svn0.txt"));
    expect(v.verdict).toMatchObject({ tone: "warning" });
    expect(v.verdict.headline).toContain("weaker than the recommended policy (1 finding)");
    expect(v.findings).toEqual([expect.objectContaining({ severity: "warning", tone: "warning" })]);
    expect(v.recommendedPolicy).toContain("value>= 2");
  });

  it("attention tone and the failing condition when the enclave is refused", () => {
    const v = policyReply(permitWhen([COND.debuggable, COND.svn(7)]), { svn: 3 });
    expect(v.verdict.tone).toBe("attention");
    expect(v.verdict.headline).toContain("refuses the Azure SQL enclave (svn 3)");
    expect(v.facts).toContainEqual({ label: "Failing condition", value: '[type=="x-ms-sgx-svn", value>=7]' });
  });

  it("attention tone with the parse error's position for an invalid policy", () => {
    const v = policyReply(fixture("missing-semicolon.txt"));
    expect(v.verdict.tone).toBe("attention");
    expect(renderPolicyText(v)).toContain("Error at line 2, column 1: mismatched input '[' expecting ';'");
  });

  it("explains typographic quotes pasted from chat", () => {
    const v = policyReply(
      "version=1.0; authorizationrules { [type==\u201cx-ms-sgx-svn\u201d] => permit(); };",
    );
    expect(v.errors[0]?.message).toContain("typographic quote");
    expect(v.errors[0]?.column).toBe(42);
  });
});

describe("the policy headline is the worst thing below it (issue 12)", () => {
  const RANK = { "⛔": 0, "⚠️": 1, ℹ️: 2, "✅": 3 } as const;
  const policies = {
    "permit all (default)": fixture("default-sgx.txt"),
    "sample svn 0": fixture("sample-svn0.txt"),
    "missing semicolon": fixture("missing-semicolon.txt"),
    "debuggable allowed": permitWhen([COND.productId, COND.svn(2), COND.mrsigner]),
    recommended: permitWhen(RECOMMENDED_CONDITIONS),
    "no svn check": permitWhen([COND.debuggable, COND.productId, COND.mrsigner]),
  };
  for (const [name, text] of Object.entries(policies))
    it(`${name}: no finding or parse error is more severe than the headline`, () => {
      const v = policyReply(text);
      const headline = RANK[v.verdict.icon as keyof typeof RANK];
      for (const f of v.findings) expect(RANK[f.icon as keyof typeof RANK]).toBeGreaterThanOrEqual(headline);
      if (v.errors.length > 0) expect(v.verdict.icon).toBe("⛔");
      if (v.findings.some((f) => f.severity === "error"))
        expect(v.verdict).toMatchObject({ icon: "⛔", tone: "attention" });
    });
});
