/** What the store keeps for digests: subscriptions, delivery targets and delivery records (pure data), and the shape check for subscriptions read back. */
import { z } from "zod";

/** Where a digest goes: a Teams conversation (its reference is stored separately) or a Slack channel. */
export type DeliveryTarget =
  | { readonly platform: "teams"; readonly conversationId: string }
  | { readonly platform: "slack"; readonly teamId: string; readonly channelId: string };

export type ChannelStatus =
  | { readonly state: "ok" }
  /** Delivery failed permanently (not_in_channel, channel_not_found, 403/404): shown by `digest list`. */
  | { readonly state: "failing"; readonly reason: string; readonly since: string };

export interface Subscription {
  /** Short stable id, e.g. "d-3f9a1c". */
  readonly id: string;
  readonly target: DeliveryTarget;
  /** Lowercase server names; empty = the whole fleet. */
  readonly servers: readonly string[];
  /** Five-field cron pattern, read in `timeZone`. */
  readonly cron: string;
  /** IANA time zone, e.g. "Europe/London". */
  readonly timeZone: string;
  readonly minFailures: number;
  /** Post nothing when no server is failing and every named server sent telemetry. */
  readonly quietWhenClear: boolean;
  readonly createdBy: string;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly status: ChannelStatus;
}

/** The stored Teams conversation reference (botbuilder's ConversationReference, as JSON). */
export interface TeamsConversationRecord {
  readonly conversationId: string;
  readonly reference: Readonly<Record<string, unknown>>;
  readonly updatedAt: string;
}

export interface SlackChannelRecord {
  readonly teamId: string;
  readonly channelId: string;
  readonly updatedAt: string;
}

/**
 * `claimed`: being built; `posting`: the post is under way (recorded before posting, so a replica
 * that takes over never posts it again); `uncertain`: the poster stopped mid-post, so it may or may
 * not have arrived (never retried; the next digest says so).
 */
export const DELIVERY_STATES = ["claimed", "posting", "posted", "skipped", "uncertain", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One (subscription, period): claimed with an eTag before posting, so it is posted at most once. */
export interface DeliveryRecord {
  readonly subscriptionId: string;
  /** The cron tick that ends the window, ISO-8601 UTC. */
  readonly periodEnd: string;
  readonly windowFrom: string;
  readonly state: DeliveryState;
  /** Which scheduler instance holds the claim. */
  readonly claimedBy: string;
  readonly claimedAt: string;
  /** Claims so far: a stale claim (crash between claim and post) is taken over once. */
  readonly attempts: number;
  /** When the post was begun (state `posting` and after); absent on records from before it existed. */
  readonly postingAt?: string | null;
  readonly postedAt: string | null;
  readonly messageId: string | null;
  readonly error: string | null;
}

/** Delivery record key: subscription id and period end, so keys of one subscription sort by time. */
export const deliveryKey = (subscriptionId: string, periodEnd: string): string =>
  `${subscriptionId}/${periodEnd}`;

/** Store key of a delivery target. */
export const targetKey = (target: DeliveryTarget): string =>
  target.platform === "teams" ? target.conversationId : `${target.teamId}/${target.channelId}`;

const nonEmpty = z.string().min(1);
const targetShape = z.discriminatedUnion("platform", [
  z.looseObject({ platform: z.literal("teams"), conversationId: nonEmpty }),
  z.looseObject({ platform: z.literal("slack"), teamId: nonEmpty, channelId: nonEmpty }),
]);
/** The fields the scheduler and the chat commands rely on; unknown extra fields are kept. */
const subscriptionShape = z.looseObject({
  id: nonEmpty,
  target: targetShape,
  servers: z.array(z.string()),
  cron: nonEmpty,
  timeZone: nonEmpty,
  minFailures: z.number().int().positive(),
  quietWhenClear: z.boolean(),
  createdBy: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  status: z.discriminatedUnion("state", [
    z.looseObject({ state: z.literal("ok") }),
    z.looseObject({ state: z.literal("failing"), reason: z.string(), since: z.string() }),
  ]),
});

/**
 * What is wrong with a stored subscription (read from JSON, edited by hand, written by another
 * version), or null when it has every field the scheduler and the chat commands use. `key` is the
 * store key it was read under; its `id` must match.
 */
export function subscriptionProblem(key: string, value: unknown): string | null {
  const parsed = subscriptionShape.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join(".") : "record";
    return `${where}: ${first?.message ?? "not a subscription"}`;
  }
  if (parsed.data.id !== key) return `id ${JSON.stringify(parsed.data.id)} does not match its key`;
  return null;
}

/** The delivery target of a stored subscription that is otherwise unusable, when it can be told. */
export function targetOf(value: unknown): DeliveryTarget | null {
  if (typeof value !== "object" || value === null || !("target" in value)) return null;
  const parsed = targetShape.safeParse(value.target);
  if (!parsed.success) return null;
  const t = parsed.data;
  return t.platform === "teams"
    ? { platform: "teams", conversationId: t.conversationId }
    : { platform: "slack", teamId: t.teamId, channelId: t.channelId };
}
