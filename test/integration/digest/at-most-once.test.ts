/**
 * Digests at most once, on every store (memory, file, Blob on Azurite), with a controlled clock:
 * a replica that stops while posting is never followed by a second post of the same
 * (subscription, period); the next digest says the earlier one may not have arrived; no record
 * stays `claimed` with a cron that moves on; consecutive windows never overlap.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobStore } from "../../../src/adapters/storage/blob-store.js";
import { FileStore } from "../../../src/adapters/storage/file-store.js";
import { MemoryStore } from "../../../src/adapters/storage/memory-store.js";
import { runDue } from "../../../src/app/digest/scheduler.js";
import { MemoryChatPoster } from "../../../src/ports/chat-poster.js";
import type { Store } from "../../../src/ports/store.js";
import { renderDigestText } from "../../../src/render/digest/text.js";
import { type Azurite, startAzurite } from "../../contract/store-azurite.js";
import { ManualClock, schedulerDeps, sub } from "./harness.js";

let azurite: Azurite | null = null;
const dirs: string[] = [];
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const stores: [string, () => Promise<Store>][] = [
  ["memory", async () => new MemoryStore()],
  [
    "file",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "attest-once-"));
      dirs.push(dir);
      return new FileStore(dir);
    },
  ],
  [
    "blob (Azurite)",
    async () => {
      if (!azurite) throw new Error("azurite not started");
      const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
        `once-${++n}-${Date.now()}`,
      );
      return BlobStore.ensureContainer(container);
    },
  ],
];

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not reached");
}

/** Posted windows, oldest first, each [from, to). */
const windows = (poster: MemoryChatPoster) => poster.posts.map((p) => p.post.view.window);

function expectNoOverlap(ws: readonly { from: string; to: string }[]): void {
  for (let i = 1; i < ws.length; i++)
    expect(Date.parse(ws[i]?.from ?? "")).toBeGreaterThanOrEqual(Date.parse(ws[i - 1]?.to ?? ""));
}

describe.each(stores)("digests at most once on the %s store", (_name, makeStore) => {
  it("a replica killed while posting: the takeover never posts the period again, and the next digest says so", async () => {
    const store = await makeStore();
    await store.put("subscriptions", "d-1", sub("d-1", { createdAt: "2026-06-01T00:00:00Z" }), {
      ifNoneMatch: "*",
    });
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    // The "killed" replica: its post reaches the platform's door and never returns (kill -9).
    const dying = new MemoryChatPoster();
    dying.beforePost = () => new Promise<void>(() => {});
    void runDue(schedulerDeps(store, clock, { instanceId: "killed", poster: dying }));
    const key = "d-1/2026-06-02T08:00:00.000Z";
    await waitFor(async () => (await store.get("deliveries", key))?.value.state === "posting");

    const poster = new MemoryChatPoster();
    const healthy = schedulerDeps(store, clock, { instanceId: "restarted", poster });
    clock.t += healthy.settings.claimTimeoutMs * 2;
    expect(await runDue(healthy)).toEqual([]);
    expect(poster.attempts).toBe(0);
    expect((await store.get("deliveries", key))?.value).toMatchObject({ state: "uncertain", attempts: 1 });
    expect(healthy.logger.events.some((e) => e.event === "digest.uncertain")).toBe(true);

    // The next digest: posted once, starting where the uncertain one ended, saying it may be missing.
    clock.set("2026-06-03T08:00:00Z");
    expect(await runDue(healthy)).toMatchObject([
      { result: "posted", periodEnd: "2026-06-03T08:00:00.000Z" },
    ]);
    expect(poster.posts).toHaveLength(1);
    const view = poster.posts[0]?.post.view;
    expect(view?.window).toEqual({ from: "2026-06-02T08:00:00.000Z", to: "2026-06-03T08:00:00.000Z" });
    expect(view?.missed).toEqual(["2026-06-02T08:00:00.000Z"]);
    const text = renderDigestText(poster.posts[0]!.post);
    expect(text).toContain("The digest for 2026-06-02 08:00 UTC may not have arrived");
    // Said once: the digest after that has no such line.
    clock.set("2026-06-04T08:00:00Z");
    await runDue(healthy);
    expect(poster.posts).toHaveLength(2);
    expect(poster.posts[1]?.post.view.missed).toBeUndefined();
    expectNoOverlap(windows(poster));
  });

  it("a post that timed out (no answer) is not retried later: uncertain, and said in the next digest", async () => {
    const store = await makeStore();
    await store.put("subscriptions", "d-1", sub("d-1", { createdAt: "2026-06-01T00:00:00Z" }), {
      ifNoneMatch: "*",
    });
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    const deps = schedulerDeps(store, clock);
    deps.poster.faults.push(...Array.from({ length: 5 }, () => ({ kind: "no_answer" as const })));
    expect(await runDue(deps)).toMatchObject([{ result: "uncertain" }]);
    clock.t += deps.settings.claimTimeoutMs * 2;
    expect(await runDue(deps)).toEqual([]);
    expect(deps.poster.posts).toHaveLength(0);
    clock.set("2026-06-03T08:00:00Z");
    await runDue(deps);
    expect(deps.poster.posts.map((p) => p.post.view.missed)).toEqual([["2026-06-02T08:00:00.000Z"]]);
  });

  it("with a per-minute cron a crashed claim is settled, never left claimed, and windows never overlap", async () => {
    const store = await makeStore();
    await store.put(
      "subscriptions",
      "d-1",
      sub("d-1", { cron: "* * * * *", timeZone: "UTC", createdAt: "2026-06-02T08:00:00Z" }),
      { ifNoneMatch: "*" },
    );
    const clock = new ManualClock("2026-06-02T08:01:00Z");
    const poster = new MemoryChatPoster();
    const healthy = schedulerDeps(store, clock, { instanceId: "r1", poster });
    await runDue(healthy);
    // 08:02: a replica claims, then dies while building the digest.
    clock.set("2026-06-02T08:02:00Z");
    void runDue(
      schedulerDeps(store, clock, { instanceId: "killed", poster, buildDigest: () => new Promise(() => {}) }),
    );
    await waitFor(async () => (await store.get("deliveries", "d-1/2026-06-02T08:02:00.000Z")) !== null);
    // Every minute after that, until well past the claim timeout.
    const minutes = healthy.settings.claimTimeoutMs / 60_000 + 5;
    for (let i = 1; i <= minutes; i++) {
      clock.t = Date.parse("2026-06-02T08:02:00Z") + i * 60_000;
      await runDue(healthy);
    }
    const records = await store.list("deliveries", "d-1/");
    expect(records.filter((r) => r.value.state === "claimed" || r.value.state === "posting")).toEqual([]);
    expect(records.find((r) => r.key === "d-1/2026-06-02T08:02:00.000Z")?.value.state).toBe("failed");
    const ws = windows(poster);
    expectNoOverlap(ws);
    // Nothing skipped: the posted windows join up from the first to the last.
    for (let i = 1; i < ws.length; i++) expect(ws[i]?.from).toBe(ws[i - 1]?.to);
    expect(ws.at(-1)?.to).toBe(new Date(clock.t).toISOString());
  });
});
