/** The current time, passed in so tests and `--now` can pin it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock pinned at `at` (ms), for `--now` and tests. */
export function fixedClock(at: number): Clock {
  return { now: () => at };
}
