/**
 * The store contract: every Store implementation must pass these. `make` returns a fresh, empty
 * store, and `corrupt` (when the implementation can) replaces a record's bytes with invalid JSON.
 */
import { describe, expect, it } from "vitest";
import type { DeliveryRecord, Subscription } from "../../src/domain/digest/subscription.js";
import { PreconditionFailed, type Store, StoreCorrupt } from "../../src/ports/store.js";

export interface StoreHarness {
  readonly store: Store;
  /** Overwrites the raw record with bytes that are not JSON; returns where it lives. */
  readonly corrupt?: (collection: "subscriptions", key: string) => Promise<string>;
  /** Reads the raw bytes of a record (to prove a corrupt one was not overwritten). */
  readonly raw?: (collection: "subscriptions", key: string) => Promise<string>;
}

export const subscription = (id: string, over: Partial<Subscription> = {}): Subscription => ({
  id,
  target: { platform: "slack", teamId: "T1", channelId: "C1" },
  servers: ["srv-a"],
  cron: "0 9 * * 1-5",
  timeZone: "Europe/London",
  minFailures: 1,
  quietWhenClear: false,
  createdBy: "U1",
  createdAt: "2026-11-24T09:00:00.000Z",
  status: { state: "ok" },
  ...over,
});

const delivery = (subscriptionId: string, periodEnd: string): DeliveryRecord => ({
  subscriptionId,
  periodEnd,
  windowFrom: "2026-11-23T09:00:00.000Z",
  state: "claimed",
  claimedBy: "r1",
  claimedAt: periodEnd,
  attempts: 1,
  postedAt: null,
  messageId: null,
  error: null,
});

export function storeContract(name: string, make: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    it("passes its health check when usable", async () => {
      const { store } = await make();
      await expect(store.check()).resolves.toBeUndefined();
      await store.put("subscriptions", "d-1", subscription("d-1"), null);
      await expect(store.check()).resolves.toBeUndefined();
      expect(await store.list("subscriptions")).toHaveLength(1);
    });

    it("reads null for an absent record", async () => {
      const { store } = await make();
      expect(await store.get("subscriptions", "nope")).toBeNull();
      expect(await store.list("subscriptions")).toEqual([]);
      expect(await store.scan("subscriptions")).toEqual({ records: [], corrupt: [] });
    });

    it("creates once with ifNoneMatch and round-trips the value", async () => {
      const { store } = await make();
      const value = subscription("d-1", { createdBy: "Zoë ✓" });
      const etag = await store.put("subscriptions", "d-1", value, { ifNoneMatch: "*" });
      expect(etag).not.toBe("");
      expect(await store.get("subscriptions", "d-1")).toEqual({ key: "d-1", value, etag });
      await expect(
        store.put("subscriptions", "d-1", subscription("d-1", { createdBy: "other" }), { ifNoneMatch: "*" }),
      ).rejects.toBeInstanceOf(PreconditionFailed);
      expect((await store.get("subscriptions", "d-1"))?.value.createdBy).toBe("Zoë ✓");
    });

    it("updates only the version read (ifMatch)", async () => {
      const { store } = await make();
      const e1 = await store.put("subscriptions", "d-1", subscription("d-1"), { ifNoneMatch: "*" });
      const e2 = await store.put("subscriptions", "d-1", subscription("d-1", { minFailures: 5 }), {
        ifMatch: e1,
      });
      expect(e2).not.toBe(e1);
      await expect(
        store.put("subscriptions", "d-1", subscription("d-1", { minFailures: 9 }), { ifMatch: e1 }),
      ).rejects.toBeInstanceOf(PreconditionFailed);
      await expect(
        store.put("subscriptions", "absent", subscription("absent"), { ifMatch: e2 }),
      ).rejects.toBeInstanceOf(PreconditionFailed);
      const got = await store.get("subscriptions", "d-1");
      expect(got?.value.minFailures).toBe(5);
      expect(got?.etag).toBe(e2);
    });

    it("writes unconditionally with a null condition", async () => {
      const { store } = await make();
      await store.put("subscriptions", "d-1", subscription("d-1"), null);
      await store.put("subscriptions", "d-1", subscription("d-1", { minFailures: 3 }), null);
      expect((await store.get("subscriptions", "d-1"))?.value.minFailures).toBe(3);
    });

    it("deletes, honouring ifMatch", async () => {
      const { store } = await make();
      expect(await store.delete("subscriptions", "d-1")).toBe(false);
      const e1 = await store.put("subscriptions", "d-1", subscription("d-1"), { ifNoneMatch: "*" });
      await store.put("subscriptions", "d-1", subscription("d-1", { minFailures: 2 }), { ifMatch: e1 });
      await expect(store.delete("subscriptions", "d-1", e1)).rejects.toBeInstanceOf(PreconditionFailed);
      expect(await store.delete("subscriptions", "d-1")).toBe(true);
      expect(await store.get("subscriptions", "d-1")).toBeNull();
    });

    it("lists by prefix in key order, each collection apart", async () => {
      const { store } = await make();
      for (const end of ["2026-11-25T09:00:00.000Z", "2026-11-24T09:00:00.000Z"])
        await store.put("deliveries", `d-1/${end}`, delivery("d-1", end), { ifNoneMatch: "*" });
      await store.put("deliveries", "d-10/2026-11-24T09:00:00.000Z", delivery("d-10", "x"), null);
      await store.put("subscriptions", "d-1", subscription("d-1"), null);
      const listed = await store.list("deliveries", "d-1/");
      expect(listed.map((r) => r.key)).toEqual([
        "d-1/2026-11-24T09:00:00.000Z",
        "d-1/2026-11-25T09:00:00.000Z",
      ]);
      expect(listed[0]?.value.periodEnd).toBe("2026-11-24T09:00:00.000Z");
      expect((await store.list("deliveries")).length).toBe(3);
      expect((await store.list("subscriptions")).map((r) => r.key)).toEqual(["d-1"]);
      expect(await store.list("slack-channels")).toEqual([]);
      expect(await store.scan("deliveries", "d-1/")).toEqual({ records: listed, corrupt: [] });
    });

    it("lets exactly one of many concurrent creates win", async () => {
      const { store } = await make();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store.put("subscriptions", "race", subscription("race", { createdBy: `w${i}` }), {
            ifNoneMatch: "*",
          }),
        ),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      expect(won).toHaveLength(1);
      for (const r of results)
        if (r.status === "rejected") expect(r.reason).toBeInstanceOf(PreconditionFailed);
    });

    it("lets exactly one of many concurrent updates of one version win", async () => {
      const { store } = await make();
      const e1 = await store.put("subscriptions", "race", subscription("race"), { ifNoneMatch: "*" });
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store.put("subscriptions", "race", subscription("race", { minFailures: i + 1 }), { ifMatch: e1 }),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    });

    it("reports a corrupt record with its location", async (ctx) => {
      const h = await make();
      if (!h.corrupt) return ctx.skip();
      await h.store.put("subscriptions", "bad", subscription("bad"), { ifNoneMatch: "*" });
      const where = await h.corrupt("subscriptions", "bad");
      const error = await h.store.get("subscriptions", "bad").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorrupt);
      expect((error as StoreCorrupt).location).toBe(where);
      expect((error as StoreCorrupt).message).toContain(where);
      expect(h.store.locate("subscriptions", "bad")).toBe(where);
      await expect(h.store.list("subscriptions")).rejects.toBeInstanceOf(StoreCorrupt);
    });

    it("scans around a corrupt record: the readable ones, and the corrupt one with its location, untouched", async (ctx) => {
      const h = await make();
      if (!h.corrupt) return ctx.skip();
      for (const id of ["d-1", "d-2", "d-3"])
        await h.store.put("subscriptions", id, subscription(id), { ifNoneMatch: "*" });
      const where = await h.corrupt("subscriptions", "d-2");
      const before = h.raw ? await h.raw("subscriptions", "d-2") : null;
      const { records, corrupt } = await h.store.scan("subscriptions");
      expect(records.map((r) => r.key)).toEqual(["d-1", "d-3"]);
      expect(records[1]?.value).toEqual(subscription("d-3"));
      expect(corrupt).toHaveLength(1);
      expect(corrupt[0]).toMatchObject({ key: "d-2", location: where });
      expect(corrupt[0]?.detail).not.toBe("");
      expect((await h.store.scan("subscriptions", "d-3")).corrupt).toEqual([]);
      if (h.raw) expect(await h.raw("subscriptions", "d-2")).toBe(before);
      const error = await h.store.list("subscriptions").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorrupt);
      expect((error as StoreCorrupt).location).toBe(where);
    });

    it("never overwrites a corrupt record", async (ctx) => {
      const h = await make();
      if (!h.corrupt || !h.raw) return ctx.skip();
      const e1 = await h.store.put("subscriptions", "bad", subscription("bad"), { ifNoneMatch: "*" });
      await h.corrupt("subscriptions", "bad");
      const before = await h.raw("subscriptions", "bad");
      await expect(
        h.store.put("subscriptions", "bad", subscription("bad"), { ifMatch: e1 }),
      ).rejects.toBeInstanceOf(StoreCorrupt);
      await expect(h.store.put("subscriptions", "bad", subscription("bad"), null)).rejects.toBeInstanceOf(
        StoreCorrupt,
      );
      await expect(h.store.delete("subscriptions", "bad")).rejects.toBeInstanceOf(StoreCorrupt);
      expect(await h.raw("subscriptions", "bad")).toBe(before);
    });
  });
}
