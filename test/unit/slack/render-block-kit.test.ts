import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTION_IDS } from "../../../src/render/block-kit/actions.js";
import type { SlackMessage } from "../../../src/render/block-kit/blocks.js";
import {
  fencedCode,
  joinWithin,
  LIMITS,
  messageProblems,
  truncate,
} from "../../../src/render/block-kit/limits.js";
import { renderEvidence, renderQueries } from "../../../src/render/block-kit/render-details.js";
import { renderDiagnosis } from "../../../src/render/block-kit/render-diagnosis.js";
import { renderUsage } from "../../../src/render/block-kit/render-messages.js";
import { oversizedView, VIEWS } from "./fixtures/views.js";
import { golden } from "./golden.js";

const allText = (m: SlackMessage) => JSON.stringify(m);
const actionIds = (m: SlackMessage) =>
  m.blocks.flatMap((b) => (b.type === "actions" ? b.elements.map((e) => e.action_id) : []));

describe("Block Kit rendering of hand-built views", () => {
  for (const [name, view] of Object.entries(VIEWS)) {
    it(`${name}: within Slack's limits and equal to its golden file`, () => {
      const message = renderDiagnosis(view, { ref: "r-1", offerPost: true });
      expect(messageProblems(message)).toEqual([]);
      const evidence = renderEvidence(view);
      const kql = renderQueries(view, { format: (q) => q.text });
      expect(messageProblems(evidence)).toEqual([]);
      expect(messageProblems(kql)).toEqual([]);
      expect({ message, evidence, kql }).toEqual(golden(`view-${name}`, { message, evidence, kql }));
    });
  }

  it("starts with a header carrying the verdict and has one section per finding", () => {
    const view = VIEWS["enclave-not-loaded"]!;
    const m = renderDiagnosis(view, { ref: "r", offerPost: true });
    expect(m.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "🛠 Deployment issue — sgxtestuksouthsrv", emoji: true },
    });
    const findingSections = m.blocks.filter(
      (b) => b.type === "section" && b.text?.text.match(/^\*\d+\. /) !== null,
    );
    expect(findingSections).toHaveLength(view.findings.length);
    expect(allText(m)).toContain("```$serverObj = Get-AzSqlServer");
    expect(allText(m)).toContain("Window:");
    expect(allText(m)).toContain("Data:");
  });

  it("offers every button, and Open in Azure Data Explorer only with a real cluster link", () => {
    const withLink = renderDiagnosis(VIEWS["customer-rbac"]!, { ref: "r", offerPost: true });
    expect(actionIds(withLink)).toEqual([
      ACTION_IDS.rerun,
      ACTION_IDS.evidence,
      ACTION_IDS.kql,
      ACTION_IDS.post,
      ACTION_IDS.explorer,
    ]);
    const noLink = renderDiagnosis(VIEWS.healthy!, { ref: "r", offerPost: false });
    expect(actionIds(noLink)).toEqual([ACTION_IDS.rerun, ACTION_IDS.kql]);
    const actions = withLink.blocks.find((b) => b.type === "actions");
    const value = JSON.parse(actions?.type === "actions" ? (actions.elements[0]?.value ?? "") : "");
    expect(value).toEqual({ ref: "r", command: "attest check sgxtestuksouthsrv ContosoHR --since 3h" });
  });

  it("escapes Slack markup in data, so telemetry cannot ping a channel or forge a link", () => {
    const base = VIEWS["customer-rbac"]!;
    const view = {
      ...base,
      findings: base.findings.map((f) => ({ ...f, title: "<!channel> <https://evil|click> & co" })),
    };
    const text = allText(renderDiagnosis(view, { ref: null, offerPost: false }));
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;!channel&gt; &lt;https://evil|click&gt; &amp; co");
  });
});

describe("Block Kit limits on an oversized view", () => {
  const view = oversizedView();

  it("the diagnosis fits (≤50 blocks, ≤3000 chars, ≤10 buttons) and says what was left out", () => {
    const m = renderDiagnosis(view, { ref: "r", offerPost: true });
    expect(messageProblems(m)).toEqual([]);
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    const text = allText(m);
    expect(text).toMatch(/… \d+ more findings not shown/);
    expect(text).toMatch(/… \(\d+ more characters not shown\)/);
    expect(text).toMatch(/… \d+ more (lines|commands) not shown/);
    expect(text).toContain("too long for a button");
  });

  it("evidence and KQL replies fit and count the rows left out", () => {
    const evidence = renderEvidence(view);
    expect(messageProblems(evidence)).toEqual([]);
    const shown = evidence.blocks
      .flatMap((b) => (b.type === "section" ? (b.text?.text.split("\n") ?? []) : []))
      .filter((l) => /^• (`|<!date\^)/.test(l)).length;
    expect(shown).toBeGreaterThan(0);
    expect(allText(evidence)).toContain(`… ${view.evidence.length - shown} more rows not shown`);
    const kql = renderQueries(
      { ...view, queries: Array(60).fill(view.queries[0]) },
      { format: (q) => q.text.repeat(400) },
    );
    expect(messageProblems(kql)).toEqual([]);
    expect(allText(kql)).toMatch(/more queries not shown/);
  });

  it("messageProblems catches what Slack would reject (so the checks above can fail)", () => {
    const bad: SlackMessage = {
      text: "",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "h".repeat(151) } },
        { type: "section", text: { type: "mrkdwn", text: "```open" } },
        { type: "section", text: { type: "mrkdwn", text: "s".repeat(3001) } },
        ...Array.from({ length: 50 }, () => ({ type: "divider" as const })),
      ],
    };
    expect(messageProblems(bad)).toEqual([
      "text: empty fallback text",
      "blocks: 53 > 50",
      "blocks[0] (header): 151 characters > 150",
      "blocks[1] (section): unbalanced code fence",
      "blocks[2] (section): 3001 characters > 3000",
    ]);
  });
});

describe("truncation helpers", () => {
  it("truncate never exceeds the limit and counts what it cut", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), fc.integer({ min: 60, max: 3000 }), (s, max) => {
        const t = truncate(s, max);
        expect(t.length).toBeLessThanOrEqual(max);
        if (s.length <= max) expect(t).toBe(s);
        else expect(t).toMatch(/… \(\d+ more characters not shown\)$/);
      }),
    );
  });

  it("fencedCode stays balanced within the limit", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 4000 }), fc.integer({ min: 80, max: 3000 }), (s, max) => {
        const t = fencedCode(s, max);
        expect(t.length).toBeLessThanOrEqual(max);
        expect((t.match(/```/g) ?? []).length % 2).toBe(0);
      }),
    );
  });

  it("joinWithin keeps whole parts and counts the rest", () => {
    expect(joinWithin(["aaaa", "bbbb", "cccc"], 100, "rows")).toBe("aaaa\nbbbb\ncccc");
    const j = joinWithin(Array(50).fill("x".repeat(20)), 100, "rows");
    expect(j.length).toBeLessThanOrEqual(100);
    expect(j).toMatch(/_… 47 more rows not shown_$/);
  });

  it("usage names what was wrong and shows the slash form of the example", () => {
    const m = renderUsage(
      { message: 'server: got "a_b"; expected a name', example: "attest check x" },
      "slash",
    );
    expect(allText(m)).toContain('That did not work:* server: got \\"a_b\\"; expected a name');
    expect(allText(m)).toContain("`/attest check x`");
    expect(messageProblems(m)).toEqual([]);
  });
});
