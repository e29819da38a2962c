/**
 * `lintPolicy`: parses a policy, decides whether MAA would let the Azure SQL enclave through, and
 * compares it with the recommended policy by probing it with enclaves that should be refused.
 */
import type { Policy, PolicyError } from "./ast.js";
import { evaluateAuthorization } from "./evaluate.js";
import { unwrapPolicy } from "./jwt-policy.js";
import { parsePolicy } from "./parser.js";
import { admitted, candidateBuilds, probeEnclaves, prober } from "./probe.js";
import {
  enclaveClaims,
  PLACEHOLDER_MRENCLAVE,
  recommendedPolicyText,
  SGX_CLAIM,
  SQL_ENCLAVE,
  sqlEnclave,
} from "./recommended.js";
import { mrenclaveFindings, weakenings } from "./weakenings.js";

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
  /**
   * Whether MAA would permit the Azure SQL enclave; null when the policy does not parse, or when
   * the answer depends on the enclave build's x-ms-sgx-mrenclave (not published, so unknown here).
   */
  readonly permits: boolean | null;
  /** The condition that refuses the enclave; null unless `permits` is false. */
  readonly failingCondition: string | null;
  readonly findings: readonly PolicyFinding[];
}

export interface LintOptions {
  /** The current SVN of the Azure SQL enclave, also the recommended minimum (default 2). */
  readonly svn?: number;
}

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
  const findings: PolicyFinding[] = [];
  const recommended = recommendedPolicyText(svn);
  // The SQL enclave's own mrenclave is not published (and changes with every release): the
  // enclave is probed with a build nobody pinned, and with each build the policy pins.
  const builds = candidateBuilds(policy);
  const current = sqlEnclave(svn, PLACEHOLDER_MRENCLAVE);
  const probe = prober(policy);
  const decision = evaluateAuthorization(policy, enclaveClaims(current));
  const permittingBuilds = builds.slice(1).filter((mrenclave) => probe.permits({ ...current, mrenclave }));
  const permits = decision.permits ? true : permittingBuilds.length > 0 ? null : false;

  if (permits === false) {
    findings.push({
      code: "denies-sql-enclave",
      severity: "error",
      message: `MAA would refuse the Azure SQL enclave (svn ${svn}) with PolicyEvaluationError: "${decision.reason}"${
        decision.failingCondition ? ` The condition that fails: ${decision.failingCondition}` : ""
      }`,
      fix: `Make the authorization rules accept debuggable=false, product id ${SQL_ENCLAVE.productId}, svn ${svn} and Microsoft's mrsigner, as the recommended policy does:\n${recommended}`,
    });
  }

  const probes = probeEnclaves(current, builds);
  const { permitted, all, probed } = admitted(probe, probes);
  if (all) {
    findings.push({
      code: "validates-nothing",
      severity: "error",
      message:
        "The policy permits any SGX enclave (debuggable, any product id, svn 0, any signer), like the default policy MAA creates a provider with: it does not validate the code running inside the enclave.",
      fix: `Replace it with the recommended policy:\n${recommended}`,
    });
  } else {
    findings.push(...weakenings(probe, current, permitted, svn));
  }
  if (probed < probes.length || !probe.canProbe())
    findings.push({
      code: "probes-limited",
      severity: "info",
      message: `The policy is costly to evaluate (conditions that bind claims multiply the work): it was tried on ${probed} of ${probes.length} probe enclaves, so a weakening may have gone unreported.`,
      fix: "Simplify the authorization rules, e.g. to the recommended policy's four plain conditions.",
    });

  findings.push(...mrenclaveFindings(policy, permits, permittingBuilds, svn));
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
    permits,
    failingCondition: permits === false ? decision.failingCondition : null,
    findings,
  };
}

/** True when the result should fail a CI step: invalid, refuses the enclave, or any error/warning. */
export function lintFails(result: LintResult): boolean {
  return !result.valid || result.permits !== true || result.findings.some((f) => f.severity !== "info");
}
