/**
 * Issue 12: every text of every card can be read in Teams. Each text (TextBlock, TextRun) is
 * drawn in its colour on its container's background with the palette of the Teams look-alike
 * Agents Playground (scripts/teams-palette.ts); WCAG AA asks 4.5:1 for text of this size. In that palette
 * Good (#92C353) and Warning (#F8D22A) text on white are 2.2:1 and 1.5:1: a finding title in
 * them could hardly be read.
 */
import { describe, expect, it } from "vitest";
import { cardHostConfig } from "../../../scripts/pictures.js";
import { contrast, type Palette, playgroundPalette, rgb } from "../../../scripts/teams-palette.js";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { viewOfReport } from "../../../src/app/chat/handle-command.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import { parseCommand } from "../../../src/domain/command/parse-command.js";
import { explain } from "../../../src/domain/diagnosis/explain.js";
import { policyReply } from "../../../src/domain/policy/view.js";
import { explainView } from "../../../src/domain/view/check-view.js";
import { DEMO_PASTES, DEMO_SCENARIOS } from "../../../src/kusto-engine/demo-data.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { silentLogger } from "../../../src/ports/log.js";
import { renderDiagnosisCard } from "../../../src/render/adaptive-card/render-diagnosis-card.js";
import { renderEscalationCard } from "../../../src/render/adaptive-card/render-escalation-card.js";
import {
  renderPolicyCard,
  renderPolicyInputCard,
} from "../../../src/render/adaptive-card/render-policy-card.js";
import {
  renderHelpCard,
  renderLinesCard,
  renderNoticeCard,
  renderProgressCard,
} from "../../../src/render/adaptive-card/render-simple-cards.js";
import { COND, permitWhen, RECOMMENDED_CONDITIONS } from "../policy/helpers.js";

const palette = playgroundPalette();
const NOW = Date.parse("2026-11-24T10:00:00.000Z");
const clock = fixedClock(NOW);
const kusto = new EngineKustoRunner(createEmbeddedEngine(null, clock), clock);
const catalog = loadQueryCatalog();

/** WCAG AA for normal-size text (cards' text is 12-18 px). */
const AA = 4.5;

interface Unreadable {
  readonly text: string;
  readonly color: string;
  readonly on: string;
  readonly ratio: number;
}

/** Every text of `card` under AA contrast in `palette`, each with its colour and background style. */
function unreadable(card: unknown, p: Palette): Unreadable[] {
  const out: Unreadable[] = [];
  const walk = (node: unknown, style: string) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, style);
      return;
    }
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    const here = typeof o.style === "string" && o.style in p && o.type !== "Action.Execute" ? o.style : style;
    if ((o.type === "TextBlock" || o.type === "TextRun") && typeof o.text === "string") {
      const colorName = typeof o.color === "string" ? o.color.toLowerCase() : "default";
      const container = p[here]!;
      const bg = rgb(container.backgroundColor);
      const fg = container.foregroundColors[colorName] ?? container.foregroundColors.default!;
      const ratio = contrast(rgb(o.isSubtle === true ? fg.subtle : fg.default, bg), bg);
      if (ratio < AA)
        out.push({
          text: o.text.slice(0, 60),
          color: colorName,
          on: here,
          ratio: Math.round(ratio * 10) / 10,
        });
    }
    for (const [k, v] of Object.entries(o)) if (k !== "actions" || o.type === "ActionSet") walk(v, here);
  };
  walk((card as { body?: unknown }).body, "default");
  return out;
}

async function demoCard(server: string) {
  const report = await runCheck(
    { kusto, catalog, clock, logger: silentLogger, settings: DEFAULT_CHECK_SETTINGS },
    { server, database: null, url: null, sinceMs: null },
  );
  return renderDiagnosisCard(viewOfReport(report)).card;
}

describe("every card's text reads in Teams' colours (Agents Playground palette, WCAG AA 4.5:1)", () => {
  it("the palette is Teams' own: Good and Warning text on white are too pale, Attention and Accent read", () => {
    const d = palette.default!;
    const on = (name: string) => contrast(rgb(d.foregroundColors[name]!.default), rgb(d.backgroundColor));
    expect(on("good")).toBeLessThan(AA);
    expect(on("warning")).toBeLessThan(AA);
    expect(on("attention")).toBeGreaterThan(AA);
    expect(on("accent")).toBeGreaterThan(AA);
  });

  it("the pictures (npm run pictures) draw cards in the same palette", () => {
    const colours = (p: Palette) =>
      Object.fromEntries(
        Object.entries(p).map(([style, c]) => [
          style,
          JSON.stringify({ bg: c.backgroundColor, fg: c.foregroundColors }).toLowerCase(),
        ]),
      );
    expect(colours(cardHostConfig().containerStyles)).toEqual(colours(palette));
  });

  for (const s of DEMO_SCENARIOS)
    it(`check ${s.server} (${s.scenario})`, async () => {
      expect(unreadable(await demoCard(s.server), palette)).toEqual([]);
    });

  it("explain of each demo paste", () => {
    for (const p of DEMO_PASTES)
      expect(
        unreadable(
          renderDiagnosisCard(explainView(explain(p.text), new Date(NOW).toISOString())).card,
          palette,
        ),
      ).toEqual([]);
  });

  it("help, short help, progress, notices, escalation and lines cards in every tone", () => {
    const bad = parseCommand("check sgx_bad");
    if (bad.ok) throw new Error("expected a parse error");
    const cards = [
      renderHelpCard(null),
      renderHelpCard(bad.error),
      renderProgressCard("Running 6 checks on sgxtest2…"),
      renderNoticeCard("refused", "Not allowed in this team."),
      renderNoticeCard("unavailable", "Kusto did not answer."),
      renderNoticeCard("error", "Something broke."),
      renderEscalationCard({
        server: "sgxtestmaa500",
        owner: "Azure Attestation service owner",
        title: "[MAA] sgxtestmaa500: Azure Attestation internal server error (0x000001f4)",
        text: "Server: sgxtestmaa500",
        incidentId: null,
      }),
      ...(["good", "warning", "attention", "accent"] as const).map((t) =>
        renderLinesCard("Digest", ["a line"], t),
      ),
    ];
    expect(cards.flatMap((c) => unreadable(c, palette))).toEqual([]);
  });

  it("policy cards: recommended, refusing, lax, and the paste box with a problem", () => {
    const cards = [
      renderPolicyCard(policyReply(permitWhen(RECOMMENDED_CONDITIONS))).card,
      renderPolicyCard(policyReply(permitWhen([COND.debuggable, COND.svn(7)]))).card,
      renderPolicyCard(policyReply(permitWhen([COND.productId, COND.svn(2), COND.mrsigner]))).card,
      renderPolicyCard(policyReply("version= 1.0; authorizationrules { => permit() };")).card,
      renderPolicyInputCard("Paste the policy first."),
    ];
    expect(cards.flatMap((c) => unreadable(c, palette))).toEqual([]);
  });
});
