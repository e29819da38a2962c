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
const codes = (payload: Record<string, unknown>, svn?: number) =>
  analyzeTokenClaims(payload, { now: NOW_S * 1000, ...(svn === undefined ? {} : { svn }) }).findings.map(
    (f) => f.code,
  );

describe("analyzeTokenClaims", () => {
  it.each([
    ["a token as MAA issues it for the SQL enclave", good, []],
    ["expired exactly now", { ...good, exp: NOW_S }, ["expired"]],
    ["no exp", { ...good, exp: undefined }, ["no-expiry"]],
    ["nbf within the allowed clock skew", { ...good, nbf: NOW_S + 30 }, []],
    ["nbf beyond the clock skew", { ...good, nbf: NOW_S + 120 }, ["not-yet-valid"]],
    ["lifetime of 9 hours", { ...good, exp: good.iat + 9 * 3600 }, ["long-lifetime"]],
    ["debuggable enclave", { ...good, "x-ms-sgx-is-debuggable": true }, ["debuggable"]],
    ["product id as a string", { ...good, "x-ms-sgx-product-id": "4639" }, ["product-id"]],
    ["svn 1", { ...good, "x-ms-sgx-svn": 1 }, ["svn"]],
    ["other signer", { ...good, "x-ms-sgx-mrsigner": "00" }, ["mrsigner"]],
    ["not SGX", { iss: "x", iat: good.iat, exp: good.exp, "x-ms-attestation-type": "tpm" }, ["not-sgx"]],
    [
      "SGX claims with another attestation type",
      { ...good, "x-ms-attestation-type": "sevsnpvm" },
      ["attestation-type"],
    ],
  ])("%s", (_name, payload, expected) => {
    expect(codes(payload)).toEqual(expected);
  });

  it("reports times as ISO and keeps only the SGX claims", () => {
    const r = analyzeTokenClaims({ ...good, other: 1 }, { now: NOW_S * 1000 });
    expect(r.times.expiresAt).toBe("2026-11-24T16:59:00.000Z");
    expect(Object.keys(r.sgx)).toEqual([
      "x-ms-attestation-type",
      "x-ms-sgx-is-debuggable",
      "x-ms-sgx-product-id",
      "x-ms-sgx-svn",
      "x-ms-sgx-mrsigner",
    ]);
  });

  it("compares svn with the configured minimum", () => {
    expect(codes(good, 3)).toEqual(["svn"]);
  });
});
