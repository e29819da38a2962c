/**
 * Slack inside the real bot server (startBot): off without settings, refused configurations, and
 * a signed slash command acknowledged at once while the Kusto runner stalls. Digests start with
 * Slack on, so their file store goes to a temporary ATTEST_DATA_DIR.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../../../src/compose/start-bot.js";
import { ConfigError } from "../../../src/config/config.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { KustoFailure, type KustoRunner } from "../../../src/ports/kusto.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { gate, SECRET, SlackSink, sendSigned, slashBody, TOKEN } from "./helpers.js";

describe("start-up", () => {
  it("without Slack settings the routes are off and the start-up log says so", async () => {
    const logger = new MemoryLogger();
    // Teams is on in local mode, so digests start: their store goes to a temporary directory,
    // never the working copy's ./data (where a developer's subscriptions would be read and posted).
    const dataDir = await mkdtemp(join(tmpdir(), "attest-slack-off-"));
    const bot = await startBot({ env: { ATTEST_DATA_DIR: dataDir }, logger, port: 0 });
    try {
      const off = logger.events.find((e) => e.event === "slack.off");
      expect(off?.fields.reason).toContain("Slack routes are off");
      const res = await sendSigned(`${bot.url}/slack/events`, slashBody("help"));
      expect(res.status).toBe(404);
    } finally {
      await bot.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses half a configuration, and a public bot without allow-lists, listing every problem", async () => {
    const half = startBot({ env: { SLACK_SIGNING_SECRET: SECRET }, logger: new MemoryLogger(), port: 0 });
    await expect(half).rejects.toBeInstanceOf(ConfigError);
    await expect(half).rejects.toThrow(/SLACK_BOT_TOKEN: required/);
    const open = startBot({
      env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, ATTEST_PUBLIC: "true" },
      logger: new MemoryLogger(),
      port: 0,
    });
    await expect(open).rejects.toThrow(/ATTEST_SLACK_ALLOWED_TEAMS[\s\S]*ATTEST_SLACK_ALLOWED_CHANNELS/);
    await expect(open).rejects.not.toThrow(new RegExp(SECRET));
  });
});

describe("a slash command through startBot with a stalled Kusto", () => {
  const sink = new SlackSink();
  const stalled = gate<void>();
  const audit = new MemoryAuditLog();
  const logger = new MemoryLogger();
  let asked = 0;
  const kusto: KustoRunner = {
    target: { clusterUrl: "https://stalled.kusto.windows.net", database: "Telemetry", embedded: false },
    run: async (request) => {
      asked++;
      await stalled.promise;
      throw new KustoFailure("unreachable", `stalled test Kusto (${request.name})`, {
        requestId: "attest-bot;r",
      });
    },
  };
  let bot: RunningBot;
  let dataDir = "";

  beforeAll(async () => {
    await sink.start();
    dataDir = await mkdtemp(join(tmpdir(), "attest-slack-start-"));
    bot = await startBot({
      env: sink.botEnv(dataDir),
      logger,
      kusto,
      audit,
      port: 0,
    });
  });

  afterAll(async () => {
    stalled.open();
    await bot.close();
    await sink.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("acks 'Checking…' before Kusto answers, then says Kusto is unavailable via response_url", async () => {
    expect(logger.events.some((e) => e.event === "slack.on")).toBe(true);
    const started = performance.now();
    const ack = await sendSigned(
      `${bot.url}/slack/events`,
      slashBody("check sgxtestuksouthsrv", { response_url: sink.responseUrl("s1") }),
    );
    const ackMs = Math.round(performance.now() - started);
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as { text: string }).text).toBe("Checking sgxtestuksouthsrv…");
    // Kusto has been asked and has not answered: the acknowledgement did not wait for it.
    await expect.poll(() => asked).toBeGreaterThan(0);
    expect(sink.calls.some((c) => c.path === "/response/s1")).toBe(false);
    logger.info("test.ack_ms", { ackMs });

    stalled.open();
    const result = await sink.next((c) => c.path === "/response/s1");
    expect(result.body.text).toContain("Kusto could not be reached");
    await expect
      .poll(() => audit.entries.at(-1))
      .toMatchObject({ platform: "slack", outcome: "unavailable" });
    expect(sink.calls.filter((c) => c.path.startsWith("/api/"))).toEqual([]);
  });
});
