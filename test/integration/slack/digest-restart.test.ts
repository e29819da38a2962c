/**
 * Issue 6, "tried as a new user would", for Slack through the real bot (startBot, local mode):
 * a signed `/attest digest subscribe` with a cron that fires every minute, the bot closed, started
 * again on the same data directory with a later (controlled) clock, and the digest arrives once
 * at the Slack API stub's chat.postMessage. Kusto is the embedded demo engine; the file store is
 * in a temporary ATTEST_DATA_DIR; SLACK_API_URL points at the loopback stub.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../../../src/compose/start-bot.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import type { Clock } from "../../../src/ports/clock.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { SlackSink, sendSigned, slashBody, TOKEN } from "./helpers.js";

/** A clock the test moves by hand (the bot reads time only through it). */
class ManualClock implements Clock {
  t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = (): number => this.t;
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

const sink = new SlackSink();
let dataDir = "";

beforeAll(async () => {
  await sink.start();
  dataDir = await mkdtemp(join(tmpdir(), "attest-slack-digest-"));
});

afterAll(async () => {
  await sink.close();
  await rm(dataDir, { recursive: true, force: true });
});

function boot(clock: ManualClock, logger = new MemoryLogger()): Promise<RunningBot> {
  return startBot({
    // Digests, not checks, are under test: no check worker to start each time (about 2 s from source).
    env: sink.botEnv(dataDir, { ATTEST_CHECK_WORKERS: "0" }),
    logger,
    clock,
    audit: new MemoryAuditLog(),
    port: 0,
  });
}

const digestPosts = () =>
  sink.calls.filter((c) => c.path === "/api/chat.postMessage" && String(c.body.text).includes("digest"));

describe("a new user's Slack digest survives a restart", () => {
  it("subscribed by a signed slash command, fires once after the restart", async () => {
    const clock = new ManualClock("2026-11-24T08:30:10Z");
    const first = await boot(clock);
    let subscribed: Record<string, unknown>;
    try {
      expect(first.localMode).toBe(true);
      const res = await sendSigned(
        `${first.url}/slack/events`,
        slashBody('digest subscribe --all --cron "* * * * *"', { channel_id: "C-ops" }),
        { timestampSec: Math.floor(clock.now() / 1000) },
      );
      expect(res.status).toBe(200);
      subscribed = (await res.json()) as Record<string, unknown>;
    } finally {
      await first.close();
    }
    expect(subscribed.response_type).toBe("in_channel");
    expect(subscribed.text).toMatch(
      /Subscribed\. d-[0-9a-f]+: whole fleet; "\* \* \* \* \*" UTC; next 2026-11-24T08:31:00/,
    );
    // Written to the data directory, and nothing posted yet: the first tick is after the shutdown.
    expect((await readdir(dataDir, { recursive: true })).length).toBeGreaterThan(0);
    expect(digestPosts()).toEqual([]);

    // Restart on the same data directory, two minutes later: the missed ticks give one digest.
    clock.set("2026-11-24T08:32:30Z");
    const second = await boot(clock);
    let post: Awaited<ReturnType<typeof sink.next>>;
    let listed: Record<string, unknown>;
    try {
      post = await sink.next((c) => c.path === "/api/chat.postMessage");
      // The restarted bot still lists the subscription for the channel.
      const res = await sendSigned(
        `${second.url}/slack/events`,
        slashBody("digest list", { channel_id: "C-ops" }),
        {
          timestampSec: Math.floor(clock.now() / 1000),
        },
      );
      listed = (await res.json()) as Record<string, unknown>;
    } finally {
      // close() waits for the scheduler's run in progress, so every post it makes is recorded.
      await second.close();
    }
    const id = /Subscribed\. (d-[0-9a-f]+)/.exec(String(subscribed.text))?.[1];
    expect(listed.text).toContain(`• ${id}: whole fleet; "* * * * *" UTC; next 2026-11-24T08:33:00.000Z`);
    expect(post.authorization).toBe(`Bearer ${TOKEN}`);
    expect(post.body.channel).toBe("C-ops");
    expect(post.body.text).toContain("Attestation digest");
    // One catch-up digest for the missed ticks (08:31 and 08:32): from the period before the first tick after subscribing (made at 08:30:10) to the latest.
    const blocks = post.body.blocks as {
      type: string;
      text?: { text: string };
      elements?: { text: string }[];
    }[];
    expect(blocks[0]?.text?.text).toMatch(/^Attestation digest · d-[0-9a-f]+$/);
    // Slack dates (the reader's time zone), with the UTC text as fallback.
    expect(blocks[1]?.elements?.[0]?.text).toMatch(
      /^<!date\^\d+\^[^|]+\|2026-11-24 08:30 UTC> → <!date\^\d+\^[^|]+\|2026-11-24 08:32 UTC>$/,
    );
    expect(digestPosts()).toHaveLength(1);

    // Started again in the same minute: that period is delivered already, nothing more is posted.
    const third = await boot(clock);
    await third.close();
    expect(digestPosts()).toHaveLength(1);
  });
});
