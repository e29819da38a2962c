/**
 * Posts digests to Slack with chat.postMessage (Block Kit). The WebClient's own retries are off:
 * the scheduler retries (429 Retry-After, 5xx backoff); Slack errors map to PostFailure kinds.
 */
import { webApi } from "@slack/bolt";
import type { DeliveryTarget } from "../../domain/digest/subscription.js";
import { type ChatPoster, type DigestPost, PostFailure } from "../../ports/chat-poster.js";
import { renderDigestBlocks } from "../../render/digest/block-kit.js";

/** Slack error codes after which posting to the channel cannot succeed without someone acting. */
export const SLACK_PERMANENT = new Set([
  "not_in_channel",
  "channel_not_found",
  "is_archived",
  "account_inactive",
  "invalid_auth",
  "token_revoked",
  "missing_scope",
  "restricted_action",
]);

/**
 * A 429 without a usable Retry-After header. The WebClient reports that as a plain Error (no code,
 * no status), so the poster's fetch raises this instead and `slackFailure` finds it as the cause.
 */
export class SlackRateLimitedWithoutDelay extends Error {
  constructor() {
    super("Slack answered 429 without a Retry-After header");
    this.name = "SlackRateLimitedWithoutDelay";
  }
}

/** `fetch` that turns a 429 without a numeric Retry-After into SlackRateLimitedWithoutDelay. */
export function rateLimitAwareFetch(inner: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (
      response.status === 429 &&
      Number.isNaN(Number.parseInt(response.headers.get("retry-after") ?? "", 10))
    )
      throw new SlackRateLimitedWithoutDelay();
    return response;
  };
}

export function slackFailure(error: unknown): PostFailure {
  const e = error as {
    code?: string;
    data?: { error?: string };
    retryAfter?: number;
    statusCode?: number;
    original?: unknown;
  };
  if (e.code === webApi.ErrorCode.RequestError && e.original instanceof SlackRateLimitedWithoutDelay)
    return new PostFailure("rate_limited", "429", { cause: error });
  if (e.code === webApi.ErrorCode.RequestError && (e.original as Error | undefined)?.name === "TimeoutError")
    return new PostFailure("transient", "timeout", { cause: error });
  if (e.code === webApi.ErrorCode.RateLimitedError)
    return new PostFailure("rate_limited", "ratelimited", {
      retryAfterMs: (e.retryAfter ?? 1) * 1000,
      cause: error,
    });
  if (e.code === webApi.ErrorCode.PlatformError) {
    const code = e.data?.error ?? "unknown_error";
    if (code === "ratelimited") return new PostFailure("rate_limited", code, { cause: error });
    return new PostFailure(SLACK_PERMANENT.has(code) ? "permanent" : "transient", code, { cause: error });
  }
  if (e.code === webApi.ErrorCode.HTTPError) {
    const status = e.statusCode ?? 0;
    const kind = status === 403 || status === 404 ? "permanent" : "transient";
    return new PostFailure(kind, String(status), { cause: error });
  }
  return new PostFailure("transient", error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}

export class SlackDigestPoster implements ChatPoster {
  readonly #client: webApi.WebClient;

  constructor(options: {
    token: string;
    slackApiUrl?: string;
    timeoutMs?: number;
    /** Transport (proxies, TLS); defaults to the global fetch. */
    fetch?: typeof globalThis.fetch;
  }) {
    this.#client = new webApi.WebClient(options.token, {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      fetch: rateLimitAwareFetch(options.fetch ?? globalThis.fetch),
      timeout: options.timeoutMs ?? 10_000,
      logLevel: webApi.LogLevel.ERROR,
    });
  }

  async post(target: DeliveryTarget, post: DigestPost): Promise<{ messageId: string }> {
    if (target.platform !== "slack") throw new PostFailure("permanent", "not_a_slack_channel");
    const message = renderDigestBlocks(post);
    try {
      const res = await this.#client.chat.postMessage({
        channel: target.channelId,
        text: message.text,
        blocks: message.blocks as never,
        unfurl_links: false,
      });
      return { messageId: res.ts ?? "" };
    } catch (error) {
      throw slackFailure(error);
    }
  }
}
