import { describe, expect, it } from "vitest";
import { explain } from "../../../src/domain/diagnosis/explain.js";
import { lintPolicy } from "../../../src/domain/policy/lint.js";

describe("a PolicyEvaluationError points to the policy check", () => {
  const diagnosis = explain(
    "Msg 37324, Level 16, State 57, Line 1\nEnclave attestation failed. Attestation service returned Error code: 'PolicyEvaluationError'. Return code: '0x00000190'.",
  );
  const finding = diagnosis.findings.find((f) => f.rule === "policy-evaluation-failed");

  it("names `attest policy` in the mitigation", () => {
    expect(finding?.mitigation.text).toContain("`attest policy`");
  });

  it("shows a recommended policy that the policy check accepts as is", () => {
    const policy = finding?.mitigation.commands.find((c) => /authorizationrules|version\s*=/.test(c));
    expect(policy).toBeDefined();
    const result = lintPolicy(policy as string);
    expect(result.valid).toBe(true);
    expect(result.permits).toBe(true);
    expect(result.findings.filter((f) => f.severity !== "info")).toEqual([]);
  });
});
