/** The scheduler with a controlled clock: cron and time zones, catch-up, retries, failing channels. */
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/storage/memory-store.js";
import { KEEP_DELIVERIES, runDue } from "../../../src/app/digest/scheduler.js";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import { PostFailure } from "../../../src/ports/chat-poster.js";
import { tinyClassifier } from "../../unit/digest/fixtures.js";
import { ManualClock, schedulerDeps, sub } from "./harness.js";

async function storeWith(...subs: ReturnType<typeof sub>[]) {
  const store = new MemoryStore();
  for (const s of subs) await store.put("subscriptions", s.id, s, { ifNoneMatch: "*" });
  return store;
}

describe("digest scheduler", () => {
  it("fires at 09:00 in the subscription's time zone (BST in summer, GMT in winter), once", async () => {
    const clock = new ManualClock("2026-06-02T07:59:59Z");
    const deps = schedulerDeps(await storeWith(sub("d-1")), clock);
    // 07:59:59Z is 08:59:59 BST: the latest tick is yesterday's, whose window is delivered now.
    const first = await runDue(deps);
    expect(first.map((o) => o.periodEnd)).toEqual(["2026-06-01T08:00:00.000Z"]);
    expect(await runDue(deps)).toEqual([]);
    clock.set("2026-06-02T08:00:00Z");
    const second = await runDue(deps);
    expect(second).toMatchObject([{ result: "posted", periodEnd: "2026-06-02T08:00:00.000Z" }]);
    expect(deps.poster.posts.at(-1)?.post.view.window).toEqual({
      from: "2026-06-01T08:00:00.000Z",
      to: "2026-06-02T08:00:00.000Z",
    });
    expect(await runDue(deps)).toEqual([]);
    clock.set("2026-12-02T09:00:00Z");
    const winter = await runDue(deps);
    expect(winter).toMatchObject([{ result: "posted", periodEnd: "2026-12-02T09:00:00.000Z" }]);
  });

  it("does not fire for ticks before the subscription was created", async () => {
    const clock = new ManualClock("2026-06-02T07:00:00Z");
    const deps = schedulerDeps(await storeWith(sub("d-1", { createdAt: "2026-06-01T12:00:00.000Z" })), clock);
    expect(await runDue(deps)).toEqual([]);
    clock.set("2026-06-02T08:00:00Z");
    expect(await runDue(deps)).toHaveLength(1);
  });

  it("after downtime posts ONE catch-up digest covering the whole missed window", async () => {
    const clock = new ManualClock("2026-06-01T08:00:00Z");
    const deps = schedulerDeps(await storeWith(sub("d-1", { cron: "0 9 * * 1-5" })), clock);
    await runDue(deps); // Monday 09:00 BST
    clock.set("2026-06-04T10:30:00Z"); // down Tuesday and Wednesday; back on Thursday
    const outcomes = await runDue(deps);
    expect(outcomes).toMatchObject([{ result: "posted", periodEnd: "2026-06-04T08:00:00.000Z" }]);
    expect(deps.poster.posts).toHaveLength(2);
    expect(deps.poster.posts[1]?.post.view.window).toEqual({
      from: "2026-06-01T08:00:00.000Z",
      to: "2026-06-04T08:00:00.000Z",
    });
    expect(await runDue(deps)).toEqual([]);
  });

  it("a subscription whose first ticks were all missed gets ONE digest covering them all", async () => {
    // Subscribed Monday 10:00 BST; the bot is down until Thursday 10:30 BST.
    const clock = new ManualClock("2026-06-04T09:30:00Z");
    const deps = schedulerDeps(
      await storeWith(sub("d-1", { cron: "0 9 * * 1-5", createdAt: "2026-06-01T09:00:00.000Z" })),
      clock,
    );
    expect(await runDue(deps)).toMatchObject([{ result: "posted", periodEnd: "2026-06-04T08:00:00.000Z" }]);
    expect(deps.poster.posts).toHaveLength(1);
    // From the period that ends at the first tick after subscribing (Tuesday 09:00 BST).
    expect(deps.poster.posts[0]?.post.view.window).toEqual({
      from: "2026-06-01T08:00:00.000Z",
      to: "2026-06-04T08:00:00.000Z",
    });
    expect(await runDue(deps)).toEqual([]);
  });

  it("leaves subscriptions for a platform this replica cannot post to alone", async () => {
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    const slackSub = sub("d-1", { createdAt: "2026-06-02T00:00:00Z" });
    expect(slackSub.target.platform).toBe("slack");
    const store = await storeWith(slackSub);
    const teamsOnly = { ...schedulerDeps(store, clock), platforms: new Set(["teams"] as const) };
    expect(await runDue(teamsOnly)).toEqual([]);
    expect(teamsOnly.poster.posts).toEqual([]);
    expect(await store.list("deliveries")).toEqual([]);
    expect((await store.get("subscriptions", "d-1"))?.value.status).toEqual(slackSub.status);
    // A replica that can post to Slack delivers it.
    const withSlack = { ...schedulerDeps(store, clock), platforms: new Set(["slack"] as const) };
    expect(await runDue(withSlack)).toMatchObject([{ subscriptionId: "d-1", result: "posted" }]);
  });

  it("honours 429 Retry-After and backs off on 502/412, then posts", async () => {
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    const deps = schedulerDeps(await storeWith(sub("d-1", { createdAt: "2026-06-02T00:00:00Z" })), clock);
    deps.poster.failures.push(
      new PostFailure("rate_limited", "429", { retryAfterMs: 7000 }),
      new PostFailure("transient", "502"),
      new PostFailure("transient", "412"),
    );
    expect(await runDue(deps)).toMatchObject([{ result: "posted" }]);
    expect(deps.sleeps).toEqual([7000, 2000, 4000]);
    expect(deps.poster.posts).toHaveLength(1);
  });

  it("marks a permanently failing channel and goes on with the others", async () => {
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    const store = await storeWith(
      sub("d-bad", { createdAt: "2026-06-02T00:00:00Z" }),
      sub("d-good", { createdAt: "2026-06-02T00:00:00Z" }),
    );
    const deps = schedulerDeps(store, clock);
    const original = deps.poster.post.bind(deps.poster);
    deps.poster.post = async (target, post) => {
      if (target.platform === "slack" && target.channelId === "C-d-bad")
        throw new PostFailure("permanent", "not_in_channel");
      return original(target, post);
    };
    const outcomes = await runDue(deps);
    expect(outcomes.find((o) => o.subscriptionId === "d-good")).toMatchObject({ result: "posted" });
    expect(outcomes.find((o) => o.subscriptionId === "d-bad")).toMatchObject({ result: "failed" });
    expect((await store.get("subscriptions", "d-bad"))?.value.status).toEqual({
      state: "failing",
      reason: "not_in_channel",
      since: "2026-06-02T08:00:00.000Z",
    });
    expect((await store.get("deliveries", "d-bad/2026-06-02T08:00:00.000Z"))?.value.state).toBe("failed");
    clock.set("2026-06-03T08:00:00Z");
    expect((await runDue(deps)).map((o) => o.subscriptionId)).toEqual(["d-good"]);
  });

  it("posts nothing when quiet-when-clear and no server is failing, and records the period", async () => {
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    const deps = schedulerDeps(
      await storeWith(sub("d-1", { quietWhenClear: true, createdAt: "2026-06-02T00:00:00Z" })),
      clock,
      {
        buildDigest: async (_s, w) =>
          buildDigest([], tinyClassifier, { ...w, periods: 2, minFailures: 1, truncated: false }),
      },
    );
    expect(await runDue(deps)).toMatchObject([{ result: "skipped_clear" }]);
    expect(deps.poster.posts).toHaveLength(0);
    expect(await runDue(deps)).toEqual([]);
  });

  it("quiet-when-clear still posts when a named server sent no telemetry: silence is not clear", async () => {
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    const deps = schedulerDeps(
      await storeWith(
        sub("d-1", {
          quietWhenClear: true,
          servers: ["nosuchserver-xyz"],
          createdAt: "2026-06-02T00:00:00Z",
        }),
      ),
      clock,
      {
        buildDigest: async (s, w) =>
          buildDigest([], tinyClassifier, {
            ...w,
            periods: 2,
            minFailures: 1,
            truncated: false,
            named: s.servers,
            seen: new Map(),
          }),
      },
    );
    expect(await runDue(deps)).toMatchObject([{ result: "posted" }]);
    expect(deps.poster.posts).toHaveLength(1);
    expect(JSON.stringify(deps.poster.posts[0])).toContain("nosuchserver-xyz");
  });

  it("when the digest cannot be built, frees the claim so the period is not skipped", async () => {
    const clock = new ManualClock("2026-06-02T08:00:00Z");
    let down = true;
    const base = schedulerDeps(await storeWith(sub("d-1", { createdAt: "2026-06-02T00:00:00Z" })), clock);
    const deps = {
      ...base,
      buildDigest: async (
        s: Parameters<typeof base.buildDigest>[0],
        w: Parameters<typeof base.buildDigest>[1],
      ) => {
        if (down) throw new Error("Kusto unreachable");
        return base.buildDigest(s, w);
      },
    };
    expect(await runDue(deps)).toMatchObject([{ result: "failed" }]);
    down = false;
    clock.t += 60_000;
    expect(await runDue(deps)).toMatchObject([{ result: "posted", periodEnd: "2026-06-02T08:00:00.000Z" }]);
  });
});

describe("delivery records", () => {
  it("keeps only the last records of a subscription", async () => {
    const clock = new ManualClock("2026-06-01T08:00:00Z");
    const store = await storeWith(sub("d-1", { cron: "0 * * * *" }));
    const deps = schedulerDeps(store, clock);
    for (let h = 0; h < 15; h++) {
      clock.t = Date.parse("2026-06-01T08:00:00Z") + h * 3_600_000;
      expect(await runDue(deps)).toMatchObject([{ result: "posted" }]);
    }
    const keys = (await store.list("deliveries")).map((r) => r.key);
    expect(keys).toHaveLength(KEEP_DELIVERIES);
    expect(keys.at(-1)).toBe("d-1/2026-06-01T22:00:00.000Z");
    expect(deps.poster.posts).toHaveLength(15);
  });
});
