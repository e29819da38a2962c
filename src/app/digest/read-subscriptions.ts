/**
 * Every subscription that can be used, and those that cannot, each with where it lives and why:
 * a record that is not JSON (the store reports it), one without the fields a subscription needs,
 * or one whose cron pattern or time zone cannot be evaluated. One bad record never hides the
 * others; nothing is changed (a bad record is fixed or removed by hand).
 */
import {
  type DeliveryTarget,
  type Subscription,
  subscriptionProblem,
  targetOf,
} from "../../domain/digest/subscription.js";
import type { CorruptRecord, Store, Stored } from "../../ports/store.js";
import { validateSchedule } from "./schedule.js";

export interface UnreadableSubscription extends CorruptRecord {
  /** The channel it was made in, when that much can be read; null when unknown. */
  readonly target: DeliveryTarget | null;
}

export interface SubscriptionScan {
  /** Usable subscriptions, in key order. */
  readonly subscriptions: Stored<Subscription>[];
  /** Subscriptions that cannot be used, in key order: key, location (file path, blob URL), what is wrong. */
  readonly unreadable: UnreadableSubscription[];
}

/** Why a subscription's schedule cannot be evaluated, or null. */
function scheduleProblem(sub: Subscription): string | null {
  try {
    validateSchedule(sub.cron, sub.timeZone);
    return null;
  } catch (error) {
    return `schedule: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Rejects only when the store itself cannot be read (then nothing can be delivered). */
export async function readSubscriptions(store: Store): Promise<SubscriptionScan> {
  const { records, corrupt } = await store.scan("subscriptions");
  const subscriptions: Stored<Subscription>[] = [];
  const unreadable: UnreadableSubscription[] = corrupt.map((c) => ({ ...c, target: null }));
  for (const record of records) {
    const problem = subscriptionProblem(record.key, record.value) ?? scheduleProblem(record.value);
    if (problem === null) subscriptions.push(record);
    else
      unreadable.push({
        key: record.key,
        location: store.locate("subscriptions", record.key),
        detail: problem,
        target: targetOf(record.value),
      });
  }
  unreadable.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { subscriptions, unreadable };
}
