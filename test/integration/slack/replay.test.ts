/**
 * Slack replays over real signed HTTP: the same signed slash command sent again (same signature
 * and timestamp), and Slack's retry of it (new timestamp, X-Slack-Retry-Num), run the check once.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackRoutes, slackConfigFrom } from "../../../src/adapters/slack/routes.js";
import type { ChatDeps } from "../../../src/app/chat/handle-command.js";
import type { CheckRequest } from "../../../src/app/run-check.js";
import { createHttpServer } from "../../../src/http/server.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { systemClock } from "../../../src/ports/clock.js";
import { KustoFailure } from "../../../src/ports/kusto.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { SECRET, SlackSink, sendSigned, slashBody, TOKEN } from "./helpers.js";

const sink = new SlackSink();
const logger = new MemoryLogger();
const audit = new MemoryAuditLog();
const checks: CheckRequest[] = [];
let server: Server;
let url = "";

beforeAll(async () => {
  await sink.start();
  const chat: ChatDeps = {
    runCheck: async (request) => {
      checks.push(request);
      throw new KustoFailure("unreachable", "test Kusto is down", { requestId: "attest-bot;r" });
    },
    clock: systemClock,
    audit,
    logger,
  };
  const config = slackConfigFrom(
    { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: `${sink.url}/api/` },
    true,
  );
  const routes = createSlackRoutes({ chat, digest: null, logger, localMode: true }, config.value!);
  server = createHttpServer({ routes, readiness: async () => ({ ready: true, checks: {} }), logger });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await sink.close();
});

describe("a replayed or retried slash command", () => {
  it("runs once: the replay and Slack's retry are acknowledged with nothing and run nothing", async () => {
    const body = slashBody("check sgxreplaysrv", { response_url: sink.responseUrl("replay") });
    const ts = Math.floor(Date.now() / 1000);
    const first = await sendSigned(url, body, { timestampSec: ts });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { text: string }).text).toBe("Checking sgxreplaysrv…");

    // The same bytes, signature and timestamp again (a replay).
    const replay = await sendSigned(url, body, { timestampSec: ts });
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe("");
    // Slack's retry: signed anew with a later timestamp.
    const retry = await sendSigned(url, body, {
      timestampSec: ts + 1,
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect(retry.status).toBe(200);
    expect(await retry.text()).toBe("");

    await sink.next((c) => c.path === "/response/replay");
    // Another command, run to its end: anything the duplicates started would have run by now.
    const other = slashBody("check sgxothersrv", { response_url: sink.responseUrl("other") });
    await sendSigned(url, other);
    await sink.next((c) => c.path === "/response/other");
    expect(checks.map((c) => c.server)).toEqual(["sgxreplaysrv", "sgxothersrv"]);
    expect(sink.calls.filter((c) => c.path === "/response/replay")).toHaveLength(1);
    expect(audit.entries.filter((e) => e.command === "check")).toHaveLength(2);
    expect(logger.events.filter((e) => e.event === "slack.replay_ignored").map((e) => e.fields)).toEqual([
      { kind: "command", retryNum: 0 },
      { kind: "command", retryNum: 1 },
    ]);
  });

  it("a new invocation of the same text (its own trigger_id) runs again", async () => {
    const before = checks.length;
    for (const name of ["again-1", "again-2"]) {
      const res = await sendSigned(
        url,
        slashBody("check sgxagainsrv", { response_url: sink.responseUrl(name) }),
      );
      expect(((await res.json()) as { text: string }).text).toBe("Checking sgxagainsrv…");
      await sink.next((c) => c.path === `/response/${name}`);
    }
    expect(checks.length).toBe(before + 2);
  });
});
