/**
 * Golden files for the card of each hand-built scenario (one per verdict category). Regenerate
 * with `UPDATE_GOLDEN=1 npx vitest run test/unit/teams/golden-cards.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { renderDiagnosisCard } from "../../../src/render/adaptive-card/render-diagnosis-card.js";
import { checkCard } from "./card-validation.js";
import { SCENARIOS, viewOf } from "./fixtures.js";
import { golden } from "./golden.js";

describe("golden cards (hand-built scenarios)", () => {
  for (const [name, d] of Object.entries(SCENARIOS)) {
    it(`${name}`, () => {
      const view = viewOf(
        d,
        "sgxtestuksouthsrv",
        "https://dataexplorer.azure.com/clusters/help.kusto.windows.net/databases/Telemetry?query=H4sI",
      );
      const rendered = renderDiagnosisCard(view);
      expect(rendered.warnings).toEqual([]);
      expect(checkCard(rendered.card).problems).toEqual([]);
      const g = golden(`fixture-${name}.card.json`, rendered.card);
      expect(g.expected, "golden file missing: run with UPDATE_GOLDEN=1").not.toBeNull();
      expect(g.actual).toBe(g.expected);
    });
  }
});
