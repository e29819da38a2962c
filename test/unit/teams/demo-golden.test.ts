/**
 * Golden Adaptive Card for every demo scenario: the real check (embedded engine over the demo
 * data, query catalog, rules, view) rendered for Teams, parsed by the `adaptivecards` library with
 * no warnings, under the size budget, and compared with test/golden/teams/demo-<scenario>.card.json
 * (UPDATE_GOLDEN=1 rewrites them).
 */
import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { viewOfReport } from "../../../src/app/chat/handle-command.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import type { DiagnosisView } from "../../../src/domain/view/check-view.js";
import { CATEGORY_VIEW } from "../../../src/domain/view/labels.js";
import { DEMO_SCENARIOS } from "../../../src/kusto-engine/demo-data.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { silentLogger } from "../../../src/ports/log.js";
import { POLICY_EVALUATION_RULE, TONE_STYLE } from "../../../src/render/adaptive-card/card-data.js";
import {
  MAX_CARD_BYTES,
  renderDiagnosisCard,
} from "../../../src/render/adaptive-card/render-diagnosis-card.js";
import { cardText, checkCard } from "./card-validation.js";
import { golden } from "./golden.js";

const NOW = Date.parse("2026-11-24T10:00:00.000Z");
const clock = fixedClock(NOW);
const kusto = new EngineKustoRunner(createEmbeddedEngine(null, clock), clock);
const catalog = loadQueryCatalog();

/** Durations and request ids change from run to run; everything else must not. */
function stable(view: DiagnosisView): DiagnosisView {
  return {
    ...view,
    queries: view.queries.map((q) => ({ ...q, ms: 0, requestId: q.requestId ? "<request-id>" : null })),
  };
}

describe("Adaptive Card golden files of the demo scenarios", () => {
  it("there are demo scenarios to render, one of them a policy evaluation error", () => {
    expect(DEMO_SCENARIOS.length).toBeGreaterThan(3);
    expect(DEMO_SCENARIOS.map((s) => s.scenario)).toContain("policy-evaluation");
  });

  for (const scenario of DEMO_SCENARIOS) {
    it(`${scenario.scenario} (${scenario.server}): ${scenario.expectedVerdict}, parses cleanly, as golden`, async () => {
      const report = await runCheck(
        { kusto, catalog, clock, logger: silentLogger, settings: DEFAULT_CHECK_SETTINGS },
        { server: scenario.server, database: null, url: null, sinceMs: null },
      );
      const view = stable(viewOfReport(report));
      const rendered = renderDiagnosisCard(view);
      expect(rendered.warnings).toEqual([]);
      expect(checkCard(rendered.card).problems).toEqual([]);
      expect(rendered.bytes).toBeLessThanOrEqual(MAX_CARD_BYTES);
      const expected = CATEGORY_VIEW[scenario.expectedVerdict];
      expect(cardText(rendered.card)).toContain(expected.label);
      expect((rendered.card.body as { style?: string }[])[0]?.style).toBe(TONE_STYLE[expected.tone].style);
      // `check` links to the policy check when the attestation policy rejected the enclave (issue 7).
      const titles = (rendered.card.actions as { title: string }[]).map((a) => a.title);
      expect(titles.includes("Check a policy")).toBe(
        view.findings.some((f) => f.rule === POLICY_EVALUATION_RULE),
      );
      const g = golden(`demo-${scenario.scenario}.card.json`, rendered.card);
      expect(g.expected, "golden file missing: run with UPDATE_GOLDEN=1").not.toBeNull();
      expect(g.actual).toBe(g.expected);
    });
  }
});
