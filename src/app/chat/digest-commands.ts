/**
 * `attest digest subscribe|list|unsubscribe|preview` in a channel, platform-neutral. The Teams and
 * Slack adapters parse with `parseDigestCommand`, call `handleDigestCommand` with the channel as a
 * DeliveryTarget (plus, on Teams, the conversation reference for proactive posts) and render the
 * reply. Subscriptions belong to the channel they were made in. Never throws; audits every command.
 */
import type { DigestCommand } from "../../domain/digest/commands.js";
import {
  type DeliveryTarget,
  type Subscription,
  targetKey,
  targetOf,
} from "../../domain/digest/subscription.js";
import type { DigestView } from "../../domain/digest/types.js";
import type { AuditLog } from "../../ports/audit.js";
import type { DigestPost } from "../../ports/chat-poster.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/log.js";
import { PreconditionFailed, type Store, StoreCorrupt, type Stored } from "../../ports/store.js";
import { readSubscriptions, type UnreadableSubscription } from "../digest/read-subscriptions.js";
import { nextTick, validateSchedule } from "../digest/schedule.js";

export interface DigestActor {
  readonly platform: "teams" | "slack";
  readonly userId: string;
  readonly tenantId: string;
  /** The channel the command came from, where digests will be posted. */
  readonly target: DeliveryTarget;
  /** Teams only: the conversation reference (JSON) needed to post proactively later. */
  readonly teamsReference?: Readonly<Record<string, unknown>>;
}

export interface DigestChatDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly logger: Logger;
  /** A new short subscription id, e.g. "d-3f9a1c". */
  readonly newId: () => string;
  /** Builds a digest now for `servers` (empty = fleet) over the window (preview). */
  readonly preview: (
    servers: readonly string[],
    window: { fromMs: number; toMs: number },
  ) => Promise<DigestView>;
  /** Preview window length. */
  readonly previewWindowMs: number;
  readonly topN: number;
}

export interface SubscriptionLine {
  readonly subscription: Subscription;
  /** ISO-8601 UTC, or null when the pattern never fires again. */
  readonly nextRun: string | null;
}

export type DigestReply =
  | { readonly kind: "subscribed"; readonly line: SubscriptionLine }
  | {
      readonly kind: "list";
      readonly lines: readonly SubscriptionLine[];
      /**
       * Stored subscriptions that cannot be read (corrupt file, missing fields), failing: those of
       * this channel and those whose channel cannot be told. Render each with `unreadableText`.
       */
      readonly unreadable?: readonly UnreadableSubscription[];
    }
  | { readonly kind: "unsubscribed"; readonly id: string }
  | { readonly kind: "not_found"; readonly id: string }
  /** Shown to the caller only (Slack ephemeral, Teams 1:1 or a reply only they see). */
  | { readonly kind: "preview"; readonly post: DigestPost }
  | { readonly kind: "bad_input"; readonly message: string; readonly example: string }
  | { readonly kind: "error"; readonly message: string };

const iso = (ms: number) => new Date(ms).toISOString();
const sameChannel = (a: DeliveryTarget, b: DeliveryTarget) =>
  a.platform === b.platform && targetKey(a) === targetKey(b);

function line(sub: Subscription, now: number): SubscriptionLine {
  const next = nextTick(sub.cron, sub.timeZone, now);
  return { subscription: sub, nextRun: next === null ? null : iso(next) };
}

/** This channel's usable subscriptions, and the unreadable ones that are (or may be) its own. */
async function channelSubscriptions(
  deps: DigestChatDeps,
  target: DeliveryTarget,
): Promise<{ subscriptions: Subscription[]; unreadable: UnreadableSubscription[] }> {
  const { subscriptions, unreadable } = await readSubscriptions(deps.store);
  return {
    subscriptions: subscriptions.map((s) => s.value).filter((s) => sameChannel(s.target, target)),
    unreadable: unreadable.filter((u) => u.target === null || sameChannel(u.target, target)),
  };
}

async function rememberChannel(deps: DigestChatDeps, actor: DigestActor, now: number): Promise<void> {
  const t = actor.target;
  if (t.platform === "teams") {
    if (!actor.teamsReference) throw new Error("a Teams subscription needs the conversation reference");
    await deps.store.put(
      "teams-conversations",
      t.conversationId,
      { conversationId: t.conversationId, reference: actor.teamsReference, updatedAt: iso(now) },
      null,
    );
  } else {
    await deps.store.put(
      "slack-channels",
      targetKey(t),
      { teamId: t.teamId, channelId: t.channelId, updatedAt: iso(now) },
      null,
    );
  }
}

async function run(
  deps: DigestChatDeps,
  actor: DigestActor,
  command: DigestCommand,
  now: number,
): Promise<DigestReply> {
  switch (command.kind) {
    case "subscribe": {
      try {
        validateSchedule(command.cron, command.timeZone);
      } catch (error) {
        return {
          kind: "bad_input",
          message: `--cron: ${error instanceof Error ? error.message : String(error)}`,
          example: 'attest digest subscribe --cron "0 9 * * 1-5" --tz Europe/London',
        };
      }
      await rememberChannel(deps, actor, now);
      for (let attempt = 0; ; attempt++) {
        const sub: Subscription = {
          id: deps.newId(),
          target: actor.target,
          servers: command.servers,
          cron: command.cron,
          timeZone: command.timeZone,
          minFailures: command.minFailures,
          quietWhenClear: command.quietWhenClear,
          createdBy: actor.userId,
          createdAt: iso(now),
          status: { state: "ok" },
        };
        try {
          await deps.store.put("subscriptions", sub.id, sub, { ifNoneMatch: "*" });
          return { kind: "subscribed", line: line(sub, now) };
        } catch (error) {
          if (!(error instanceof PreconditionFailed) || attempt >= 4) throw error;
        }
      }
    }
    case "list": {
      const { subscriptions, unreadable } = await channelSubscriptions(deps, actor.target);
      return { kind: "list", lines: subscriptions.map((s) => line(s, now)), unreadable };
    }
    case "unsubscribe": {
      let found: Stored<Subscription> | null;
      try {
        found = await deps.store.get("subscriptions", command.id);
      } catch (error) {
        if (!(error instanceof StoreCorrupt)) throw error;
        return {
          kind: "error",
          message: `Subscription ${command.id} cannot be read: ${error.location} is corrupt. The bot's operator must fix or remove it by hand.`,
        };
      }
      const owner = found ? targetOf(found.value) : null;
      if (!owner || !sameChannel(owner, actor.target)) return { kind: "not_found", id: command.id };
      await deps.store.delete("subscriptions", command.id);
      return { kind: "unsubscribed", id: command.id };
    }
    case "preview": {
      const subs = (await channelSubscriptions(deps, actor.target)).subscriptions;
      const servers = subs[0]?.servers ?? [];
      const view = await deps.preview(servers, { fromMs: now - deps.previewWindowMs, toMs: now });
      return {
        kind: "preview",
        post: {
          view,
          title: `Attestation digest preview${subs[0] ? ` · ${subs[0].id}` : " · whole fleet"}`,
          topN: deps.topN,
        },
      };
    }
  }
}

export async function handleDigestCommand(
  deps: DigestChatDeps,
  actor: DigestActor,
  command: DigestCommand,
): Promise<DigestReply> {
  const started = deps.clock.now();
  let reply: DigestReply;
  try {
    reply = await run(deps, actor, command, started);
  } catch (error) {
    deps.logger.error("digest.command_failed", {
      command: command.kind,
      error: error instanceof Error ? error.message : String(error),
    });
    reply = {
      kind: "error",
      message: "Something went wrong while running the digest command; it has been logged.",
    };
  }
  deps.audit.record({
    platform: actor.platform,
    who: actor.userId,
    tenant: actor.tenantId,
    conversation: targetKey(actor.target),
    command: `digest ${command.kind}`,
    parameters:
      command.kind === "subscribe" ? { ...command, servers: command.servers.length } : { ...command },
    outcome: reply.kind,
    durationMs: deps.clock.now() - started,
    kustoRequestIds: [],
  });
  return reply;
}

/** The reply as plain text (chat fallback; the preview is rendered as a card or blocks instead). */
export function digestReplyText(reply: DigestReply): string {
  const describe = (l: SubscriptionLine) => {
    const s = l.subscription;
    const scope = s.servers.length === 0 ? "whole fleet" : s.servers.join(", ");
    const status =
      s.status.state === "failing" ? ` ⚠ FAILING since ${s.status.since}: ${s.status.reason}` : "";
    const flags = `${s.minFailures > 1 ? ` min ${s.minFailures} failures;` : ""}${s.quietWhenClear ? " quiet when clear;" : ""}`;
    return `${s.id}: ${scope}; "${s.cron}" ${s.timeZone};${flags} next ${l.nextRun ?? "never"}${status}`;
  };
  switch (reply.kind) {
    case "subscribed":
      return `Subscribed. ${describe(reply.line)}`;
    case "list": {
      const unreadable = reply.unreadable ?? [];
      return reply.lines.length === 0 && unreadable.length === 0
        ? "No digest subscriptions in this channel. Try: attest digest subscribe --all"
        : [
            "Digest subscriptions in this channel:",
            ...reply.lines.map((l) => `• ${describe(l)}`),
            ...unreadable.map((u) => `• ${unreadableText(u)}`),
          ].join("\n");
    }
    case "unsubscribed":
      return `Unsubscribed ${reply.id}.`;
    case "not_found":
      return `No subscription ${reply.id} in this channel (see attest digest list).`;
    case "preview":
      return reply.post.title;
    case "bad_input":
      return `${reply.message}\nExample: ${reply.example}`;
    case "error":
      return reply.message;
  }
}

/**
 * One unreadable subscription for `digest list`: failing, with where it lives and why, e.g.
 * `d-3f9a1c: ⚠ FAILING: the stored subscription cannot be read (/data/subscriptions/d-3f9a1c.json:
 * Unexpected end of JSON input); the bot's operator must fix or remove it`.
 */
export function unreadableText(u: UnreadableSubscription): string {
  const detail = u.detail.length > 200 ? `${u.detail.slice(0, 199)}…` : u.detail;
  return `${u.key}: ⚠ FAILING: the stored subscription cannot be read (${u.location}: ${detail}); the bot's operator must fix or remove it`;
}
