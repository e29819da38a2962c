/** A scheduler wired to a manual clock, an in-memory poster and a given store. */

import { ChannelPacer, DEFAULT_RETRY } from "../../../src/app/digest/post-with-retry.js";
import { DEFAULT_SCHEDULER_SETTINGS, type SchedulerDeps } from "../../../src/app/digest/scheduler.js";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import type { Subscription } from "../../../src/domain/digest/subscription.js";
import type { DigestView } from "../../../src/domain/digest/types.js";
import { MemoryChatPoster } from "../../../src/ports/chat-poster.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import type { Store } from "../../../src/ports/store.js";
import { row, tinyClassifier } from "../../unit/digest/fixtures.js";

export class ManualClock {
  t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = (): number => this.t;
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

export const sub = (id: string, over: Partial<Subscription> = {}): Subscription => ({
  id,
  target: { platform: "slack", teamId: "T1", channelId: `C-${id}` },
  servers: [],
  cron: "0 9 * * *",
  timeZone: "Europe/London",
  minFailures: 1,
  quietWhenClear: false,
  createdBy: "U1",
  createdAt: "2026-01-01T00:00:00.000Z",
  status: { state: "ok" },
  ...over,
});

/** A digest with one failing server, whatever the window. */
export const oneServerDigest = async (
  _s: Subscription,
  w: { fromMs: number; toMs: number },
): Promise<DigestView> =>
  buildDigest(
    [{ ...row("srv-a", 0, 3), periodStart: new Date(w.toMs - 1000).toISOString() }],
    tinyClassifier,
    {
      ...w,
      periods: 2,
      minFailures: 1,
      truncated: false,
    },
  );

export function schedulerDeps(
  store: Store,
  clock: ManualClock,
  over: Partial<SchedulerDeps> = {},
): SchedulerDeps & { poster: MemoryChatPoster; logger: MemoryLogger; sleeps: number[] } {
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.t += ms;
  };
  const poster = new MemoryChatPoster();
  const logger = new MemoryLogger();
  return {
    store,
    clock,
    logger,
    poster,
    sleeps,
    sleep,
    pacer: new ChannelPacer(clock, sleep),
    retry: DEFAULT_RETRY,
    instanceId: "r1",
    buildDigest: oneServerDigest,
    settings: DEFAULT_SCHEDULER_SETTINGS,
    ...over,
  } as SchedulerDeps & { poster: MemoryChatPoster; logger: MemoryLogger; sleeps: number[] };
}
