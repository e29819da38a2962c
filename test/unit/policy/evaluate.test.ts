import { describe, expect, it } from "vitest";
import {
  type Claim,
  DENY_ISSUED,
  evaluateAuthorization,
  NO_PERMIT,
} from "../../../src/domain/policy/evaluate.js";
import { parsePolicy } from "../../../src/domain/policy/parser.js";
import { enclaveClaims, sqlEnclave } from "../../../src/domain/policy/recommended.js";
import { fixture } from "./helpers.js";

function evaluate(text: string, claims: readonly Claim[]) {
  const r = parsePolicy(text);
  if (!r.ok) throw new Error(r.error.message);
  return evaluateAuthorization(r.policy, claims);
}

const sql = (svn = 2) => enclaveClaims(sqlEnclave(svn));

describe("evaluateAuthorization", () => {
  it.each([
    ["recommended policy, enclave at svn 2", fixture("recommended-docs.txt"), sql(2), true, null],
    ["recommended policy, enclave at svn 3", fixture("recommended-docs.txt"), sql(3), true, null],
    [
      "recommended policy, enclave at svn 1",
      fixture("recommended-docs.txt"),
      sql(1),
      false,
      '[type=="x-ms-sgx-svn", value>=2]',
    ],
    [
      "recommended policy, debuggable enclave",
      fixture("recommended-docs.txt"),
      enclaveClaims({ ...sqlEnclave(2), debuggable: true }),
      false,
      '[type=="x-ms-sgx-is-debuggable", value==false]',
    ],
    ["svn >= 0 sample, enclave at svn 0", fixture("sample-svn0.txt"), sql(0), true, null],
    [
      "a product id written as a string does not match the integer claim",
      'version=1.0; authorizationrules { [type=="x-ms-sgx-product-id", value=="4639"] => permit(); };',
      sql(),
      false,
      '[type=="x-ms-sgx-product-id", value=="4639"]',
    ],
    [
      "a misspelt claim type never matches",
      'version=1.0; authorizationrules { [type=="x-ms-sgx-isdebuggable", value==false] => permit(); };',
      sql(),
      false,
      '[type=="x-ms-sgx-isdebuggable", value==false]',
    ],
    [
      "a later condition may use a bound claim's value",
      'version=1.0; authorizationrules { s:[type=="x-ms-sgx-svn"] && [type=="x-ms-sgx-svn", value==s.value] => permit(); };',
      sql(),
      true,
      null,
    ],
    [
      "!= and valueType",
      'version=1.0; authorizationrules { [type=="x-ms-sgx-mrsigner", value!="0"] && [type=="x-ms-sgx-svn", valueType=="Integer"] => permit(); };',
      sql(),
      true,
      null,
    ],
    [
      "the rule that came closest is the one reported",
      'version=1.0; authorizationrules { [type=="nope"] => permit(); [type=="x-ms-sgx-product-id", value==4639] && [type=="x-ms-sgx-svn", value>5] => permit(); };',
      sql(),
      false,
      '[type=="x-ms-sgx-svn", value>5]',
    ],
    ["no authorization rules at all", "version=1.0; issuancerules { };", sql(), false, null],
  ])("%s", (_name, policy, claims, permits, failing) => {
    const r = evaluate(policy, claims);
    expect(r.permits).toBe(permits);
    expect(r.failingCondition).toBe(failing);
    expect(r.reason).toBe(permits ? null : NO_PERMIT);
  });

  it("a Deny claim wins over a Permit claim, as in MAA", () => {
    const policy =
      'version=1.0; authorizationrules { [type=="x-ms-sgx-is-debuggable", value==true] => deny(); => permit(); };';
    expect(evaluate(policy, sql()).permits).toBe(true);
    const denied = evaluate(policy, enclaveClaims({ ...sqlEnclave(2), debuggable: true }));
    expect(denied).toEqual({
      permits: false,
      reason: DENY_ISSUED,
      failingCondition: '[type=="x-ms-sgx-is-debuggable", value==true] => deny();',
    });
  });

  it("stops searching a hostile policy instead of hanging", () => {
    const many = Array.from({ length: 40 }, (_, i) => `c${i}:[type!="zzz"]`).join(" && ");
    const r = evaluate(`version=1.0; authorizationrules { ${many} && [type=="never"] => permit(); };`, sql());
    expect(r.permits).toBe(false);
  });
});
