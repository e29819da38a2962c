/**
 * Remembers activity ids seen recently so a re-delivered activity (Teams retries after ~15 s when
 * the bot was slow) does not run the checks twice. In memory: one bot instance.
 */
import type { Clock } from "../../ports/clock.js";

export class RecentActivities {
  readonly #seen = new Map<string, number>();
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(clock: Clock, options: { ttlMs?: number; max?: number } = {}) {
    this.#clock = clock;
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#max = options.max ?? 10_000;
  }

  /** True the first time `key` is seen within the time-to-live; false for a repeat. */
  firstTime(key: string): boolean {
    const now = this.#clock.now();
    const expires = this.#seen.get(key);
    if (expires !== undefined && expires > now) return false;
    this.#seen.delete(key);
    this.#seen.set(key, now + this.#ttlMs);
    // Map keeps insertion order: drop the oldest entries beyond the cap, and expired ones at the front.
    for (const [k, e] of this.#seen) {
      if (this.#seen.size <= this.#max && e > now) break;
      this.#seen.delete(k);
    }
    return true;
  }
}
