/**
 * The Always Encrypted SGX enclave of Azure SQL Database and the attestation policy Microsoft
 * recommends for it (docs: "Configure attestation for Always Encrypted using Azure Attestation").
 */
import type { Claim } from "./evaluate.js";

export const SQL_ENCLAVE = {
  productId: 4639,
  mrsigner: "e31c9e505f37a58de09335075fc8591254313eb20bb1a27e5443cc450b6e33e5",
  /** The SVN of the current enclave and the minimum the recommended policy asks for. */
  defaultSvn: 2,
} as const;

export const SGX_CLAIM = {
  debuggable: "x-ms-sgx-is-debuggable",
  productId: "x-ms-sgx-product-id",
  svn: "x-ms-sgx-svn",
  mrsigner: "x-ms-sgx-mrsigner",
  mrenclave: "x-ms-sgx-mrenclave",
  attestationType: "x-ms-attestation-type",
} as const;

/** Stand-in for the enclave hash when the policy does not name one (the real one changes per release). */
export const PLACEHOLDER_MRENCLAVE = "5c1e2a0b7a8d9f6e4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918f7e6d5c";

export function recommendedPolicyText(svn: number = SQL_ENCLAVE.defaultSvn): string {
  return [
    "version= 1.0;",
    "authorizationrules",
    "{",
    '       [ type=="x-ms-sgx-is-debuggable", value==false ]',
    `        && [ type=="x-ms-sgx-product-id", value==${SQL_ENCLAVE.productId} ]`,
    `        && [ type=="x-ms-sgx-svn", value>= ${svn} ]`,
    `        && [ type=="x-ms-sgx-mrsigner", value=="${SQL_ENCLAVE.mrsigner}"]`,
    "    => permit();",
    "};",
    "",
  ].join("\n");
}

export interface EnclaveClaims {
  readonly debuggable: boolean;
  readonly productId: number;
  readonly svn: number;
  readonly mrsigner: string;
  readonly mrenclave: string;
}

/** The claims MAA derives from an SGX quote, as policy conditions see them. */
export function enclaveClaims(e: EnclaveClaims): Claim[] {
  return [
    { type: SGX_CLAIM.debuggable, value: e.debuggable },
    { type: SGX_CLAIM.productId, value: e.productId },
    { type: SGX_CLAIM.svn, value: e.svn },
    { type: SGX_CLAIM.mrsigner, value: e.mrsigner },
    { type: SGX_CLAIM.mrenclave, value: e.mrenclave },
    { type: SGX_CLAIM.attestationType, value: "sgx" },
  ];
}

/** The Azure SQL Always Encrypted enclave at `svn`. */
export function sqlEnclave(svn: number, mrenclave: string = PLACEHOLDER_MRENCLAVE): EnclaveClaims {
  return {
    debuggable: false,
    productId: SQL_ENCLAVE.productId,
    svn,
    mrsigner: SQL_ENCLAVE.mrsigner,
    mrenclave,
  };
}
