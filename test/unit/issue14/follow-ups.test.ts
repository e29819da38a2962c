import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/domain/command/parse-command.js";
import { statsRows } from "../../../src/domain/view/stats.js";

describe("command grammar: escalate, feedback, snooze", () => {
  it.each([
    ["attest escalate sgxtestmaa500", { kind: "escalate", server: "sgxtestmaa500", sinceMs: null }],
    [
      "escalate SGXTESTMAA500.database.windows.net --since 6h",
      { kind: "escalate", server: "sgxtestmaa500", sinceMs: 21_600_000 },
    ],
    [
      "attest feedback fixed rbac-attestation-reader-missing sgxtestuksouthsrv",
      {
        kind: "feedback",
        answer: "fixed",
        rule: "rbac-attestation-reader-missing",
        server: "sgxtestuksouthsrv",
      },
    ],
    [
      "feedback not-fixed maa-internal-error",
      { kind: "feedback", answer: "not_fixed", rule: "maa-internal-error", server: null },
    ],
    ["attest snooze sgxtestuksouthsrv", { kind: "snooze", server: "sgxtestuksouthsrv", forMs: 86_400_000 }],
    [
      "snooze sgxtestuksouthsrv --for 3d",
      { kind: "snooze", server: "sgxtestuksouthsrv", forMs: 3 * 86_400_000 },
    ],
  ])("%s", (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it.each([
    ["attest escalate", /server: got ""; expected a server name after escalate/],
    ["attest escalate a_b", /server: got "a_b"/],
    ["attest escalate x --url y", /--url: got "--url"; expected --since/],
    ["attest feedback maybe maa-internal-error", /answer: got "maybe"; expected fixed or not-fixed/],
    ["attest feedback fixed no-such-rule", /rule: got "no-such-rule"; expected a rule id/],
    ["attest snooze x --for 45d", /--for: got "45d"/],
  ])("%s → a clear error", (text, message) => {
    const r = parseCommand(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(message);
      expect(r.error.example).toMatch(/^attest (escalate|feedback|snooze) /);
    }
  });
});

describe("attest stats rows", () => {
  it("orders by fix rate (worst first) and flags rules that often do not fix", () => {
    const rows = statsRows([
      { rule: "rbac-attestation-reader-missing", fixed: 9, notFixed: 1, lastAt: "t" },
      { rule: "maa-internal-error", fixed: 1, notFixed: 3, lastAt: "t" },
      { rule: "filtered-args", fixed: 0, notFixed: 2, lastAt: "t" },
    ]);
    expect(rows.map((r) => [r.rule, r.fixRatePercent, r.flag])).toEqual([
      ["filtered-args", 0, null],
      ["maa-internal-error", 25, "often does not fix"],
      ["rbac-attestation-reader-missing", 90, null],
    ]);
  });
});
