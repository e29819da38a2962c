/** End to end on the embedded demo data: subscribe from chat, the tick fires, the digest is posted. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { createStore } from "../../../src/adapters/storage/create-store.js";
import { handleDigestCommand } from "../../../src/app/chat/digest-commands.js";
import { createDigestService } from "../../../src/app/digest/digest-service.js";
import { runDue } from "../../../src/app/digest/scheduler.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import { parseDigestCommand } from "../../../src/domain/digest/commands.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { MemoryChatPoster } from "../../../src/ports/chat-poster.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { ManualClock } from "./harness.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("digest service on the demo data", () => {
  it("subscribe, fire at the tick, post the demo fleet's failing servers once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "attest-svc-"));
    dirs.push(dir);
    const clock = new ManualClock("2026-11-24T08:59:00Z");
    const engineClock = { now: () => Date.parse("2026-11-24T09:00:00Z") };
    const poster = new MemoryChatPoster();
    const service = createDigestService({
      store: await createStore({ kind: "file", dir }),
      poster,
      kusto: new EngineKustoRunner(createEmbeddedEngine(null, engineClock), engineClock),
      query: loadQueryCatalog()["fleet-summary"],
      clock,
      logger: new MemoryLogger(),
      audit: new MemoryAuditLog(),
      instanceId: "test",
    });
    const parsed = parseDigestCommand("subscribe --all --tz UTC --cron '0 9 * * *'");
    if (!parsed.ok) throw new Error(parsed.error.message);
    const actor = {
      platform: "slack" as const,
      userId: "U1",
      tenantId: "T1",
      target: { platform: "slack" as const, teamId: "T1", channelId: "C1" },
    };
    const reply = await handleDigestCommand(service.chat, actor, parsed.command);
    expect(reply.kind).toBe("subscribed");
    expect(await runDue(service.scheduler)).toEqual([]);
    clock.set("2026-11-24T09:00:00Z");
    expect(await runDue(service.scheduler)).toMatchObject([{ result: "posted" }]);
    expect(await runDue(service.scheduler)).toEqual([]);
    expect(poster.posts).toHaveLength(1);
    const view = poster.posts[0]?.post.view;
    expect(view?.window).toEqual({ from: "2026-11-23T09:00:00.000Z", to: "2026-11-24T09:00:00.000Z" });
    expect(view?.servers.map((s) => s.server)).toContain("sgxtestuksouthsrv");
    expect(view?.servers.find((s) => s.server === "sgxtestuksouthsrv")?.verdict).toBe("customer_error");
  });

  it("a subscription naming a silent server (quiet when clear) posts it as unseen; the preview shows it too", async () => {
    const dir = await mkdtemp(join(tmpdir(), "attest-svc-"));
    dirs.push(dir);
    const clock = new ManualClock("2026-11-24T08:59:00Z");
    const engineClock = { now: () => Date.parse("2026-11-24T09:00:00Z") };
    const poster = new MemoryChatPoster();
    const service = createDigestService({
      store: await createStore({ kind: "file", dir }),
      poster,
      kusto: new EngineKustoRunner(createEmbeddedEngine(null, engineClock), engineClock),
      query: loadQueryCatalog()["fleet-summary"],
      clock,
      logger: new MemoryLogger(),
      audit: new MemoryAuditLog(),
      instanceId: "test",
    });
    const parsed = parseDigestCommand(
      "subscribe --servers sgxtestnotelemetry,nosuchserver-xyz,sgxtestgen5 --tz UTC --cron '0 9 * * *' --quiet-when-clear",
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    const actor = {
      platform: "slack" as const,
      userId: "U1",
      tenantId: "T1",
      target: { platform: "slack" as const, teamId: "T1", channelId: "C1" },
    };
    expect((await handleDigestCommand(service.chat, actor, parsed.command)).kind).toBe("subscribed");
    const preview = await handleDigestCommand(service.chat, actor, { kind: "preview" });
    expect(preview.kind === "preview" && preview.post.view.unseen).toEqual([
      "nosuchserver-xyz",
      "sgxtestnotelemetry",
    ]);
    clock.set("2026-11-24T09:00:00Z");
    expect(await runDue(service.scheduler)).toMatchObject([{ result: "posted" }]);
    const view = poster.posts[0]?.post.view;
    expect(view?.servers).toEqual([]);
    expect(view?.unseen).toEqual(["nosuchserver-xyz", "sgxtestnotelemetry"]);
  });
});
