/**
 * The Slack app over real HTTP on 127.0.0.1: signed requests in, Web API calls and response_url
 * posts out to a loopback sink. Kusto is faked at the port (ChatDeps.runCheck) so it can stall.
 */
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackRoutes, slackConfigFrom } from "../../../src/adapters/slack/routes.js";
import type { ChatDeps } from "../../../src/app/chat/handle-command.js";
import type { CheckReport, CheckRequest } from "../../../src/app/run-check.js";
import { createHttpServer } from "../../../src/http/server.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { systemClock } from "../../../src/ports/clock.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import type { SlackMessage } from "../../../src/render/block-kit/blocks.js";
import { messageProblems } from "../../../src/render/block-kit/limits.js";
import { rbac } from "../../unit/slack/fixtures/views.js";
import { actionBody, gate, mentionBody, SECRET, SlackSink, sendSigned, slashBody, TOKEN } from "./helpers.js";

function report(request: CheckRequest): CheckReport {
  const to = new Date().toISOString();
  const from = new Date(Date.now() - 3 * 3_600_000).toISOString();
  return {
    server: request.server,
    database: request.database,
    attestationUrl: request.url,
    window: { from, to },
    loadWindow: { from, to },
    diagnosis: { verdict: "customer_error", findings: [rbac(5)] },
    queries: [
      {
        name: "attestation-failures",
        file: "attestation-failures.kql",
        text: "declare query_parameters(server:string);\nMonSQLSystemHealth\n| where LogicalServerName =~ server",
        parameters: { server: request.server },
        requestId: "attest-bot;11111111-1111-4111-8111-111111111111",
        durationMs: 12,
        rows: 5,
        failure: null,
      },
    ],
    freshness: to,
    generatedAt: to,
    target: { clusterUrl: "https://help.kusto.windows.net", database: "Telemetry", embedded: false },
  };
}

const sink = new SlackSink();
const audit = new MemoryAuditLog();
const logger = new MemoryLogger();
const checks: CheckRequest[] = [];
/** Holds the next checks until opened (a stalled Kusto). */
let kusto = gate<void>();
let server: Server;
let url = "";

beforeAll(async () => {
  await sink.start();
  const chat: ChatDeps = {
    runCheck: async (request) => {
      checks.push(request);
      await kusto.promise;
      return report(request);
    },
    clock: systemClock,
    audit,
    logger,
  };
  const config = slackConfigFrom(
    {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: `${sink.url}/api/`,
      ATTEST_SLACK_ALLOWED_TEAMS: "T1",
      ATTEST_SLACK_ALLOWED_CHANNELS: "C1,C2",
    },
    false,
  );
  expect(config.problems).toEqual([]);
  const routes = createSlackRoutes({ chat, digest: null, logger, localMode: false }, config.value!);
  server = createHttpServer({ routes, readiness: async () => ({ ready: true, checks: {} }), logger });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  kusto.open();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await sink.close();
});

beforeEach(() => {
  kusto = gate<void>();
});

const blocksText = (body: Record<string, unknown>) => JSON.stringify(body.blocks ?? body.text);

describe("slash command /attest check", () => {
  it("acknowledges with 'Checking X…' while Kusto stalls, then posts the result to response_url", async () => {
    const before = checks.length;
    const started = performance.now();
    const ack = await sendSigned(
      url,
      slashBody("check sgxtestuksouthsrv --since 6h", { response_url: sink.responseUrl("r1") }),
    );
    const ackMs = performance.now() - started;
    // The check has started and is still stalled, yet the acknowledgement is already here.
    expect(ack.status).toBe(200);
    const ackBody = (await ack.json()) as Record<string, unknown>;
    expect(ackBody.response_type).toBe("ephemeral");
    expect(ackBody.text).toBe("Checking sgxtestuksouthsrv…");
    await expect.poll(() => checks.length).toBe(before + 1);
    expect(checks.at(-1)).toMatchObject({
      server: "sgxtestuksouthsrv",
      database: null,
      url: null,
      sinceMs: 6 * 3_600_000,
    });
    expect(sink.calls.some((c) => c.path === "/response/r1")).toBe(false);
    logger.info("test.ack_ms", { ackMs });

    kusto.open();
    const result = await sink.next((c) => c.path === "/response/r1");
    expect(result.body.response_type).toBe("ephemeral");
    expect(blocksText(result.body)).toContain("Customer action needed — sgxtestuksouthsrv");
    expect(blocksText(result.body)).toContain("Open in Azure Data Explorer");
    expect(messageProblems(result.body as unknown as SlackMessage)).toEqual([]);
    await expect
      .poll(() => audit.entries.find((e) => e.command === "check" && e.conversation === "C1"))
      .toMatchObject({ platform: "slack", who: "U1", tenant: "T1", outcome: "customer_error" });
  });

  it("falls back to chat.postEphemeral when the response_url is expired", async () => {
    sink.failing.set("expired", 404);
    kusto.open();
    const ack = await sendSigned(
      url,
      slashBody("check expiredsrv", { response_url: sink.responseUrl("expired") }),
    );
    expect(ack.status).toBe(200);
    const call = await sink.next(
      (c) => c.path === "/api/chat.postEphemeral" && blocksText(c.body).includes("expiredsrv"),
    );
    expect(call.body).toMatchObject({ channel: "C1", user: "U1" });
    expect(call.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("answers malformed input with a usage message saying what was wrong, and runs nothing", async () => {
    const before = checks.length;
    const ack = await sendSigned(url, slashBody("check not_a_server!"));
    const body = (await ack.json()) as Record<string, unknown>;
    expect(body.response_type).toBe("ephemeral");
    expect(blocksText(body)).toContain("That did not work:* server: got");
    expect(blocksText(body)).toContain("`/attest check sgxtestuksouthsrv --since 6h`");
    expect(checks.length).toBe(before);
    expect(audit.entries.at(-1)).toMatchObject({ command: "check", outcome: "bad_input" });
  });

  it("answers help and explain in the acknowledgement itself", async () => {
    const help = (await (await sendSigned(url, slashBody("help"))).json()) as Record<string, unknown>;
    expect(blocksText(help)).toContain("/attest check &lt;server&gt;");
    const explain = (await (
      await sendSigned(
        url,
        slashBody(
          "explain Msg 37324, Level 16, State 57. Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Return code: '0x00000193'.",
        ),
      )
    ).json()) as Record<string, unknown>;
    expect(explain.response_type).toBe("ephemeral");
    expect((explain.blocks as { type: string }[])[0]?.type).toBe("header");
    expect(messageProblems(explain as unknown as SlackMessage)).toEqual([]);
    expect(audit.entries.at(-1)).toMatchObject({ command: "explain" });
  });
});

describe("refused requests", () => {
  const slash = slashBody("check sgxtestuksouthsrv");
  const now = () => Math.floor(Date.now() / 1000);

  it("bad signature", async () => {
    expect((await sendSigned(url, slash, { secret: "wrong" })).status).toBe(401);
  });
  it("stale timestamp (over 5 minutes old)", async () => {
    expect((await sendSigned(url, slash, { timestampSec: now() - 301 })).status).toBe(401);
  });
  it("future timestamp (over 5 minutes ahead)", async () => {
    expect((await sendSigned(url, slash, { timestampSec: now() + 301 })).status).toBe(401);
  });
  it("missing headers", async () => {
    expect((await sendSigned(url, slash, { unsigned: true })).status).toBe(401);
    const noSig = await fetch(url, {
      method: "POST",
      headers: {
        "x-slack-request-timestamp": String(now()),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: slash,
    });
    expect(noSig.status).toBe(401);
  });
  it("a valid request still passes (so the refusals above are about what they say)", async () => {
    kusto.open();
    expect((await sendSigned(url, slashBody("help"), { timestampSec: now() - 200 })).status).toBe(200);
    expect((await sendSigned(url, slashBody("help"), { timestampSec: now() + 200 })).status).toBe(200);
  });

  it("Slack's unsigned ssl_check is answered, and a command smuggled into it never runs", async () => {
    const before = checks.length;
    kusto.open();
    const res = await sendSigned(url, `ssl_check=1&token=x&${slashBody("check smuggledsrv")}`, {
      unsigned: true,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(checks.length).toBe(before);
  });

  it("a signed body that is neither a form nor JSON: 400", async () => {
    expect((await sendSigned(url, "{not json", { contentType: "application/json" })).status).toBe(400);
  });

  it("oversized body, declared: 413 before a byte of it is sent", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(10 * 1024 * 1024),
          "x-slack-request-timestamp": String(now()),
          "x-slack-signature": "v0=00",
        },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it("oversized body, streamed without a length: 413 once past the limit, the rest never read", async () => {
    let sent = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "transfer-encoding": "chunked",
          "x-slack-request-timestamp": String(now()),
          "x-slack-signature": "v0=00",
        },
      });
      let done = false;
      req.on("response", (res) => {
        done = true;
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", (e) => (done ? undefined : reject(e)));
      const chunk = Buffer.alloc(64 * 1024, "a");
      const pump = () => {
        while (!done && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
      };
      pump();
    });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("disallowed workspace: ephemeral refusal, nothing runs, audited", async () => {
    const before = checks.length;
    const res = await sendSigned(url, slashBody("check sgxtestuksouthsrv", { team_id: "T9" }));
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("not enabled in this workspace");
    expect(checks.length).toBe(before);
    expect(audit.entries.at(-1)).toMatchObject({ tenant: "T9", outcome: "refused" });
  });

  it("disallowed channel: ephemeral refusal, nothing runs, audited", async () => {
    const before = checks.length;
    const res = await sendSigned(url, slashBody("check sgxtestuksouthsrv", { channel_id: "C9" }));
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.text).toContain("not enabled in this channel");
    expect(checks.length).toBe(before);
    expect(audit.entries.at(-1)).toMatchObject({ conversation: "C9", outcome: "refused" });
  });
});

describe("events", () => {
  it("answers Slack's url_verification challenge", async () => {
    const res = await sendSigned(
      url,
      JSON.stringify({ type: "url_verification", challenge: "c-123", token: "x" }),
      {
        contentType: "application/json",
      },
    );
    expect(await res.json()).toEqual({ challenge: "c-123" });
  });

  it("@attest check: 'Checking…' in a thread, then chat.update with the result; a retry runs nothing", async () => {
    const before = checks.length;
    const body = mentionBody("check mentionsrv", "Ev001");
    const first = await sendSigned(url, body, { contentType: "application/json" });
    expect(first.status).toBe(200);
    const progress = await sink.next(
      (c) => c.path === "/api/chat.postMessage" && blocksText(c.body).includes("mentionsrv"),
    );
    expect(progress.body).toMatchObject({
      channel: "C1",
      thread_ts: "1700000000.000100",
      text: "Checking mentionsrv…",
    });
    const retry = await sendSigned(url, body, {
      contentType: "application/json",
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect(retry.status).toBe(200);
    kusto.open();
    const update = await sink.next(
      (c) => c.path === "/api/chat.update" && blocksText(c.body).includes("mentionsrv"),
    );
    expect(update.body).toMatchObject({ channel: "C1", ts: "1700000000.000900" });
    expect(blocksText(update.body)).toContain("Customer action needed");
    expect(checks.length).toBe(before + 1);
    expect(logger.events.some((e) => e.event === "slack.retry_ignored" && e.fields.eventId === "Ev001")).toBe(
      true,
    );
    const audited = audit.entries.filter((e) => e.parameters.server === "mentionsrv");
    expect(audited).toMatchObject([{ platform: "slack", command: "check", conversation: "C1", who: "U1" }]);
  });

  it("@attest in a disallowed channel: private refusal, nothing runs", async () => {
    const before = checks.length;
    await sendSigned(url, mentionBody("check x", "Ev002", { channel: "C9" }), {
      contentType: "application/json",
    });
    const refusal = await sink.next((c) => c.path === "/api/chat.postEphemeral" && c.body.channel === "C9");
    expect(refusal.body.text).toContain("not enabled in this channel");
    expect(checks.length).toBe(before);
  });
});

describe("buttons", () => {
  let value = "";
  beforeAll(async () => {
    kusto.open();
    await sendSigned(url, slashBody("check buttonsrv", { response_url: sink.responseUrl("b0") }));
    const result = await sink.next((c) => c.path === "/response/b0");
    const actions = (
      result.body.blocks as { type: string; elements?: { action_id: string; value?: string }[] }[]
    ).find((b) => b.type === "actions");
    value = actions?.elements?.find((e) => e.action_id === "attest_evidence")?.value ?? "";
    expect(value).not.toBe("");
  });

  it("Show evidence answers privately with the rows of the stored result, without running Kusto", async () => {
    const before = checks.length;
    await sendSigned(url, actionBody("attest_evidence", value, sink.responseUrl("b1")));
    const reply = await sink.next((c) => c.path === "/response/b1");
    expect(reply.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(blocksText(reply.body)).toContain("Evidence — buttonsrv");
    expect(checks.length).toBe(before);
  });

  it("Show KQL answers with the runnable query", async () => {
    await sendSigned(url, actionBody("attest_kql", value, sink.responseUrl("b2")));
    const reply = await sink.next((c) => c.path === "/response/b2");
    expect(blocksText(reply.body)).toContain('let server = \\"buttonsrv\\";');
  });

  it("Post to channel re-posts the result visibly with chat.postMessage", async () => {
    await sendSigned(url, actionBody("attest_post", value, sink.responseUrl("b3")));
    const post = await sink.next(
      (c) => c.path === "/api/chat.postMessage" && blocksText(c.body).includes("buttonsrv"),
    );
    expect(post.body.channel).toBe("C1");
    expect(blocksText(post.body)).toContain("Posted by <@U1>");
    expect(blocksText(post.body)).not.toContain("attest_post");
  });

  it("Post to channel falls back to an in_channel response_url post when the bot may not post there", async () => {
    sink.apiErrors.set("chat.postMessage", "not_in_channel");
    try {
      await sendSigned(url, actionBody("attest_post", value, sink.responseUrl("b3b")));
      const reply = await sink.next((c) => c.path === "/response/b3b");
      expect(reply.body.response_type).toBe("in_channel");
      expect(blocksText(reply.body)).toContain("Posted by <@U1>");
    } finally {
      sink.apiErrors.delete("chat.postMessage");
    }
  });

  it("Re-run runs the check again", async () => {
    const before = checks.length;
    kusto.open();
    await sendSigned(url, actionBody("attest_rerun", value, sink.responseUrl("b4")));
    await sink.next(
      (c) => c.path === "/response/b4" && blocksText(c.body).includes("Customer action needed"),
    );
    expect(checks.length).toBe(before + 1);
  });

  it("a click from a disallowed channel is refused and runs nothing", async () => {
    const before = checks.length;
    await sendSigned(
      url,
      actionBody("attest_rerun", value, sink.responseUrl("b5"), { channel: { id: "C9" } }),
    );
    const reply = await sink.next((c) => c.path === "/response/b5");
    expect(reply.body.text).toContain("not enabled in this channel");
    expect(checks.length).toBe(before);
  });

  it("a tampered value is refused (validated like a command)", async () => {
    const before = checks.length;
    const tampered = JSON.stringify({ ref: "not-a-uuid", command: "attest check x; drop" });
    await sendSigned(url, actionBody("attest_rerun", tampered, sink.responseUrl("b6")));
    const reply = await sink.next((c) => c.path === "/response/b6");
    expect(reply.body.text).toContain("not valid");
    expect(checks.length).toBe(before);
    expect(audit.entries.at(-1)).toMatchObject({ command: "button:rerun", outcome: "bad_input" });
  });

  it("Bolt never called Slack's auth.test (start-up and authorization work offline)", () => {
    expect(sink.calls.filter((c) => c.path.includes("auth.test"))).toEqual([]);
  });
});
