/**
 * Review item 4: Teams counts its 40 KB message limit on the whole activity encoded as UTF-16
 * (Microsoft Learn, "Format your bot messages"; 413 MessageSizeTooBig). Sizes here are measured
 * independently of the code under test: Buffer.byteLength(JSON, "utf16le").
 */
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import type { FleetSummaryRow } from "../../../src/domain/digest/types.js";
import { CATEGORY_VIEW } from "../../../src/domain/view/labels.js";
import {
  MAX_CARD_BYTES,
  renderDiagnosisCard,
} from "../../../src/render/adaptive-card/render-diagnosis-card.js";
import { cardBytes } from "../../../src/render/adaptive-card/templates.js";
import { DIGEST_CARD_MAX_BYTES, renderDigestCard } from "../../../src/render/digest/adaptive-card.js";
import { DAY, row, TO, tinyClassifier } from "../digest/fixtures.js";
import { cardOf, harness } from "./bot-harness.js";
import { cardText, checkCard } from "./card-validation.js";
import { hugeDiagnosis, report, SCENARIOS, viewOf } from "./fixtures.js";

/** Teams' limit: 40 KB of UTF-16 (40,000 taken, the stricter reading of "KB"). */
const TEAMS_LIMIT = 40_000;
const utf16 = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf16le");

describe("Teams message size, counted as Teams counts it (UTF-16)", () => {
  it("cardBytes counts two bytes per UTF-16 code unit, not UTF-8 bytes", () => {
    const card = { type: "AdaptiveCard", body: [{ type: "TextBlock", text: "é ✅ 🚨 abc" }] };
    expect(cardBytes(card)).toBe(utf16(card));
    expect(cardBytes(card)).not.toBe(Buffer.byteLength(JSON.stringify(card), "utf8"));
  });

  it("the card budget leaves room under 40 KB for the activity around the card", () => {
    expect(MAX_CARD_BYTES).toBeLessThanOrEqual(TEAMS_LIMIT - 4_000);
    expect(DIGEST_CARD_MAX_BYTES).toBeLessThanOrEqual(TEAMS_LIMIT - 2_000);
  });

  it("a huge diagnosis card is cut to the budget in UTF-16 and still carries verdict and findings", () => {
    const rendered = renderDiagnosisCard(viewOf(hugeDiagnosis()));
    expect(utf16(rendered.card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(rendered.bytes).toBe(utf16(rendered.card));
    expect(checkCard(rendered.card).problems).toEqual([]);
    const text = cardText(rendered.card);
    expect(text).toContain(CATEGORY_VIEW.customer_error.label);
    expect(text).toContain("Finding 0");
  });

  it("the bot's reply activity for a huge diagnosis, envelope included, is under 40 KB of UTF-16", async () => {
    const h = harness({ runCheck: async (r) => report(r.server, hugeDiagnosis()) });
    await h.send({ text: "attest check sgxtestuksouthsrv", id: "big-1" });
    const reply = h.replies().find((a) => a.type === "message");
    expect(reply?.conversation?.id).toBeTruthy(); // the envelope is part of what is measured
    expect(utf16(reply)).toBeLessThan(TEAMS_LIMIT);
    const card = cardOf(reply);
    expect(cardText(card)).toContain(CATEGORY_VIEW.customer_error.label);
    expect(h.logger.events.filter((e) => e.event === "teams.card_too_large")).toEqual([]);
  });

  it("a normal reply is not cut: all evidence rows of the customer-rbac scenario fit", async () => {
    const h = harness({ runCheck: async (r) => report(r.server, SCENARIOS["customer-rbac"]!) });
    await h.send({ text: "attest check sgxtestuksouthsrv", id: "small-1" });
    const reply = h.replies().find((a) => a.type === "message");
    expect(utf16(reply)).toBeLessThan(TEAMS_LIMIT);
    expect(cardText(cardOf(reply))).toMatch(/\d+ rows, newest first\./);
  });

  it("a digest of a 5,000-server fleet with 63-character names fits in UTF-16, saying how many more", () => {
    const rows: FleetSummaryRow[] = [];
    for (let i = 0; i < 5000; i++) {
      const name = `server-${String(i).padStart(4, "0")}-${"x".repeat(51)}`;
      rows.push(row(name, 0, 1 + (i % 97)), row(name, 1, i % 13), row(name, 0, 1, "status: 0x00000abc"));
    }
    const options = { fromMs: TO - DAY, toMs: TO, periods: 7, minFailures: 1, truncated: false };
    const view = buildDigest(rows, tinyClassifier, options);
    const card = renderDigestCard({ view, title: "Attestation digest · whole fleet", topN: 1000 });
    expect(utf16(card)).toBeLessThanOrEqual(DIGEST_CARD_MAX_BYTES);
    const shown = JSON.stringify(card).match(/"Action.Submit"/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(5);
    expect(JSON.stringify(card)).toContain(`and ${5000 - shown} more servers`);
  });
});
