/**
 * One bad subscription record (not JSON, or JSON without the fields a subscription needs) stops
 * neither the scheduler nor any channel's digest commands: the others are delivered and listed,
 * the bad one is logged and listed as failing with its path, and its file is left untouched. An
 * unusable data directory fails the store health check (/readyz).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDigests } from "../../../src/adapters/digest/compose.js";
import { FileStore } from "../../../src/adapters/storage/file-store.js";
import {
  type DigestActor,
  type DigestChatDeps,
  digestReplyText,
  handleDigestCommand,
} from "../../../src/app/chat/digest-commands.js";
import { runDue } from "../../../src/app/digest/scheduler.js";
import { nextWake } from "../../../src/app/digest/scheduler-loop.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { parseDigestCommand } from "../../../src/domain/digest/commands.js";
import type { DeliveryTarget } from "../../../src/domain/digest/subscription.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import type { KustoRunner } from "../../../src/ports/kusto.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import type { Store } from "../../../src/ports/store.js";
import { ManualClock, oneServerDigest, schedulerDeps, sub } from "./harness.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "attest-corrupt-"));
  dirs.push(dir);
  return dir;
}

const chanA: DeliveryTarget = { platform: "slack", teamId: "T1", channelId: "C-a" };
const chanB: DeliveryTarget = { platform: "slack", teamId: "T1", channelId: "C-b" };
const actor = (target: DeliveryTarget): DigestActor => ({
  platform: "slack",
  userId: "U1",
  tenantId: "T1",
  target,
});

/** d-a (channel A) and d-b (channel B) are fine; d-bad is not JSON; d-half lacks `cron` (channel B). */
async function seeded() {
  const dir = await tempDir();
  const store = new FileStore(dir);
  await store.put("subscriptions", "d-a", sub("d-a", { target: chanA }), { ifNoneMatch: "*" });
  await store.put("subscriptions", "d-b", sub("d-b", { target: chanB }), { ifNoneMatch: "*" });
  await store.put("subscriptions", "d-bad", sub("d-bad"), { ifNoneMatch: "*" });
  const bad = join(dir, "subscriptions", "d-bad.json");
  await writeFile(bad, '{"etag": "\\"x\\"", "value": {"id": "d-bad", trunc');
  const { cron: _, ...noCron } = sub("d-half", { target: chanB });
  await store.put("subscriptions", "d-half", noCron as never, { ifNoneMatch: "*" });
  const half = join(dir, "subscriptions", "d-half.json");
  return {
    store,
    paths: { bad, half },
    bytes: { bad: await readFile(bad, "utf8"), half: await readFile(half, "utf8") },
  };
}

function chatDeps(store: Store, clock: ManualClock): DigestChatDeps {
  return {
    store,
    clock,
    audit: new MemoryAuditLog(),
    logger: new MemoryLogger(),
    newId: () => "d-new",
    preview: (servers, w) => oneServerDigest({ servers } as never, w),
    previewWindowMs: 86_400_000,
    topN: 10,
  };
}

async function say(deps: DigestChatDeps, target: DeliveryTarget, text: string) {
  const parsed = parseDigestCommand(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return handleDigestCommand(deps, actor(target), parsed.command);
}

describe("a corrupt subscription record", () => {
  it("does not stop the scheduler: the others are delivered, each bad one logged once per run, files untouched", async () => {
    const { store, paths, bytes } = await seeded();
    const clock = new ManualClock("2026-11-24T09:00:00Z");
    const deps = schedulerDeps(store, clock);
    const outcomes = await runDue(deps);
    expect(outcomes.map((o) => `${o.subscriptionId}:${o.result}`).sort()).toEqual([
      "d-a:posted",
      "d-b:posted",
    ]);
    expect(deps.poster.posts.map((p) => p.target)).toEqual(expect.arrayContaining([chanA, chanB]));
    const unreadable = () => deps.logger.events.filter((e) => e.event === "digest.subscription_unreadable");
    expect(unreadable().map((e) => [e.level, e.fields.subscription, e.fields.location])).toEqual([
      ["error", "d-bad", paths.bad],
      ["error", "d-half", paths.half],
    ]);
    expect(String(unreadable()[1]?.fields.error)).toMatch(/^cron: /);
    expect(deps.logger.events.map((e) => e.event)).not.toContain("digest.run_failed");

    clock.set("2026-11-25T09:00:00Z");
    expect(await runDue(deps)).toHaveLength(2);
    expect(unreadable()).toHaveLength(4);
    expect(await readFile(paths.bad, "utf8")).toBe(bytes.bad);
    expect(await readFile(paths.half, "utf8")).toBe(bytes.half);

    // The loop still finds the next tick of the good subscriptions.
    const now = Date.parse("2026-11-25T10:00:00Z");
    expect(await nextWake(store, now, 7 * 86_400_000)).toBe(Date.parse("2026-11-26T09:00:00Z"));
  });

  it("does not break digest commands in any channel; list shows it as failing with its path", async () => {
    const { store, paths, bytes } = await seeded();
    const deps = chatDeps(store, new ManualClock("2026-11-24T08:30:00Z"));

    const listA = await say(deps, chanA, "list");
    expect(listA.kind).toBe("list");
    const textA = digestReplyText(listA);
    expect(textA).toContain('• d-a: whole fleet; "0 9 * * *" Europe/London;');
    expect(textA).toContain(`• d-bad: ⚠ FAILING: the stored subscription cannot be read (${paths.bad}: `);
    // d-half still names its channel (B), so only B lists it.
    expect(textA).not.toContain("d-half");
    expect(textA).not.toContain("d-b:");

    const textB = digestReplyText(await say(deps, chanB, "list"));
    expect(textB).toContain("• d-b: whole fleet;");
    expect(textB).toContain(`• d-bad: ⚠ FAILING: the stored subscription cannot be read (${paths.bad}: `);
    expect(textB).toContain(
      `• d-half: ⚠ FAILING: the stored subscription cannot be read (${paths.half}: cron: `,
    );

    expect((await say(deps, chanA, "preview")).kind).toBe("preview");
    expect(await say(deps, chanA, "subscribe --all")).toMatchObject({ kind: "subscribed" });
    const gone = await say(deps, chanA, "unsubscribe d-bad");
    expect(gone.kind).toBe("error");
    expect(digestReplyText(gone)).toContain(paths.bad);
    expect(await say(deps, chanA, "unsubscribe d-a")).toEqual({ kind: "unsubscribed", id: "d-a" });
    expect(await readFile(paths.bad, "utf8")).toBe(bytes.bad);
    expect(await readFile(paths.half, "utf8")).toBe(bytes.half);
  });
});

describe("the digest store health check (for /readyz)", () => {
  const kusto = {} as KustoRunner;
  async function boot(dir: string) {
    const logger = new MemoryLogger();
    const running = await startDigests(
      { kind: "file", dir },
      { teams: null, slack: null },
      {
        kusto,
        query: loadQueryCatalog()["fleet-summary"],
        clock: { now: () => Date.parse("2026-11-24T08:30:00Z") },
        logger,
        audit: new MemoryAuditLog(),
        instanceId: "t",
      },
    );
    return { running, logger };
  }

  it("passes on a usable data directory", async () => {
    const dir = join(await tempDir(), "data");
    const { running } = await boot(dir);
    try {
      expect(await running.storeHealth()).toEqual({ ok: true, detail: dir });
    } finally {
      await running.stop();
    }
  });

  it("fails, naming the path, when ATTEST_DATA_DIR is a regular file", async () => {
    const file = join(await tempDir(), "afile");
    await writeFile(file, "not a directory");
    const { running, logger } = await boot(file);
    try {
      const health = await running.storeHealth();
      expect(health.ok).toBe(false);
      expect(health.detail).toContain(file);
      expect(health.detail).toContain("is not a directory");
      expect(logger.events.find((e) => e.event === "digest.store_unusable")?.level).toBe("error");
    } finally {
      await running.stop();
    }
    expect(await readFile(file, "utf8")).toBe("not a directory");
  });
});
