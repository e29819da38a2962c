/**
 * Issue 12: "KQL intact and copyable" in the card the Teams bot actually sends. The bot's budget is
 * smaller than renderDiagnosisCard's default (the activity around the card, the follow-up
 * buttons); evidence rows and long texts give way first, so every demo scenario's card keeps its
 * whole KQL (in Agents Playground the MAA cards showed `| project TIMEST…`).
 */
import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { viewOfReport } from "../../../src/app/chat/handle-command.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import { DEMO_SCENARIOS } from "../../../src/kusto-engine/demo-data.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { silentLogger } from "../../../src/ports/log.js";
import { cardOf, harness } from "../teams/bot-harness.js";
import { teamsVisible } from "./visible.js";

// The bot harness's clock: the demo data is generated relative to it.
const clock = fixedClock(Date.parse("2026-11-24T10:00:00Z"));
const kusto = new EngineKustoRunner(createEmbeddedEngine(null, clock), clock);
const deps = {
  kusto,
  catalog: loadQueryCatalog(),
  clock,
  logger: silentLogger,
  settings: DEFAULT_CHECK_SETTINGS,
};

describe("the card the Teams bot sends keeps the whole KQL of every demo scenario", () => {
  for (const s of DEMO_SCENARIOS)
    it(`${s.scenario} (${s.server})`, async () => {
      const request = { server: s.server, database: null, url: null, sinceMs: null };
      const view = viewOfReport(await runCheck(deps, request));
      const h = harness({ runCheck: (r) => runCheck(deps, r) });
      await h.send({ id: "k1", text: `check ${s.server}` });
      const card = cardOf(h.replies().find((a) => a.type === "message"));
      const seen = teamsVisible(card);
      expect(seen).not.toMatch(/KQL (was )?left out|shortened/);
      for (const q of view.queries)
        for (const line of q.text.trim().split("\n")) expect(seen, q.name).toContain(line.trimEnd());
    });
});
