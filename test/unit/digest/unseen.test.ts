/**
 * A named server that sent no telemetry in the window (misspelled, down, not reporting) is never
 * shown as "no failures": it is listed apart in every form, and the all-clear headline needs every
 * named server seen. The whole fleet (no servers named) is unchanged.
 */
import * as AC from "adaptivecards";
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import { digestJson } from "../../../src/domain/digest/json.js";
import type { DigestPost } from "../../../src/ports/chat-poster.js";
import { renderDigestCard } from "../../../src/render/digest/adaptive-card.js";
import { renderDigestBlocks } from "../../../src/render/digest/block-kit.js";
import { renderDigestText } from "../../../src/render/digest/text.js";
import { teamsVisible } from "../render/visible.js";
import { DAY, row, TO, tinyClassifier } from "./fixtures.js";
import { expectGolden } from "./golden.js";

const opts = { fromMs: TO - DAY, toMs: TO, periods: 5, minFailures: 1, truncated: false };
const inWindow = new Date(TO - DAY / 2).toISOString();
const beforeWindow = new Date(TO - 2 * DAY).toISOString();
/** Before the 5 one-day periods the digest looks back over. */
const beforeLookBack = new Date(TO - 6 * DAY).toISOString();

const ALL_CLEAR = "No attestation failures in this window";

describe("buildDigest with named servers", () => {
  it("a named server with no telemetry is unseen, not clear", () => {
    const view = buildDigest([], tinyClassifier, { ...opts, named: ["NoSuchServer-XYZ"], seen: new Map() });
    expect(view.servers).toEqual([]);
    expect(view.unseen).toEqual(["nosuchserver-xyz"]);
  });

  it("no telemetry means none in the whole look-back: a server seen only before the window is not unseen (issue 12)", () => {
    const view = buildDigest([row("srv-fail", 0, 3), row("srv-was", 1, 4)], tinyClassifier, {
      ...opts,
      named: ["srv-fail", "srv-ok", "srv-was", "srv-old", "srv-none", "srv-ancient"],
      // srv-fail's failure rows are its telemetry, even when the table leaves it out; srv-was's
      // failure a window back is telemetry in the look-back.
      seen: new Map([
        ["srv-ok", inWindow],
        ["srv-old", beforeWindow],
        ["srv-ancient", beforeLookBack],
      ]),
    });
    expect(view.servers.map((s) => s.server)).toEqual(["srv-fail"]);
    expect(view.unseen).toEqual(["srv-ancient", "srv-none"]);
    // srv-was failed before and sent nothing since: silence is not a recovery.
    expect(view.cleared).toEqual([]);
  });

  it("every named server seen: nothing unseen, and a server that stopped failing is cleared", () => {
    const view = buildDigest([row("srv-was", 1, 4)], tinyClassifier, {
      ...opts,
      named: ["srv-was"],
      seen: new Map([["srv-was", inWindow]]),
    });
    expect(view.unseen).toEqual([]);
    expect(view.cleared).toEqual(["srv-was"]);
    expect(renderDigestText({ view, title: "t", topN: 5 })).toContain(`✅ ${ALL_CLEAR}`);
  });

  it("the whole fleet has no unseen list and keeps the issue's JSON shape", () => {
    const view = buildDigest([], tinyClassifier, opts);
    expect(view.unseen).toBeNull();
    expect(Object.keys(digestJson(view))).toEqual(["window", "totals", "servers"]);
    expect(renderDigestText({ view, title: "t", topN: 5 })).toContain(`✅ ${ALL_CLEAR}`);
  });
});

describe("rendering unseen servers", () => {
  const silent: DigestPost = {
    view: buildDigest([], tinyClassifier, {
      ...opts,
      named: ["nosuchserver-xyz", "sgxtestnotelemetry", "srv-ok"],
      seen: new Map([["srv-ok", inWindow]]),
    }),
    title: "Attestation digest · d-named",
    topN: 5,
  };
  const mixed: DigestPost = {
    view: buildDigest([row("srv-fail", 0, 3)], tinyClassifier, {
      ...opts,
      named: ["srv-fail", "sgxtestnotelemetry"],
      seen: new Map(),
    }),
    title: "Attestation digest · d-mixed",
    topN: 5,
  };

  it("no form shows the all-clear when a named server sent nothing", () => {
    const forms = [
      renderDigestText(silent),
      JSON.stringify(renderDigestCard(silent)),
      JSON.stringify(renderDigestBlocks(silent)),
    ];
    for (const form of forms) {
      expect(form).not.toContain(ALL_CLEAR);
      expect(form).toContain("2 servers sent none");
      expect(form).toContain("nosuchserver-xyz, sgxtestnotelemetry — check the name");
      // In each platform's time format: text as is, Teams DATE/TIME, Slack <!date^…>.
      expect(form).toMatch(
        /No telemetry at all since (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC|\{\{DATE\(\S+, SHORT\)\}\} \{\{TIME\(\S+\)\}\}|<!date\^\d+\^[^|]+\|\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC>): /,
      );
      expect(form).not.toContain("srv-ok");
    }
    // Text and Slack write the command as code; Teams has no inline code: bold, placeholder visible.
    expect(forms[0]).toContain("check the name or run `attest check <server>`");
    expect(forms[2]).toContain("check the name or run `attest check &lt;server&gt;`");
    expect(teamsVisible(renderDigestCard(silent))).toContain("check the name or run attest check <server>");
    expect(digestJson(silent.view)).toMatchObject({
      servers: [],
      unseen: ["nosuchserver-xyz", "sgxtestnotelemetry"],
    });
  });

  it("with failures too, the unseen servers are still listed and counted", () => {
    const text = renderDigestText(mixed);
    expect(text).toContain("1 server failing (1 new) · 1 server with no telemetry");
    expect(text).toContain("sgxtestnotelemetry — check the name");
    expect(digestJson(mixed.view).unseen).toEqual(["sgxtestnotelemetry"]);
  });

  it("the card parses cleanly with the Adaptive Cards SDK", () => {
    const context = new AC.SerializationContext();
    new AC.AdaptiveCard().parse(renderDigestCard(silent), context);
    expect(context.eventCount).toBe(0);
  });

  it("golden files: text, JSON, Adaptive Card and Block Kit", () => {
    expectGolden("unseen.txt", renderDigestText(mixed));
    expectGolden("unseen.json", `${JSON.stringify(digestJson(mixed.view), null, 2)}\n`);
    expectGolden("unseen.card.json", `${JSON.stringify(renderDigestCard(mixed), null, 2)}\n`);
    expectGolden("unseen.blocks.json", `${JSON.stringify(renderDigestBlocks(mixed), null, 2)}\n`);
    expectGolden("unseen-silent.txt", renderDigestText(silent));
  });
});
