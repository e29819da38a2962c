/**
 * Review item 1: proactive Teams posts whose connector call is refused must fail for the caller,
 * also when the adapter is the one createTeamsApp made (its onTurnError logs inbound turn errors
 * and, left alone, swallowed proactive ones: a 403 digest was recorded as posted with id "").
 * Real CloudAdapter, connector stub on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TeamsDigestPoster } from "../../../src/adapters/digest/teams-poster.js";
import { MemoryStore } from "../../../src/adapters/storage/memory-store.js";
import { parseTeamsConfig } from "../../../src/adapters/teams/config.js";
import { createTeamsApp, type TeamsApp } from "../../../src/adapters/teams/routes.js";
import type { ChatDeps } from "../../../src/app/chat/handle-command.js";
import type { CheckReport } from "../../../src/app/run-check.js";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import { createHttpServer } from "../../../src/http/server.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import type { DigestPost } from "../../../src/ports/chat-poster.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { DEMO_ROWS } from "../../unit/digest/demo-rows.js";
import { DAY, TO, tinyClassifier } from "../../unit/digest/fixtures.js";
import { report, SCENARIOS } from "../../unit/teams/fixtures.js";
import { type ConnectorStub, type StubRefusal, startConnectorStub, teamsMessage } from "./connector-stub.js";

const digestPost: DigestPost = {
  view: buildDigest(DEMO_ROWS, tinyClassifier, {
    fromMs: TO - DAY,
    toMs: TO,
    periods: 7,
    minFailures: 1,
    truncated: false,
  }),
  title: "Attestation digest · d-1",
  topN: 10,
};

/** Conversation id -> what the connector answers when the bot posts there. */
const REFUSALS: Record<string, StubRefusal> = {
  "19:gone": { status: 403, code: "BotNotInConversationRoster" },
  "19:missing": { status: 404, code: "ConversationNotFound" },
  "19:busy": { status: 429, code: "Throttled", headers: { "retry-after": "7" } },
  "19:down": { status: 503, code: "ServiceUnavailable" },
  "a:1personal-chat": { status: 403, code: "BotDisabledByAdmin" },
};

function refusalFor(path: string): StubRefusal | null {
  const id = decodeURIComponent(/\/v3\/conversations\/([^/]+)\//.exec(path)?.[1] ?? "");
  return REFUSALS[id] ?? null;
}

describe("proactive posts through createTeamsApp's adapter report connector refusals", () => {
  let connector: ConnectorStub;
  let app: TeamsApp;
  const logger = new MemoryLogger();
  let release: (r: CheckReport) => void = () => {};

  beforeAll(async () => {
    // Only updates (PUT) of a:1personal-chat are refused: the progress card itself is posted.
    connector = await startConnectorStub((call) =>
      call.method === "PUT" || !call.path.includes("personal-chat") ? refusalFor(call.path) : null,
    );
    const parsed = parseTeamsConfig({ ATTEST_TEAMS_PROGRESS_AFTER: "0s" }, true);
    if (!parsed.value) throw new Error(parsed.problems.join("\n"));
    const chat: ChatDeps = {
      runCheck: () =>
        new Promise<CheckReport>((resolve) => {
          release = resolve;
        }),
      clock: fixedClock(Date.parse("2026-11-24T10:00:00Z")),
      audit: new MemoryAuditLog(),
      logger,
    };
    app = createTeamsApp({ chat, digest: null, logger, localMode: true }, parsed.value);
  });
  afterAll(async () => {
    await connector?.close();
  });

  async function poster(conversationId: string): Promise<TeamsDigestPoster> {
    const store = new MemoryStore();
    await store.put(
      "teams-conversations",
      conversationId,
      {
        conversationId,
        reference: {
          channelId: "msteams",
          serviceUrl: connector.url,
          conversation: { id: conversationId, isGroup: true, conversationType: "channel" },
          bot: { id: "28:bot", name: "attest" },
        },
        updatedAt: "2026-11-24T09:00:00Z",
      },
      null,
    );
    return new TeamsDigestPoster({ adapter: app.adapter, botAppId: "", store });
  }

  const send = async (conversationId: string) =>
    (await poster(conversationId)).post({ platform: "teams", conversationId }, digestPost).then(
      (r) => ({ posted: r }),
      (e: unknown) => e,
    );

  it("a digest accepted by the connector returns its message id", async () => {
    expect(await send("19:ok")).toEqual({ posted: { messageId: expect.stringMatching(/^activity-\d+$/) } });
  });

  it("403 and 404 are permanent failures, not a post with an empty message id", async () => {
    expect(await send("19:gone")).toMatchObject({ name: "PostFailure", kind: "permanent", code: "403" });
    expect(await send("19:missing")).toMatchObject({ name: "PostFailure", kind: "permanent", code: "404" });
  });

  it("429 is rate_limited with the connector's Retry-After; 503 is transient", async () => {
    expect(await send("19:busy")).toMatchObject({ kind: "rate_limited", retryAfterMs: 7000 });
    expect(await send("19:down")).toMatchObject({ kind: "transient", code: "503" });
  });

  it("the refused send is not mistaken for an inbound turn error", () => {
    expect(logger.events.filter((e) => e.event === "teams.turn_error")).toEqual([]);
  });

  it("a refused in-place update of the progress card is logged as teams.update_failed", async () => {
    const server = createHttpServer({
      routes: app.routes,
      readiness: async () => ({ ready: true, checks: {} }),
      logger,
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(teamsMessage(connector.url, "attest check slowsrv")),
      });
      expect(res.status).toBe(200);
      release(report("slowsrv", SCENARIOS["maa-escalation"]!));
      await connector.waitFor((c) => c.method === "PUT");
      await app.bot.idle();
      const failed = logger.events.find((e) => e.event === "teams.update_failed");
      expect(failed?.level).toBe("error");
      expect(failed?.fields.conversation).toBe("a:1personal-chat");
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});
