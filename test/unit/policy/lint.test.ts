import { describe, expect, it } from "vitest";
import { lintFails, lintPolicy } from "../../../src/domain/policy/lint.js";
import { recommendedPolicyText } from "../../../src/domain/policy/recommended.js";
import { COND, fixture, permitWhen, policyJwt, RECOMMENDED_CONDITIONS } from "./helpers.js";

const codes = (text: string, svn?: number) =>
  lintPolicy(text, svn === undefined ? {} : { svn }).findings.map((f) => `${f.severity}:${f.code}`);

const MRENCLAVE = "a".repeat(64);

describe("lintPolicy: comparison with the recommended policy", () => {
  it.each([
    [
      "recommended policy (docs copy): only the missing block is noted",
      fixture("recommended-docs.txt"),
      undefined,
      true,
      ["info:no-authorizationrules-block"],
    ],
    ["recommended policy, wrapped", recommendedPolicyText(), undefined, true, []],
    ["recommended policy for svn 3, checked at svn 3", recommendedPolicyText(3), 3, true, []],
    [
      "recommended policy for svn 2, checked at svn 3",
      recommendedPolicyText(2),
      3,
      true,
      ["warning:svn-below-recommended"],
    ],
    [
      "sample with svn >= 0 (seed 000)",
      fixture("sample-svn0.txt"),
      undefined,
      true,
      ["warning:svn-below-recommended"],
    ],
    ["sample with svn >= 0, current svn 0", fixture("sample-svn0.txt"), 0, true, []],
    [
      "MAA's default policy validates nothing",
      fixture("default-sgx.txt"),
      undefined,
      true,
      ["error:validates-nothing"],
    ],
    [
      'recommended checks with bindings and issuer=="AttestationService"',
      permitWhen([
        'c1:[type=="x-ms-sgx-is-debuggable", issuer=="AttestationService", value==false]',
        'c2:[type=="x-ms-sgx-product-id", issuer=="AttestationService", value==4639]',
        '[type=="x-ms-sgx-svn", issuer=="AttestationService", value>=2]',
        `[type=="x-ms-sgx-mrsigner", issuer=="AttestationService", value=="${"e31c9e505f37a58de09335075fc8591254313eb20bb1a27e5443cc450b6e33e5"}"]`,
      ]),
      undefined,
      true,
      [],
    ],
    [
      'issuer=="CustomClaim" never matches MAA\'s own claims',
      permitWhen([...RECOMMENDED_CONDITIONS, '[type=="x-ms-sgx-svn", issuer=="CustomClaim"]']),
      undefined,
      false,
      ["error:denies-sql-enclave"],
    ],
    [
      "a misspelt claim type is named, with the likely intended one",
      permitWhen([
        '[ type=="x-ms-sgx-isdebuggable", value==false ]',
        COND.productId,
        COND.svn(2),
        COND.mrsigner,
      ]),
      undefined,
      false,
      ["error:denies-sql-enclave", "warning:misspelt-claim-type"],
    ],
    [
      "debuggable not checked",
      permitWhen([COND.productId, COND.svn(2), COND.mrsigner]),
      undefined,
      true,
      ["error:debuggable-allowed"],
    ],
    [
      "product id not checked",
      permitWhen([COND.debuggable, COND.svn(2), COND.mrsigner]),
      undefined,
      true,
      ["error:product-id-unchecked"],
    ],
    [
      "product id checked with >= only",
      permitWhen([
        COND.debuggable,
        '[ type=="x-ms-sgx-product-id", value>=4000 ]',
        COND.svn(2),
        COND.mrsigner,
      ]),
      undefined,
      true,
      ["error:product-id-unchecked"],
    ],
    [
      "mrsigner not checked",
      permitWhen([COND.debuggable, COND.productId, COND.svn(2)]),
      undefined,
      true,
      ["error:mrsigner-unchecked"],
    ],
    [
      "svn not checked",
      permitWhen([COND.debuggable, COND.productId, COND.mrsigner]),
      undefined,
      true,
      ["warning:svn-below-recommended"],
    ],
    [
      "mrenclave pinned instead of mrsigner: permits unknown (the real mrenclave is not published)",
      permitWhen([
        COND.debuggable,
        COND.productId,
        COND.svn(2),
        `[ type=="x-ms-sgx-mrenclave", value=="${MRENCLAVE}" ]`,
      ]),
      undefined,
      null,
      ["error:mrsigner-unchecked", "warning:mrenclave-pinned"],
    ],
    [
      "only mrenclave pinned: every other check is missing, but it is not 'validates nothing'",
      permitWhen([`[ type=="x-ms-sgx-mrenclave", value=="${MRENCLAVE}" ]`]),
      undefined,
      null,
      [
        "error:debuggable-allowed",
        "error:product-id-unchecked",
        "error:mrsigner-unchecked",
        "warning:svn-below-recommended",
        "warning:mrenclave-pinned",
      ],
    ],
    [
      "mrenclave pinned on top of the recommended checks: permits unknown",
      permitWhen([...RECOMMENDED_CONDITIONS, `[ type=="x-ms-sgx-mrenclave", value=="${MRENCLAVE}" ]`]),
      undefined,
      null,
      ["warning:mrenclave-pinned"],
    ],
    [
      "debuggable == true refuses the SQL enclave and admits debuggable ones",
      permitWhen([
        '[ type=="x-ms-sgx-is-debuggable", value==true ]',
        COND.productId,
        COND.svn(2),
        COND.mrsigner,
      ]),
      undefined,
      false,
      ["error:denies-sql-enclave", "error:debuggable-allowed"],
    ],
    [
      "wrong product id refuses the SQL enclave and admits another product",
      permitWhen([
        COND.debuggable,
        '[ type=="x-ms-sgx-product-id", value==4640 ]',
        COND.svn(2),
        COND.mrsigner,
      ]),
      undefined,
      false,
      ["error:denies-sql-enclave", "error:product-id-unchecked"],
    ],
    [
      "svn above the current enclave refuses it",
      permitWhen([COND.debuggable, COND.productId, COND.svn(3), COND.mrsigner]),
      undefined,
      false,
      ["error:denies-sql-enclave"],
    ],
    [
      "a deny rule for debuggable enclaves plus permit-all still lets other enclaves in",
      'version=1.0; authorizationrules { [type=="x-ms-sgx-is-debuggable", value==true] => deny(); => permit(); };',
      undefined,
      true,
      ["error:product-id-unchecked", "error:mrsigner-unchecked", "warning:svn-below-recommended"],
    ],
  ])("%s", (_name, text, svn, permits, expected) => {
    const r = lintPolicy(text, svn === undefined ? {} : { svn });
    expect(r.valid).toBe(true);
    expect(r.permits).toBe(permits);
    expect(codes(text, svn)).toEqual(expected);
    for (const f of r.findings) expect(f.fix.length).toBeGreaterThan(10);
  });

  it("names the failing condition and MAA's message when the enclave is refused", () => {
    const r = lintPolicy(permitWhen([COND.debuggable, COND.productId, COND.svn(3), COND.mrsigner]));
    expect(r.failingCondition).toBe('[type=="x-ms-sgx-svn", value>=3]');
    expect(r.findings[0]?.message).toContain("No Permit claim was issued in the authorizationrules section");
  });

  it("reports the lowest svn the policy lets through", () => {
    const r = lintPolicy(permitWhen([COND.debuggable, COND.productId, COND.svn(1), COND.mrsigner]), {
      svn: 4,
    });
    expect(r.findings.map((f) => f.message).join(" ")).toContain("svn 1, below the recommended minimum 4");
  });

  it("an invalid policy: errors, permits null, a parse-error finding with the fix", () => {
    const r = lintPolicy(fixture("missing-semicolon.txt"));
    expect(r).toMatchObject({
      valid: false,
      permits: null,
      failingCondition: null,
      errors: [{ line: 2, column: 1, message: expect.stringContaining("expecting ';'") }],
    });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.fix).toContain("Add the missing ';'");
  });

  it.each([
    ["recommended", recommendedPolicyText(), false],
    ["docs copy (info only)", fixture("recommended-docs.txt"), false],
    ["weaker", fixture("sample-svn0.txt"), true],
    ["refuses", permitWhen([COND.svn(9)]), true],
    ["invalid", "version=1.0", true],
  ])("lintFails: %s", (_name, text, fails) => {
    expect(lintFails(lintPolicy(text))).toBe(fails);
  });
});

describe("lintPolicy: policy wrapped in a JWT (AttestationPolicy claim)", () => {
  it("lints the decoded policy like the text", () => {
    expect(lintPolicy(policyJwt(fixture("sample-svn0.txt")))).toEqual(lintPolicy(fixture("sample-svn0.txt")));
  });

  it("reports parse errors of the decoded policy", () => {
    const r = lintPolicy(policyJwt(fixture("missing-semicolon.txt")));
    expect(r.errors).toEqual([{ line: 2, column: 1, message: expect.stringContaining("expecting ';'") }]);
  });

  it("reports a bad base64url character as MAA does", () => {
    const jwt = policyJwt(recommendedPolicyText());
    const broken = `${jwt.slice(0, 5)})${jwt.slice(6)}`;
    const r = lintPolicy(broken);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([
      { line: 1, column: 6, message: expect.stringContaining("Unknown base64 character: 41 (')')") },
    ]);
  });

  it("reports a JWT without the AttestationPolicy claim", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    const r = lintPolicy(`${b64('{"alg":"none"}')}.${b64('{"policy":"x"}')}.`);
    expect(r.errors[0]?.message).toContain('no "AttestationPolicy" claim');
  });

  it("reports a bad character inside the AttestationPolicy claim", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    const r = lintPolicy(`${b64('{"alg":"none"}')}.${b64('{"AttestationPolicy":"dmVy(c2lvbg"}')}.`);
    expect(r.errors[0]?.message).toContain("Unknown base64 character: 40 ('(')");
  });
});
