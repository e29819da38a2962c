/**
 * At most once per (subscription, period) on a shared Azurite store: two schedulers racing post
 * once; a crash between claim and post is retried once (after the claim times out), not duplicated.
 */
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobStore } from "../../../src/adapters/storage/blob-store.js";
import { runDue } from "../../../src/app/digest/scheduler.js";
import { MemoryChatPoster } from "../../../src/ports/chat-poster.js";
import { type Azurite, startAzurite } from "../../contract/store-azurite.js";
import { ManualClock, schedulerDeps, sub } from "./harness.js";

let azurite: Azurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

/** Two independent clients (as two replicas would have) on one fresh container. */
async function twoReplicas() {
  const name = `race-${++n}-${Date.now()}`;
  const client = () =>
    BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(name);
  const a = await BlobStore.ensureContainer(client());
  const b = new BlobStore(client());
  return { a, b };
}

describe("delivery claims on Azurite", () => {
  it("two schedulers racing on one store post each period once", async () => {
    const { a, b } = await twoReplicas();
    const ids = ["d-1", "d-2", "d-3", "d-4"];
    for (const id of ids) await a.put("subscriptions", id, sub(id), { ifNoneMatch: "*" });
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    const poster = new MemoryChatPoster();
    const one = schedulerDeps(a, clock, { instanceId: "replica-a", poster });
    const two = schedulerDeps(b, clock, { instanceId: "replica-b", poster });
    for (const day of ["2026-06-02", "2026-06-03"]) {
      clock.set(`${day}T08:00:00Z`);
      const [x, y] = await Promise.all([runDue(one), runDue(two)]);
      const posted = [...x, ...y].filter((o) => o.result === "posted");
      expect(posted.map((o) => o.subscriptionId).sort()).toEqual(ids);
    }
    expect(poster.posts).toHaveLength(ids.length * 2);
    const deliveries = await a.list("deliveries");
    expect(deliveries.every((d) => d.value.state === "posted")).toBe(true);
    // Which replica wins each claim is up to timing (either may win all); that each period was
    // claimed once, by one of them, and posted once is what matters (above).
    expect(deliveries).toHaveLength(ids.length * 2);
    for (const d of deliveries) expect(["replica-a", "replica-b"]).toContain(d.value.claimedBy);
  });

  it("a crash between claim and post is retried once, by one replica, and not duplicated", async () => {
    const { a, b } = await twoReplicas();
    await a.put("subscriptions", "d-1", sub("d-1", { createdAt: "2026-06-02T00:00:00Z" }), {
      ifNoneMatch: "*",
    });
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    const poster = new MemoryChatPoster();
    // Replica "crashy" claims, then dies while building the digest (its promise never settles).
    const crashy = schedulerDeps(a, clock, {
      instanceId: "crashy",
      poster,
      buildDigest: () => new Promise(() => {}),
    });
    void runDue(crashy);
    await waitFor(async () => (await a.get("deliveries", "d-1/2026-06-02T08:00:00.000Z")) !== null);

    const one = schedulerDeps(a, clock, { instanceId: "replica-a", poster });
    const two = schedulerDeps(b, clock, { instanceId: "replica-b", poster });
    // Before the claim times out nobody posts.
    clock.t += one.settings.claimTimeoutMs - 1;
    expect(await Promise.all([runDue(one), runDue(two)])).toEqual([[], []]);
    expect(poster.posts).toHaveLength(0);
    // Then exactly one replica takes it over and posts.
    clock.t += 1;
    const outcomes = (await Promise.all([runDue(one), runDue(two)])).flat();
    expect(outcomes.filter((o) => o.result === "posted")).toHaveLength(1);
    expect(poster.posts).toHaveLength(1);
    const record = await a.get("deliveries", "d-1/2026-06-02T08:00:00.000Z");
    expect(record?.value).toMatchObject({ state: "posted", attempts: 2 });
    clock.t += one.settings.claimTimeoutMs * 2;
    expect(await runDue(one)).toEqual([]);
    expect(poster.posts).toHaveLength(1);
  });

  it("a claim that crashed twice is abandoned, not retried for ever", async () => {
    const { a } = await twoReplicas();
    await a.put("subscriptions", "d-1", sub("d-1", { createdAt: "2026-06-02T00:00:00Z" }), {
      ifNoneMatch: "*",
    });
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    const poster = new MemoryChatPoster();
    const hang = { poster, buildDigest: () => new Promise<never>(() => {}) };
    const key = "d-1/2026-06-02T08:00:00.000Z";
    void runDue(schedulerDeps(a, clock, { instanceId: "c1", ...hang }));
    await waitFor(async () => (await a.get("deliveries", key))?.value.attempts === 1);
    const timeout = schedulerDeps(a, clock).settings.claimTimeoutMs;
    clock.t += timeout;
    void runDue(schedulerDeps(a, clock, { instanceId: "c2", ...hang }));
    await waitFor(async () => (await a.get("deliveries", key))?.value.attempts === 2);
    clock.t += timeout;
    const healthy = schedulerDeps(a, clock, { instanceId: "r3", poster });
    expect(await runDue(healthy)).toMatchObject([{ result: "claimed_elsewhere" }]);
    expect((await a.get("deliveries", key))?.value).toMatchObject({ state: "failed", attempts: 2 });
    expect(poster.posts).toHaveLength(0);
    // The next digest also covers the abandoned period: nothing is silently skipped.
    clock.set("2026-06-03T08:00:00Z");
    expect(await runDue(healthy)).toMatchObject([
      { result: "posted", periodEnd: "2026-06-03T08:00:00.000Z" },
    ]);
    expect(poster.posts[0]?.post.view.window).toEqual({
      from: "2026-06-01T08:00:00.000Z",
      to: "2026-06-03T08:00:00.000Z",
    });
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not reached");
}
