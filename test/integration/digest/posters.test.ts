/** The Slack and Teams digest posters against local fake platform servers on 127.0.0.1 (port 0). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackDigestPoster } from "../../../src/adapters/digest/slack-poster.js";
import { TeamsDigestPoster } from "../../../src/adapters/digest/teams-poster.js";
import { MemoryStore } from "../../../src/adapters/storage/memory-store.js";
import { ChannelPacer, postWithRetry } from "../../../src/app/digest/post-with-retry.js";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import { type DigestPost, PostFailure } from "../../../src/ports/chat-poster.js";
import { DEMO_ROWS } from "../../unit/digest/demo-rows.js";
import { DAY, TO, tinyClassifier } from "../../unit/digest/fixtures.js";
import { ManualClock } from "./harness.js";

const post: DigestPost = {
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

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
async function serve(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => handler(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
const close = (s: Server | undefined) => new Promise<void>((r) => (s ? s.close(() => r()) : r()));

describe("SlackDigestPoster", () => {
  let slack: { server: Server; url: string };
  const seen: Record<string, unknown>[] = [];
  let rateLimitedOnce = false;
  beforeAll(async () => {
    slack = await serve((req, body, res) => {
      const form = Object.fromEntries(new URLSearchParams(body));
      const json = body.startsWith("{") ? (JSON.parse(body) as Record<string, unknown>) : form;
      seen.push({ path: req.url, ...json });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(payload));
      };
      if (json.channel === "C-gone") return send(200, { ok: false, error: "not_in_channel" });
      if (json.channel === "C-rate" && !rateLimitedOnce) {
        rateLimitedOnce = true;
        return send(429, { ok: false, error: "ratelimited" }, { "retry-after": "3" });
      }
      if (json.channel === "C-502") return send(502, { ok: false });
      send(200, { ok: true, ts: "1700000000.000100", channel: json.channel });
    });
  });
  afterAll(() => close(slack?.server));

  const poster = () => new SlackDigestPoster({ token: "xoxb-test", slackApiUrl: `${slack.url}/api/` });
  const target = (channelId: string) => ({ platform: "slack" as const, teamId: "T1", channelId });

  it("posts Block Kit with chat.postMessage to the configured API URL", async () => {
    expect(await poster().post(target("C-ok"), post)).toEqual({ messageId: "1700000000.000100" });
    const call = seen.at(-1) as { path: string; channel: string; blocks: string; text: string };
    expect(call.path).toBe("/api/chat.postMessage");
    expect(call.channel).toBe("C-ok");
    const blocks = typeof call.blocks === "string" ? JSON.parse(call.blocks) : call.blocks;
    expect(blocks[0]).toMatchObject({ type: "header" });
    expect(call.text).toContain("Attestation digest · d-1");
  });

  it("maps not_in_channel to permanent, 502 to transient, 429 to rate_limited with Retry-After", async () => {
    const gone = await poster()
      .post(target("C-gone"), post)
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ kind: "permanent", code: "not_in_channel" });
    const bad = await poster()
      .post(target("C-502"), post)
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(PostFailure);
    expect(bad).toMatchObject({ kind: "transient" });
    const clock = new ManualClock("2026-11-24T09:00:00Z");
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      clock.t += ms;
    };
    const done = await postWithRetry(
      {
        poster: poster(),
        pacer: new ChannelPacer(clock, sleep),
        sleep,
        retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 60_000 },
      },
      target("C-rate"),
      post,
    );
    expect(done.attempts).toBe(2);
    expect(sleeps).toEqual([3000]);
  });
});

describe("TeamsDigestPoster", () => {
  let connector: { server: Server; url: string };
  const activities: { path: string; body: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    connector = await serve((req, body, res) => {
      const path = req.url ?? "";
      activities.push({ path, body: body ? (JSON.parse(body) as Record<string, unknown>) : {} });
      if (path.includes("gone")) {
        res.writeHead(403, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { code: "BotNotInConversationRoster", message: "no" } }));
      }
      if (path.includes("busy")) {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "2" });
        return res.end(JSON.stringify({ error: { code: "Throttled", message: "slow down" } }));
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "activity-1" }));
    });
  });
  afterAll(() => close(connector?.server));

  async function poster(conversationId: string) {
    const store = new MemoryStore();
    await store.put(
      "teams-conversations",
      conversationId,
      {
        conversationId,
        reference: {
          channelId: "msteams",
          serviceUrl: `${connector.url}/`,
          conversation: { id: conversationId, isGroup: true, conversationType: "channel" },
          bot: { id: "28:bot", name: "attest" },
        },
        updatedAt: "2026-11-24T09:00:00Z",
      },
      null,
    );
    const adapter = new CloudAdapter(
      new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: "", MicrosoftAppPassword: "" }),
    );
    return new TeamsDigestPoster({ adapter, botAppId: "", store });
  }
  const target = (conversationId: string) => ({ platform: "teams" as const, conversationId });

  it("posts an Adaptive Card with continueConversationAsync to the stored conversation", async () => {
    const p = await poster("19:ok@thread.tacv2");
    expect(await p.post(target("19:ok@thread.tacv2"), post)).toEqual({ messageId: "activity-1" });
    const call = activities.at(-1);
    expect(call?.path).toContain(`/v3/conversations/${encodeURIComponent("19:ok@thread.tacv2")}/activities`);
    const attachments = (call?.body.attachments ?? []) as {
      contentType: string;
      content: { version: string };
    }[];
    const attachment = attachments[0];
    expect(attachment?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment?.content.version).toBe("1.5");
  });

  it("maps 403 to permanent and 429 to rate_limited with Retry-After; unknown conversation is permanent", async () => {
    const gone = await (await poster("19:gone")).post(target("19:gone"), post).catch((e: unknown) => e);
    expect(gone).toMatchObject({ kind: "permanent", code: "403" });
    const busy = await (await poster("19:busy")).post(target("19:busy"), post).catch((e: unknown) => e);
    expect(busy).toMatchObject({ kind: "rate_limited", retryAfterMs: 2000 });
    const none = await (await poster("19:ok")).post(target("19:other"), post).catch((e: unknown) => e);
    expect(none).toMatchObject({ kind: "permanent", code: "no_conversation_reference" });
  });
});
