import { describe, expect, it } from "vitest";
import { parseDigestCommand } from "../../../src/domain/digest/commands.js";

describe("parseDigestCommand", () => {
  it.each([
    [
      "subscribe",
      {
        kind: "subscribe",
        servers: [],
        cron: "0 9 * * 1-5",
        timeZone: "UTC",
        minFailures: 1,
        quietWhenClear: false,
      },
    ],
    [
      'subscribe --servers Srv-A,srv-b.database.windows.net --cron "0 * * * *" --tz Europe/London --min-failures 3 --quiet-when-clear',
      {
        kind: "subscribe",
        servers: ["srv-a", "srv-b"],
        cron: "0 * * * *",
        timeZone: "Europe/London",
        minFailures: 3,
        quietWhenClear: true,
      },
    ],
    [
      "subscribe --all --tz=America/New_York",
      {
        kind: "subscribe",
        servers: [],
        cron: "0 9 * * 1-5",
        timeZone: "America/New_York",
        minFailures: 1,
        quietWhenClear: false,
      },
    ],
    ["list", { kind: "list" }],
    ["preview", { kind: "preview" }],
    ["unsubscribe D-3F9A1C", { kind: "unsubscribe", id: "d-3f9a1c" }],
  ])("valid: %s", (text, command) => {
    expect(parseDigestCommand(text)).toEqual({ ok: true, command });
  });

  it.each([
    ["", /needs a subcommand/],
    ["frobnicate", /unknown digest subcommand/],
    ["subscribe --servers a,b --all", /either --servers or --all/],
    ['subscribe --cron "0 9 * *"', /--cron: got "0 9 \* \*"/],
    ["subscribe --tz Mars/Olympus", /--tz: got "Mars\/Olympus"/],
    ["subscribe --min-failures 0", /--min-failures/],
    ["subscribe --min-failures 0", /--min-failures: got "0"; expected a whole number from 1 to 999999/],
    [
      "subscribe --min-failures 9999999",
      /--min-failures: got "9999999"; expected a whole number from 1 to 999999/,
    ],
    ["subscribe --servers bad_name", /--servers: got "bad_name"/],
    ["subscribe --colour red", /unknown option --colour/],
    ["subscribe --cron", /--cron needs a value/],
    ["unsubscribe", /needs one subscription id/],
    ["list extra", /takes no arguments/],
  ])("invalid: %s", (text, message) => {
    const r = parseDigestCommand(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(message);
      expect(r.error.example).toMatch(/^attest digest/);
    }
  });
});
