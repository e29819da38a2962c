/**
 * Issue 14 in Slack over real signed HTTP on 127.0.0.1: the diagnosis message's follow-up buttons
 * (this fixed it / this did not / escalation packet), the escalation packet as code blocks, and a
 * digest's incident row with its escalate button. The real check over the demo data; Slack's side
 * faked at the network edge (SlackSink).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { createSlackRoutes, slackConfigFrom } from "../../../src/adapters/slack/routes.js";
import type { ChatDeps } from "../../../src/app/chat/handle-command.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import { createHttpServer } from "../../../src/http/server.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { systemClock } from "../../../src/ports/clock.js";
import { MemoryFeedbackStore } from "../../../src/ports/feedback.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import type { SlackMessage } from "../../../src/render/block-kit/blocks.js";
import { messageProblems } from "../../../src/render/block-kit/limits.js";
import { actionBody, SECRET, SlackSink, sendSigned, slashBody, TOKEN } from "./helpers.js";

const sink = new SlackSink();
const audit = new MemoryAuditLog();
const logger = new MemoryLogger();
const feedback = new MemoryFeedbackStore();
const kusto = new EngineKustoRunner(createEmbeddedEngine(null, systemClock), systemClock);
const catalog = loadQueryCatalog();
let server: Server | null = null;
let url = "";

beforeAll(async () => {
  await sink.start();
  const chat: ChatDeps = {
    runCheck: (request) =>
      runCheck({ kusto, catalog, clock: systemClock, logger, settings: DEFAULT_CHECK_SETTINGS }, request),
    clock: systemClock,
    audit,
    logger,
    feedback,
  };
  const config = slackConfigFrom(
    {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: `${sink.url}/api/`,
      ATTEST_SLACK_ALLOWED_TEAMS: "T1",
      ATTEST_SLACK_ALLOWED_CHANNELS: "C1",
    },
    false,
  );
  server = createHttpServer({
    routes: createSlackRoutes({ chat, digest: null, logger, localMode: false }, config.value!),
    readiness: async () => ({ ready: true, checks: {} }),
    logger,
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server?.close(() => resolve());
    server?.closeAllConnections();
  });
  await sink.close();
});

type Button = { type: string; action_id: string; value: string; text: { text: string } };
type Block = { type: string; block_id?: string; elements?: Button[]; text?: { text: string } };

describe("Slack: follow-up buttons", () => {
  let buttons: Button[] = [];

  it("a check's message ends with this fixed it / this did not / escalation packet", async () => {
    await sendSigned(url, slashBody("check sgxtestregion02", { response_url: sink.responseUrl("c1") }));
    const result = await sink.next(
      (c) => c.path === "/response/c1" && JSON.stringify(c.body).includes("attest_followups"),
    );
    const blocks = result.body.blocks as Block[];
    buttons = blocks.find((b) => b.block_id === "attest_followups")?.elements ?? [];
    expect(buttons.map((b) => [b.action_id, b.text.text, b.value])).toEqual([
      ["attest_followup_fixed", "This fixed it", "attest feedback fixed maa-internal-error sgxtestregion02"],
      [
        "attest_followup_not_fixed",
        "This did not",
        "attest feedback not-fixed maa-internal-error sgxtestregion02",
      ],
      ["attest_followup_escalate", "Escalation packet", "attest escalate sgxtestregion02 --since 180m"],
    ]);
    expect(JSON.stringify(blocks)).toContain("Part of a wider incident: 14 servers in eastus2");
    expect(messageProblems(result.body as unknown as SlackMessage)).toEqual([]);
  });

  it("Escalation packet: the packet in code blocks, to the clicker only", async () => {
    const escalate = buttons.find((b) => b.action_id === "attest_followup_escalate");
    await sendSigned(url, actionBody("attest_followup_escalate", escalate?.value, sink.responseUrl("e1")));
    const reply = await sink.next(
      (c) => c.path === "/response/e1" && JSON.stringify(c.body).includes("Escalation packet"),
    );
    expect(reply.body.response_type).toBe("ephemeral");
    const text = (reply.body.blocks as Block[]).map((b) => b.text?.text ?? "").join("\n");
    expect(text).toContain("```[MAA] sgxtestregion02: Azure Attestation internal server error (0x000001f4)");
    expect(text).toContain("Wider incident: 14 servers in eastus2");
    expect(text).toContain("Attestation provider: sgxattregion02");
    expect(messageProblems(reply.body as unknown as SlackMessage)).toEqual([]);
    expect(audit.entries.find((e) => e.command === "escalate")).toMatchObject({
      platform: "slack",
      outcome: "escalation",
    });
  });

  it("This did not: audited, tallied, acknowledged", async () => {
    const notFixed = buttons.find((b) => b.action_id === "attest_followup_not_fixed");
    await sendSigned(url, actionBody("attest_followup_not_fixed", notFixed?.value, sink.responseUrl("f1")));
    const reply = await sink.next((c) => c.path === "/response/f1");
    expect(JSON.stringify(reply.body)).toContain("did not fix it on sgxtestregion02");
    expect(audit.entries.at(-1)).toMatchObject({
      platform: "slack",
      command: "feedback",
      outcome: "not_fixed",
      parameters: { rule: "maa-internal-error", answer: "not_fixed", server: "sgxtestregion02" },
    });
    expect((await feedback.tally())[0]).toMatchObject({ rule: "maa-internal-error", notFixed: 1 });
  });

  it("a follow-up button carrying another command (a check) is refused like bad input", async () => {
    await sendSigned(url, actionBody("attest_followup_fixed", "check sgxtest2", sink.responseUrl("f2")));
    const reply = await sink.next((c) => c.path === "/response/f2");
    expect(JSON.stringify(reply.body)).toContain("not valid");
    expect(audit.entries.at(-1)).toMatchObject({ command: "button:follow_up", outcome: "bad_input" });
  });
});
