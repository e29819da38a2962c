/**
 * The digest scheduler. `runDue(now)` delivers every subscription whose latest cron tick has no
 * delivery yet: claim the (subscription, tick) delivery record with a conditional create, build the
 * digest, record the intent to post (`posting`), post it, mark it posted. Claims make delivery at
 * most once across replicas and restarts. After downtime one catch-up digest covers everything
 * since the last delivery. A claim left by a crash before posting (`claimed`) is taken over once
 * after `claimTimeoutMs`; one left while posting (`posting`) is never posted again: it becomes
 * `uncertain` and the next digest says it may not have arrived. Windows of consecutive digests
 * never overlap: a new period waits while an earlier one is still being delivered, and every
 * unfinished record is settled once stale, whatever the cron. `startDigestScheduler`
 * (scheduler-loop.ts) calls `runDue` at each tick.
 */
import { type DeliveryRecord, deliveryKey, type Subscription } from "../../domain/digest/subscription.js";
import type { DigestView } from "../../domain/digest/types.js";
import { type DigestPost, PostFailure } from "../../ports/chat-poster.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/log.js";
import { PreconditionFailed, type Store, type Stored } from "../../ports/store.js";
import { type PostDeps, postWithRetry } from "./post-with-retry.js";
import { readSubscriptions } from "./read-subscriptions.js";
import { latestTick, nextTick, tickBefore } from "./schedule.js";

export interface SchedulerSettings {
  /** A claim older than this with no post is presumed crashed and taken over (once). */
  readonly claimTimeoutMs: number;
  /** The longest window one digest covers (catch-up after long downtime). */
  readonly maxWindowMs: number;
  /** Servers listed before "and N more". */
  readonly topN: number;
}
export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = {
  claimTimeoutMs: 15 * 60_000,
  maxWindowMs: 30 * 86_400_000,
  topN: 10,
};

export interface SchedulerDeps extends PostDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Names this replica in claims. */
  readonly instanceId: string;
  readonly buildDigest: (
    subscription: Subscription,
    window: { fromMs: number; toMs: number },
  ) => Promise<DigestView>;
  readonly settings: SchedulerSettings;
  /**
   * The platforms this replica can post to; subscriptions for others are left alone (another
   * replica, or this one once configured, delivers them). Absent: every platform.
   */
  readonly platforms?: ReadonlySet<"teams" | "slack">;
}

export type DeliveryOutcome =
  | {
      readonly subscriptionId: string;
      readonly periodEnd: string;
      readonly result: "posted";
      readonly messageId: string;
    }
  | { readonly subscriptionId: string; readonly periodEnd: string; readonly result: "skipped_clear" }
  | { readonly subscriptionId: string; readonly periodEnd: string; readonly result: "claimed_elsewhere" }
  /** The poster stopped mid-post (or the post timed out): never retried, the next digest says so. */
  | { readonly subscriptionId: string; readonly periodEnd: string; readonly result: "uncertain" }
  | {
      readonly subscriptionId: string;
      readonly periodEnd: string;
      readonly result: "failed";
      readonly error: string;
    };

const iso = (ms: number): string => new Date(ms).toISOString();

/** Post failures after which the message may still have arrived (the platform never answered). */
const MAYBE_ARRIVED = new Set(["timeout", "connection_dropped"]);

/** Delivery records kept per subscription (older, already covered ones are pruned). */
export const KEEP_DELIVERIES = 10;

/**
 * Per store: the tick each subscription has settled (posted, skipped, failed), so a wake-up
 * between ticks reads no delivery records. Only an optimisation: the store stays the truth.
 */
const settledTicks = new WeakMap<Store, Map<string, number>>();
function settled(store: Store): Map<string, number> {
  let m = settledTicks.get(store);
  if (!m) {
    m = new Map();
    settledTicks.set(store, m);
  }
  return m;
}

type Due =
  | { kind: "new"; tick: number; fromMs: number; missed: string[] }
  | { kind: "takeover"; record: Stored<DeliveryRecord>; missed: string[] };

const unfinished = (state: DeliveryRecord["state"]): boolean => state === "claimed" || state === "posting";
/** Delivered, for where the next window starts: posted, skipped as clear, or possibly posted. */
const covered = (state: DeliveryRecord["state"]): boolean =>
  state === "posted" || state === "skipped" || state === "uncertain";

function isStale(deps: SchedulerDeps, record: DeliveryRecord, now: number): boolean {
  const since = Date.parse(
    record.state === "posting" ? (record.postingAt ?? record.claimedAt) : record.claimedAt,
  );
  return since + deps.settings.claimTimeoutMs <= now;
}

/**
 * Settles a stale unfinished record: one that was posting becomes `uncertain` (never posted
 * again), one that was only claimed `failed` (its period is covered by the next digest). Another
 * replica settling it first is fine.
 */
async function settleStale(deps: SchedulerDeps, r: Stored<DeliveryRecord>): Promise<void> {
  const posting = r.value.state === "posting";
  const value: DeliveryRecord = posting
    ? { ...r.value, state: "uncertain", error: "the poster stopped while posting: it may not have arrived" }
    : { ...r.value, state: "failed", error: "abandoned: claim never completed" };
  try {
    await deps.store.put("deliveries", r.key, value, { ifMatch: r.etag });
    deps.logger.warn(posting ? "digest.uncertain" : "digest.abandoned", {
      subscription: r.value.subscriptionId,
      periodEnd: r.value.periodEnd,
      claimedBy: r.value.claimedBy,
    });
  } catch (error) {
    if (!(error instanceof PreconditionFailed)) throw error;
  }
}

/** Where a subscription's digest stands: the last delivery and what is due now. */
async function plan(deps: SchedulerDeps, sub: Subscription, now: number): Promise<{ kind: "none" } | Due> {
  const tick = latestTick(sub.cron, sub.timeZone, now);
  if (tick === null || tick < Date.parse(sub.createdAt)) return { kind: "none" };
  if (settled(deps.store).get(sub.id) === tick) return { kind: "none" };
  let records = await deps.store.list("deliveries", `${sub.id}/`);
  const isCurrent = (r: Stored<DeliveryRecord>) => Date.parse(r.value.periodEnd) >= tick;
  // Earlier periods left unfinished (the cron moved on since): settle the stale ones; while one is
  // still being delivered elsewhere, wait (the next window starts where it ends).
  let changed = false;
  for (const r of records) {
    if (!unfinished(r.value.state) || isCurrent(r)) continue;
    if (!isStale(deps, r.value, now)) return { kind: "none" };
    await settleStale(deps, r);
    changed = true;
  }
  if (changed) records = await deps.store.list("deliveries", `${sub.id}/`);
  const lastPosted = records.filter((r) => r.value.state === "posted").at(-1);
  const missed = records
    .filter(
      (r) =>
        r.value.state === "uncertain" &&
        (!lastPosted || Date.parse(r.value.periodEnd) > Date.parse(lastPosted.value.periodEnd)),
    )
    .map((r) => r.value.periodEnd);
  const last = records.at(-1);
  if (last && isCurrent(last)) {
    if (!unfinished(last.value.state)) {
      settled(deps.store).set(sub.id, tick);
      return { kind: "none" };
    }
    if (!isStale(deps, last.value, now)) return { kind: "none" };
    if (last.value.state === "claimed") return { kind: "takeover", record: last, missed };
    // Stale while posting: it may have arrived, so it is never posted again.
    await settleStale(deps, last);
    return { kind: "none" };
  }
  // The window starts where the last delivered digest ended, so a period that failed or was
  // abandoned is covered by the next digest rather than silently skipped, and one that may have
  // been posted is never covered twice.
  const delivered = records.filter((r) => covered(r.value.state)).at(-1);
  const first = records[0];
  // Never delivered: the first digest covers every period since the subscription's first tick
  // (ticks missed while the bot was down included), not only the latest one.
  const firstTick = nextTick(sub.cron, sub.timeZone, Date.parse(sub.createdAt) - 1) ?? tick;
  const start = delivered
    ? Date.parse(delivered.value.periodEnd)
    : first
      ? Date.parse(first.value.windowFrom)
      : (tickBefore(sub.cron, sub.timeZone, Math.min(firstTick, tick)) ?? tick - 86_400_000);
  const fromMs = Math.max(start, tick - deps.settings.maxWindowMs);
  return { kind: "new", tick, fromMs, missed };
}

async function claim(
  deps: SchedulerDeps,
  sub: Subscription,
  now: number,
  due: Due,
): Promise<{ record: DeliveryRecord; etag: string } | null> {
  const record: DeliveryRecord =
    due.kind === "new"
      ? {
          subscriptionId: sub.id,
          periodEnd: iso(due.tick),
          windowFrom: iso(due.fromMs),
          state: "claimed",
          claimedBy: deps.instanceId,
          claimedAt: iso(now),
          attempts: 1,
          postedAt: null,
          messageId: null,
          error: null,
        }
      : {
          ...due.record.value,
          claimedBy: deps.instanceId,
          claimedAt: iso(now),
          attempts: due.record.value.attempts + 1,
        };
  // A claim retried once already is abandoned (marked failed) rather than retried for ever.
  if (due.kind === "takeover" && due.record.value.attempts >= 2) {
    await deps.store
      .put(
        "deliveries",
        due.record.key,
        { ...due.record.value, state: "failed", error: "abandoned: claim never completed" },
        { ifMatch: due.record.etag },
      )
      .catch((e: unknown) => {
        if (!(e instanceof PreconditionFailed)) throw e;
      });
    return null;
  }
  try {
    const etag = await deps.store.put(
      "deliveries",
      deliveryKey(sub.id, record.periodEnd),
      record,
      due.kind === "new" ? { ifNoneMatch: "*" } : { ifMatch: due.record.etag },
    );
    return { record, etag };
  } catch (error) {
    if (error instanceof PreconditionFailed) return null;
    throw error;
  }
}

/** Deletes delivery records older than the last delivered one, keeping the last KEEP_DELIVERIES. */
async function prune(deps: SchedulerDeps, subscriptionId: string): Promise<void> {
  const records = await deps.store.list("deliveries", `${subscriptionId}/`);
  const lastDelivered = records.findLastIndex(
    (r) => r.value.state === "posted" || r.value.state === "skipped",
  );
  const cut = Math.min(lastDelivered, records.length - KEEP_DELIVERIES);
  for (const r of records.slice(0, Math.max(0, cut)))
    await deps.store.delete("deliveries", r.key, r.etag).catch(() => undefined);
}

/** Marks the subscription's channel failing (retrying on eTag conflicts). */
async function markFailing(deps: SchedulerDeps, id: string, reason: string, now: number): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const current = await deps.store.get("subscriptions", id);
    if (!current) return;
    try {
      await deps.store.put(
        "subscriptions",
        id,
        { ...current.value, status: { state: "failing", reason, since: iso(now) } },
        { ifMatch: current.etag },
      );
      return;
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
    }
  }
}

/** Delivers one subscription's due digest, if any. Never throws (failures are outcomes and logs). */
export async function deliverOne(
  deps: SchedulerDeps,
  sub: Subscription,
  now: number,
): Promise<DeliveryOutcome | null> {
  if (sub.status.state === "failing") return null;
  const due = await plan(deps, sub, now);
  if (due.kind === "none") return null;
  const claimed = await claim(deps, sub, now, due);
  const periodEnd = due.kind === "new" ? iso(due.tick) : due.record.value.periodEnd;
  if (!claimed) return { subscriptionId: sub.id, periodEnd, result: "claimed_elsewhere" };
  let { record, etag } = claimed;
  const key = deliveryKey(sub.id, record.periodEnd);
  const finish = async (patch: Partial<DeliveryRecord> & { state: DeliveryRecord["state"] }) => {
    try {
      await deps.store.put("deliveries", key, { ...record, ...patch }, { ifMatch: etag });
      settled(deps.store).set(sub.id, Date.parse(record.periodEnd));
      if (patch.state === "posted" || patch.state === "skipped") await prune(deps, sub.id);
    } catch (error) {
      deps.logger.warn("digest.record_update_failed", {
        subscription: sub.id,
        periodEnd,
        error: String(error),
      });
    }
  };
  let posting = false;
  try {
    const built = await deps.buildDigest(sub, {
      fromMs: Date.parse(record.windowFrom),
      toMs: Date.parse(record.periodEnd),
    });
    const view = due.missed.length > 0 ? { ...built, missed: due.missed } : built;
    // A named server with no telemetry is not "clear": the digest says so even when quiet.
    if (view.servers.length === 0 && !view.unseen?.length && !view.missed?.length && sub.quietWhenClear) {
      await finish({ state: "skipped" });
      deps.logger.info("digest.skipped_clear", { subscription: sub.id, periodEnd });
      return { subscriptionId: sub.id, periodEnd, result: "skipped_clear" };
    }
    const post: DigestPost = { view, title: `Attestation digest · ${sub.id}`, topN: deps.settings.topN };
    // The intent is recorded before posting: whoever finds it unfinished later never posts again.
    const intent: DeliveryRecord = { ...record, state: "posting", postingAt: iso(deps.clock.now()) };
    try {
      etag = await deps.store.put("deliveries", key, intent, { ifMatch: etag });
      record = intent;
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
      // Taken over while the digest was being built: the other replica delivers it.
      deps.logger.warn("digest.claim_lost", { subscription: sub.id, periodEnd });
      return { subscriptionId: sub.id, periodEnd, result: "claimed_elsewhere" };
    }
    posting = true;
    const { messageId } = await postWithRetry(deps, sub.target, post);
    await finish({ state: "posted", postedAt: iso(deps.clock.now()), messageId });
    deps.logger.info("digest.posted", {
      subscription: sub.id,
      periodEnd,
      windowFrom: record.windowFrom,
      messageId,
    });
    return { subscriptionId: sub.id, periodEnd, result: "posted", messageId };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PostFailure && error.kind === "permanent") {
      await finish({ state: "failed", error: message });
      await markFailing(deps, sub.id, error.code, deps.clock.now());
    } else if (posting && error instanceof PostFailure && MAYBE_ARRIVED.has(error.code)) {
      // No answer to the last post: it may have arrived, so it is never posted again.
      await finish({ state: "uncertain", error: message });
      deps.logger.warn("digest.uncertain", { subscription: sub.id, periodEnd, error: message });
      return { subscriptionId: sub.id, periodEnd, result: "uncertain" };
    } else {
      // Not posted (Kusto down, retries exhausted): drop the claim so the next run tries again.
      await deps.store.delete("deliveries", key, etag).catch(() => undefined);
    }
    deps.logger.warn("digest.failed", { subscription: sub.id, periodEnd, error: message });
    return { subscriptionId: sub.id, periodEnd, result: "failed", error: message };
  }
}

/**
 * Delivers every due subscription; channels proceed independently. A subscription that cannot be
 * read (corrupt file, missing fields) is logged with its location (once per run) and skipped; the
 * others are delivered. Rejects only when the store itself cannot be read.
 */
export async function runDue(
  deps: SchedulerDeps,
  now: number = deps.clock.now(),
): Promise<DeliveryOutcome[]> {
  const { subscriptions: subs, unreadable } = await readSubscriptions(deps.store);
  for (const bad of unreadable)
    deps.logger.error("digest.subscription_unreadable", {
      subscription: bad.key,
      location: bad.location,
      error: bad.detail,
      fix: "fix or remove this record by hand; the other subscriptions are still delivered",
    });
  const mine = deps.platforms
    ? subs.filter((s) => deps.platforms?.has(s.value.target.platform) ?? true)
    : subs;
  const outcomes = await Promise.all(
    mine.map((s) =>
      deliverOne(deps, s.value, now).catch((error: unknown) => {
        deps.logger.error("digest.run_failed", { subscription: s.key, error: String(error) });
        return null;
      }),
    ),
  );
  return outcomes.filter((o): o is DeliveryOutcome => o !== null);
}
