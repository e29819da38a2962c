/**
 * Issue 5's acceptance point as written: the embedded Kusto, served over Kusto's REST protocol and
 * made to stall, behind the real bot (startBot → SDK runner → HTTP): the signed slash command is
 * acknowledged while every query hangs, and the answer (Kusto unavailable, after our own query
 * deadline) reaches the response_url.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../../../src/compose/start-bot.js";
import { tablesFromJson } from "../../../src/kusto-engine/data-file.js";
import { buildDemoData } from "../../../src/kusto-engine/demo-data.js";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import { type KustoServer, startKustoServer } from "../../../src/kusto-engine/server/kusto-server.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { SlackSink, sendSigned, slashBody } from "./helpers.js";

describe("a slash command while the served embedded Kusto stalls", () => {
  const sink = new SlackSink();
  const audit = new MemoryAuditLog();
  let kusto: KustoServer;
  let bot: RunningBot;
  let dataDir = "";

  beforeAll(async () => {
    await sink.start();
    const now = Date.now();
    kusto = await startKustoServer({
      engine: new KustoEngine(ATTEST_SCHEMA, tablesFromJson(buildDemoData(now), ATTEST_SCHEMA, "demo")),
    });
    dataDir = await mkdtemp(join(tmpdir(), "attest-slack-stall-"));
    bot = await startBot({
      env: sink.botEnv(dataDir, {
        ATTEST_KUSTO_CLUSTER_URL: kusto.url,
        ATTEST_KUSTO_DATABASE: "sqlazure1",
        ATTEST_QUERY_TIMEOUT: "2s",
      }),
      logger: new MemoryLogger(),
      audit,
      port: 0,
    });
    // Stall only now: start-up (warm-up, readiness) is not what is tested.
    kusto.setFaults({ stall: true });
  });

  afterAll(async () => {
    await bot.close();
    await kusto.close();
    await sink.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("acks at once, asks Kusto, and answers 'unavailable' via response_url after the deadline", async () => {
    const before = kusto.requestCount;
    const ack = await sendSigned(
      `${bot.url}/slack/events`,
      slashBody("check sgxtestuksouthsrv", { response_url: sink.responseUrl("stall") }),
    );
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as { text: string }).text).toBe("Checking sgxtestuksouthsrv…");
    // The queries reached the served engine, which has not answered: the ack did not wait.
    await expect.poll(() => kusto.requestCount).toBeGreaterThan(before);
    expect(sink.calls.some((c) => c.path === "/response/stall")).toBe(false);

    const result = await sink.next((c) => c.path === "/response/stall");
    expect(result.body.text).toContain("Kusto could not be reached");
    await expect
      .poll(() => audit.entries.at(-1))
      .toMatchObject({ platform: "slack", command: "check", outcome: "unavailable" });
  });
});
