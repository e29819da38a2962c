/**
 * Posting with the platforms' rules: a per-channel pace (Slack about 1 message/s per channel,
 * Teams 7/s per thread), 429 waits `Retry-After`, transient failures (412/502/504, network) back
 * off exponentially, permanent ones (not_in_channel, 403/404, ...) are thrown at once.
 */
import { type DeliveryTarget, targetKey } from "../../domain/digest/subscription.js";
import { type ChatPoster, type DigestPost, PostFailure } from "../../ports/chat-poster.js";
import type { Clock } from "../../ports/clock.js";

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Minimum gap between two posts to one channel. */
export const PACE_MS = { slack: 1000, teams: Math.ceil(1000 / 7) } as const;

/** Spaces posts per channel; calls for one channel are serialised. */
export class ChannelPacer {
  readonly #last = new Map<string, number>();
  readonly #queue = new Map<string, Promise<unknown>>();
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  constructor(clock: Clock, sleep: Sleep) {
    this.#clock = clock;
    this.#sleep = sleep;
  }

  run<T>(target: DeliveryTarget, work: () => Promise<T>): Promise<T> {
    const key = `${target.platform}:${targetKey(target)}`;
    const step = async () => {
      const last = this.#last.get(key);
      const wait = last === undefined ? 0 : last + PACE_MS[target.platform] - this.#clock.now();
      if (wait > 0) await this.#sleep(wait);
      try {
        return await work();
      } finally {
        this.#last.set(key, this.#clock.now());
      }
    };
    const next = (this.#queue.get(key) ?? Promise.resolve()).then(step, step);
    this.#queue.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }
}

export interface PostDeps {
  readonly poster: ChatPoster;
  readonly pacer: ChannelPacer;
  readonly sleep: Sleep;
  readonly retry: RetryPolicy;
}

/** Posts, retrying as the platform asks; rejects with the last PostFailure. */
export async function postWithRetry(
  deps: PostDeps,
  target: DeliveryTarget,
  post: DigestPost,
): Promise<{ messageId: string; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { messageId } = await deps.pacer.run(target, () => deps.poster.post(target, post));
      return { messageId, attempts: attempt };
    } catch (error) {
      const failure =
        error instanceof PostFailure ? error : new PostFailure("transient", String(error), { cause: error });
      if (failure.kind === "permanent" || attempt >= deps.retry.maxAttempts) throw failure;
      const backoff = Math.min(deps.retry.maxDelayMs, deps.retry.baseDelayMs * 2 ** (attempt - 1));
      const wait =
        failure.kind === "rate_limited" && failure.retryAfterMs !== null
          ? Math.min(deps.retry.maxDelayMs, failure.retryAfterMs)
          : backoff;
      await deps.sleep(wait);
    }
  }
}
