/** Cron validation for `digest subscribe`: patterns croner refuses, and patterns that never fire. */
import { describe, expect, it } from "vitest";
import { nextTick, validateSchedule } from "../../../src/app/digest/schedule.js";

describe("validateSchedule", () => {
  it.each([
    ["0 9 * * 1-5", "Europe/London"],
    ["0 0 29 2 *", "UTC"],
    // Day of month OR day of week (Vixie cron): Mondays in February fire.
    ["0 0 31 2 1", "UTC"],
  ])("accepts %s", (pattern, tz) => {
    expect(() => validateSchedule(pattern, tz)).not.toThrow();
    expect(nextTick(pattern, tz, Date.parse("2026-11-25T00:00:00Z"))).not.toBeNull();
  });

  it.each(["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4 *"])(
    "rejects %s, which never fires, naming the pattern",
    (pattern) => {
      expect(() => validateSchedule(pattern, "UTC")).toThrow(`"${pattern}" never fires`);
    },
  );

  it("still rejects a pattern croner refuses, saying what was given and what is expected", () => {
    expect(() => validateSchedule("61 9 * * *", "UTC")).toThrow(
      'got "61 9 * * *"; expected a five-field cron pattern "minute hour day-of-month month day-of-week", e.g. "0 9 * * 1-5" (Invalid value for minute: 61)',
    );
  });
});
