/**
 * The lint's comparison with the recommended policy: each place where the policy lets through an
 * enclave the recommended one refuses, named with an enclave it admitted, and the mrenclave checks.
 */
import type { Policy } from "./ast.js";
import type { PolicyFinding } from "./lint.js";
import { differences, mrenclaveConditions, type Prober } from "./probe.js";
import { type EnclaveClaims, SQL_ENCLAVE } from "./recommended.js";

export const condition = {
  debuggable: '[ type=="x-ms-sgx-is-debuggable", value==false ]',
  productId: `[ type=="x-ms-sgx-product-id", value==${SQL_ENCLAVE.productId} ]`,
  svn: (svn: number) => `[ type=="x-ms-sgx-svn", value>= ${svn} ]`,
  mrsigner: `[ type=="x-ms-sgx-mrsigner", value=="${SQL_ENCLAVE.mrsigner}" ]`,
};

/** At most this many admitted enclaves are searched for the lowest SVN the policy lets through. */
const SVN_BASES = 4;
/** The lowest-SVN search stops here (the probes cost one evaluation each). */
const SVN_SEARCH_LIMIT = 1000;

/**
 * " (enclave let through: debuggable, product id 4640)": how the admitted enclave differs from the
 * Azure SQL enclave, when it is more than the one claim the finding is about (`own`).
 */
function example(current: EnclaveClaims, e: EnclaveClaims, own: (d: string) => boolean): string {
  const all = differences(current, e);
  return all.every(own) ? "" : `enclave let through: ${all.join(", ")}`;
}

const parenthesized = (text: string) => (text === "" ? "" : ` (${text})`);

/** The lowest SVN below `svn` that some admitted enclave passes with, if any (as low as the budget allows). */
function lowestSvn(p: Prober, permitted: readonly EnclaveClaims[], svn: number) {
  const bases: EnclaveClaims[] = [];
  const seen = new Set<string>();
  for (const e of permitted) {
    const key = JSON.stringify({ ...e, svn: 0 });
    if (seen.has(key)) continue;
    seen.add(key);
    bases.push(e);
    if (bases.length === SVN_BASES) break;
  }
  // The lowest already seen among the probes; the search only looks below it.
  const known = permitted
    .filter((e) => e.svn < svn)
    .reduce<EnclaveClaims | undefined>(
      (low, e) => (low === undefined || e.svn < low.svn ? e : low),
      undefined,
    );
  const below = Math.min(known?.svn ?? svn, SVN_SEARCH_LIMIT);
  for (let s = 0; s < below && p.canProbe(); s += 1)
    for (const base of bases) {
      const e = { ...base, svn: s };
      if (p.permits(e)) return e;
    }
  return known;
}

/**
 * One finding per claim the policy does not hold to the recommended value, among the probed
 * enclaves it `permitted` (closest to `current`, the Azure SQL enclave, first).
 */
export function weakenings(
  p: Prober,
  current: EnclaveClaims,
  permitted: readonly EnclaveClaims[],
  svn: number,
): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const debuggable = permitted.find((e) => e.debuggable);
  if (debuggable)
    findings.push({
      code: "debuggable-allowed",
      severity: "error",
      message: `The policy permits a debuggable enclave${parenthesized(example(current, debuggable, (d) => d === "debuggable"))}: an administrator who turns on debugging could read the enclave's memory.`,
      fix: `Add the condition ${condition.debuggable} to the permit rule.`,
    });
  const product = permitted.find((e) => e.productId !== SQL_ENCLAVE.productId);
  if (product)
    findings.push({
      code: "product-id-unchecked",
      severity: "error",
      message: `The policy permits an enclave with product id ${product.productId}${parenthesized(example(current, product, (d) => d.startsWith("product id")))}; only ${SQL_ENCLAVE.productId} is the Always Encrypted enclave.`,
      fix: `Add the condition ${condition.productId} to the permit rule.`,
    });
  const signer = permitted.find((e) => e.mrsigner !== SQL_ENCLAVE.mrsigner);
  if (signer) {
    const seen = example(current, signer, (d) => d === "another signing key");
    findings.push({
      code: "mrsigner-unchecked",
      severity: "error",
      message: `The policy permits an enclave signed with a key other than Microsoft's (x-ms-sgx-mrsigner is not checked${seen === "" ? "" : `; ${seen}`}).`,
      fix: `Add the condition ${condition.mrsigner} to the permit rule.`,
    });
  }
  const old = lowestSvn(p, permitted, svn);
  if (old)
    findings.push({
      code: "svn-below-recommended",
      severity: "warning",
      message: `The policy permits an enclave with svn ${old.svn}${parenthesized(example(current, old, (d) => d.startsWith("svn ")))}, below the recommended minimum ${svn}: an older enclave with known security bugs would pass.`,
      fix: `Require ${condition.svn(svn)} in the permit rule.`,
    });
  return findings;
}

/** `"a…" or "b…"`, the first three builds and how many more. */
function quoteBuilds(builds: readonly string[]): string {
  const shown = builds.slice(0, 3).map((b) => `"${b}"`);
  if (builds.length > 3) shown.push(`${builds.length - 3} more`);
  return shown.join(" or ");
}

/**
 * Findings on `x-ms-sgx-mrenclave` conditions: a value that is no SHA-256 hash matches nothing;
 * a pinned build makes the verdict unknown (`permits` null: the SQL enclave's hash is not
 * published) and breaks attestation on every enclave update.
 */
export function mrenclaveFindings(
  policy: Policy,
  permits: boolean | null,
  permittingBuilds: readonly string[],
  svn: number,
): PolicyFinding[] {
  const conditions = mrenclaveConditions(policy);
  const findings: PolicyFinding[] = [];
  const fix = `Check the signer instead of the build: replace the mrenclave condition with ${condition.mrsigner} and ${condition.svn(svn)}.`;
  for (const c of conditions.filter((m) => m.neverMatches))
    findings.push({
      code: "mrenclave-never-matches",
      severity: "warning",
      message: `The condition x-ms-sgx-mrenclave == ${c.text} matches no enclave: x-ms-sgx-mrenclave is the SHA-256 hash of an enclave build, 64 hex digits, and ${c.text} is not.`,
      fix,
    });
  if (permits === null)
    findings.push({
      code: "mrenclave-pinned",
      severity: "warning",
      message: `Whether MAA lets the Azure SQL enclave through cannot be told: the policy permits it only when the enclave build's x-ms-sgx-mrenclave is ${quoteBuilds(permittingBuilds)}, and the hash of the build Azure SQL runs is not published. Pinning mrenclave also breaks attestation as soon as Microsoft updates the enclave.`,
      fix,
    });
  else if (conditions.some((m) => !m.neverMatches))
    findings.push({
      code: "mrenclave-pinned",
      severity: "warning",
      message: "The policy checks x-ms-sgx-mrenclave, the hash of one enclave build.",
      fix,
    });
  return findings;
}
