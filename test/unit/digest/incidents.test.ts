import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import { applySnoozes, foldIncidents } from "../../../src/domain/digest/incidents.js";
import { digestJson } from "../../../src/domain/digest/json.js";
import type { Incident } from "../../../src/domain/incident/detect.js";
import { renderDigestCard } from "../../../src/render/digest/adaptive-card.js";
import { renderDigestBlocks } from "../../../src/render/digest/block-kit.js";
import { renderDigestText } from "../../../src/render/digest/text.js";
import { DAY, row, TO, tinyClassifier } from "./fixtures.js";

const MAA = "Return code: '0x000001f4'";
const options = { fromMs: TO - DAY, toMs: TO, periods: 3, minFailures: 1, truncated: false };
const incident: Incident = {
  id: "maa-500@region:eastus2",
  rule: "maa-500",
  title: "Azure Attestation internal server error (0x000001f4)",
  category: "maa_escalation",
  scope: "region",
  key: "eastus2",
  servers: ["a", "b", "c", "d", "e"],
  failures: 25,
  firstSeen: "2026-11-23T09:12:00.000Z",
  lastSeen: "2026-11-23T10:00:00.000Z",
  providers: ["sharedeus2"],
  codes: ["0x000001f4"],
  errorIds: [37324],
};

describe("digest: incidents as one row", () => {
  const view = buildDigest(
    [
      ...["a", "b", "c", "d", "e"].map((s) => row(s, 0, 5, MAA)),
      row("e", 0, 2), // e also has a customer error: it keeps its row
      row("x", 0, 3),
    ],
    tinyClassifier,
    options,
  );

  it("folds the servers whose failures are all the incident's, keeps the totals", () => {
    const folded = foldIncidents(view, [incident]);
    expect(folded.servers.map((s) => s.server).sort()).toEqual(["e", "x"]);
    expect(folded.totals).toEqual(view.totals);
    expect(folded.incidents?.[0]).toMatchObject({
      id: "maa-500@region:eastus2",
      scope: "5 servers in eastus2 since 2026-11-23 09:12 UTC",
      servers: ["a", "b", "c", "d", "e"],
    });
    expect(digestJson(folded).incidents?.[0]?.servers).toHaveLength(5);
  });

  it("no incident: the view is unchanged (and the JSON has no incidents key)", () => {
    expect(foldIncidents(view, [])).toBe(view);
    expect(digestJson(view)).not.toHaveProperty("incidents");
  });

  it("every renderer shows the incident row with its escalate command", () => {
    const post = { view: foldIncidents(view, [incident]), title: "Digest", topN: 10 };
    const headline =
      "🚨 Incident: Azure Attestation internal server error (0x000001f4) — 5 servers in eastus2 since 2026-11-23 09:12 UTC · 25 failures";
    expect(renderDigestText(post)).toContain(
      `${headline}\n    Servers: a, b, c, d, e (one incident: escalate once)\n    Escalate: attest escalate a`,
    );
    const blocks = JSON.stringify(renderDigestBlocks(post));
    // Slack shows the time in the reader's zone, with the UTC text as its fallback.
    const epoch = Date.UTC(2026, 10, 23, 9, 12) / 1000;
    expect(blocks).toContain(
      headline.replace(
        "2026-11-23 09:12 UTC",
        `<!date^${epoch}^{date_short_pretty} {time}|2026-11-23 09:12 UTC>`,
      ),
    );
    expect(blocks).toContain('"action_id":"attest_followup_escalate_0","value":"attest escalate a"');
    const card = JSON.stringify(renderDigestCard(post));
    expect(card).toContain('"attestCommand":"attest escalate a"');
    expect(renderDigestText(post)).toContain("2 servers failing (2 new) · 1 fleet-wide incident (5 servers)");
  });
});

describe("digest: snoozes", () => {
  const named = buildDigest([row("a", 0, 3), row("b", 0, 4)], tinyClassifier, {
    ...options,
    named: ["a", "b"],
    seen: new Map([
      ["a", "2026-11-23T12:00:00.000Z"],
      ["b", "2026-11-23T12:00:00.000Z"],
    ]),
  });

  it("a snoozed server is left out and named as snoozed", () => {
    const v = applySnoozes(named, ["B"]);
    expect(v.servers.map((s) => s.server)).toEqual(["a"]);
    expect(v.snoozed).toEqual(["b"]);
    expect(renderDigestText({ view: v, title: "D", topN: 5 })).toContain("Snoozed in this conversation: b");
    expect(applySnoozes(named, [])).toBe(named);
  });

  it("a digest of named servers with one failing server offers to snooze it", () => {
    const v = applySnoozes(named, ["b"]);
    const blocks = JSON.stringify(renderDigestBlocks({ view: v, title: "D", topN: 5 }));
    expect(blocks).toContain('"action_id":"attest_followup_snooze","value":"attest snooze a --for 1d"');
    expect(JSON.stringify(renderDigestCard({ view: v, title: "D", topN: 5 }))).toContain(
      '"attestCommand":"attest snooze a --for 1d"',
    );
    // Two failing servers: no snooze button.
    expect(JSON.stringify(renderDigestBlocks({ view: named, title: "D", topN: 5 }))).not.toContain("snooze");
  });
});
