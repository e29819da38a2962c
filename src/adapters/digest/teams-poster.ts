/**
 * Posts digests to Teams proactively: the stored conversation reference and botbuilder's
 * `continueConversationAsync`, an Adaptive Card. Connector errors map to PostFailure kinds
 * (429 with Retry-After; 412/5xx and network transient; 403/404 permanent). The connector client's
 * own retries are off: the scheduler retries.
 */
import { CardFactory, type ConversationReference, MessageFactory, type TurnContext } from "botbuilder";
import type { DeliveryTarget } from "../../domain/digest/subscription.js";
import { type ChatPoster, type DigestPost, PostFailure } from "../../ports/chat-poster.js";
import type { Store } from "../../ports/store.js";
import { renderDigestCard } from "../../render/digest/adaptive-card.js";
import { proactiveTurn } from "../teams/proactive.js";

/** The part of botbuilder's CloudAdapter this needs. */
export interface ProactiveAdapter {
  continueConversationAsync(
    botAppId: string,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
}

function header(error: unknown, name: string): string | null {
  const headers = (error as { response?: { headers?: unknown } }).response?.headers;
  if (!headers) return null;
  if (typeof (headers as { get?: unknown }).get === "function")
    return ((headers as { get(n: string): string | undefined | null }).get(name) ?? null) || null;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === "string" ? value : null;
}

export function teamsFailure(error: unknown): PostFailure {
  const status = (error as { statusCode?: number }).statusCode ?? (error as { status?: number }).status;
  if (status === 429) {
    const after = Number(header(error, "retry-after"));
    return new PostFailure("rate_limited", "429", {
      retryAfterMs: Number.isFinite(after) && after > 0 ? after * 1000 : null,
      cause: error,
    });
  }
  if (status === 403 || status === 404 || status === 401)
    return new PostFailure("permanent", String(status), { cause: error });
  const code =
    status === undefined ? (error instanceof Error ? error.message : String(error)) : String(status);
  return new PostFailure("transient", code, { cause: error });
}

/**
 * Removes the connector client's own retries (the "Retry" phase of its Azure pipeline: 429 waits
 * for Retry-After, 5xx and dropped connections back off up to 3 times) for this turn only: CloudAdapter
 * makes a new client per turn. The scheduler retries instead, honouring Retry-After and pacing each
 * channel; left in, a 429 would hold the poster for Retry-After and 5xx would be retried twice over.
 */
function withoutConnectorRetries(context: TurnContext): void {
  const connector = context.turnState.get(context.adapter.ConnectorClientKey) as
    | { client?: { pipeline?: { removePolicy?(options: { phase: string }): unknown } } }
    | undefined;
  connector?.client?.pipeline?.removePolicy?.({ phase: "Retry" });
}

export class TeamsDigestPoster implements ChatPoster {
  readonly #adapter: ProactiveAdapter;
  readonly #botAppId: string;
  readonly #store: Store;
  readonly #timeoutMs: number;

  constructor(options: {
    adapter: ProactiveAdapter;
    botAppId: string;
    store: Store;
    /** Gives up (transient "timeout") when the post, token included, takes longer; default 30 s. */
    timeoutMs?: number;
  }) {
    this.#adapter = options.adapter;
    this.#botAppId = options.botAppId;
    this.#store = options.store;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async post(target: DeliveryTarget, post: DigestPost): Promise<{ messageId: string }> {
    if (target.platform !== "teams") throw new PostFailure("permanent", "not_a_teams_conversation");
    const stored = await this.#store.get("teams-conversations", target.conversationId);
    if (!stored) throw new PostFailure("permanent", "no_conversation_reference");
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(renderDigestCard(post)));
    activity.summary = post.title;
    let messageId = "";
    // proactiveTurn: with the adapter's onTurnError set (createTeamsApp), a refused send would
    // otherwise be swallowed and the digest recorded as posted.
    const sent = proactiveTurn(
      (logic) =>
        this.#adapter.continueConversationAsync(
          this.#botAppId,
          stored.value.reference as Partial<ConversationReference>,
          logic,
        ),
      async (context) => {
        withoutConnectorRetries(context);
        const res = await context.sendActivity(activity);
        messageId = res?.id ?? "";
      },
    );
    // After a timeout the send may still settle; its outcome no longer matters.
    sent.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PostFailure("transient", "timeout")), this.#timeoutMs);
    });
    try {
      await Promise.race([sent, timedOut]);
    } catch (error) {
      throw error instanceof PostFailure ? error : teamsFailure(error);
    } finally {
      clearTimeout(timer);
    }
    return { messageId };
  }
}

/** Sends each target to the poster for its platform. */
export class RoutingPoster implements ChatPoster {
  readonly #byPlatform: Partial<Record<DeliveryTarget["platform"], ChatPoster>>;
  constructor(byPlatform: Partial<Record<DeliveryTarget["platform"], ChatPoster>>) {
    this.#byPlatform = byPlatform;
  }
  post(target: DeliveryTarget, post: DigestPost): Promise<{ messageId: string }> {
    const poster = this.#byPlatform[target.platform];
    if (!poster) return Promise.reject(new PostFailure("permanent", `${target.platform}_not_configured`));
    return poster.post(target, post);
  }
}
