/** What the store keeps for digests: subscriptions, delivery targets and delivery records. Pure data. */

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

export const DELIVERY_STATES = ["claimed", "posted", "skipped", "failed"] as const;
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
