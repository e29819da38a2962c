/**
 * Slack's undocumented cumulative limit (`msg_blocks_too_long` near 12,000 characters of block
 * text, slackapi/bolt-js#2509 and #2867): `messageProblems` reports a message over
 * LIMITS.totalText, and every renderer keeps within it by leaving out the least important content
 * first (evidence rows, then message excerpts, then KQL text), always saying what it left out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUTTON_VALUE_MAX } from "../../../src/render/block-kit/actions.js";
import { type Block, context, type SlackMessage, section } from "../../../src/render/block-kit/blocks.js";
import {
  blockTextLength,
  fitGroups,
  LIMITS,
  messageProblems,
  truncateMrkdwn,
} from "../../../src/render/block-kit/limits.js";
import {
  MAX_EVIDENCE_ROWS,
  MIN_EVIDENCE_ROWS,
  renderEvidence,
  renderQueries,
} from "../../../src/render/block-kit/render-details.js";
import { POSTED_BY_ROOM, renderDiagnosis } from "../../../src/render/block-kit/render-diagnosis.js";
import { renderPostedBy } from "../../../src/render/block-kit/render-messages.js";
import { slackTime } from "../../../src/render/time.js";
import { manyFindingsView, oversizedView } from "./fixtures/views.js";

const allText = (m: SlackMessage) => JSON.stringify(m);
/** The evidence lines shown: each starts with "• " and a code span (the timestamp). */
const rowsShown = (m: SlackMessage) =>
  m.blocks
    .flatMap((b) => (b.type === "section" ? (b.text?.text.split("\n") ?? []) : []))
    .filter((l) => /^• (`|<!date\^)/.test(l)).length;

describe("messageProblems: the total text of a message", () => {
  it("counts header, section text and fields, context elements, button text, value and url", () => {
    const blocks: Block[] = [
      { type: "header", text: { type: "plain_text", text: "h".repeat(10) } },
      {
        type: "section",
        text: { type: "mrkdwn", text: "s".repeat(20) },
        fields: [{ type: "mrkdwn", text: "f".repeat(30) }],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: "c".repeat(40) }] },
      { type: "divider" },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "a",
            text: { type: "plain_text", text: "b".repeat(5) },
            value: "v".repeat(50),
            url: "u".repeat(60),
          },
        ],
      },
    ];
    expect(blockTextLength(blocks)).toBe(10 + 20 + 30 + 40 + 5 + 50 + 60);
  });

  it("accepts exactly LIMITS.totalText and reports one character more, though every block fits", () => {
    const at = (n: number): SlackMessage => ({
      text: "t",
      blocks: [...Array.from({ length: 3 }, () => section("x".repeat(3000))), section("x".repeat(n - 9000))],
    });
    expect(LIMITS.totalText).toBe(11_000);
    expect(messageProblems(at(11_000))).toEqual([]);
    expect(messageProblems(at(11_001))).toEqual(["blocks: 11001 characters of text in total > 11000"]);
  });
});

describe("renderers keep every message within the total", () => {
  const view = manyFindingsView(30, 40);

  it("the oversized view really is oversized (so the checks below can fail)", () => {
    expect(view.evidence.length).toBe(1200);
    expect(view.findings.length).toBe(30);
  });

  it("every message of the oversized view (diagnosis, evidence, KQL) is within Slack's limits and the total", () => {
    const kqlView = {
      ...view,
      queries: view.queries.map((q) => ({ ...q, text: `${q.text}\n| where x == "${"y".repeat(5000)}"` })),
    };
    const messages = {
      diagnosis: renderDiagnosis(view, { ref: "r-1", offerPost: true }),
      diagnosisNoButtons: renderDiagnosis(view, { ref: null, offerPost: false }),
      evidence: renderEvidence(view),
      kql: renderQueries(kqlView, { format: (q) => q.text }),
      oversizedDiagnosis: renderDiagnosis(oversizedView(), { ref: "r", offerPost: true }),
      oversizedEvidence: renderEvidence(oversizedView()),
      oversizedKql: renderQueries(oversizedView(), { format: (q) => q.text.repeat(400) }),
    };
    for (const [name, m] of Object.entries(messages)) {
      expect(messageProblems(m), name).toEqual([]);
      expect(blockTextLength(m.blocks), name).toBeLessThanOrEqual(LIMITS.totalText);
    }
    // Whole findings were left out, and counted.
    expect(allText(messages.diagnosis)).toMatch(/… \d+ more findings not shown/);
  });

  it("evidence: drops the oldest rows first and counts them exactly; excerpts keep their length", () => {
    const m = renderEvidence(view);
    const shown = rowsShown(m);
    expect(shown).toBeGreaterThanOrEqual(MIN_EVIDENCE_ROWS);
    expect(shown).toBeLessThan(MAX_EVIDENCE_ROWS);
    expect(allText(m)).toContain(`… ${view.evidence.length - shown} more rows not shown`);
    expect(allText(m)).not.toContain("messages cut to");
    // Newest first: the first row shown is the newest one.
    // Times as Slack dates (the reader's time zone), issue 12.
    expect(allText(m)).toContain(slackTime(Date.parse(view.evidence[0]?.timestamp ?? "none")));
  });

  it("evidence: when even the fewest rows are too long, their excerpts are shortened and that is said", () => {
    // Five rows whose lines are each ~2,300 characters (a long rule name, an escaped excerpt).
    const rows = Array.from({ length: MIN_EVIDENCE_ROWS }, (_, i) => ({
      timestamp: `2026-11-24T09:0${i}:00.000Z`,
      node: "_DB_0",
      errorId: 37324,
      code: "0x00000193",
      message: "&".repeat(1000),
      rule: `r${i}-${"n".repeat(700)}`,
    }));
    const m = renderEvidence({ ...view, evidence: rows });
    expect(messageProblems(m)).toEqual([]);
    expect(rowsShown(m)).toBe(MIN_EVIDENCE_ROWS);
    expect(allText(m)).toMatch(/messages cut to (150|80|40) characters/);
    expect(allText(m)).not.toContain("more rows not shown");
  });

  it("KQL: every query is kept, and its text shortened with a count, before any query is left out", () => {
    const kqlView = {
      ...view,
      queries: Array.from({ length: 9 }, (_, i) => ({ ...view.queries[0]!, name: `query-${i}` })),
    };
    const m = renderQueries(kqlView, { format: (q) => `${q.name}\n${"T".repeat(4000)}` });
    expect(messageProblems(m)).toEqual([]);
    for (let i = 0; i < 9; i++) expect(allText(m)).toContain(`*query-${i}* — ok`);
    expect(allText(m).match(/more characters not shown/g)).toHaveLength(9);
    expect(allText(m)).not.toContain("more queries not shown");
  });

  it("short KQL is left whole when the total allows it", () => {
    const m = renderQueries(view, { format: (q) => q.text });
    expect(allText(m)).not.toContain("not shown");
    for (const q of view.queries) expect(allText(m)).toContain(q.name);
  });

  it("Post to channel: the diagnosis with the 'Posted by' line added (as the button does) is still within the total", () => {
    // A head this long fills the message to the last character the diagnosis may use.
    const full = {
      ...view,
      window: "w".repeat(5000),
      freshness: "f".repeat(5000),
      queries: view.queries.map((q) => ({ ...q, status: "failed" as const, note: "n".repeat(1000) })),
    };
    const m = renderDiagnosis(full, { ref: "r-1", offerPost: false });
    expect(blockTextLength(m.blocks)).toBeGreaterThan(LIMITS.totalText - POSTED_BY_ROOM - 50);
    const line = renderPostedBy("U".repeat(500));
    expect(blockTextLength([line])).toBeLessThanOrEqual(POSTED_BY_ROOM);
    const posted: SlackMessage = { text: m.text, blocks: [...m.blocks.slice(0, 49), line] };
    expect(messageProblems(posted)).toEqual([]);
  });

  it("a long rerun command is not repeated in every button's value (the button still works by ref)", () => {
    const long = { ...view, rerunCommand: `attest check s --url https://${"u".repeat(900)}` };
    const m = renderDiagnosis(long, { ref: "r-1", offerPost: true });
    const values = m.blocks.flatMap((b) =>
      b.type === "actions" ? b.elements.flatMap((e) => (e.value ? [e.value] : [])) : [],
    );
    expect(values.length).toBeGreaterThan(1);
    for (const v of values) {
      expect(v.length).toBeLessThanOrEqual(BUTTON_VALUE_MAX);
      expect(JSON.parse(v)).toEqual({ ref: "r-1", command: null });
    }
    const short = renderDiagnosis(view, { ref: "r-1", offerPost: true });
    const value = short.blocks.find((b) => b.type === "actions");
    expect(JSON.parse(value?.type === "actions" ? (value.elements[0]?.value ?? "") : "")).toEqual({
      ref: "r-1",
      command: view.rerunCommand,
    });
  });
});

describe("the last resort: fitGroups and fitText", () => {
  it("cuts head blocks that alone exceed the total, keeping code fences balanced and counting the cut", () => {
    const head = Array.from({ length: 5 }, (_, i) => section(`\`\`\`${String(i).repeat(2990)}\`\`\``));
    const groups = [[section("a group")]];
    const blocks = fitGroups(head, groups, [context("tail")], "groups", "hint");
    const m: SlackMessage = { text: "t", blocks };
    expect(messageProblems(m)).toEqual([]);
    expect(allText(m)).toMatch(/more characters not shown/);
    expect(allText(m)).toMatch(/… 1 more groups not shown/);
  });

  it("keeps groups that fit in the total and counts the rest", () => {
    const groups = Array.from({ length: 20 }, (_, i) => [section(`${i}`.padEnd(2000, "g"))]);
    const blocks = fitGroups([section("head")], groups, [], "groups", "hint");
    expect(blockTextLength(blocks)).toBeLessThanOrEqual(LIMITS.totalText);
    const shown = blocks.filter((b) => b.type === "section").length - 1;
    expect(shown).toBe(5);
    expect(JSON.stringify(blocks)).toContain(`… ${20 - shown} more groups not shown`);
  });

  it("truncateMrkdwn stays within its limit with balanced fences", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("```", "`", "a", "\n", "&", "é"), { maxLength: 2000 }),
        fc.integer({ min: 100, max: 3000 }),
        (parts, max) => {
          const s = parts.join("");
          fc.pre((s.match(/```/g) ?? []).length % 2 === 0);
          const t = truncateMrkdwn(s, max);
          expect(t.length).toBeLessThanOrEqual(max);
          expect((t.match(/```/g) ?? []).length % 2).toBe(0);
          if (s.length <= max) expect(t).toBe(s);
          else expect(t).toMatch(/… \(\d+ more characters not shown\)$/);
        },
      ),
    );
  });
});

describe("data with code fences", () => {
  it("cannot open a code block: a telemetry message or subscription id with ``` stays balanced", () => {
    const base = manyFindingsView(1, 1);
    const view = {
      ...base,
      evidence: base.evidence.map((r) => ({ ...r, message: "Error: ``` unterminated" })),
      findings: base.findings.map((f) => ({ ...f, title: "``` unterminated" })),
    };
    for (const m of [renderEvidence(view), renderDiagnosis(view, { ref: "r", offerPost: true })])
      expect(messageProblems(m)).toEqual([]);
  });
});
