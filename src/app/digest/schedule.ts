/** Cron ticks in a time zone (croner): the latest tick at or before now, the tick before that, the next. */
import { Cron } from "croner";

function cron(pattern: string, timeZone: string): Cron {
  return new Cron(pattern, { timezone: timeZone, paused: true });
}

/**
 * Throws with the pattern or zone named when croner refuses them, or when the pattern never fires
 * (no date matches it, e.g. "0 0 31 2 *": there is no 31 February). Cron has no year field, so a
 * pattern that fires once from the epoch fires again every few years at most (29 February).
 */
export function validateSchedule(pattern: string, timeZone: string): void {
  let parsed: Cron;
  try {
    parsed = cron(pattern, timeZone);
  } catch (error) {
    // croner's own words ("CronPattern: Invalid value for minute: 99") after what was given and what is expected.
    const why = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern:\s*/, "");
    throw new RangeError(
      `got "${pattern}"${timeZone === "UTC" ? "" : ` (time zone ${timeZone})`}; expected a five-field cron pattern "minute hour day-of-month month day-of-week", e.g. "0 9 * * 1-5" (${why})`,
    );
  }
  if (parsed.nextRun(new Date(0)) === null)
    throw new RangeError(
      `"${pattern}" never fires: no date matches it (check the day of month against the month, e.g. there is no 31 February)`,
    );
}

/** The latest tick at or before `nowMs`, or null. */
export function latestTick(pattern: string, timeZone: string, nowMs: number): number | null {
  return (
    cron(pattern, timeZone)
      .previousRuns(1, new Date(nowMs + 1))[0]
      ?.getTime() ?? null
  );
}

/** The tick strictly before `tickMs`, or null. */
export function tickBefore(pattern: string, timeZone: string, tickMs: number): number | null {
  return cron(pattern, timeZone).previousRuns(1, new Date(tickMs))[0]?.getTime() ?? null;
}

/** The first tick strictly after `afterMs`, or null. */
export function nextTick(pattern: string, timeZone: string, afterMs: number): number | null {
  return cron(pattern, timeZone).nextRun(new Date(afterMs))?.getTime() ?? null;
}
