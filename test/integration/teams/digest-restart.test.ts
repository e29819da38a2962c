/**
 * As a new user would (issue 6, Teams): the real composition root (`startBot`, local mode, the
 * embedded demo data, the file store in a temporary ATTEST_DATA_DIR) receives
 * `digest subscribe --all --cron "* * * * *"` from a Teams channel activity over HTTP. The bot is
 * closed and started again on the same data directory with the clock moved on: the subscription is
 * still there (`digest list`), and the catch-up digest arrives once at the connector stub, posted
 * proactively to the channel (its root conversation, not the reply thread). A third start in the
 * same minute posts nothing more.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../../../src/compose/start-bot.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { cardText, checkCard } from "../../unit/teams/card-validation.js";
import { type ConnectorCall, type ConnectorStub, startConnectorStub } from "./connector-stub.js";

/** The README's channel sample: `digest subscribe --all --cron "* * * * *"` in a reply thread. */
const SAMPLE = JSON.parse(
  readFileSync(new URL("../../../infra/teams/sample-channel-activity.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
const ROOT = "19:sample-ops-channel@thread.tacv2";
const THREAD = `${ROOT};messageid=1764061200000`;
const TENANT = "11111111-1111-1111-1111-111111111111";
let seq = 0;

/** The sample with `text` after the @mention (null: as it is), a fresh id, the stub as serviceUrl. */
function channelMessage(serviceUrl: string, text: string | null) {
  return {
    ...SAMPLE,
    id: `sample-channel-${++seq}`,
    serviceUrl,
    ...(text === null ? {} : { text: `<at>attest</at> ${text}` }),
  };
}

const cardOfCall = (call: ConnectorCall) =>
  (call.body.attachments as { content: unknown }[] | undefined)?.[0]?.content ?? null;
const isDigest = (call: ConnectorCall) =>
  call.method === "POST" && cardText(cardOfCall(call)).startsWith("Attestation digest · ");

describe("a Teams channel's digest survives a restart and fires once (startBot, local mode)", () => {
  let connector: ConnectorStub;
  let dataDir = "";
  const running: RunningBot[] = [];
  let now = Date.parse("2026-11-24T09:00:30Z");
  const clock = { now: () => now };
  const logger = new MemoryLogger();
  const start = async () => {
    // Digests, not checks, are under test: no check worker to start each time (about 2 s from source).
    const bot = await startBot({
      env: { ATTEST_DATA_DIR: dataDir, ATTEST_CHECK_WORKERS: "0" },
      logger,
      port: 0,
      clock,
    });
    running.push(bot);
    return bot;
  };
  const say = async (bot: RunningBot, text: string | null) => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(channelMessage(connector.url, text)),
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    connector = await startConnectorStub();
    dataDir = await mkdtemp(join(tmpdir(), "attest-teams-digest-"));
  });
  afterAll(async () => {
    for (const bot of running) await bot.close();
    await connector?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("subscribe, restart, the digest arrives once in the channel", async () => {
    const first = await start();
    await say(first, null);
    const subscribed = await connector.waitFor((c) => cardText(cardOfCall(c)).includes("Digest subscribed"));
    // The answer goes to the thread the command came from.
    expect(subscribed.path).toContain(encodeURIComponent(THREAD));
    const id = /(d-[0-9a-f]{6})/.exec(cardText(cardOfCall(subscribed)))?.[1];
    expect(id).toBeDefined();
    await first.close();
    expect(connector.calls.filter(isDigest)).toHaveLength(0);

    // Five minutes later, a new process on the same data directory.
    now = Date.parse("2026-11-24T09:05:30Z");
    const second = await start();
    const digest = await connector.waitFor(isDigest);
    // In the channel (its root conversation id), not in the thread the subscribe came from.
    expect(digest.path.startsWith(`/v3/conversations/${encodeURIComponent(ROOT)}/activities`)).toBe(true);
    expect(decodeURIComponent(digest.path)).not.toContain("messageid");
    const card = cardOfCall(digest);
    expect(checkCard(card).problems).toEqual([]);
    expect(cardText(card)).toContain(`Attestation digest · ${id}`);
    // One catch-up digest covering every period missed since the subscription (made at 09:00:30,
    // first tick 09:01, so from the period ending then) up to the latest tick.
    // DATE/TIME functions: the reader's local time.
    expect(cardText(card)).toContain(
      "{{DATE(2026-11-24T09:00:00Z, SHORT)}} {{TIME(2026-11-24T09:00:00Z)}} → {{DATE(2026-11-24T09:05:00Z, SHORT)}} {{TIME(2026-11-24T09:05:00Z)}}",
    );

    await say(second, "digest list");
    const list = await connector.waitFor((c) => cardText(cardOfCall(c)).includes("Digest subscriptions"));
    expect(cardText(cardOfCall(list))).toContain(`${id}: whole fleet; "* * * * *" UTC`);
    await second.close();

    // Another restart in the same minute: the delivery record says it was posted.
    const third = await start();
    await third.close();
    expect(connector.calls.filter(isDigest)).toHaveLength(1);
    expect(logger.events.filter((e) => e.event === "audit").map((e) => e.fields.command)).toEqual([
      "digest subscribe",
      "digest list",
    ]);
  });

  it("preview from the channel opens a 1:1 chat with the caller and posts the digest there only", async () => {
    const bot = await start();
    const before = connector.calls.length;
    await say(bot, "digest preview");
    const created = await connector.waitFor((c) => c.method === "POST" && c.path === "/v3/conversations");
    expect(created.body).toMatchObject({
      isGroup: false,
      tenantId: TENANT,
      members: [expect.objectContaining({ aadObjectId: "22222222-2222-2222-2222-222222222222" })],
    });
    const preview = await connector.waitFor((c) =>
      cardText(cardOfCall(c)).startsWith("Attestation digest preview"),
    );
    // The stub names the new conversation after its resource id; the channel never sees the card.
    expect(preview.path).toMatch(/^\/v3\/conversations\/activity-\d+\/activities/);
    const notice = await connector.waitFor((c) => String(c.body.text ?? "").includes("personal chat"));
    expect(notice.path).toContain(encodeURIComponent(ROOT));
    const later = connector.calls.slice(before);
    expect(later.filter((c) => c.path.includes(encodeURIComponent(ROOT)) && cardOfCall(c) !== null)).toEqual(
      [],
    );
    await bot.close();
  });
});
