/** The scheduler's clock loop: run due digests now (catch-up after a restart), then at each tick. */
import type { Store } from "../../ports/store.js";
import { readSubscriptions } from "./read-subscriptions.js";
import { nextTick } from "./schedule.js";
import { runDue, type SchedulerDeps } from "./scheduler.js";

/**
 * When to wake next: the earliest next tick of any usable subscription, at most `maxSleepMs` away
 * (unusable ones are skipped here; `runDue` reports them).
 */
export async function nextWake(store: Store, now: number, maxSleepMs: number): Promise<number> {
  let wake = now + maxSleepMs;
  for (const { value } of (await readSubscriptions(store)).subscriptions) {
    const t = nextTick(value.cron, value.timeZone, now);
    if (t !== null && t < wake) wake = t;
  }
  return wake;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Runs `runDue` now (catch-up after a restart) and then at each tick, waking at least every
 * `maxSleepMs` (new subscriptions, stale claims). Returns a stop function.
 */
export function startDigestScheduler(
  deps: SchedulerDeps,
  timers: Timers = {
    setTimeout: (f, ms) => setTimeout(f, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  },
  maxSleepMs = 60_000,
): { stop(): Promise<void> } {
  let stopped = false;
  let handle: unknown = null;
  let running: Promise<unknown> = Promise.resolve();
  const loop = async (): Promise<void> => {
    if (stopped) return;
    await runDue(deps).catch((error: unknown) =>
      deps.logger.error("digest.loop_failed", { error: String(error) }),
    );
    if (stopped) return;
    const now = deps.clock.now();
    const wake = await nextWake(deps.store, now, maxSleepMs).catch(() => now + maxSleepMs);
    if (stopped) return;
    handle = timers.setTimeout(
      () => {
        running = loop();
      },
      Math.max(0, wake - now) + 5,
    );
  };
  running = loop();
  return {
    async stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
      await running;
    },
  };
}
