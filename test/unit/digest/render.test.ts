/** Digest content on demo-shaped data, in every form (golden files), and a 5,000-server fleet within limits. */
import * as AC from "adaptivecards";
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import { digestJson } from "../../../src/domain/digest/json.js";
import type { FleetSummaryRow } from "../../../src/domain/digest/types.js";
import type { DigestPost } from "../../../src/ports/chat-poster.js";
import { renderDigestCard } from "../../../src/render/digest/adaptive-card.js";
import {
  renderDigestBlocks,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_TOTAL_TEXT,
} from "../../../src/render/digest/block-kit.js";
import { renderDigestText } from "../../../src/render/digest/text.js";
import { DEMO_ROWS } from "./demo-rows.js";
import { DAY, row, TO, tinyClassifier } from "./fixtures.js";
import { expectGolden } from "./golden.js";

const options = { fromMs: TO - DAY, toMs: TO, periods: 7, minFailures: 1, truncated: false };
const demo: DigestPost = {
  view: buildDigest(DEMO_ROWS, tinyClassifier, options),
  title: "Attestation digest · d-demo",
  topN: 3,
};

describe("digest renderers on the demo fleet", () => {
  it("JSON", () => expectGolden("demo.json", `${JSON.stringify(digestJson(demo.view), null, 2)}\n`));
  it("text", () => expectGolden("demo.txt", renderDigestText({ ...demo, topN: 10 })));
  it("Adaptive Card", () =>
    expectGolden("demo.card.json", `${JSON.stringify(renderDigestCard(demo), null, 2)}\n`));
  it("Block Kit", () =>
    expectGolden("demo.blocks.json", `${JSON.stringify(renderDigestBlocks(demo), null, 2)}\n`));

  it("lists top N with 'and N more' and a Run-check button per listed server", () => {
    const card = JSON.stringify(renderDigestCard(demo));
    expect(card).toContain("and 1 more server");
    expect(card.match(/"Action.Submit"/g)).toHaveLength(3);
    expect(card).toContain('"text":"check sgxtestuksouthsrv"');
    const slack = renderDigestBlocks(demo);
    const buttons = slack.blocks.filter(
      (b) => (b.accessory as { type?: string } | undefined)?.type === "button",
    );
    expect(buttons.map((b) => (b.accessory as { value: string }).value)).toEqual([
      "check fabrikam-dc-eu",
      "check contoso-prod-sql",
      "check sgxtestuksouthsrv",
    ]);
  });
});

/** Problems the Adaptive Cards SDK reports when parsing `card` (unknown elements, bad values). */
function cardProblems(card: unknown): string[] {
  const context = new AC.SerializationContext();
  new AC.AdaptiveCard().parse(card, context);
  return Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i)?.message ?? "");
}

describe("the Adaptive Card", () => {
  it("parses cleanly with the Adaptive Cards SDK (version 1.5)", () => {
    expect(cardProblems(renderDigestCard(demo))).toEqual([]);
    expect(cardProblems({ type: "AdaptiveCard", version: "1.5", body: [{ type: "Nope" }] })).not.toEqual([]);
  });
});

describe("a fleet of 5,000 failing servers", () => {
  const rows: FleetSummaryRow[] = [];
  for (let i = 0; i < 5000; i++) {
    const name = `server-${String(i).padStart(4, "0")}-${"x".repeat(40)}`;
    rows.push(
      row(name, 0, 1 + (i % 97)),
      row(name, 1, i % 13),
      row(name, 0, 1, `status: 0x0000${String(i % 10)}abc`),
    );
  }
  const view = buildDigest(rows, tinyClassifier, options);
  const post: DigestPost = { view, title: "Attestation digest · whole fleet", topN: 1000 };

  it("Teams card stays under 28 KB and says how many more", () => {
    const card = JSON.stringify(renderDigestCard(post));
    expect(Buffer.byteLength(card)).toBeLessThan(28 * 1024);
    // Counted from the card: every server listed has its Run-check button.
    const listed = card.match(/"title":"Run check on /g)?.length ?? 0;
    expect(listed).toBeGreaterThanOrEqual(10);
    expect(card).toContain(`and ${5000 - listed} more servers`);
  });

  it("Slack message stays within 50 blocks, 3,000-character sections and 150-character header", () => {
    const message = renderDigestBlocks(post);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    for (const b of message.blocks) {
      const text = (b.text as { text?: string } | undefined)?.text ?? "";
      expect(text.length).toBeLessThanOrEqual(b.type === "header" ? 150 : 3000);
    }
    // Within Slack's total too (msg_blocks_too_long near 12,000 characters): counted as JSON, which over-counts.
    expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(SLACK_MAX_TOTAL_TEXT + 1000);
    const listed = message.blocks.filter((b) => b.type === "section" && b.accessory).length;
    expect(listed).toBeGreaterThan(10);
    expect(JSON.stringify(message.blocks.at(-1))).toContain(`and ${5000 - listed} more servers`);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });
});
