/**
 * `attest digest list` in Slack over real signed HTTP on 127.0.0.1 with a crowded channel: 45
 * subscriptions of 120 servers each, made with real `/attest digest subscribe` commands and stored
 * by the real digest use case (in-memory store). The list must show every id with its schedule,
 * next run and state, as escaped mrkdwn within Slack's limits. Slack's Web API is faked at the
 * network edge (SlackSink). Allow-lists: workspace T1, channels C1 and C2.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackRoutes, slackConfigFrom } from "../../../src/adapters/slack/routes.js";
import { MemoryStore } from "../../../src/adapters/storage/memory-store.js";
import type { ChatDeps } from "../../../src/app/chat/handle-command.js";
import { createDigestService } from "../../../src/app/digest/digest-service.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import type { Subscription } from "../../../src/domain/digest/subscription.js";
import { createHttpServer } from "../../../src/http/server.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { MemoryChatPoster } from "../../../src/ports/chat-poster.js";
import { systemClock } from "../../../src/ports/clock.js";
import type { KustoRunner } from "../../../src/ports/kusto.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import type { Block, SlackMessage } from "../../../src/render/block-kit/blocks.js";
import { LIMITS, messageProblems } from "../../../src/render/block-kit/limits.js";
import { DIGEST_LIST_LIMITS } from "../../../src/render/block-kit/render-digest-list.js";
import { mentionBody, SECRET, SlackSink, sendSigned, slashBody, TOKEN } from "./helpers.js";

const sink = new SlackSink();
const audit = new MemoryAuditLog();
const logger = new MemoryLogger();
const store = new MemoryStore();
let server: Server | null = null;
let url = "";

/** `list` never queries Kusto: a runner that fails loudly if it is asked. */
const noKusto = {
  run: () => Promise.reject(new Error("digest list must not query Kusto")),
} as unknown as KustoRunner;

const SUBSCRIPTIONS = 45;
const SERVERS = 120;
const serversOf = (n: number) =>
  Array.from(
    { length: SERVERS },
    (_, i) => `sgxtest-c${String(n).padStart(2, "0")}-srv${String(i).padStart(3, "0")}`,
  );

beforeAll(async () => {
  await sink.start();
  const chat: ChatDeps = {
    runCheck: () => Promise.reject(new Error("no checks in this test")),
    clock: systemClock,
    audit,
    logger,
  };
  const digests = createDigestService({
    store,
    poster: new MemoryChatPoster(),
    kusto: noKusto,
    query: loadQueryCatalog()["fleet-summary"],
    clock: systemClock,
    logger,
    audit,
    instanceId: "test",
  });
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
  server = createHttpServer({
    routes: createSlackRoutes({ chat, digest: digests.chat, logger, localMode: false }, config.value!),
    readiness: async () => ({ ready: true, checks: {} }),
    logger,
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await sink.close();
});

const slash = async (text: string, over: Record<string, string> = {}) => {
  const res = await sendSigned(url, slashBody(text, over));
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
};
const blocksOf = (body: Record<string, unknown>) => (body.blocks ?? []) as Block[];
const texts = (blocks: readonly Block[]) =>
  blocks.flatMap((b) =>
    b.type === "section" ? (b.text ? [b.text] : []) : b.type === "context" ? b.elements : [],
  );
const allText = (blocks: readonly Block[]) =>
  texts(blocks)
    .map((t) => t.text)
    .join("\n");

const ids: string[] = [];

describe("/attest digest list with 45 subscriptions of 120 servers in one channel", () => {
  beforeAll(async () => {
    for (let n = 0; n < SUBSCRIPTIONS; n++) {
      const tz = n === 7 ? "America/Argentina/Buenos_Aires" : "Europe/London";
      const body = await slash(
        `digest subscribe --servers ${serversOf(n).join(",")} --cron "${n % 60} 8 * * 1-5" --tz ${tz}${n === 3 ? " --min-failures 5 --quiet-when-clear" : ""}`,
      );
      const id = /Subscribed\. (d-[0-9a-f]+)/.exec(JSON.stringify(body))?.[1];
      expect(id, JSON.stringify(body).slice(0, 300)).toBeDefined();
      ids.push(id!);
    }
    // One channel whose posts fail (as the scheduler records it): the list must say so.
    const failing = await store.get("subscriptions", ids[5]!);
    const value: Subscription = {
      ...failing!.value,
      status: { state: "failing", reason: "not_in_channel", since: "2026-11-20T09:00:00.000Z" },
    };
    await store.put("subscriptions", ids[5]!, value, null);
  });

  it("shows every subscription id, each with its schedule, next run and state", async () => {
    const body = await slash("digest list");
    expect(body.response_type).toBe("ephemeral");
    const blocks = blocksOf(body);
    const lines = allText(blocks).split("\n");
    expect(new Set(ids).size).toBe(SUBSCRIPTIONS);
    ids.forEach((id, n) => {
      const line = lines.find((l) => l.startsWith(`• ${id}: `));
      expect(line, `no line for ${id}`).toBeDefined();
      expect(line).toContain(`\`${n % 60} 8 * * 1-5\``);
      expect(line).toMatch(/ · next 20\d\d-\d\d-\d\d \d\d:\d\d UTC · /);
      expect(line).toMatch(n === 5 ? /⚠️ \*failing\* since 2026-11-20 09:00 UTC: `not_in_channel`/ : /✅ ok/);
      // The server list is shortened, not the list of subscriptions.
      expect(line).toContain(`sgxtest-c${String(n).padStart(2, "0")}-srv000, `);
      expect(line).toMatch(/ and 11[0-9] more · /);
      expect(line).not.toContain("srv119");
    });
    expect(allText(blocks)).toContain(`*Digest subscriptions in this channel* (${SUBSCRIPTIONS})`);
    expect(allText(blocks)).not.toContain("not shown");
    // Flags and a zone with underscores, in code so `_` and `*` are not markup.
    expect(lines.find((l) => l.startsWith(`• ${ids[3]}: `))).toContain("min 5 failures · quiet when clear");
    expect(lines.find((l) => l.startsWith(`• ${ids[7]}: `))).toContain("`America/Argentina/Buenos_Aires`");
    // The fallback text names every id too.
    for (const id of ids) expect(body.text).toContain(id);
  });

  it("is mrkdwn split across several sections, within Slack's limits", async () => {
    const body = await slash("digest list");
    const blocks = blocksOf(body);
    expect(messageProblems(body as unknown as SlackMessage)).toEqual([]);
    expect(blocks.length).toBeGreaterThan(2);
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    for (const t of texts(blocks)) {
      expect(t.type).toBe("mrkdwn");
      expect(t.text.length).toBeLessThanOrEqual(LIMITS.text);
    }
    expect(allText(blocks).length).toBeLessThanOrEqual(DIGEST_LIST_LIMITS.totalText);
  });

  it("@attest digest list answers in the thread with the same ids", async () => {
    await sendSigned(url, mentionBody("digest list", "EvL1", { ts: "1700000002.000100" }), {
      contentType: "application/json",
    });
    const reply = await sink.next(
      (c) => c.path === "/api/chat.postMessage" && c.body.thread_ts === "1700000002.000100",
    );
    expect(reply.body.channel).toBe("C1");
    const text = allText(reply.body.blocks as Block[]);
    for (const id of ids) expect(text).toContain(`• ${id}: `);
    expect(messageProblems(reply.body as unknown as SlackMessage)).toEqual([]);
  });

  it("another channel's list is its own", async () => {
    const body = await slash("digest list", { channel_id: "C2" });
    expect(allText(blocksOf(body))).toContain("No digest subscriptions in this channel");
    for (const id of ids) expect(JSON.stringify(body)).not.toContain(id);
  });
});

describe("/attest digest list with a subscription that cannot be read", () => {
  it("shows it as failing with its id and why, and every other id still", async () => {
    const base = (await store.get("subscriptions", ids[0]!))!.value;
    await store.put("subscriptions", "d-0bad01", { ...base, id: "d-0bad01", cron: "61 * * * *" }, null);
    try {
      const body = await slash("digest list");
      const blocks = blocksOf(body);
      expect(messageProblems(body as unknown as SlackMessage)).toEqual([]);
      const text = allText(blocks);
      expect(text).toContain(`*Digest subscriptions in this channel* (${SUBSCRIPTIONS + 1})`);
      expect(text).toMatch(/⚠️ \*1 subscription of this channel cannot be read\*.*\n• d-0bad01: ⚠ FAILING: /);
      for (const id of ids) expect(text).toContain(`• ${id}: `);
    } finally {
      await store.delete("subscriptions", "d-0bad01");
    }
  });
});

describe("/attest digest list beyond what one message holds", () => {
  it("lists as many in full as fit, then counts the rest, names their ids and says how to see them", async () => {
    const base = (await store.get("subscriptions", ids[0]!))!.value;
    const many: string[] = [];
    for (let n = 0; n < 150; n++) {
      const id = `d-c2${String(n).padStart(4, "0")}`;
      many.push(id);
      await store.put(
        "subscriptions",
        id,
        { ...base, id, target: { platform: "slack", teamId: "T1", channelId: "C2" } },
        null,
      );
    }
    const body = await slash("digest list", { channel_id: "C2" });
    const blocks = blocksOf(body);
    expect(messageProblems(body as unknown as SlackMessage)).toEqual([]);
    expect(allText(blocks).length).toBeLessThanOrEqual(DIGEST_LIST_LIMITS.totalText);
    const text = allText(blocks);
    const full = many.filter((id) => text.includes(`• ${id}: `));
    expect(full.length).toBeGreaterThan(20);
    expect(full).toEqual(many.slice(0, full.length));
    const note = blocks.at(-1);
    expect(note?.type).toBe("context");
    const noteText = allText(note ? [note] : []);
    expect(noteText).toContain(`… ${many.length - full.length} more subscriptions not shown in full`);
    for (const id of many.slice(full.length)) expect(noteText).toContain(id);
    expect(noteText).toContain("`/attest digest unsubscribe &lt;id&gt;`");
  });
});
