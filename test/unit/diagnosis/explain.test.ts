import { describe, expect, it } from "vitest";
import { explain, splitMessages } from "../../../src/domain/diagnosis/explain.js";
import { RECOMMENDED_POLICY } from "../../../src/domain/diagnosis/rules/sql-error-rules.js";
import {
  DERIVED_MESSAGES,
  FILTERED_ROW,
  FRAMINGS,
  INTERNAL_ERROR_SSMS,
  POLICY_SSMS,
  RBAC_BODY,
  RBAC_SSMS,
  SEED_MESSAGES,
  VARIATIONS,
} from "../../fixtures/seed-messages.js";

const ALL = [...SEED_MESSAGES, ...DERIVED_MESSAGES];
const rulesOf = (text: string) => explain(text).findings.map((f) => f.rule);

describe("explain: every example message of the seeds", () => {
  it.each(ALL)("$source → $rule ($verdict)", ({ text, rule, verdict, alsoRules, lead }) => {
    const d = explain(text);
    expect(d.verdict).toBe(verdict);
    expect(d.findings.map((f) => f.rule).sort()).toEqual([rule, ...(alsoRules ?? [])].sort());
    // The rule the guide gives leads among findings of the verdict's category.
    expect(d.findings[0]?.rule).toBe(lead ?? rule);
  });
});

describe("explain: variations of the seed messages", () => {
  const cases = ALL.flatMap((m) =>
    VARIATIONS.map((v) => ({ ...m, variation: v.name, text: v.apply(m.text) })),
  );
  it.each(cases)("$source, $variation → $rule", ({ text, rule, verdict }) => {
    const d = explain(text);
    expect(d.findings.map((f) => f.rule)).toContain(rule);
    expect(d.verdict).toBe(verdict);
  });

  it.each(FRAMINGS)("the 4.1 body in $name → RBAC, and the URL is fine", ({ apply }) => {
    const d = explain(apply(RBAC_BODY));
    expect(d.findings.map((f) => f.rule)).toEqual(["rbac-attestation-reader-missing"]);
    expect(d.findings[0]?.details.join(" ")).toMatch(/provider sgxattestuks, region uks/);
  });

  it.each(FRAMINGS)("a [Filtered Args] row in $name → filtered-args", ({ apply }) => {
    const body = FILTERED_ROW.slice(FILTERED_ROW.indexOf("[Filtered Args]"));
    expect(rulesOf(apply(body))).toEqual(["filtered-args"]);
  });

  it("placeholders without the [Filtered Args] tag are still filtered args", () => {
    expect(rulesOf(FILTERED_ROW.replace("[Filtered Args] ", ""))).toEqual(["filtered-args"]);
  });
});

describe("explain: findings", () => {
  it("reads error id, return code and errorlog time into the evidence", () => {
    const f = explain(FILTERED_ROW.replace("[Filtered Args] ", "").replace("0x%4", "0x00000193")).findings;
    const e = f.find((x) => x.rule === "rbac-attestation-reader-missing")?.evidence[0];
    expect(e).toMatchObject({ errorId: 37324, code: "0x00000193", timestamp: "2021-01-04T23:23:46.940Z" });
  });

  it("fills the provider named in the URL into the RBAC commands", () => {
    const f = explain(RBAC_BODY).findings[0];
    expect(f?.mitigation.commands[0]).toBe(
      'New-AzRoleAssignment -ObjectId <server identity object id> -RoleDefinitionName "Attestation Reader" -Scope <provider resource id>',
    );
    expect(f?.mitigation.commands.join("\n")).toContain("Get-AzAttestation -Name sgxattestuks");
  });

  it("shows the recommended policy and says when to escalate for PolicyEvaluationError", () => {
    const f = explain(POLICY_SSMS).findings.find((x) => x.rule === "policy-evaluation-failed");
    expect(f?.mitigation.commands).toContain(RECOMMENDED_POLICY);
    // Seed 002: the recommended policy (debugging off, product 4639, SVN >= 2, Microsoft's mrsigner).
    for (const line of [
      '[ type=="x-ms-sgx-is-debuggable", value==false ]',
      '[ type=="x-ms-sgx-product-id", value==4639 ]',
      '[ type=="x-ms-sgx-svn", value>= 2 ]',
      '[ type=="x-ms-sgx-mrsigner", value=="e31c9e505f37a58de09335075fc8591254313eb20bb1a27e5443cc450b6e33e5"]',
      "=> permit();",
    ])
      expect(RECOMMENDED_POLICY).toContain(line);
    expect(f?.mitigation.text).toMatch(/already is the recommended policy, escalate/);
  });

  it("sends InternalServerError to the MAA owner", () => {
    expect(explain(INTERNAL_ERROR_SSMS).findings[0]?.owner).toBe(
      "Azure Security Engineering/Azure Attestation Service",
    );
  });

  it("an unmatched text is needs_info with the raw text", () => {
    const d = explain("Something odd happened\nwith   the enclave");
    expect(d.verdict).toBe("needs_info");
    expect(d.findings[0]?.rule).toBe("unrecognised-error");
    expect(d.findings[0]?.details[0]).toBe("Text: Something odd happened with the enclave");
  });

  it.each(["", "   \n\t "])("empty text %j says what to paste", (text) => {
    const d = explain(text);
    expect(d.verdict).toBe("needs_info");
    expect(d.findings[0]?.details[0]).toMatch(/Nothing was pasted. Paste the complete error/);
  });

  it("a bare malformed URL is an URL finding only", () => {
    const d = explain("http://myprovider.eus.attest.azure.net/attest/SgxEnclave");
    expect(d.findings.map((f) => f.rule)).toEqual(["attestation-url-malformed"]);
    expect(d.findings[0]?.details[0]).toMatch(/scheme is http; expected https/);
  });

  it("a paste with two SSMS messages gives both findings", () => {
    const text = `${RBAC_SSMS}\n\nMsg 37303, Level 16, State 21, Line 1\nInternal error occurred while obtaining an authentication token for an attestation service. Authentication method: HttpConnectAndSendRequest, status: 0x00002ee7.`;
    expect(splitMessages(text)).toHaveLength(2);
    expect(rulesOf(text)).toEqual(
      expect.arrayContaining(["rbac-attestation-reader-missing", "attestation-url-unreachable"]),
    );
  });

  it("orders by urgency: a deployment issue before a customer error", () => {
    const text = `${RBAC_BODY}\nMsg 37325, Level 16, State 1, Line 1\nEnclave attestation failed due to an error in Azure Data Center Attestation Primitives (DCAP) Client.`;
    const d = explain(text);
    expect(d.verdict).toBe("deployment_issue");
    expect(d.findings.map((f) => f.category)).toEqual(["deployment_issue", "customer_error"]);
  });
});
