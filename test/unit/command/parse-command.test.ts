import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/domain/command/parse-command.js";

describe("parseCommand", () => {
  it.each([
    [
      "attest check sgxtest2",
      { kind: "check", server: "sgxtest2", database: null, url: null, sinceMs: null },
    ],
    ["check sgxtest2", { kind: "check", server: "sgxtest2", database: null, url: null, sinceMs: null }],
    [
      "ATTEST CHECK SgxTest2.database.windows.net",
      { kind: "check", server: "sgxtest2", database: null, url: null, sinceMs: null },
    ],
    [
      "attest check sgxtest2 contosoDB --since 6h",
      { kind: "check", server: "sgxtest2", database: "contosoDB", url: null, sinceMs: 6 * 3_600_000 },
    ],
    [
      "check sgxtest2 --database=jakub --since=90m",
      { kind: "check", server: "sgxtest2", database: "jakub", url: null, sinceMs: 90 * 60_000 },
    ],
    [
      'check sgxtest2 --url "https://x.eus.attest.azure.net/attest/SgxEnclave"',
      {
        kind: "check",
        server: "sgxtest2",
        database: null,
        url: "https://x.eus.attest.azure.net/attest/SgxEnclave",
        sinceMs: null,
      },
    ],
    ["/attest help", { kind: "help" }],
    ["attest", { kind: "help" }],
    ["", { kind: "help" }],
  ])("%s", (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it("keeps explain text with its line breaks", () => {
    const r = parseCommand("attest explain Msg 37324, Level 16,\nState 57 Return code: '0x00000193'");
    expect(r).toEqual({
      ok: true,
      command: { kind: "explain", text: "Msg 37324, Level 16,\nState 57 Return code: '0x00000193'" },
    });
  });

  it.each([
    ["attest check", /check needs a server name/],
    ["attest check bad_name", /server: got "bad_name"; expected an Azure SQL server name/],
    ["attest check -leading", /unknown option --leading/],
    ["attest check x; drop table", /server: got "x;"/],
    ['attest check "a|b"', /server: got "a\|b"/],
    ["attest check sgxtest2 --since 45d", /--since: got "45d"; expected a duration .* at most 30d/],
    ["attest check sgxtest2 --since soon", /--since: got "soon"/],
    ["attest check sgxtest2 --since", /--since needs a value/],
    ["attest check sgxtest2 db1 db2", /unexpected words/],
    ["attest check sgxtest2 --colour red", /unknown option --colour/],
    [
      "attest frobnicate",
      /unknown command "frobnicate"; expected check, explain, policy, digest, escalate, feedback, snooze or help/,
    ],
    ["attest explain   ", /explain needs the error text/],
    [`attest check ${"a".repeat(64)}`, /expected an Azure SQL server name/],
    ["attest check sgxtest2 bad/db", /database: got "bad\/db"/],
  ])("%s is refused with a clear message", (text, message) => {
    const r = parseCommand(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(message);
      expect(r.error.example).toMatch(/^attest /);
    }
  });
});
