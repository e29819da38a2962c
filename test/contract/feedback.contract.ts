/** The contract every FeedbackStore keeps: the tally counts each answer, snoozes expire. */
import { describe, expect, it } from "vitest";
import type { FeedbackEntry, FeedbackStore } from "../../src/ports/feedback.js";

const entry = (rule: string, answer: FeedbackEntry["answer"], at: string): FeedbackEntry => ({
  rule,
  answer,
  server: "sgxtestmaa500",
  platform: "teams",
  who: "u1",
  at,
});

export function feedbackStoreContract(name: string, create: () => Promise<FeedbackStore>): void {
  describe(`FeedbackStore contract: ${name}`, () => {
    it("starts empty", async () => {
      const store = await create();
      expect(await store.tally()).toEqual([]);
      expect(await store.snoozed("c1", "2026-11-24T10:00:00.000Z")).toEqual([]);
    });

    it("tallies answers per rule, sorted by rule, with the latest time", async () => {
      const store = await create();
      await store.record(entry("maa-internal-error", "not_fixed", "2026-11-24T09:00:00.000Z"));
      await store.record(entry("rbac-attestation-reader-missing", "fixed", "2026-11-24T09:01:00.000Z"));
      await store.record(entry("maa-internal-error", "fixed", "2026-11-24T09:02:00.000Z"));
      await store.record(entry("maa-internal-error", "not_fixed", "2026-11-24T08:00:00.000Z"));
      expect(await store.tally()).toEqual([
        { rule: "maa-internal-error", fixed: 1, notFixed: 2, lastAt: "2026-11-24T09:02:00.000Z" },
        {
          rule: "rbac-attestation-reader-missing",
          fixed: 1,
          notFixed: 0,
          lastAt: "2026-11-24T09:01:00.000Z",
        },
      ]);
    });

    it("keeps answers given at the same time (none lost)", async () => {
      const store = await create();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.record(entry("filtered-args", i % 2 ? "fixed" : "not_fixed", "2026-11-24T09:00:00.000Z")),
        ),
      );
      expect(await store.tally()).toEqual([
        { rule: "filtered-args", fixed: 10, notFixed: 10, lastAt: "2026-11-24T09:00:00.000Z" },
      ]);
    });

    it("snoozes a server in one conversation until the time given; a new snooze replaces the old", async () => {
      const store = await create();
      await store.snooze({
        conversation: "c1",
        server: "sgxtestb",
        until: "2026-11-25T10:00:00.000Z",
        by: "u1",
      });
      await store.snooze({
        conversation: "c1",
        server: "sgxtesta",
        until: "2026-11-24T11:00:00.000Z",
        by: "u1",
      });
      await store.snooze({
        conversation: "c2",
        server: "sgxtestc",
        until: "2026-11-25T10:00:00.000Z",
        by: "u2",
      });
      expect(await store.snoozed("c1", "2026-11-24T10:00:00.000Z")).toEqual(["sgxtesta", "sgxtestb"]);
      expect(await store.snoozed("c1", "2026-11-24T12:00:00.000Z")).toEqual(["sgxtestb"]);
      await store.snooze({
        conversation: "c1",
        server: "sgxtestb",
        until: "2026-11-24T10:30:00.000Z",
        by: "u1",
      });
      expect(await store.snoozed("c1", "2026-11-24T12:00:00.000Z")).toEqual([]);
    });
  });
}
