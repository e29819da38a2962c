/**
 * `lintPolicy`: parses a policy, decides whether MAA would let the Azure SQL enclave through, and
 * compares it with the recommended policy by probing it with enclaves that should be refused.
 */
import type { Policy, PolicyError } from "./ast.js";
import { type Claim, evaluateAuthorization } from "./evaluate.js";
import { unwrapPolicy } from "./jwt-policy.js";
import { parsePolicy } from "./parser.js";
import {
  type EnclaveClaims,
  enclaveClaims,
  recommendedPolicyText,
  SGX_CLAIM,
  SQL_ENCLAVE,
  sqlEnclave,
} from "./recommended.js";

export type Severity = "error" | "warning" | "info";

export interface PolicyFinding {
  /** Stable identifier, e.g. "debuggable-allowed". */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
}

export interface LintResult {
  readonly valid: boolean;
  readonly errors: readonly PolicyError[];
  /** Whether MAA would permit the Azure SQL enclave; null when the policy does not parse. */
  readonly permits: boolean | null;
  readonly failingCondition: string | null;
  readonly findings: readonly PolicyFinding[];
}

export interface LintOptions {
  /** The current SVN of the Azure SQL enclave, also the recommended minimum (default 2). */
  readonly svn?: number;
}

const OTHER_SIGNER = "0".repeat(64);

const condition = {
  debuggable: '[ type=="x-ms-sgx-is-debuggable", value==false ]',
  productId: `[ type=="x-ms-sgx-product-id", value==${SQL_ENCLAVE.productId} ]`,
  svn: (svn: number) => `[ type=="x-ms-sgx-svn", value>= ${svn} ]`,
  mrsigner: `[ type=="x-ms-sgx-mrsigner", value=="${SQL_ENCLAVE.mrsigner}" ]`,
};

/** Every `type=="x"` named in the authorization rules. */
function conditionTypes(policy: Policy): Set<string> {
  const types = new Set<string>();
  for (const section of policy.sections) {
    if (section.kind !== "authorizationrules") continue;
    for (const rule of section.rules)
      for (const c of rule.conditions)
        for (const p of c.properties)
          if (p.property === "type" && p.operator === "==" && p.value.kind === "string")
            types.add(p.value.value);
  }
  return types;
}

/** The first mrenclave value the policy pins (`type=="x-ms-sgx-mrenclave", value=="..."`), if any. */
function pinnedMrenclave(policy: Policy): string | null {
  for (const section of policy.sections)
    for (const rule of section.kind === "authorizationrules" ? section.rules : [])
      for (const c of rule.conditions) {
        const isMrenclave = c.properties.some(
          (p) =>
            p.property === "type" &&
            p.operator === "==" &&
            p.value.kind === "string" &&
            p.value.value === SGX_CLAIM.mrenclave,
        );
        const value = c.properties.find((p) => p.property === "value" && p.operator === "==");
        if (isMrenclave && value?.value.kind === "string") return value.value.value;
      }
  return null;
}

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1)
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length] ?? 0;
}

/** `type=="x-ms-sgx-isdebuggable"`: a near miss of a claim MAA issues never matches anything. */
function misspeltClaimTypes(policy: Policy): PolicyFinding[] {
  const known: string[] = Object.values(SGX_CLAIM);
  return [...conditionTypes(policy)].flatMap((type) => {
    if (known.includes(type) || type.length > 64) return [];
    const near = known.find((k) => distance(type.toLowerCase(), k) <= 2);
    if (near === undefined) return [];
    return [
      {
        code: "misspelt-claim-type",
        severity: "warning" as const,
        message: `The claim type "${type}" is not one MAA issues, so a condition on it never matches.`,
        fix: `Did you mean "${near}"? Claim types are compared exactly.`,
      },
    ];
  });
}

function parseFailureFix(error: PolicyError, jwt: boolean): string {
  if (/expecting ';'/.test(error.message))
    return `Add the missing ';' just before line ${error.line}, column ${error.column} (every statement, the version line and each section's closing '}' end with ';').`;
  if (/base64|JWT|AttestationPolicy/.test(error.message))
    return 'Upload the policy as plain text, or as a JWT whose "AttestationPolicy" claim is the base64url (A-Z a-z 0-9 - _) encoding of the UTF-8 policy text.';
  return `Correct the policy at line ${error.line}, column ${error.column}${jwt ? " of the decoded AttestationPolicy" : ""}; compare it with the recommended policy:\n${recommendedPolicyText()}`;
}

/** Lints policy text (or a policy JWT). Never throws. */
export function lintPolicy(input: string, options: LintOptions = {}): LintResult {
  const svn = options.svn ?? SQL_ENCLAVE.defaultSvn;
  const unwrapped = unwrapPolicy(input);
  if (unwrapped.kind === "error") {
    return {
      valid: false,
      errors: [unwrapped.error],
      permits: null,
      failingCondition: null,
      findings: [
        {
          code: "parse-error",
          severity: "error",
          message: `MAA would refuse to store this policy (PolicyParsingError / Bad message): ${unwrapped.error.message}`,
          fix: parseFailureFix(unwrapped.error, false),
        },
      ],
    };
  }
  const parsed = parsePolicy(unwrapped.text);
  if (!parsed.ok) {
    return {
      valid: false,
      errors: [parsed.error],
      permits: null,
      failingCondition: null,
      findings: [
        {
          code: "parse-error",
          severity: "error",
          message: `MAA would refuse to store this policy (PolicyParsingError) at line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message}`,
          fix: parseFailureFix(parsed.error, unwrapped.kind === "jwt"),
        },
      ],
    };
  }
  const policy = parsed.policy;
  const mrenclave = pinnedMrenclave(policy);
  const current = sqlEnclave(svn, mrenclave ?? undefined);
  const permitsEnclave = (e: EnclaveClaims, extra: readonly Claim[] = []) =>
    evaluateAuthorization(policy, [...enclaveClaims(e), ...extra]).permits;
  const decision = evaluateAuthorization(policy, enclaveClaims(current));
  const findings: PolicyFinding[] = [];
  const recommended = recommendedPolicyText(svn);

  if (!decision.permits) {
    findings.push({
      code: "denies-sql-enclave",
      severity: "error",
      message: `MAA would refuse the Azure SQL enclave (svn ${svn}) with PolicyEvaluationError: "${decision.reason}"${
        decision.failingCondition ? ` The condition that fails: ${decision.failingCondition}` : ""
      }`,
      fix: `Make the authorization rules accept debuggable=false, product id ${SQL_ENCLAVE.productId}, svn ${svn} and Microsoft's mrsigner, as the recommended policy does:\n${recommended}`,
    });
  }

  const anything: EnclaveClaims = {
    debuggable: true,
    productId: 1,
    svn: 0,
    mrsigner: OTHER_SIGNER,
    // Another build too: a policy that pins one enclave build does validate the code.
    mrenclave: OTHER_SIGNER,
  };
  if (permitsEnclave(anything)) {
    findings.push({
      code: "validates-nothing",
      severity: "error",
      message:
        "The policy permits any SGX enclave (debuggable, any product id, svn 0, any signer), like the default policy MAA creates a provider with: it does not validate the code running inside the enclave.",
      fix: `Replace it with the recommended policy:\n${recommended}`,
    });
  } else {
    if (permitsEnclave({ ...current, debuggable: true }))
      findings.push({
        code: "debuggable-allowed",
        severity: "error",
        message:
          "The policy permits a debuggable enclave: an administrator who turns on debugging could read the enclave's memory.",
        fix: `Add the condition ${condition.debuggable} to the permit rule.`,
      });
    const otherProduct = [SQL_ENCLAVE.productId + 1, 0].find((id) =>
      permitsEnclave({ ...current, productId: id }),
    );
    if (otherProduct !== undefined)
      findings.push({
        code: "product-id-unchecked",
        severity: "error",
        message: `The policy permits an enclave with product id ${otherProduct}; only ${SQL_ENCLAVE.productId} is the Always Encrypted enclave.`,
        fix: `Add the condition ${condition.productId} to the permit rule.`,
      });
    if (permitsEnclave({ ...current, mrsigner: OTHER_SIGNER }))
      findings.push({
        code: "mrsigner-unchecked",
        severity: "error",
        message:
          "The policy permits an enclave signed with a key other than Microsoft's (x-ms-sgx-mrsigner is not checked).",
        fix: `Add the condition ${condition.mrsigner} to the permit rule.`,
      });
    // The lowest SVN that still passes, below the recommended one (probes are cheap: at most svn+1).
    const lowest = Array.from({ length: Math.min(svn, 1000) }, (_, i) => i).find((s) =>
      permitsEnclave({ ...current, svn: s }),
    );
    if (lowest !== undefined)
      findings.push({
        code: "svn-below-recommended",
        severity: "warning",
        message: `The policy permits an enclave with svn ${lowest}, below the recommended minimum ${svn}: an older enclave with known security bugs would pass.`,
        fix: `Require ${condition.svn(svn)} in the permit rule.`,
      });
  }

  if (mrenclave !== null || conditionTypes(policy).has(SGX_CLAIM.mrenclave)) {
    const brokenByUpdate = decision.permits && !permitsEnclave({ ...current, mrenclave: OTHER_SIGNER });
    findings.push({
      code: "mrenclave-pinned",
      severity: "warning",
      message: `The policy checks x-ms-sgx-mrenclave, the hash of one enclave build${
        brokenByUpdate ? ": attestation will fail as soon as Microsoft updates the enclave" : ""
      }.`,
      fix: `Check the signer instead of the build: replace the mrenclave condition with ${condition.mrsigner} and ${condition.svn(svn)}.`,
    });
  }

  findings.push(...misspeltClaimTypes(policy));

  if (policy.implicitAuthorization)
    findings.push({
      code: "no-authorizationrules-block",
      severity: "info",
      message:
        "The rules follow the version line without an `authorizationrules { ... };` block around them; they were read as authorization rules.",
      fix: "Wrap the rules in `authorizationrules { ... };` as the policy examples in the MAA documentation do.",
    });

  return {
    valid: true,
    errors: [],
    permits: decision.permits,
    failingCondition: decision.failingCondition,
    findings,
  };
}

/** True when the result should fail a CI step: invalid, refuses the enclave, or any error/warning. */
export function lintFails(result: LintResult): boolean {
  return !result.valid || result.permits !== true || result.findings.some((f) => f.severity !== "info");
}
