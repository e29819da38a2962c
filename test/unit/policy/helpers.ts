import { readFileSync } from "node:fs";

/** A policy fixture from test/fixtures/policies. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/policies/${name}`, import.meta.url), "utf8");
}

export const MRSIGNER = "e31c9e505f37a58de09335075fc8591254313eb20bb1a27e5443cc450b6e33e5";

export const COND = {
  debuggable: '[ type=="x-ms-sgx-is-debuggable", value==false ]',
  productId: '[ type=="x-ms-sgx-product-id", value==4639 ]',
  svn: (n: number) => `[ type=="x-ms-sgx-svn", value>= ${n} ]`,
  mrsigner: `[ type=="x-ms-sgx-mrsigner", value=="${MRSIGNER}" ]`,
} as const;

/** `version=1.0; authorizationrules { <conditions joined by &&> => permit(); };` */
export function permitWhen(conditions: readonly string[]): string {
  return `version= 1.0;\nauthorizationrules\n{\n  ${conditions.join("\n  && ")}\n  => permit();\n};\n`;
}

export const RECOMMENDED_CONDITIONS = [COND.debuggable, COND.productId, COND.svn(2), COND.mrsigner] as const;

/** A JWT (unsigned, alg none) wrapping policy text in its AttestationPolicy claim. */
export function policyJwt(policy: string): string {
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
  return `${b64(JSON.stringify({ alg: "none" }))}.${b64(JSON.stringify({ AttestationPolicy: b64(policy) }))}.`;
}
