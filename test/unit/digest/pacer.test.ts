import { describe, expect, it } from "vitest";
import { ChannelPacer, PACE_MS, postWithRetry } from "../../../src/app/digest/post-with-retry.js";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import { MemoryChatPoster, PostFailure } from "../../../src/ports/chat-poster.js";
import { DAY, TO, tinyClassifier } from "./fixtures.js";

function manual() {
  let t = 0;
  const sleeps: number[] = [];
  const clock = { now: () => t };
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    t += ms;
  };
  return { clock, sleep, sleeps };
}
const slack = (channelId: string) => ({ platform: "slack" as const, teamId: "T", channelId });
const post = {
  view: buildDigest([], tinyClassifier, {
    fromMs: TO - DAY,
    toMs: TO,
    periods: 2,
    minFailures: 1,
    truncated: false,
  }),
  title: "t",
  topN: 10,
};

describe("ChannelPacer", () => {
  it("spaces posts to one Slack channel by a second, other channels not at all", async () => {
    const m = manual();
    const pacer = new ChannelPacer(m.clock, m.sleep);
    await Promise.all([
      pacer.run(slack("C1"), async () => 1),
      pacer.run(slack("C1"), async () => 2),
      pacer.run(slack("C2"), async () => 3),
    ]);
    expect(m.sleeps).toEqual([PACE_MS.slack]);
  });

  it("spaces Teams posts to one conversation by 1/7 s", async () => {
    const m = manual();
    const pacer = new ChannelPacer(m.clock, m.sleep);
    const teams = { platform: "teams" as const, conversationId: "19:x" };
    await pacer.run(teams, async () => 1);
    await pacer.run(teams, async () => 2);
    expect(m.sleeps).toEqual([143]);
  });
});

describe("postWithRetry", () => {
  it("gives up on a permanent failure at once, and after maxAttempts on transient ones", async () => {
    const m = manual();
    const poster = new MemoryChatPoster();
    const deps = {
      poster,
      pacer: new ChannelPacer(m.clock, m.sleep),
      sleep: m.sleep,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 250 },
    };
    poster.failures.push(new PostFailure("permanent", "channel_not_found"));
    await expect(postWithRetry(deps, slack("C1"), post)).rejects.toMatchObject({ kind: "permanent" });
    expect(m.sleeps).toEqual([]);
    poster.failures.push(...[1, 2, 3].map(() => new PostFailure("transient", "504")));
    await expect(postWithRetry(deps, slack("C2"), post)).rejects.toMatchObject({ code: "504" });
    // Backoff 100 then 200 ms, each topped up by the pacer to Slack's one call per second per channel.
    expect(m.sleeps).toEqual([100, 900, 200, 800]);
    expect(poster.posts).toHaveLength(0);
  });
});
