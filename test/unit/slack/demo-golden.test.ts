/**
 * Golden Block Kit for every demo scenario: the real check (embedded engine over the demo data,
 * query catalog, rules, view) rendered for Slack, checked against Slack's limits, and compared
 * with test/golden/slack/demo-<scenario>.json (UPDATE_GOLDEN=1 rewrites them).
 */
import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { viewOfReport } from "../../../src/app/chat/handle-command.js";
import { runnableQuery } from "../../../src/app/explorer-link.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import type { DiagnosisView } from "../../../src/domain/view/check-view.js";
import { DEMO_SCENARIOS } from "../../../src/kusto-engine/demo-data.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { silentLogger } from "../../../src/ports/log.js";
import { messageProblems } from "../../../src/render/block-kit/limits.js";
import { renderEvidence, renderQueries } from "../../../src/render/block-kit/render-details.js";
import { renderDiagnosis } from "../../../src/render/block-kit/render-diagnosis.js";
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

describe("Block Kit golden files of the demo scenarios", () => {
  it("there are demo scenarios to render", () => {
    expect(DEMO_SCENARIOS.length).toBeGreaterThan(3);
  });

  for (const scenario of DEMO_SCENARIOS) {
    it(`${scenario.scenario} (${scenario.server}): verdict ${scenario.expectedVerdict}, within limits, as golden`, async () => {
      const report = await runCheck(
        { kusto, catalog, clock, logger: silentLogger, settings: DEFAULT_CHECK_SETTINGS },
        { server: scenario.server, database: null, url: null, sinceMs: null },
      );
      const view = stable(viewOfReport(report));
      const message = renderDiagnosis(view, { ref: "00000000-0000-4000-8000-000000000000", offerPost: true });
      const evidence = renderEvidence(view);
      const kql = renderQueries(view, { format: (q) => runnableQuery(q.text, q.parameters) });
      for (const m of [message, evidence, kql]) expect(messageProblems(m)).toEqual([]);
      expect(message.text).toContain(view.verdict.label);
      expect({ message, evidence, kql }).toEqual(
        golden(`demo-${scenario.scenario}`, { message, evidence, kql }),
      );
    });
  }
});
