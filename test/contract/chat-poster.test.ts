/**
 * Runs the one ChatPoster contract against the in-memory poster, the Slack poster over a loopback
 * Slack Web API and the Teams poster over a loopback Bot Framework connector (both on 127.0.0.1,
 * port 0). The fakes answer like the platforms: Slack `ok: false` errors and HTTP 429/5xx,
 * connector 403/404/429/5xx, a dropped connection, or silence (each poster runs with a short timeout).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { SlackDigestPoster } from "../../src/adapters/digest/slack-poster.js";
import { TeamsDigestPoster } from "../../src/adapters/digest/teams-poster.js";
import { MemoryStore } from "../../src/adapters/storage/memory-store.js";
import { parseTeamsConfig } from "../../src/adapters/teams/config.js";
import { createTeamsApp } from "../../src/adapters/teams/routes.js";
import { targetKey } from "../../src/domain/digest/subscription.js";
import { MemoryAuditLog } from "../../src/ports/audit.js";
import { MemoryChatPoster, type PlatformFault } from "../../src/ports/chat-poster.js";
import { fixedClock } from "../../src/ports/clock.js";
import { MemoryLogger } from "../../src/ports/log.js";
import { chatPosterContract, type Delivered, type PosterUnderTest } from "./chat-poster.contract.js";

chatPosterContract("MemoryChatPoster", async () => {
  const poster = new MemoryChatPoster();
  return {
    poster,
    channel: async (name) => {
      const target = { platform: "slack" as const, teamId: "T1", channelId: `C-${name}` };
      return { target, address: targetKey(target) };
    },
    failNext: (fault) => poster.faults.push(fault),
    attempts: () => poster.attempts,
    delivered: () =>
      poster.posts.map((p, i) => ({
        address: targetKey(p.target),
        content: JSON.stringify(p.post),
        messageId: `m${i + 1}`,
      })),
    close: async () => {},
  };
});

/** A loopback platform: records requests, answers the next scripted fault or `accept`. */
interface FakePlatform {
  readonly url: string;
  readonly faults: PlatformFault[];
  readonly delivered: Delivered[];
  attempts: number;
  close(): Promise<void>;
}

type Answer = (status: number, body: string, headers?: Record<string, string>) => void;

async function fakePlatform(handlers: {
  /** Answers a request the platform accepts; returns what it delivered. */
  accept(req: IncomingMessage, body: string, answer: Answer, n: number): Delivered;
  /** Answers `fault` the way this platform does (dropped connections and silence are handled here). */
  refuse(fault: Exclude<PlatformFault, { kind: "connection_dropped" | "no_answer" }>, answer: Answer): void;
}): Promise<FakePlatform> {
  const platform = {
    url: "",
    faults: [] as PlatformFault[],
    delivered: [] as Delivered[],
    attempts: 0,
    close: async () => {},
  };
  const server: Server = createServer((req, res: ServerResponse) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      platform.attempts += 1;
      const answer: Answer = (status, text, headers = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(text);
      };
      const fault = platform.faults.shift();
      if (fault?.kind === "connection_dropped") return req.socket.destroy();
      if (fault?.kind === "no_answer") return; // closed by closeAllConnections in close()
      if (fault) return handlers.refuse(fault, answer);
      platform.delivered.push(handlers.accept(req, body, answer, platform.delivered.length + 1));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  platform.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  platform.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return platform;
}

const harness = (
  platform: FakePlatform,
  rest: Pick<PosterUnderTest, "poster" | "channel">,
): PosterUnderTest => ({
  ...rest,
  failNext: (fault) => platform.faults.push(fault),
  attempts: () => platform.attempts,
  delivered: () => platform.delivered,
  close: () => platform.close(),
});

const json = (value: unknown) => JSON.stringify(value);
/** Short, so the "no answer" case ends quickly; nothing asserts on time. */
const POST_TIMEOUT_MS = 300;

chatPosterContract("SlackDigestPoster over a loopback Slack Web API", async () => {
  const slack = await fakePlatform({
    accept(req, body, answer, n) {
      // chat.postMessage arrives form-encoded (blocks as a JSON string) or as JSON.
      const fields = body.startsWith("{")
        ? (JSON.parse(body) as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(body));
      if (req.url !== "/api/chat.postMessage") throw new Error(`unexpected Slack call ${req.url}`);
      const ts = `1700000000.${String(n).padStart(6, "0")}`;
      answer(200, json({ ok: true, channel: fields.channel, ts }));
      return { address: String(fields.channel), content: json(fields), messageId: ts };
    },
    refuse(fault, answer) {
      switch (fault.kind) {
        case "not_in_channel":
        case "channel_not_found":
          return answer(200, json({ ok: false, error: fault.kind }));
        case "rate_limited":
          return answer(
            429,
            json({ ok: false, error: "ratelimited" }),
            fault.retryAfterSeconds === null ? {} : { "retry-after": String(fault.retryAfterSeconds) },
          );
        case "server_error":
          return answer(fault.status, "<html><body>upstream trouble</body></html>", {
            "content-type": "text/html",
          });
      }
    },
  });
  return harness(slack, {
    poster: new SlackDigestPoster({
      token: "xoxb-contract",
      slackApiUrl: `${slack.url}/api/`,
      timeoutMs: POST_TIMEOUT_MS,
    }),
    channel: async (name) => ({
      target: { platform: "slack", teamId: "T1", channelId: `C-${name}` },
      address: `C-${name}`,
    }),
  });
});

/**
 * The Teams poster with `adapter()`: a bare CloudAdapter, and the adapter as production shares it
 * with createTeamsApp, whose onTurnError (for inbound turns) once swallowed refused proactive posts.
 */
const teamsPosterUnderTest = (adapter: () => CloudAdapter) => async (): Promise<PosterUnderTest> => {
  const connector = await fakePlatform({
    accept(req, body, answer, n) {
      const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? "");
      if (!match?.[1]) throw new Error(`unexpected connector call ${req.url}`);
      const id = `activity-${n}`;
      answer(200, json({ id }));
      return { address: decodeURIComponent(match[1]), content: body, messageId: id };
    },
    refuse(fault, answer) {
      const error = (code: string) => json({ error: { code, message: code } });
      switch (fault.kind) {
        case "not_in_channel":
          return answer(403, error("BotNotInConversationRoster"));
        case "channel_not_found":
          return answer(404, error("ConversationNotFound"));
        case "rate_limited":
          return answer(
            429,
            error("Throttled"),
            fault.retryAfterSeconds === null ? {} : { "retry-after": String(fault.retryAfterSeconds) },
          );
        case "server_error":
          return answer(fault.status, error("ServiceError"));
      }
    },
  });
  const store = new MemoryStore();
  return harness(connector, {
    poster: new TeamsDigestPoster({ adapter: adapter(), botAppId: "", store, timeoutMs: POST_TIMEOUT_MS }),
    channel: async (name) => {
      const conversationId = `19:${name}@thread.tacv2`;
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
      return { target: { platform: "teams", conversationId }, address: conversationId };
    },
  });
};

chatPosterContract(
  "TeamsDigestPoster over a loopback Bot Framework connector",
  teamsPosterUnderTest(
    () =>
      new CloudAdapter(
        new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: "", MicrosoftAppPassword: "" }),
      ),
  ),
);

chatPosterContract(
  "TeamsDigestPoster on the adapter shared with createTeamsApp (onTurnError set)",
  teamsPosterUnderTest(() => {
    const config = parseTeamsConfig({}, true).value!;
    const logger = new MemoryLogger();
    const chat = {
      runCheck: () => Promise.reject(new Error("not used")),
      clock: fixedClock(Date.parse("2026-11-24T10:00:00Z")),
      audit: new MemoryAuditLog(),
      logger,
    };
    return createTeamsApp({ chat, digest: null, logger, localMode: true }, config).adapter;
  }),
);
