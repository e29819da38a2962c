/**
 * Issue 14 in Teams: the diagnosis card's follow-up buttons (this fixed it / this did not /
 * escalation packet), what a click does, and the escalation card with the packet to copy.
 */
import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { MemoryFeedbackStore } from "../../../src/ports/feedback.js";
import { silentLogger } from "../../../src/ports/log.js";
import { RUN_VERB } from "../../../src/render/adaptive-card/actions.js";
import { ESCALATION_INPUT_ID } from "../../../src/render/adaptive-card/render-escalation-card.js";
import { cardOf, harness } from "./bot-harness.js";

const NOW = Date.parse("2026-11-24T10:00:00.000Z");
const clock = fixedClock(NOW);
const kusto = new EngineKustoRunner(createEmbeddedEngine(null, clock), clock);
const catalog = loadQueryCatalog();
const demoCheck = (request: Parameters<typeof runCheck>[1]) =>
  runCheck({ kusto, catalog, clock, logger: silentLogger, settings: DEFAULT_CHECK_SETTINGS }, request);

type Action = { type: string; title: string; verb?: string; data?: { attestCommand?: string } };
const followUpActions = (card: Record<string, unknown> | null): Action[] =>
  ((card?.body as { id?: string; actions?: Action[] }[] | undefined) ?? []).find(
    (b) => b.id === "attestFollowUps",
  )?.actions ?? [];
const lastCard = (h: ReturnType<typeof harness>) =>
  cardOf(
    h
      .replies()
      .filter((a) => a.type === "message")
      .at(-1),
  );

describe("Teams: follow-up buttons on the diagnosis card", () => {
  it("an MAA incident server's card offers feedback and the escalation packet, each carrying its command", async () => {
    const h = harness({ runCheck: demoCheck, feedback: new MemoryFeedbackStore(), progressAfterMs: 120_000 });
    await h.send({ text: "attest check sgxtestregion01" });
    const actions = followUpActions(lastCard(h));
    expect(actions.map((a) => [a.type, a.title, a.verb, a.data?.attestCommand])).toEqual([
      [
        "Action.Execute",
        "This fixed it",
        RUN_VERB,
        "attest feedback fixed maa-internal-error sgxtestregion01",
      ],
      [
        "Action.Execute",
        "This did not",
        RUN_VERB,
        "attest feedback not-fixed maa-internal-error sgxtestregion01",
      ],
      ["Action.Execute", "Escalation packet", RUN_VERB, "attest escalate sgxtestregion01 --since 180m"],
    ]);
  });

  it("a customer error's card offers feedback but no escalation; a healthy card none", async () => {
    const h = harness({ runCheck: demoCheck, progressAfterMs: 120_000 });
    await h.send({ text: "attest check sgxtestuksouthsrv" });
    expect(followUpActions(lastCard(h)).map((a) => a.title)).toEqual(["This fixed it", "This did not"]);
    await h.send({ text: "attest check sgxtest2" });
    expect(followUpActions(lastCard(h))).toEqual([]);
  });

  it("Escalation packet: a card with the packet in a box to copy", async () => {
    const h = harness({ runCheck: demoCheck, progressAfterMs: 120_000 });
    await h.send({ value: { attestCommand: "attest escalate sgxtestregion01 --since 180m" } });
    const card = lastCard(h);
    const body = (card?.body ?? []) as { type: string; id?: string; value?: string; isMultiline?: boolean }[];
    const box = body.find((b) => b.id === ESCALATION_INPUT_ID);
    expect(box?.type).toBe("Input.Text");
    expect(box?.isMultiline).toBe(true);
    expect(box?.value).toContain(
      "[MAA] sgxtestregion01: Azure Attestation internal server error (0x000001f4)",
    );
    expect(box?.value).toContain("Wider incident: 14 servers in eastus2 since 2026-11-24 09:12 UTC");
    expect(h.audit.entries.at(-1)).toMatchObject({ command: "escalate", outcome: "escalation" });
  });

  it("This fixed it: recorded in the audit log and the tally, and acknowledged", async () => {
    const feedback = new MemoryFeedbackStore();
    const h = harness({ feedback });
    await h.send({ value: { attestCommand: "attest feedback fixed maa-internal-error sgxtestregion01" } });
    await h.send({
      value: { attestCommand: "attest feedback not-fixed maa-internal-error sgxtestregion01" },
    });
    expect(h.audit.entries.map((e) => [e.command, e.outcome, e.parameters])).toEqual([
      ["feedback", "fixed", { rule: "maa-internal-error", answer: "fixed", server: "sgxtestregion01" }],
      [
        "feedback",
        "not_fixed",
        { rule: "maa-internal-error", answer: "not_fixed", server: "sgxtestregion01" },
      ],
    ]);
    expect(await feedback.tally()).toEqual([
      { rule: "maa-internal-error", fixed: 1, notFixed: 1, lastAt: "2026-11-24T10:00:00.000Z" },
    ]);
    expect(JSON.stringify(lastCard(h))).toContain("did not fix it on sgxtestregion01");
  });

  it("a forged button with a bad rule gets the help card, nothing is recorded", async () => {
    const feedback = new MemoryFeedbackStore();
    const h = harness({ feedback });
    await h.send({ value: { attestCommand: "attest feedback fixed nosuchrule" } });
    expect(await feedback.tally()).toEqual([]);
    expect(h.audit.entries.at(-1)).toMatchObject({ command: "feedback", outcome: "bad_input" });
  });
});
