/**
 * Fleet-summary rows to the digest view: classify each row's sample (memoised), bucket rows into
 * windows counted back from the window end, then one row per failing server.
 */
import { type Category, mostUrgent } from "../diagnosis/types.js";
import { sparkline } from "./sparkline.js";
import type { Classifier, DigestView, FleetSummaryRow, ServerDigest, TrendDirection } from "./types.js";

export interface DigestOptions {
  /** Window start and end, ms since the epoch; the end is exclusive. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Windows in the sparkline (current one included), at least 2. */
  readonly periods: number;
  /** Servers with fewer failures in the window are left out. */
  readonly minFailures: number;
  readonly truncated: boolean;
  /** The servers this digest was asked about (any case); empty or absent = the whole fleet. */
  readonly named?: readonly string[];
  /**
   * Named servers that sent any telemetry in the look-back: lowercase name → ISO time of the
   * latest row (statement 2 of `queries/fleet-summary.kql`). A named server whose latest row is
   * before the window, or that is absent here and has no failure in the window, is `unseen`.
   */
  readonly seen?: ReadonlyMap<string, string>;
}

interface Tally {
  /** Failures per period slot, slot 0 = the current window. */
  readonly slots: number[];
  readonly byRule: Map<string, number>;
  /** Failures per category, each failure once per category its rules belong to. */
  readonly byCategory: Map<Category, number>;
  readonly categories: Set<Category>;
  firstSeen: string;
  lastSeen: string;
}

const ARROWS: Record<TrendDirection, string> = { up: "↑", down: "↓", flat: "→" };

/**
 * The slot (0 = current window, 1 = the one before, ...) of a period bin starting at `startMs`.
 * Exact when bins are aligned to the window end; otherwise a bin straddling a boundary counts in
 * the later window.
 */
function slotOf(startMs: number, toMs: number, lengthMs: number): number {
  return Math.floor((toMs - 1 - startMs) / lengthMs);
}

export function buildDigest(
  rows: readonly FleetSummaryRow[],
  classify: Classifier,
  options: DigestOptions,
): DigestView {
  const lengthMs = options.toMs - options.fromMs;
  if (!(lengthMs > 0)) throw new RangeError("digest window must have a positive length");
  const periods = Math.max(2, Math.floor(options.periods));
  const memo = new Map<string, { rules: readonly string[]; categories: readonly Category[] }>();
  const tallies = new Map<string, Tally>();

  for (const row of rows) {
    const startMs = Date.parse(row.periodStart);
    if (Number.isNaN(startMs) || startMs >= options.toMs) continue;
    const slot = slotOf(startMs, options.toMs, lengthMs);
    if (slot >= periods) continue;
    let tally = tallies.get(row.server);
    if (!tally) {
      tally = {
        slots: new Array<number>(periods).fill(0),
        byRule: new Map(),
        byCategory: new Map(),
        categories: new Set(),
        firstSeen: row.firstSeen,
        lastSeen: row.lastSeen,
      };
      tallies.set(row.server, tally);
    }
    tally.slots[slot] = (tally.slots[slot] ?? 0) + row.failures;
    if (row.firstSeen < tally.firstSeen) tally.firstSeen = row.firstSeen;
    if (row.lastSeen > tally.lastSeen) tally.lastSeen = row.lastSeen;
    if (slot === 0) {
      const key = `${row.errorId}\u0000${row.sample}`;
      let c = memo.get(key);
      if (!c) {
        const hit = classify(row.sample, row.errorId);
        const matches = [hit, ...(hit.also ?? [])];
        c = {
          rules: [...new Set(matches.map((m) => m.rule))],
          categories: [...new Set(matches.map((m) => m.category))],
        };
        memo.set(key, c);
      }
      for (const rule of c.rules) tally.byRule.set(rule, (tally.byRule.get(rule) ?? 0) + row.failures);
      for (const category of c.categories) {
        tally.byCategory.set(category, (tally.byCategory.get(category) ?? 0) + row.failures);
        tally.categories.add(category);
      }
    }
  }

  const totals: Partial<Record<Category, number>> = {};
  const servers: ServerDigest[] = [];
  const cleared: string[] = [];
  const unseen = unseenServers(tallies, options, periods);
  const named = (options.named ?? []).length > 0;
  for (const [server, t] of tallies) {
    const failures = t.slots[0] ?? 0;
    const previous = t.slots[1] ?? 0;
    if (failures === 0) {
      // Cleared only when the server sent telemetry in this window: silence is not a recovery.
      if (previous > 0 && (!named || seenIn(options, server, options.fromMs))) cleared.push(server);
      continue;
    }
    if (failures < options.minFailures) continue;
    const direction: TrendDirection = failures > previous ? "up" : failures < previous ? "down" : "flat";
    const byRule = [...t.byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [category, n] of t.byCategory) totals[category] = (totals[category] ?? 0) + n;
    servers.push({
      server,
      verdict: mostUrgent(t.categories),
      failures,
      byRule: Object.fromEntries(byRule),
      firstSeen: t.firstSeen,
      lastSeen: t.lastSeen,
      trend: {
        previous,
        direction,
        arrow: ARROWS[direction],
        sparkline: sparkline([...t.slots].reverse()),
      },
      new: t.slots.slice(1).every((n) => n === 0),
    });
  }
  servers.sort(compareServers);
  const orderedTotals: Partial<Record<Category, number>> = {};
  for (const c of URGENCY) if (totals[c] !== undefined) orderedTotals[c] = totals[c];
  cleared.sort();
  return {
    window: { from: new Date(options.fromMs).toISOString(), to: new Date(options.toMs).toISOString() },
    periods,
    totals: orderedTotals,
    servers,
    cleared,
    unseen,
    truncated: options.truncated,
  };
}

/** Whether `server` sent telemetry (its latest row, statement 2) at or after `sinceMs`. */
function seenIn(options: DigestOptions, server: string, sinceMs: number): boolean {
  const lastSeenMs = Date.parse(options.seen?.get(server) ?? "");
  return lastSeenMs >= sinceMs && lastSeenMs < options.toMs;
}

/**
 * Named servers that sent no telemetry at all in the look-back (`periods` windows back from the
 * window end): no failure row in any period and no row in statement 2. A server that only went
 * quiet in a short window is not "no telemetry ... check the name". Sorted; null for the fleet.
 */
function unseenServers(
  tallies: ReadonlyMap<string, Tally>,
  options: DigestOptions,
  periods: number,
): string[] | null {
  const named = new Set((options.named ?? []).map((s) => s.toLowerCase()));
  if (named.size === 0) return null;
  const lookBackFromMs = options.toMs - periods * (options.toMs - options.fromMs);
  const out: string[] = [];
  for (const server of named) {
    if ((tallies.get(server)?.slots ?? []).some((n) => n > 0)) continue;
    if (seenIn(options, server, lookBackFromMs)) continue;
    out.push(server);
  }
  return out.sort();
}

const URGENCY: readonly Category[] = [
  "deployment_issue",
  "maa_escalation",
  "customer_error",
  "needs_info",
  "outside_attestation",
  "healthy",
];

/** Most urgent verdict first, then most failures, then name. */
export function compareServers(a: ServerDigest, b: ServerDigest): number {
  return (
    URGENCY.indexOf(a.verdict) - URGENCY.indexOf(b.verdict) ||
    b.failures - a.failures ||
    a.server.localeCompare(b.server)
  );
}

/** The first `limit` servers and how many more there are ("and N more"). */
export function topServers(
  view: DigestView,
  limit: number,
): { shown: readonly ServerDigest[]; more: number } {
  const n = Math.max(0, Math.floor(limit));
  return { shown: view.servers.slice(0, n), more: Math.max(0, view.servers.length - n) };
}
