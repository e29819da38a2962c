/**
 * As a new user would: subscribe from Slack, restart, and the subscription is still there and
 * fires — through the real composition (file store in a data directory, Slack poster against a
 * local fake Slack API, the embedded demo data, the scheduler loop with real timers).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestStoreConfig, startDigests } from "../../../src/adapters/digest/compose.js";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { handleDigestCommand } from "../../../src/app/chat/digest-commands.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import { parseDigestCommand } from "../../../src/domain/digest/commands.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { ManualClock } from "./harness.js";

let slack: Server;
let slackUrl = "";
const posted: Record<string, string>[] = [];
let dataDir = "";

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "attest-newuser-"));
  slack = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      posted.push({ path: req.url ?? "", ...Object.fromEntries(new URLSearchParams(body)) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, ts: `17000000${posted.length}.0001` }));
    });
  });
  await new Promise<void>((r) => slack.listen(0, "127.0.0.1", r));
  slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/api/`;
});
afterAll(async () => {
  await new Promise<void>((r) => slack.close(() => r()));
  await rm(dataDir, { recursive: true, force: true });
});

async function boot(clock: ManualClock) {
  const storeConfig = digestStoreConfig({ ATTEST_DATA_DIR: dataDir });
  if (!storeConfig.value) throw new Error(storeConfig.problems.join("; "));
  const engineClock = { now: () => Date.parse("2026-11-24T09:00:00Z") };
  const running = await startDigests(
    storeConfig.value,
    { teams: null, slack: { token: "xoxb-test", apiUrl: slackUrl } },
    {
      kusto: new EngineKustoRunner(createEmbeddedEngine(null, engineClock), engineClock),
      query: loadQueryCatalog()["fleet-summary"],
      // As the bot wires it (issue 14): the demo's regional incident is one row.
      incidents: { query: loadQueryCatalog()["fleet-incidents"], minServers: 5 },
      clock,
      logger: new MemoryLogger(),
      audit: new MemoryAuditLog(),
      instanceId: "bot-1",
    },
  );
  running.start();
  return running;
}

describe("a new user's digest", () => {
  it("is subscribed from Slack, survives a restart, fires once at 09:00", async () => {
    const clock = new ManualClock("2026-11-24T08:30:00Z");
    const first = await boot(clock);
    const parsed = parseDigestCommand('subscribe --all --cron "0 9 * * *" --tz Europe/London');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const reply = await handleDigestCommand(
      first.chat,
      {
        platform: "slack",
        userId: "U1",
        tenantId: "T1",
        target: { platform: "slack", teamId: "T1", channelId: "C-ops" },
      },
      parsed.command,
    );
    expect(reply.kind).toBe("subscribed");
    await first.stop();
    expect(posted).toHaveLength(0);

    // Restart after the tick: the new process finds the subscription and posts the digest.
    clock.set("2026-11-24T09:00:30Z");
    const second = await boot(clock);
    await waitFor(() => posted.length > 0);
    await second.stop();
    expect(posted[0]?.path).toBe("/api/chat.postMessage");
    expect(posted[0]?.channel).toBe("C-ops");
    expect(posted[0]?.text).toContain("Attestation digest");
    expect(posted[0]?.blocks).toContain("sgxtestuksouthsrv");

    // Another restart in the same period posts nothing more.
    const third = await boot(clock);
    await third.stop();
    expect(posted).toHaveLength(1);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not reached");
}
