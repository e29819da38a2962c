/**
 * The digest's data: fleet-summary rows in, a platform-neutral view out. Pure data; no IO.
 * Renderers (text, Adaptive Card, Block Kit) and the CLI JSON read only `DigestView`.
 */
import type { Category } from "../diagnosis/types.js";
import type { DigestIncident } from "./incidents.js";

/** One row of `queries/fleet-summary.kql`: failures of one server, error id and code in one period. */
export interface FleetSummaryRow {
  /** Lowercase logical server name. */
  readonly server: string;
  readonly errorId: number;
  /** Return code or status, e.g. "0x00000193"; null when the message has none. */
  readonly code: string | null;
  /** ISO-8601 UTC start of the period bin. */
  readonly periodStart: string;
  readonly failures: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly nodes: number;
  /** One message of the group, classified by the same rules as `check`. */
  readonly sample: string;
}

/** A rule id and its category. */
export interface RuleMatch {
  readonly rule: string;
  readonly category: Category;
}

/**
 * Names the rule (and its category) a sample message matches: the same rules as `check`. `also`
 * lists further rules the same failures count under, as `check` reports them too (e.g.
 * `attestation-url-malformed` for a malformed URL quoted in an MAA 4xx message).
 */
export type Classifier = (
  sampleMessage: string,
  errorId: number,
) => RuleMatch & { readonly also?: readonly RuleMatch[] };

export interface DigestWindow {
  /** ISO-8601 UTC, inclusive. */
  readonly from: string;
  /** ISO-8601 UTC, exclusive. */
  readonly to: string;
}

export type TrendDirection = "up" | "down" | "flat";

export interface ServerTrend {
  /** Failures in the window before this one (same length). */
  readonly previous: number;
  readonly direction: TrendDirection;
  /** "↑", "↓" or "→". */
  readonly arrow: string;
  /** Oldest period first, the current window last, e.g. "▁▁▃▁█". */
  readonly sparkline: string;
}

export interface ServerDigest {
  readonly server: string;
  /** Most urgent category among this window's failures. */
  readonly verdict: Category;
  /** Failures in this window. */
  readonly failures: number;
  /**
   * Failures in this window by rule id, most first. One failure can count under two rules (its
   * message rule and `attestation-url-malformed`), as in `check`, so the counts can add up to more
   * than `failures`.
   */
  readonly byRule: Readonly<Record<string, number>>;
  /** Earliest and latest failure seen over the whole look-back (all periods). */
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly trend: ServerTrend;
  /** No failure in any earlier period of the look-back: new in this window. */
  readonly new: boolean;
}

export interface DigestView {
  readonly window: DigestWindow;
  /** How many windows the sparkline covers (the current one included). */
  readonly periods: number;
  /**
   * Failures in this window by category (categories with none are left out); a failure counts once
   * in each category its rules belong to.
   */
  readonly totals: Readonly<Partial<Record<Category, number>>>;
  /** Every failing server, most urgent first (verdict, then failures, then name). */
  readonly servers: readonly ServerDigest[];
  /**
   * Servers that failed in the previous window and not in this one. A named server that sent no
   * telemetry in this window is not cleared: silence is not a recovery.
   */
  readonly cleared: readonly string[];
  /**
   * Servers named for this digest that sent no telemetry at all in the look-back (`periods`
   * windows; a misspelled name, a server that is down or not reporting), sorted. Never read as
   * "no failures". Null for the whole fleet (no servers named: there is no list to check against).
   */
  readonly unseen: readonly string[] | null;
  /** The query hit its row cap: counts may be low. */
  readonly truncated: boolean;
  /**
   * Period ends (ISO-8601 UTC) of earlier digests that may not have arrived: the bot stopped while
   * posting them, and they are never posted twice. Absent or empty: none.
   */
  readonly missed?: readonly string[];
  /**
   * Fleet-wide incidents (issue 14): many servers failing the same MAA way in one region or on one
   * provider, shown as one row each; their servers are left out of `servers` unless they also
   * fail otherwise. Absent when not looked for.
   */
  readonly incidents?: readonly DigestIncident[];
  /** Failing servers left out because this conversation snoozed them (issue 14). */
  readonly snoozed?: readonly string[];
}
