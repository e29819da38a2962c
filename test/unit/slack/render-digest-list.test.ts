/**
 * `attest digest list` as Block Kit (render/block-kit/render-digest-list.ts): every subscription's
 * id, schedule, next run and state as escaped mrkdwn; server lists shortened; within Slack's
 * limits (50 blocks, 3,000 characters per text, ~12,000 in all) however many subscriptions and
 * however long their fields; a golden file (test/golden/slack/digest-list-*.json, UPDATE_GOLDEN=1).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Subscription } from "../../../src/domain/digest/subscription.js";
import type { Block, SlackMessage } from "../../../src/render/block-kit/blocks.js";
import { LIMITS, messageProblems } from "../../../src/render/block-kit/limits.js";
import {
  DIGEST_LIST_LIMITS,
  type DigestListEntry,
  renderDigestList,
  shortServerList,
  subscriptionLine,
} from "../../../src/render/block-kit/render-digest-list.js";
import { golden } from "./golden.js";

function entry(
  id: string,
  over: Partial<Subscription> = {},
  nextRun: string | null = "2026-11-26T08:00:00.000Z",
) {
  const subscription: Subscription = {
    id,
    target: { platform: "slack", teamId: "T1", channelId: "C1" },
    servers: ["sgxtestuksouthsrv", "sgxtest2"],
    cron: "0 8 * * 1-5",
    timeZone: "Europe/London",
    minFailures: 1,
    quietWhenClear: false,
    createdBy: "U1",
    createdAt: "2026-11-01T00:00:00.000Z",
    status: { state: "ok" },
    ...over,
  };
  return { subscription, nextRun } satisfies DigestListEntry;
}

const servers = (n: number, prefix = "sgxtest-srv") =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);
const texts = (m: SlackMessage) =>
  m.blocks.flatMap((b: Block) =>
    b.type === "section" ? (b.text ? [b.text] : []) : b.type === "context" ? b.elements : [],
  );
const allText = (m: SlackMessage) =>
  texts(m)
    .map((t) => t.text)
    .join("\n");
const totalText = (m: SlackMessage) => texts(m).reduce((n, t) => n + t.text.length, 0);

/** Slack's limits and ours: nothing Slack rejects, all mrkdwn, under the cumulative budget. */
function expectWithinLimits(m: SlackMessage): void {
  expect(messageProblems(m)).toEqual([]);
  expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  for (const t of texts(m)) {
    expect(t.type).toBe("mrkdwn");
    expect(t.text.length).toBeLessThanOrEqual(LIMITS.text);
  }
  expect(totalText(m)).toBeLessThanOrEqual(DIGEST_LIST_LIMITS.totalText);
}

describe("shortServerList", () => {
  it.each([
    [[], "whole fleet"],
    [["a"], "a"],
    [["sgxtestuksouthsrv", "sgxtest2"], "sgxtestuksouthsrv, sgxtest2"],
    [["a", "b", "c"], "a, b, c"],
    [["a", "b", "c", "d"], "a, b, c and 1 more"],
    [servers(120), "sgxtest-srv000, sgxtest-srv001, sgxtest-srv002 and 117 more"],
    // Long names: the first is always shown (cut), the rest while they fit.
    [["x".repeat(63), "y".repeat(63)], `${"x".repeat(39)}… and 1 more`],
    [["a-b", "c&d"], "a-b, c&amp;d"],
  ] as const)("%j → %s", (names, expected) => {
    expect(shortServerList(names)).toBe(expected);
  });
});

describe("subscriptionLine", () => {
  it("id first, then servers, schedule in code, next run, state and flags", () => {
    expect(subscriptionLine(entry("d-3f9a1c"))).toBe(
      "• d-3f9a1c: sgxtestuksouthsrv, sgxtest2 · `0 8 * * 1-5` `Europe/London` · next 2026-11-26 08:00 UTC · ✅ ok",
    );
    expect(
      subscriptionLine(
        entry(
          "d-000001",
          {
            servers: [],
            minFailures: 3,
            quietWhenClear: true,
            status: { state: "failing", reason: "not_in_channel", since: "2026-11-20T09:00:00.000Z" },
          },
          null,
        ),
      ),
    ).toBe(
      "• d-000001: whole fleet · `0 8 * * 1-5` `Europe/London` · next never · ⚠️ *failing* since 2026-11-20 09:00 UTC: `not_in_channel` · min 3 failures · quiet when clear",
    );
  });

  it("escapes what Slack reads as markup and keeps a long reason short", () => {
    const line = subscriptionLine(
      entry("d-<!here>", {
        timeZone: "America/Argentina/Buenos_Aires",
        status: {
          state: "failing",
          reason: `<https://evil.example|click> \`x\` ${"r".repeat(3000)}`,
          since: "x",
        },
      }),
    );
    expect(line).toContain("• d-&lt;!here&gt;: ");
    expect(line).toContain("`America/Argentina/Buenos_Aires`");
    expect(line).not.toContain("<");
    expect(line.length).toBeLessThanOrEqual(DIGEST_LIST_LIMITS.line);
    expect(line).toContain("since x: `&lt;https://evil.example|click&gt; ˋxˋ rrr");
  });
});

describe("renderDigestList", () => {
  it("a small list equals its golden file", () => {
    const m = renderDigestList(
      {
        entries: [
          entry("d-3f9a1c"),
          entry("d-5be201", { servers: servers(120), cron: "*/30 * * * *", timeZone: "Asia/Kolkata" }),
          entry(
            "d-77aa01",
            {
              servers: [],
              minFailures: 5,
              quietWhenClear: true,
              timeZone: "America/Argentina/Buenos_Aires",
              status: { state: "failing", reason: "channel_not_found", since: "2026-11-20T09:00:00.000Z" },
            },
            null,
          ),
        ],
      },
      "slash",
    );
    expectWithinLimits(m);
    expect(m).toEqual(golden("digest-list", m));
  });

  it("an empty list equals its golden file", () => {
    const m = renderDigestList({ entries: [] }, "mention");
    expectWithinLimits(m);
    expect(allText(m)).toBe("No digest subscriptions in this channel. Try: `@attest digest subscribe --all`");
    expect(m).toEqual(golden("digest-list-empty", m));
  });

  it("unreadable subscriptions come first, escaped, and are never dropped for room", () => {
    const unreadable = [
      "d-0bad01: ⚠ FAILING: the stored subscription cannot be read (/data/subscriptions/d-0bad01.json: Unexpected token < in JSON); the bot's operator must fix or remove it",
    ];
    const small = renderDigestList({ entries: [entry("d-3f9a1c")], unreadable }, "slash");
    expectWithinLimits(small);
    expect(small.blocks[1]).toEqual({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `⚠️ *1 subscription of this channel cannot be read* (failing until the bot's operator fixes or removes it):\n• ${unreadable[0]!.replace("<", "&lt;")}`,
      },
    });
    expect(allText(small)).toContain("*Digest subscriptions in this channel* (2)");
    const onlyBad = renderDigestList({ entries: [], unreadable }, "slash");
    expectWithinLimits(onlyBad);
    expect(allText(onlyBad)).not.toContain("No digest subscriptions");
    const crowded = renderDigestList(
      {
        entries: Array.from({ length: 200 }, (_, n) => entry(`d-${String(n).padStart(6, "0")}`)),
        unreadable: Array.from({ length: 3 }, (_, n) => `d-bad00${n}: ${"x".repeat(2000)}`),
      },
      "slash",
    );
    expectWithinLimits(crowded);
    for (const n of [0, 1, 2]) expect(allText(crowded)).toContain(`• d-bad00${n}: xxx`);
  });

  it("45 subscriptions of 120 servers: every line in full, in several sections", () => {
    const entries = Array.from({ length: 45 }, (_, n) =>
      entry(`d-${String(n).padStart(6, "0")}`, { servers: servers(120, `sgxtest-c${n}-`) }),
    );
    const m = renderDigestList({ entries }, "slash");
    expectWithinLimits(m);
    const lines = allText(m).split("\n");
    for (const e of entries) expect(lines).toContain(subscriptionLine(e));
    expect(m.blocks.filter((b) => b.type === "section").length).toBeGreaterThan(2);
    expect(allText(m)).not.toContain("not shown");
    expect(m.text).toContain("d-000044");
  });

  it("the longest fields still fit: 63-character names, long reasons, every flag", () => {
    const entries = Array.from({ length: 45 }, (_, n) =>
      entry(`d-${String(n).padStart(6, "0")}`, {
        servers: Array.from({ length: 200 }, (_, i) => `${"s".repeat(59)}${String(i).padStart(4, "0")}`),
        cron: "0,5,10,15,20,25,30,35,40,45,50,55 0-23 1-31 1-12 MON-FRI",
        timeZone: "America/Argentina/ComodRivadavia",
        minFailures: 999_999,
        quietWhenClear: true,
        status: { state: "failing", reason: "x".repeat(5000), since: "2026-11-20T09:00:00.000Z" },
      }),
    );
    const m = renderDigestList({ entries }, "slash");
    expectWithinLimits(m);
    const text = allText(m);
    const full = entries.filter((e) => text.includes(`• ${e.subscription.id}: `)).length;
    expect(full).toBeGreaterThan(0);
    if (full < entries.length)
      expect(text).toContain(`… ${entries.length - full} more subscriptions not shown`);
  });

  it("beyond what fits: the leading ones in full, then how many more, their ids and how to see them", () => {
    const entries = Array.from({ length: 120 }, (_, n) => entry(`d-${String(n).padStart(6, "0")}`));
    const m = renderDigestList({ entries }, "mention");
    expectWithinLimits(m);
    const text = allText(m);
    const full = entries.filter((e) => text.includes(`• ${e.subscription.id}: `));
    expect(full).toEqual(entries.slice(0, full.length));
    const note = m.blocks.at(-1);
    expect(note?.type).toBe("context");
    const noteText = note?.type === "context" ? note.elements.map((e) => e.text).join("") : "";
    expect(noteText).toContain(`… ${120 - full.length} more subscriptions not shown in full`);
    for (const e of entries.slice(full.length)) expect(noteText).toContain(e.subscription.id);
    expect(noteText).toContain("`@attest digest unsubscribe &lt;id&gt;`");
    expect(m).toEqual(golden("digest-list-overflow", m));
  });

  it("a subscription id with ``` cannot open a code block (fast-check counterexample, seed 190460133)", () => {
    const m = renderDigestList({ entries: [entry("d-0-``` ", { servers: [] }, null)] }, "slash");
    expect(messageProblems(m)).toEqual([]);
  });

  it("any number of subscriptions with any names stays within the limits and accounts for every one", () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/);
    const arbitraryEntry = fc.record({
      id: fc.stringMatching(/^[^\n\r]{1,40}$/),
      servers: fc.array(name, { maxLength: 200 }),
      reason: fc.option(fc.string({ maxLength: 400 })),
      next: fc.option(fc.constant("2026-11-26T08:00:00.000Z")),
    });
    let overflowed = 0;
    fc.assert(
      fc.property(fc.array(arbitraryEntry, { maxLength: 400, size: "max" }), fc.boolean(), (raw, mention) => {
        const entries = raw.map((r, n) =>
          entry(
            `d-${n}-${r.id}`,
            {
              servers: r.servers,
              status:
                r.reason === null ? { state: "ok" } : { state: "failing", reason: r.reason, since: "x" },
            },
            r.next,
          ),
        );
        const m = renderDigestList({ entries }, mention ? "mention" : "slash");
        expect(messageProblems(m)).toEqual([]);
        expect(totalText(m)).toBeLessThanOrEqual(DIGEST_LIST_LIMITS.totalText);
        const sections = m.blocks.filter((b) => b.type === "section").slice(1);
        const lines = sections.flatMap((b) => (b.type === "section" ? (b.text?.text.split("\n") ?? []) : []));
        const rest = entries.length - lines.length;
        expect(lines).toEqual(entries.slice(0, lines.length).map(subscriptionLine));
        if (entries.length > 0 && rest > 0)
          expect(allText(m)).toContain(
            `… ${rest} more subscription${rest === 1 ? "" : "s"} not shown in full`,
          );
        if (rest === 0) expect(allText(m)).not.toContain("not shown in full");
        else overflowed++;
      }),
      { numRuns: 30 },
    );
    // The runs reached past one message, not only short lists.
    expect(overflowed).toBeGreaterThan(0);
  });
});
