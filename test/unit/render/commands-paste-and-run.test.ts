/**
 * Issue 12: "its commands paste and run". Every line a demo scenario's card shows that starts with
 * `attest` (the banner's subject, the commands to run) is, pasted into the chat as it reads, a
 * command that runs: it parses, and through the Teams bot (TestAdapter, the real check on the demo
 * data) a `check` answers with that server's diagnosis and an `explain` recognises the error. A
 * line with a `<placeholder>` is not run: it must be the command's usage line, as help shows it.
 * Slack shows the same commands.
 */
import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { viewOfReport } from "../../../src/app/chat/handle-command.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import { parseCommand } from "../../../src/domain/command/parse-command.js";
import { USAGES } from "../../../src/domain/command/usage.js";
import { DEMO_SCENARIOS } from "../../../src/kusto-engine/demo-data.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { silentLogger } from "../../../src/ports/log.js";
import { renderDiagnosisCard } from "../../../src/render/adaptive-card/render-diagnosis-card.js";
import { renderDiagnosis } from "../../../src/render/block-kit/render-diagnosis.js";
import { cardOf, harness } from "../teams/bot-harness.js";
import { slackVisible, teamsVisible } from "./visible.js";

// The bot harness's clock: the demo data is generated relative to it.
const clock = fixedClock(Date.parse("2026-11-24T10:00:00Z"));
const kusto = new EngineKustoRunner(createEmbeddedEngine(null, clock), clock);
const catalog = loadQueryCatalog();
const deps = { kusto, catalog, clock, logger: silentLogger, settings: DEFAULT_CHECK_SETTINGS };

const PLACEHOLDER = /<[a-z][^<>]*>/i;
const USAGE_LINES: readonly string[] = Object.values(USAGES).map((u) => u.usage);

/** The lines of `seen` that are an `attest` command. */
const attestLines = (seen: string) =>
  seen
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^attest\s/.test(l));

/** What the Teams bot answers to `text` typed in a personal chat: the reply card's text. */
async function botReply(text: string): Promise<string> {
  const h = harness({ runCheck: (request) => runCheck(deps, request) });
  await h.send({ id: "p1", text });
  const card = cardOf(h.replies().find((a) => a.type === "message"));
  if (!card) throw new Error(`no card in reply to ${text}`);
  return teamsVisible(card);
}

describe("every attest command a demo card shows pastes and runs", () => {
  for (const s of DEMO_SCENARIOS)
    it(`${s.scenario} (${s.server})`, async () => {
      const view = viewOfReport(
        await runCheck(deps, { server: s.server, database: null, url: null, sinceMs: null }),
      );
      const teams = attestLines(teamsVisible(renderDiagnosisCard(view).card));
      expect(teams[0]).toBe(`attest check ${s.server}`); // the banner's subject
      for (const command of teams) {
        if (PLACEHOLDER.test(command)) {
          expect(USAGE_LINES, `${command}: a template must be the usage line help shows`).toContain(command);
          continue;
        }
        const parsed = parseCommand(command);
        expect(parsed.ok, `${command} parses`).toBe(true);
        if (!parsed.ok) continue;
        const reply = await botReply(command);
        expect(reply, `${command}: not the help card`).not.toContain("That did not work");
        if (parsed.command.kind === "check")
          expect(reply.split("\n"), `${command} checks ${parsed.command.server}`).toContain(
            `attest check ${parsed.command.server}`,
          );
        if (parsed.command.kind === "explain")
          expect(reply, `${command}: the pasted text is recognised`).not.toContain("Error not recognised");
      }
      // Slack shows the same commands (its subject is the banner's title, not a command line).
      const slack = attestLines(slackVisible(renderDiagnosis(view, { ref: "r1", offerPost: false })));
      expect(slack).toEqual(teams.slice(1));
    });
});
