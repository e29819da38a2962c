/**
 * The check queue through the real bot server (startBot) over signed HTTP: with one check running
 * and the queue full, one more is answered "busy, try again in a minute" in the acknowledgement
 * and never reaches Kusto; the queued one still runs once the first finishes.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSY_MESSAGE } from "../../../src/app/chat/handle-command.js";
import { type RunningBot, startBot } from "../../../src/compose/start-bot.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { KustoFailure, type KustoRunner } from "../../../src/ports/kusto.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { gate, SlackSink, sendSigned, slashBody } from "./helpers.js";

const sink = new SlackSink();
const audit = new MemoryAuditLog();
let stalled = gate<void>();
const servers: string[] = [];
const kusto: KustoRunner = {
  target: { clusterUrl: "https://stalled.kusto.windows.net", database: "Telemetry", embedded: false },
  run: async (request) => {
    servers.push(request.parameters.server ?? "");
    await stalled.promise;
    throw new KustoFailure("unreachable", "test Kusto is down", { requestId: "attest-bot;r" });
  },
};
let bot: RunningBot;
let dataDir = "";

beforeAll(async () => {
  await sink.start();
  dataDir = await mkdtemp(join(tmpdir(), "attest-busy-"));
  bot = await startBot({
    env: sink.botEnv(dataDir, { ATTEST_CHECK_CONCURRENCY: "1", ATTEST_CHECK_QUEUE: "1" }),
    logger: new MemoryLogger(),
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

const check = async (server: string, name: string) => {
  const res = await sendSigned(
    `${bot.url}/slack/events`,
    slashBody(`check ${server}`, { response_url: sink.responseUrl(name) }),
  );
  return ((await res.json()) as { text: string }).text;
};

describe("a full check queue", () => {
  it("answers one check too many 'busy' at once, runs nothing for it, and still runs the queued one", async () => {
    expect(await check("sgxrunning", "q1")).toBe("Checking sgxrunning…");
    await expect.poll(() => servers.includes("sgxrunning")).toBe(true);
    expect(await check("sgxqueued", "q2")).toBe("Checking sgxqueued…");
    const busy = await check("sgxrefused", "q3");
    expect(busy).toContain(BUSY_MESSAGE);
    expect(audit.entries.find((e) => e.command === "check" && e.outcome === "busy")).toBeDefined();

    stalled.open();
    await sink.next((c) => c.path === "/response/q1");
    const queued = await sink.next((c) => c.path === "/response/q2");
    expect(queued.body.text).toContain("Kusto could not be reached");
    expect(servers).toContain("sgxqueued");
    expect(servers).not.toContain("sgxrefused");
    expect(sink.calls.some((c) => c.path === "/response/q3")).toBe(false);
    stalled = gate<void>();
  });
});
