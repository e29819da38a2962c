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
