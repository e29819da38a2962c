/** A digest that follows one which may not have arrived says so, on every platform. */
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import type { DigestPost } from "../../../src/ports/chat-poster.js";
import { renderDigestCard } from "../../../src/render/digest/adaptive-card.js";
import { renderDigestBlocks } from "../../../src/render/digest/block-kit.js";
import { missedLine } from "../../../src/render/digest/lines.js";
import { renderDigestText } from "../../../src/render/digest/text.js";
import { DAY, row, TO, tinyClassifier } from "./fixtures.js";

const view = buildDigest([row("srv-a", 0, 3)], tinyClassifier, {
  fromMs: TO - DAY,
  toMs: TO,
  periods: 2,
  minFailures: 1,
  truncated: false,
});

describe("the missed-digest line", () => {
  it("is absent when no earlier digest is in doubt", () => {
    expect(missedLine(view)).toBeNull();
    expect(missedLine({ ...view, missed: [] })).toBeNull();
  });

  it("names the periods in each platform's time format: text in UTC, Block Kit and the Adaptive Card in the reader's", () => {
    const post: DigestPost = {
      view: { ...view, missed: ["2026-06-02T08:00:00.000Z"] },
      title: "Attestation digest · d-1",
      topN: 10,
    };
    const line = "The digest for 2026-06-02 08:00 UTC may not have arrived";
    expect(missedLine(post.view)).toContain(line);
    expect(renderDigestText(post)).toContain(line);
    const epoch = Date.UTC(2026, 5, 2, 8) / 1000;
    expect(JSON.stringify(renderDigestBlocks(post))).toContain(
      `The digest for <!date^${epoch}^{date_short_pretty} {time}|2026-06-02 08:00 UTC> may not have arrived`,
    );
    expect(JSON.stringify(renderDigestCard(post))).toContain(
      "The digest for {{DATE(2026-06-02T08:00:00Z, SHORT)}} {{TIME(2026-06-02T08:00:00Z)}} may not have arrived",
    );
    expect(
      missedLine({ ...view, missed: ["2026-06-02T08:00:00.000Z", "2026-06-03T08:00:00.000Z"] }),
    ).toContain("The digests for 2026-06-02 08:00 UTC, 2026-06-03 08:00 UTC may not have arrived");
  });
});
