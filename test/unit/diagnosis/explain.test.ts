import { describe, expect, it } from "vitest";
import { explain, splitMessages } from "../../../src/domain/diagnosis/explain.js";
import { RECOMMENDED_POLICY } from "../../../src/domain/diagnosis/rules/sql-error-rules.js";
import {
  DERIVED_MESSAGES,
  FILTERED_ROW,
  FRAMINGS,
  hardWrap,
  INTEL_DCAP_LIBRARY_ROW,
  INTERNAL_ERROR_SSMS,
  POLICY_SSMS,
  RBAC_BODY,
  RBAC_SSMS,
  SEED_MESSAGES,
  URL_UNREACHABLE_ROW,
  URL_UNREACHABLE_SSMS,
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

  it.each([
    ["https:/p.eus.attest.azure.net/attest/SgxEnclave", /"https:" is not followed by "\/\/"/],
    ["https:\\\\p.eus.attest.azure.net\\attest\\SgxEnclave", /backslash/],
    ["https:p.eus.attest.azure.net/attest/SgxEnclave", /"https:" is not followed by "\/\/"/],
    ["https://p.eus.attest.azure.net/attest/SgxEnclave#", /fragment "#"/],
  ])("a bare URL the URL parser would repair, %s, is an URL finding (review item 3)", (url, what) => {
    const d = explain(url);
    expect(d.findings.map((f) => f.rule)).toEqual(["attestation-url-malformed"]);
    expect(d.findings[0]?.details.join(" ")).toMatch(what);
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

/** Two rows of MonSQLSystemHealth pasted as the guide's tables show them (TIMESTAMP, error_id, message). */
const MAA_500_ROW =
  "2021-01-04 23:24:44.4875839\t37324\t2021-01-04 23:23:46.94 spid90 Error: 37324, Severity: 16, State: 57. 2021-01-04 23:23:46.94 spid90 Enclave attestation failed. Attestation service returned Error code: 'InternalServerError'. Error message: 'An internal server error has occurred'. Attestation URL: 'https://sgxattest5pr.eus.attest.azure.net/attest/SgxEnclave'. Return code: '0x000001f4'. Verify the attestation policy. If the policy is correct, contact Customer Support Services.";
const TABLE_PASTE = `TIMESTAMP\terror_id\tmessage\n${MAA_500_ROW}\n2021-01-05 00:48:44.7470471\t37303\t${URL_UNREACHABLE_ROW}`;

describe("explain: pastes holding several messages (review item 6)", () => {
  it("two errorlog rows as in the guide's tables (37324/0x1f4 then 37303/0x2ee7) give both findings", () => {
    const parts = splitMessages(TABLE_PASTE);
    expect(parts).toHaveLength(2);
    expect(parts[1]).toMatch(/^2021-01-05 00:48:31\.30 spid73 Error: 37303/);
    expect(rulesOf(TABLE_PASTE).sort()).toEqual(["attestation-url-unreachable", "maa-internal-error"]);
    const e = explain(TABLE_PASTE).findings.find((f) => f.rule === "attestation-url-unreachable")
      ?.evidence[0];
    expect(e).toMatchObject({ errorId: 37303, timestamp: "2021-01-05T00:48:31.300Z" });
  });

  it.each([20, 37, 61])("the same table hard-wrapped at %s columns still gives both", (width) => {
    const text = hardWrap(TABLE_PASTE, width);
    expect(splitMessages(text)).toHaveLength(2);
    expect(rulesOf(text).sort()).toEqual(["attestation-url-unreachable", "maa-internal-error"]);
  });

  it("an SSMS 37303 block followed by the step 4.4 text (`cat 03.txt 02.txt`) gives both", () => {
    const text = `${URL_UNREACHABLE_SSMS}\n${INTERNAL_ERROR_SSMS}\n`;
    expect(splitMessages(text)).toHaveLength(2);
    expect(rulesOf(text).sort()).toEqual(["attestation-url-unreachable", "maa-internal-error"]);
  });

  it("message texts back to back without any header come apart", () => {
    const text = `${RBAC_BODY} Internal error occurred while obtaining an authentication token for an attestation service. Authentication method: HttpConnectAndSendRequest, status: 0x00002ee7. ${INTEL_DCAP_LIBRARY_ROW}`;
    expect(splitMessages(text)).toHaveLength(3);
    expect(rulesOf(text).sort()).toEqual([
      "attestation-url-unreachable",
      "intel-dcap-error",
      "rbac-attestation-reader-missing",
    ]);
  });

  it("a header stays with its text, and 'Enclave attestation failed. Attestation service returned' is one text", () => {
    for (const text of [RBAC_SSMS, POLICY_SSMS, FILTERED_ROW, URL_UNREACHABLE_ROW, URL_UNREACHABLE_SSMS])
      expect(splitMessages(text)).toEqual([text]);
  });

  const singles = [...SEED_MESSAGES, ...DERIVED_MESSAGES].flatMap((m) => [
    { ...m, variation: "as printed" },
    ...VARIATIONS.map((v) => ({ ...m, variation: v.name, text: v.apply(m.text) })),
  ]);
  it.each(singles)("$source, $variation: one message is never split", ({ text }) => {
    expect(splitMessages(text)).toHaveLength(1);
  });
});

describe("explain: 37303 statuses and contradictory codes (review 3 items 7 and 9)", () => {
  const details = (text: string) => explain(text).findings.flatMap((f) => f.details);

  it.each([
    ["0x00002ee2", "attestation-request-timeout"],
    ["0x000001f4", "attestation-token-request-failed"],
    ["0x00000190", "attestation-token-request-failed"],
    ["0x00000193", "attestation-token-request-failed"],
    ["0x00000000", "attestation-token-request-failed"],
  ])("status %s → %s (needs_info), quoting the raw status", (status, rule) => {
    const text = URL_UNREACHABLE_ROW.replace("0x00002ee7", status);
    const d = explain(text);
    expect(d.verdict).toBe("needs_info");
    expect(d.findings.map((f) => f.rule)).toEqual([rule]);
    expect(details(text).join(" ")).toContain(status);
  });

  it("the timeout names the network or MAA, not a wrong URL, and cites the WinHTTP error list", () => {
    const f = explain(URL_UNREACHABLE_ROW.replace("0x00002ee7", "0x00002ee2")).findings[0];
    expect(f?.why).toMatch(/12002/);
    expect(f?.why).toMatch(/not at a wrong attestation URL/);
    expect(f?.source.ref).toBe("https://learn.microsoft.com/en-us/windows/win32/winhttp/error-messages");
  });

  it("another authentication method with 0x00002ee7 is not step 4.2", () => {
    const text = URL_UNREACHABLE_SSMS.replace("HttpConnectAndSendRequest", "GetAccessToken");
    expect(explain(text).verdict).toBe("needs_info");
    expect(details(text)).toContain("Authentication method GetAccessToken, status 0x00002ee7.");
  });

  it("the guide's 0x00002ee7 stays a customer error", () => {
    expect(explain(URL_UNREACHABLE_SSMS).verdict).toBe("customer_error");
    expect(rulesOf(URL_UNREACHABLE_ROW)).toEqual(["attestation-url-unreachable"]);
  });

  it.each([
    [
      INTERNAL_ERROR_SSMS.replace("0x000001f4", "0x00000193"),
      "MAA error code InternalServerError (HTTP 500) disagrees with return code 0x00000193 (HTTP 403).",
    ],
    [
      RBAC_BODY.replace("0x00000193", "0x00000191"),
      "MAA error code Forbidden (HTTP 403) disagrees with return code 0x00000191 (HTTP 401).",
    ],
    [
      RBAC_BODY.replace("0x00000193", "0x000001ad"),
      "MAA error code Forbidden (HTTP 403) disagrees with return code 0x000001ad (HTTP 429, throttling).",
    ],
  ])("a word and a code that disagree → needs_info naming both: %#", (text, conflict) => {
    const d = explain(text);
    expect(d.verdict).toBe("needs_info");
    expect(d.findings.map((f) => f.rule)).toEqual(["maa-code-conflict"]);
    expect(details(text)).toContain(conflict);
  });

  it("429 TooManyRequests is throttling for MAA, not a customer's wrong request", () => {
    const text = INTERNAL_ERROR_SSMS.replace("InternalServerError", "TooManyRequests").replace(
      "0x000001f4",
      "0x000001ad",
    );
    const d = explain(text);
    expect(d.verdict).toBe("maa_escalation");
    expect(d.findings[0]?.rule).toBe("maa-throttled");
    expect(d.findings[0]?.why).toMatch(/throttling, not a wrong request/);
    expect(explain("Return code: '0x000001ad'").verdict).not.toBe("customer_error");
  });
});
