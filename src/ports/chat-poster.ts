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

/**
 * How a chat platform can refuse a post, said without naming the platform: what the in-memory
 * poster can be told to do (and what the contract tests make the loopback platforms do).
 */
export type PlatformFault =
  /** Slack `not_in_channel`, Teams 403 (bot removed from the conversation). */
  | { readonly kind: "not_in_channel" }
  /** Slack `channel_not_found`, Teams 404. */
  | { readonly kind: "channel_not_found" }
  /** HTTP 429, with the Retry-After header in seconds (or none). */
  | { readonly kind: "rate_limited"; readonly retryAfterSeconds: number | null }
  /** HTTP 5xx, e.g. 500/502/503/504. */
  | { readonly kind: "server_error"; readonly status: number }
  /** The connection closed before any answer. */
  | { readonly kind: "connection_dropped" }
  /** The platform took the request and never answered: the poster gives up after its timeout. */
  | { readonly kind: "no_answer" };

/** The PostFailure a poster reports for `fault`: what every ChatPoster must do (see the contract tests). */
export function postFailureFor(fault: PlatformFault): PostFailure {
  switch (fault.kind) {
    case "not_in_channel":
    case "channel_not_found":
      return new PostFailure("permanent", fault.kind);
    case "rate_limited":
      return new PostFailure("rate_limited", "429", {
        retryAfterMs: fault.retryAfterSeconds === null ? null : fault.retryAfterSeconds * 1000,
      });
    case "server_error":
      return new PostFailure("transient", String(fault.status));
    case "connection_dropped":
      return new PostFailure("transient", "connection_dropped");
    case "no_answer":
      return new PostFailure("transient", "timeout");
  }
}

/**
 * Records posts in memory (tests, previews). `failures` scripts PostFailures for the next calls;
 * `faults` makes the next calls fail the way a platform would (mapped by `postFailureFor`).
 */
export class MemoryChatPoster implements ChatPoster {
  readonly posts: { target: DeliveryTarget; post: DigestPost }[] = [];
  /** Failures to throw, in order, before posting succeeds (per call). */
  readonly failures: PostFailure[] = [];
  /** Platform faults to answer with, in order, once `failures` is empty (per call). */
  readonly faults: PlatformFault[] = [];
  /** Calls that reached the "platform" (after `beforePost`), failed or not. */
  attempts = 0;
  /** Called before each post: lets a test crash or race at exactly this point. */
  beforePost: (() => Promise<void>) | null = null;

  async post(target: DeliveryTarget, post: DigestPost): Promise<{ messageId: string }> {
    if (this.beforePost) await this.beforePost();
    this.attempts += 1;
    const failure = this.failures.shift();
    if (failure) throw failure;
    const fault = this.faults.shift();
    if (fault) throw postFailureFor(fault);
    this.posts.push({ target, post });
    return { messageId: `m${this.posts.length}` };
  }
}
