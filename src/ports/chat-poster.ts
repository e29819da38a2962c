/**
 * Posting a digest to a channel, proactively (no incoming message). Teams posts with the stored
 * conversation reference, Slack with chat.postMessage; each renders the view for its platform.
 */
import type { DeliveryTarget } from "../domain/digest/subscription.js";
import type { DigestView } from "../domain/digest/types.js";

export const POST_FAILURE_KINDS = ["rate_limited", "transient", "permanent"] as const;
export type PostFailureKind = (typeof POST_FAILURE_KINDS)[number];

/**
 * Why a post failed: `rate_limited` (429; wait `retryAfterMs`), `transient` (412/502/504, network;
 * retry with backoff) or `permanent` (not_in_channel, channel_not_found, 403/404: stop and mark
 * the channel failing).
 */
export class PostFailure extends Error {
  readonly kind: PostFailureKind;
  readonly retryAfterMs: number | null;
  /** The platform's error code or HTTP status, e.g. "not_in_channel" or "403". */
  readonly code: string;
  constructor(
    kind: PostFailureKind,
    code: string,
    details: { retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(`post failed (${kind}): ${code}`, { cause: details.cause });
    this.name = "PostFailure";
    this.kind = kind;
    this.code = code;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

export interface DigestPost {
  readonly view: DigestView;
  /** Shown in the header, e.g. "Attestation digest (subscription d-3f9a1c)". */
  readonly title: string;
  /** Servers listed before "and N more". */
  readonly topN: number;
}

export interface ChatPoster {
  /** Posts `post` to `target`; resolves with the platform's message id, rejects with PostFailure. */
  post(target: DeliveryTarget, post: DigestPost): Promise<{ readonly messageId: string }>;
}

/** Records posts in memory (tests, previews); `fail` scripts failures for the next calls. */
export class MemoryChatPoster implements ChatPoster {
  readonly posts: { target: DeliveryTarget; post: DigestPost }[] = [];
  /** Failures to throw, in order, before posting succeeds (per call). */
  readonly failures: PostFailure[] = [];
  /** Called before each post: lets a test crash or race at exactly this point. */
  beforePost: (() => Promise<void>) | null = null;

  async post(target: DeliveryTarget, post: DigestPost): Promise<{ messageId: string }> {
    if (this.beforePost) await this.beforePost();
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.posts.push({ target, post });
    return { messageId: `m${this.posts.length}` };
  }
}
