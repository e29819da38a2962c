/**
 * Review items 7 and 12a: an out-of-range or mistyped exp/iat/nbf is a finding naming the claim
 * (never a RangeError), and an x-ms-sgx-* claim of the wrong type is reported as such.
 */
import { describe, expect, it } from "vitest";
import { analyzeTokenClaims } from "../../../src/domain/policy/token-claims.js";
import { MRSIGNER } from "./helpers.js";

const NOW_S = Date.parse("2026-11-24T09:00:00Z") / 1000;
const good = {
  iss: "https://p.eus.attest.azure.net",
  iat: NOW_S - 60,
  nbf: NOW_S - 60,
  exp: NOW_S - 60 + 8 * 3600,
  "x-ms-attestation-type": "sgx",
  "x-ms-sgx-is-debuggable": false,
  "x-ms-sgx-product-id": 4639,
  "x-ms-sgx-svn": 2,
  "x-ms-sgx-mrsigner": MRSIGNER,
};
const analyze = (payload: Record<string, unknown>) => analyzeTokenClaims(payload, { now: NOW_S * 1000 });

describe("analyzeTokenClaims: times out of range or of the wrong type (item 7)", () => {
  it.each([
    ["exp 1e13 (year 318857)", { ...good, exp: 1e13 }, "exp", ["exp-invalid"], "after the year 9999"],
    ["iat -1e13", { ...good, iat: -1e13 }, "iat", ["iat-invalid"], "before 1970"],
    ["nbf 1e13", { ...good, nbf: 1e13 }, "nbf", ["nbf-invalid"], "after the year 9999"],
    ["exp -1", { ...good, exp: -1 }, "exp", ["exp-invalid"], "before 1970"],
    [
      "exp 1e400 (JSON for Infinity)",
      JSON.parse('{"exp": 1e400}'),
      "exp",
      ["exp-invalid", "not-sgx"],
      "Infinity",
    ],
    [
      "exp as a string",
      { ...good, exp: String(good.exp) },
      "exp",
      ["exp-invalid"],
      `the string "${good.exp}"`,
    ],
    ["exp null", { ...good, exp: null }, "exp", ["exp-invalid"], "is null"],
    ["iat true", { ...good, iat: true }, "iat", ["iat-invalid"], "the boolean true"],
    ["nbf an object", { ...good, nbf: { s: 1 } }, "nbf", ["nbf-invalid"], "an object"],
  ])("%s: a finding naming the claim, no throw", (_name, payload, claim, codes, detail) => {
    const r = analyze(payload);
    expect(r.findings.map((f) => f.code)).toEqual(codes);
    const finding = r.findings[0];
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain(`The ${claim} claim`);
    expect(finding?.message).toContain(detail);
    const field = { exp: "expiresAt", nbf: "notBefore", iat: "issuedAt" } as const;
    expect(r.times[field[claim as keyof typeof field]]).toBeNull();
  });

  it("the last second of year 9999 is still a time (only the lifetime is wrong)", () => {
    const r = analyze({ ...good, exp: Date.UTC(9999, 11, 31, 23, 59, 59) / 1000 });
    expect(r.findings.map((f) => f.code)).toEqual(["long-lifetime"]);
    expect(r.times.expiresAt).toBe("9999-12-31T23:59:59.000Z");
  });

  it("the other times are still checked when one is invalid", () => {
    const r = analyze({ ...good, iat: -1e13, exp: NOW_S - 10 });
    expect(r.findings.map((f) => f.code)).toEqual(["iat-invalid", "expired"]);
    expect(r.times.expiresAt).toBe("2026-11-24T08:59:50.000Z");
  });
});

describe("analyzeTokenClaims: SGX claims of the wrong type (item 12a)", () => {
  it.each([
    [
      'svn "2"',
      { "x-ms-sgx-svn": "2" },
      "svn",
      'x-ms-sgx-svn is the string "2": the claim has the wrong type',
    ],
    [
      "svn as a boolean",
      { "x-ms-sgx-svn": true },
      "svn",
      "x-ms-sgx-svn is the boolean true: the claim has the wrong type",
    ],
    [
      'debuggable "false"',
      { "x-ms-sgx-is-debuggable": "false" },
      "debuggable",
      'x-ms-sgx-is-debuggable is the string "false": the claim has the wrong type (MAA issues it as a boolean)',
    ],
    [
      'product id "4639"',
      { "x-ms-sgx-product-id": "4639" },
      "product-id",
      'x-ms-sgx-product-id is the string "4639": the claim has the wrong type',
    ],
    [
      "mrsigner a number",
      { "x-ms-sgx-mrsigner": 5 },
      "mrsigner",
      "x-ms-sgx-mrsigner is the number 5: the claim has the wrong type",
    ],
    [
      "attestation type an array",
      { "x-ms-attestation-type": ["sgx"] },
      "attestation-type",
      "x-ms-attestation-type is an array: the claim has the wrong type",
    ],
  ])("%s", (_name, overrides, code, message) => {
    const r = analyze({ ...good, ...overrides });
    expect(r.findings.map((f) => f.code)).toEqual([code]);
    expect(r.findings[0]?.message).toContain(message);
    expect(r.findings[0]?.message).not.toContain("below the recommended minimum");
    expect(r.findings[0]?.fix).toContain("MAA issues each x-ms-sgx-* claim with a fixed type");
  });

  it("a missing svn is called missing, a low one below the minimum", () => {
    const { "x-ms-sgx-svn": _svn, ...rest } = good;
    expect(analyze(rest).findings[0]?.message).toContain("x-ms-sgx-svn is missing");
    expect(analyze({ ...good, "x-ms-sgx-svn": 1 }).findings[0]?.message).toBe(
      "x-ms-sgx-svn is 1, below the recommended minimum 2.",
    );
  });
});
