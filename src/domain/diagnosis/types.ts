/**
 * The shape of a diagnosis: what every rule produces, what `check` and `explain` return, and
 * what the view models and renderers read. Pure data; no IO.
 */

/** Whose move it is. */
export const CATEGORIES = [
  "deployment_issue",
  "maa_escalation",
  "customer_error",
  "needs_info",
  "outside_attestation",
  "healthy",
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Urgency, most urgent first: a deployment issue (enclave not loaded, DCAP) makes every
 * customer-side fix pointless, then an MAA outage, then what the customer must change, then
 * what we cannot decide without more information, then an error that is not about attestation at
 * all (a login failure, a key unwrap): said so, never forced into an attestation category. The
 * verdict is the most urgent category present.
 */
export function mostUrgent(categories: Iterable<Category>): Category {
  let best: Category = "healthy";
  for (const c of categories) if (CATEGORIES.indexOf(c) < CATEGORIES.indexOf(best)) best = c;
  return best;
}

/** Where a rule comes from: a seed document (../shared/seeds) or public Microsoft documentation. */
export interface RuleSource {
  /** e.g. "TSG: Always Encrypted: Attestation failures, Step 4.1" */
  readonly title: string;
  /** Seed file name (e.g. "000_39ea41e4cab70e16.txt") or a public https URL. */
  readonly ref: string;
}

export interface Mitigation {
  /** What to do, in one or two sentences. */
  readonly text: string;
  /** Exact commands (PowerShell, T-SQL, KQL) to show in monospace; may contain <placeholders>. */
  readonly commands: readonly string[];
}

export interface RuleMeta {
  /** Stable id, kebab-case, e.g. "rbac-attestation-reader-missing". Never renamed once shipped. */
  readonly id: string;
  readonly category: Category;
  readonly title: string;
  /** One line: why this happens. */
  readonly why: string;
  readonly mitigation: Mitigation;
  /** Who acts: "Customer", "Azure Security Engineering/Azure Attestation Service", ... */
  readonly owner: string;
  readonly source: RuleSource;
  /** Lower runs first and wins among rules matching the same evidence (fallbacks are high). */
  readonly priority: number;
}

/** One row of telemetry (MonSQLSystemHealth) or one pasted error, as evidence for a finding. */
export interface Evidence {
  readonly timestamp: string | null;
  readonly node: string | null;
  readonly errorId: number | null;
  /** Return code or status as printed, e.g. "0x00000193"; null when absent. */
  readonly code: string | null;
  readonly message: string;
}

export interface Finding {
  readonly rule: string;
  readonly category: Category;
  readonly title: string;
  readonly why: string;
  readonly mitigation: Mitigation;
  readonly owner: string;
  readonly source: RuleSource;
  /** How many failures or rows back it; 0 for a finding no row backs (healthy, no telemetry). */
  readonly count: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly nodes: readonly string[];
  /** Details specific to this finding (e.g. the offending URL and what is wrong with it). */
  readonly details: readonly string[];
  readonly evidence: readonly Evidence[];
}

export interface Diagnosis {
  readonly verdict: Category;
  readonly findings: readonly Finding[];
}
