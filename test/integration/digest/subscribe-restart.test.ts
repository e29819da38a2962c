/**
 * Subscribing from a chat command, restarting (a new file store on the same data directory and a
 * new scheduler), and the subscription is still there and fires. Also list, unsubscribe, preview.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileStore } from "../../../src/adapters/storage/file-store.js";
import { MemoryStore } from "../../../src/adapters/storage/memory-store.js";
import {
  type DigestActor,
  type DigestChatDeps,
  digestReplyText,
  handleDigestCommand,
} from "../../../src/app/chat/digest-commands.js";
import { startDigestScheduler } from "../../../src/app/digest/scheduler-loop.js";
import { parseDigestCommand } from "../../../src/domain/digest/commands.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { silentLogger } from "../../../src/ports/log.js";
import type { Store } from "../../../src/ports/store.js";
import { ManualClock, oneServerDigest, schedulerDeps } from "./harness.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const slackActor: DigestActor = {
  platform: "slack",
  userId: "U42",
  tenantId: "T1",
  target: { platform: "slack", teamId: "T1", channelId: "C-ops" },
};
const teamsActor: DigestActor = {
  platform: "teams",
  userId: "aad-1",
  tenantId: "tenant-1",
  target: { platform: "teams", conversationId: "19:abc@thread.tacv2" },
  teamsReference: { conversation: { id: "19:abc@thread.tacv2" }, serviceUrl: "https://smba.example/" },
};

function chatDeps(store: Store, clock: ManualClock): DigestChatDeps & { audit: MemoryAuditLog } {
  let n = 0;
  return {
    store,
    clock,
    audit: new MemoryAuditLog(),
    logger: silentLogger,
    newId: () => `d-${++n}`,
    preview: (servers, w) => oneServerDigest({ servers } as never, w),
    previewWindowMs: 86_400_000,
    topN: 10,
  };
}

async function say(deps: DigestChatDeps, actor: DigestActor, text: string) {
  const parsed = parseDigestCommand(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return handleDigestCommand(deps, actor, parsed.command);
}

describe("digest subscriptions from chat", () => {
  it("survive a restart and fire", async () => {
    const dir = await mkdtemp(join(tmpdir(), "attest-digest-"));
    dirs.push(dir);
    const clock = new ManualClock("2026-11-24T08:30:00Z");
    const reply = await say(
      chatDeps(new FileStore(dir), clock),
      slackActor,
      'subscribe --servers srv-a --cron "0 9 * * 1-5" --tz Europe/London',
    );
    expect(reply).toMatchObject({ kind: "subscribed", line: { nextRun: "2026-11-24T09:00:00.000Z" } });
    expect(digestReplyText(reply)).toContain(
      'd-1: srv-a; "0 9 * * 1-5" Europe/London; next 2026-11-24T09:00:00.000Z',
    );

    // Restart: a new store on the same directory, a new scheduler.
    const store = new FileStore(dir);
    expect((await store.get("slack-channels", "T1/C-ops"))?.value.channelId).toBe("C-ops");
    const deps = schedulerDeps(store, clock);
    const pending: (() => void)[] = [];
    const timers = { setTimeout: (f: () => void) => pending.push(f), clearTimeout: () => {} };
    const scheduler = startDigestScheduler(deps, timers);
    await waitFor(() => pending.length > 0);
    expect(deps.poster.posts).toHaveLength(0);
    clock.set("2026-11-24T09:00:00Z");
    pending.shift()?.();
    await waitFor(() => deps.poster.posts.length > 0);
    await scheduler.stop();
    expect(deps.poster.posts[0]?.target).toEqual(slackActor.target);
    expect(deps.poster.posts[0]?.post.view.window.to).toBe("2026-11-24T09:00:00.000Z");
  });

  it("lists, unsubscribes and previews per channel; a failing channel shows in the list", async () => {
    const dir = await mkdtemp(join(tmpdir(), "attest-digest-"));
    dirs.push(dir);
    const store = new FileStore(dir);
    const clock = new ManualClock("2026-11-24T08:30:00Z");
    const deps = chatDeps(store, clock);
    await say(deps, slackActor, "subscribe --all --quiet-when-clear");
    await say(deps, teamsActor, "subscribe --servers srv-b --min-failures 5");
    expect((await store.get("teams-conversations", "19:abc@thread.tacv2"))?.value.reference).toEqual(
      teamsActor.teamsReference,
    );
    const list = await say(deps, slackActor, "list");
    expect(list.kind === "list" && list.lines.map((l) => l.subscription.id)).toEqual(["d-1"]);
    expect(await say(deps, slackActor, "unsubscribe d-2")).toEqual({ kind: "not_found", id: "d-2" });

    const sub = await store.get("subscriptions", "d-2");
    if (!sub) throw new Error("missing");
    await store.put(
      "subscriptions",
      "d-2",
      { ...sub.value, status: { state: "failing", reason: "403", since: "2026-11-24T09:00:00.000Z" } },
      null,
    );
    expect(digestReplyText(await say(deps, teamsActor, "list"))).toContain(
      "⚠ FAILING since 2026-11-24T09:00:00.000Z: 403",
    );

    const preview = await say(deps, teamsActor, "preview");
    expect(preview).toMatchObject({ kind: "preview", post: { title: "Attestation digest preview · d-2" } });
    expect(preview.kind === "preview" && preview.post.view.window).toEqual({
      from: "2026-11-23T08:30:00.000Z",
      to: "2026-11-24T08:30:00.000Z",
    });
    expect(await say(deps, teamsActor, "unsubscribe d-2")).toEqual({ kind: "unsubscribed", id: "d-2" });
    expect(await store.get("subscriptions", "d-2")).toBeNull();
    expect(deps.audit.entries.map((e) => `${e.command}:${e.outcome}`)).toEqual([
      "digest subscribe:subscribed",
      "digest subscribe:subscribed",
      "digest list:list",
      "digest unsubscribe:not_found",
      "digest list:list",
      "digest preview:preview",
      "digest unsubscribe:unsubscribed",
    ]);
  });

  it("refuses a Teams subscription without a conversation reference, as an error reply", async () => {
    const dir = await mkdtemp(join(tmpdir(), "attest-digest-"));
    dirs.push(dir);
    const deps = chatDeps(new FileStore(dir), new ManualClock("2026-11-24T08:30:00Z"));
    const { teamsReference: _, ...noRef } = teamsActor;
    expect((await say(deps, noRef, "subscribe")).kind).toBe("error");
  });

  it("refuses a cron pattern that never fires, and stores nothing", async () => {
    const store = new MemoryStore();
    const deps = chatDeps(store, new ManualClock("2026-11-24T08:30:00Z"));
    const reply = await say(deps, slackActor, 'subscribe --all --cron "0 0 31 2 *"');
    expect(reply.kind).toBe("bad_input");
    expect(digestReplyText(reply)).toMatch(/^--cron: "0 0 31 2 \*" never fires/);
    expect(await store.list("subscriptions")).toEqual([]);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not reached");
}
