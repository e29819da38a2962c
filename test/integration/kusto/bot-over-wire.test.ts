/**
 * Issue 10 through the real bot (startBot → sharing → retries → SDK → the served engine on
 * 127.0.0.1): /readyz does not query Kusto on every hit, and a throttled Kusto is named as
 * throttling in the Slack reply (not "could not be reached").
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../../../src/compose/start-bot.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { SECRET, SlackSink, sendSigned, slashBody, TOKEN } from "../slack/helpers.js";
import { scenarioData } from "./scenarios.js";
import { DATABASE, type Served, serveData } from "./served.js";

const NOW = Date.now();

describe("the bot over the served engine", () => {
  const sink = new SlackSink();
  const audit = new MemoryAuditLog();
  let served: Served;
  let bot: RunningBot;
  let dataDir = "";

  beforeAll(async () => {
    await sink.start();
    served = await serveData(scenarioData(NOW), NOW);
    dataDir = await mkdtemp(join(tmpdir(), "attest-kusto-bot-"));
    bot = await startBot({
      env: {
        ATTEST_KUSTO_CLUSTER_URL: served.server.url,
        ATTEST_KUSTO_DATABASE: DATABASE,
        ATTEST_QUERY_TIMEOUT: "3s",
        ATTEST_KUSTO_CACHE_SECONDS: "0",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_API_URL: `${sink.url}/api/`,
        ATTEST_DATA_DIR: dataDir,
      },
      logger: new MemoryLogger(),
      audit,
      port: 0,
    });
  });

  afterAll(async () => {
    await bot.close();
    await served.server.close();
    await sink.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const probes = () =>
    served.server.requests.filter((r) => JSON.stringify(r.body ?? "").includes("print ready = 1")).length;

  it("/readyz: 40 unauthenticated hits (30 at once) ask Kusto once", async () => {
    const before = probes();
    const hit = async () => {
      const res = await fetch(`${bot.url}/readyz`);
      return { status: res.status, body: (await res.json()) as { checks: { kusto: { ok: boolean } } } };
    };
    const burst = await Promise.all(Array.from({ length: 30 }, hit));
    for (let i = 0; i < 10; i++) burst.push(await hit());
    for (const r of burst) {
      expect(r.status).toBe(200);
      expect(r.body.checks.kusto.ok).toBe(true);
    }
    expect(probes() - before).toBe(1);
  });

  it("a throttled Kusto: the Slack reply says throttling, with the retries made", async () => {
    served.server.setFaults({ throttle: { retryAfterSeconds: 1 } });
    try {
      const ack = await sendSigned(
        `${bot.url}/slack/events`,
        slashBody("check sgxtestuksouthsrv", { response_url: sink.responseUrl("throttled") }),
      );
      expect(ack.status).toBe(200);
      const result = await sink.next((c) => c.path === "/response/throttled");
      expect(result.body.text).toMatch(/Kusto is throttling requests \(429\) — retried [1-9]\d* times?/);
      expect(result.body.text).not.toContain("could not be reached");
      await expect
        .poll(() => audit.entries.at(-1))
        .toMatchObject({ platform: "slack", command: "check", outcome: "unavailable" });
    } finally {
      served.server.setFaults(null);
    }
  });
});
