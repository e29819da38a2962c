/**
 * Review items 6a and 6b: "validates nothing" only for a policy that really permits any SGX
 * enclave (probed with many claim sets), each weakening named precisely; a pinned mrenclave
 * never makes `permits` true (the Azure SQL enclave's own mrenclave is not published).
 */
import { describe, expect, it } from "vitest";
import { lintFails, lintPolicy } from "../../../src/domain/policy/lint.js";
import { policyReply, renderPolicyText } from "../../../src/domain/policy/view.js";
import { COND, MRSIGNER, permitWhen, RECOMMENDED_CONDITIONS } from "./helpers.js";

const rule = (conditions: string) => `version=1.0; authorizationrules { ${conditions} => permit(); };`;
const codes = (text: string, svn?: number) =>
  lintPolicy(text, svn === undefined ? {} : { svn }).findings.map((f) => `${f.severity}:${f.code}`);

const ALL_WEAK = [
  "error:debuggable-allowed",
  "error:product-id-unchecked",
  "error:mrsigner-unchecked",
  "warning:svn-below-recommended",
];
const DENIES = "error:denies-sql-enclave";

describe("lintPolicy 6a: 'validates nothing' only when every probed enclave is permitted", () => {
  it.each([
    [
      "no condition at all",
      "version=1.0; authorizationrules { => permit(); };",
      undefined,
      true,
      ["error:validates-nothing"],
    ],
    [
      "svn >= 0 only",
      rule('[ type=="x-ms-sgx-svn", value>=0 ]'),
      undefined,
      true,
      ["error:validates-nothing"],
    ],
    [
      "an SGX attestation-type check only",
      rule('[ type=="x-ms-attestation-type", value=="sgx" ]'),
      undefined,
      true,
      ["error:validates-nothing"],
    ],
    [
      "debuggable == true: only debuggable enclaves (reviewer's case)",
      rule('[ type=="x-ms-sgx-is-debuggable", value==true ]'),
      undefined,
      false,
      [DENIES, ...ALL_WEAK],
    ],
    [
      "svn <= 0: only svn 0 enclaves (reviewer's case)",
      rule('[ type=="x-ms-sgx-svn", value<= 0 ]'),
      undefined,
      false,
      [DENIES, ...ALL_WEAK],
    ],
    [
      "product id != 4639: every product but the SQL enclave",
      rule('[ type=="x-ms-sgx-product-id", value!=4639 ]'),
      undefined,
      false,
      [DENIES, ...ALL_WEAK],
    ],
    [
      "mrsigner != Microsoft's: every signer but Microsoft",
      rule(`[ type=="x-ms-sgx-mrsigner", value!="${MRSIGNER}" ]`),
      undefined,
      false,
      [DENIES, ...ALL_WEAK],
    ],
    [
      "mrsigner == one other key: only that signer",
      rule(`[ type=="x-ms-sgx-mrsigner", value=="${"0".repeat(64)}" ]`),
      undefined,
      false,
      [DENIES, ...ALL_WEAK],
    ],
    [
      "svn > 100: only future enclaves, but any product and signer",
      rule('[ type=="x-ms-sgx-svn", value> 100 ]'),
      undefined,
      false,
      [DENIES, "error:debuggable-allowed", "error:product-id-unchecked", "error:mrsigner-unchecked"],
    ],
    [
      "debuggable == false only",
      rule(COND.debuggable),
      undefined,
      true,
      ["error:product-id-unchecked", "error:mrsigner-unchecked", "warning:svn-below-recommended"],
    ],
    [
      "product id only",
      rule(COND.productId),
      undefined,
      true,
      ["error:debuggable-allowed", "error:mrsigner-unchecked", "warning:svn-below-recommended"],
    ],
    [
      "svn >= 1 with recommended 4: the lowest svn let through is found between the probes",
      rule('[ type=="x-ms-sgx-svn", value>=1 ]'),
      4,
      true,
      ALL_WEAK,
    ],
    [
      "debuggable and svn >= 7 checked: refuses the SQL enclave, admits other products and signers",
      permitWhen([COND.debuggable, COND.svn(7)]),
      undefined,
      false,
      [DENIES, "error:product-id-unchecked", "error:mrsigner-unchecked"],
    ],
  ])("%s", (_name, text, svn, permits, expected) => {
    const r = lintPolicy(text, svn === undefined ? {} : { svn });
    expect(r.valid).toBe(true);
    expect(r.permits).toBe(permits);
    expect(codes(text, svn)).toEqual(expected);
  });

  it("names the enclave it let through when it differs in more than the claim at fault", () => {
    const messages = lintPolicy(rule('[ type=="x-ms-sgx-is-debuggable", value==true ]')).findings.map(
      (f) => f.message,
    );
    expect(messages).toContain(
      "The policy permits a debuggable enclave: an administrator who turns on debugging could read the enclave's memory.",
    );
    expect(messages).toContain(
      "The policy permits an enclave with product id 4640 (enclave let through: debuggable, product id 4640); only 4639 is the Always Encrypted enclave.",
    );
    expect(messages.join("\n")).toContain(
      "x-ms-sgx-mrsigner is not checked; enclave let through: debuggable",
    );
    expect(messages.join("\n")).toContain("svn 0 (enclave let through: debuggable, svn 0), below");
    expect(messages.join("\n")).not.toContain("permits any SGX enclave");
  });

  it("for svn <= 0 every finding names svn 0", () => {
    const r = lintPolicy(rule('[ type=="x-ms-sgx-svn", value<= 0 ]'));
    expect(r.failingCondition).toBe('[type=="x-ms-sgx-svn", value<=0]');
    for (const f of r.findings.slice(1)) expect(f.message).toContain("svn 0");
  });

  it("reports the lowest svn found between the probes", () => {
    const r = lintPolicy(rule('[ type=="x-ms-sgx-svn", value>=1 ]'), { svn: 4 });
    expect(r.findings.map((f) => f.message)).toContain(
      "The policy permits an enclave with svn 1, below the recommended minimum 4: an older enclave with known security bugs would pass.",
    );
  });
});

describe("lintPolicy: the probes' work is bounded", () => {
  it("a policy costly to evaluate is probed in part, said so, and never called 'validates nothing'", () => {
    const bound = Array.from({ length: 10 }, (_, i) => `c${i}:[type!="zz"]`).join(" && ");
    const text = `version=1.0; authorizationrules { ${bound} && [type=="nope"] => permit(); => permit(); };`;
    const r = lintPolicy(text);
    expect(r.permits).toBe(true);
    expect(codes(text)).toEqual([...ALL_WEAK, "info:probes-limited"]);
    expect(r.findings.at(-1)?.message).toMatch(/tried on \d+ of 90 probe enclaves/);
  });
});

const HASH = "a".repeat(64);
const pinned = (value: string) =>
  permitWhen([...RECOMMENDED_CONDITIONS, `[ type=="x-ms-sgx-mrenclave", value==${value} ]`]);

describe("lintPolicy 6b: a pinned mrenclave never makes permits true", () => {
  it.each([
    ["a 64-hex-digit hash: unknown", pinned(`"${HASH}"`), null, ["warning:mrenclave-pinned"]],
    ["an upper-case hash: unknown", pinned(`"${HASH.toUpperCase()}"`), null, ["warning:mrenclave-pinned"]],
    [
      '"not-a-hash" (reviewer\'s case): never matches, refused',
      pinned('"not-a-hash"'),
      false,
      [DENIES, "warning:mrenclave-never-matches"],
    ],
    [
      "63 hex digits: never matches",
      pinned(`"${HASH.slice(1)}"`),
      false,
      [DENIES, "warning:mrenclave-never-matches"],
    ],
    ["a number: never matches", pinned("5"), false, [DENIES, "warning:mrenclave-never-matches"]],
    [
      "one of two pinned builds, the other not a hash",
      permitWhen([
        ...RECOMMENDED_CONDITIONS,
        `[ type=="x-ms-sgx-mrenclave", value=="${HASH}" ]`,
        '[ type=="x-ms-sgx-mrenclave", value=="zz" ]',
      ]),
      false,
      [DENIES, "warning:mrenclave-never-matches", "warning:mrenclave-pinned"],
    ],
    [
      "a deny rule for one bad build on top of the recommended policy: the verdict does not rest on it",
      `version=1.0; authorizationrules { [ type=="x-ms-sgx-mrenclave", value=="${HASH}" ] => deny(); ${RECOMMENDED_CONDITIONS.join(" && ")} => permit(); };`,
      true,
      ["warning:mrenclave-pinned"],
    ],
  ])("%s", (_name, text, permits, expected) => {
    const r = lintPolicy(text);
    expect(r.valid).toBe(true);
    expect(r.permits).toBe(permits);
    expect(codes(text)).toEqual(expected);
    expect(lintFails(r)).toBe(true);
  });

  it("names the failing mrenclave condition and why it never matches", () => {
    const r = lintPolicy(pinned('"not-a-hash"'));
    expect(r.failingCondition).toBe('[type=="x-ms-sgx-mrenclave", value=="not-a-hash"]');
    expect(r.findings[1]?.message).toContain('"not-a-hash" is not');
    expect(r.findings[1]?.message).toContain("64 hex digits");
  });

  it("unknown: no failing condition, a warning that pinning breaks on every enclave update", () => {
    const r = lintPolicy(pinned(`"${HASH}"`));
    expect(r.failingCondition).toBeNull();
    const message = r.findings.find((f) => f.code === "mrenclave-pinned")?.message ?? "";
    expect(message).toContain("cannot be told");
    expect(message).toContain(HASH);
    expect(message).toContain("breaks attestation as soon as Microsoft updates the enclave");
  });

  it("the reply says unknown, with a warning tone, not 'lets the enclave through'", () => {
    const v = policyReply(pinned(`"${HASH}"`));
    expect(v.verdict.tone).toBe("warning");
    expect(v.verdict.headline).toContain("cannot be told");
    expect(v.facts).toContainEqual({ label: "Permits the Azure SQL enclave (svn 2)", value: "unknown" });
    expect(renderPolicyText(v)).not.toContain("The policy lets the Azure SQL enclave through");
  });
});
