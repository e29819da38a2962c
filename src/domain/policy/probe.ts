/**
 * Probes a policy with many SGX enclaves (debuggable or not, several product ids, svn 0 to high,
 * other signers, other builds) to find what it lets through: the ground for the lint's findings.
 * Pure; the probe set is small and fixed, so a hostile policy costs a bounded number of evaluations.
 */
import type { Expr, Policy } from "./ast.js";
import { authorizationRules, evaluateAuthorization } from "./evaluate.js";
import { printExpr } from "./print.js";
import {
  type EnclaveClaims,
  enclaveClaims,
  PLACEHOLDER_MRENCLAVE,
  SGX_CLAIM,
  SQL_ENCLAVE,
} from "./recommended.js";

/** Another signing key than Microsoft's (and a second one, in case a policy names the first). */
export const OTHER_SIGNERS = ["0".repeat(64), "f".repeat(64)] as const;
/** ISVSVN is 16 bits: the highest SVN an enclave can have. */
export const HIGHEST_SVN = 65_535;
/** Product ids other than the Always Encrypted enclave's (ISVPRODID is 16 bits). */
export const OTHER_PRODUCT_IDS = [SQL_ENCLAVE.productId + 1, 0, 1, 65_535] as const;

/** What an `x-ms-sgx-mrenclave` condition compares with, as written in the policy. */
export interface MrenclaveCondition {
  readonly operator: string;
  readonly value: Expr;
  /** The value as written (`"abc"`, `5`). */
  readonly text: string;
  /** A 64-hex-digit string compared with `==`: a build the policy may let through. */
  readonly plausible: boolean;
  /** Compared with `==` but not 64 hex digits (or not a string): matches no enclave at all. */
  readonly neverMatches: boolean;
}

const HASH = /^[0-9a-fA-F]{64}$/;

/** Every value an authorization condition on `type=="x-ms-sgx-mrenclave"` compares with. */
export function mrenclaveConditions(policy: Policy): MrenclaveCondition[] {
  const found: MrenclaveCondition[] = [];
  for (const rule of authorizationRules(policy))
    for (const c of rule.conditions) {
      const isMrenclave = c.properties.some(
        (p) =>
          p.property === "type" &&
          p.operator === "==" &&
          p.value.kind === "string" &&
          p.value.value === SGX_CLAIM.mrenclave,
      );
      if (!isMrenclave) continue;
      for (const p of c.properties) {
        if (p.property !== "value" || p.value.kind === "ref" || p.value.kind === "claim") continue;
        const hash = p.value.kind === "string" && HASH.test(p.value.value);
        found.push({
          operator: p.operator,
          value: p.value,
          text: printExpr(p.value),
          plausible: p.operator === "==" && hash,
          neverMatches: p.operator === "==" && !hash,
        });
      }
    }
  return found;
}

/** The builds worth probing: one nobody pinned (a stand-in for the real one) and each plausible pinned build. */
export function candidateBuilds(policy: Policy): string[] {
  const pinned = mrenclaveConditions(policy).flatMap((m) =>
    m.plausible && m.value.kind === "string" ? [m.value.value] : [],
  );
  return [PLACEHOLDER_MRENCLAVE, ...new Set(pinned)];
}

/** The grid probes the first few builds only (the unpinned one first): each multiplies its size. */
const PROBED_BUILDS = 3;

/** The enclaves probed, every combination of a few values per claim, closest to `base` first. */
export function probeEnclaves(base: EnclaveClaims, builds: readonly string[]): EnclaveClaims[] {
  const enclaves: EnclaveClaims[] = [];
  for (const debuggable of [base.debuggable, !base.debuggable])
    for (const productId of [base.productId, ...OTHER_PRODUCT_IDS])
      for (const svn of [...new Set([base.svn, 0, HIGHEST_SVN])])
        for (const mrsigner of [base.mrsigner, ...OTHER_SIGNERS])
          for (const mrenclave of builds.slice(0, PROBED_BUILDS))
            enclaves.push({ debuggable, productId, svn, mrsigner, mrenclave });
  return enclaves
    .map((e, order) => ({ e, order, distance: differences(base, e).length }))
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .map((x) => x.e);
}

/** How `e` differs from `base`, in words ("debuggable", "product id 4640", ...). */
export function differences(base: EnclaveClaims, e: EnclaveClaims): string[] {
  const out: string[] = [];
  if (e.debuggable !== base.debuggable) out.push(e.debuggable ? "debuggable" : "not debuggable");
  if (e.productId !== base.productId) out.push(`product id ${e.productId}`);
  if (e.svn !== base.svn) out.push(`svn ${e.svn}`);
  if (e.mrsigner !== base.mrsigner) out.push("another signing key");
  if (e.mrenclave !== base.mrenclave)
    out.push(
      e.mrenclave === PLACEHOLDER_MRENCLAVE ? "the mrenclave of another build" : "the pinned mrenclave",
    );
  return out;
}

/** Answers whether the policy permits an enclave, within a bound on the total work. */
export interface Prober {
  readonly permits: (e: EnclaveClaims) => boolean;
  /** False once the probes have used up their work budget (hostile, expensive policies). */
  readonly canProbe: () => boolean;
}

/** Search steps the probes may take in all (a cheap policy needs a few thousand). */
export const PROBE_STEPS = 5_000_000;
/** Probed whatever the cost: the enclaves one claim away from the Azure SQL enclave. */
const MIN_PROBES = 12;

/** A prober for `policy` that counts the steps of every evaluation against PROBE_STEPS. */
export function prober(policy: Policy): Prober {
  const meter = { steps: 0 };
  return {
    permits: (e) => evaluateAuthorization(policy, enclaveClaims(e), meter).permits,
    canProbe: () => meter.steps < PROBE_STEPS,
  };
}

export interface Admitted {
  /** The probed enclaves the policy permits, in probe order. */
  readonly permitted: EnclaveClaims[];
  /** Every enclave was probed and permitted. */
  readonly all: boolean;
  readonly probed: number;
}

/** Probes `enclaves` in order, the first MIN_PROBES always, the rest while the budget lasts. */
export function admitted(p: Prober, enclaves: readonly EnclaveClaims[]): Admitted {
  const permitted: EnclaveClaims[] = [];
  let probed = 0;
  for (const e of enclaves) {
    if (probed >= MIN_PROBES && !p.canProbe()) break;
    probed += 1;
    if (p.permits(e)) permitted.push(e);
  }
  return { permitted, all: probed === enclaves.length && permitted.length === enclaves.length, probed };
}
