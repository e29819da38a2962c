/**
 * Wires the digest use cases for the composition root: the scheduler (delivering through
 * `poster`) and the chat command dependencies, both over one store and one Kusto runner.
 */
import { randomBytes } from "node:crypto";
import { ruleClassifier } from "../../domain/digest/classify.js";
import type { AuditLog } from "../../ports/audit.js";
import type { ChatPoster } from "../../ports/chat-poster.js";
import type { Clock } from "../../ports/clock.js";
import type { FeedbackStore } from "../../ports/feedback.js";
import type { KustoRunner } from "../../ports/kusto.js";
import type { Logger } from "../../ports/log.js";
import type { Store } from "../../ports/store.js";
import type { DigestChatDeps } from "../chat/digest-commands.js";
import type { CatalogQuery } from "../query-catalog.js";
import { ChannelPacer, DEFAULT_RETRY, realSleep } from "./post-with-retry.js";
import { DEFAULT_DIGEST_SETTINGS, runDigest } from "./run-digest.js";
import { DEFAULT_SCHEDULER_SETTINGS, type SchedulerDeps } from "./scheduler.js";
import { startDigestScheduler } from "./scheduler-loop.js";

export interface DigestServiceDeps {
  readonly store: Store;
  readonly poster: ChatPoster;
  readonly kusto: KustoRunner;
  /** `catalog["fleet-summary"]`. */
  readonly query: CatalogQuery;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly audit: AuditLog;
  /** Names this replica in delivery claims (e.g. the host name). */
  readonly instanceId: string;
  /** The platforms `poster` can reach; subscriptions for other platforms are not touched. */
  readonly platforms?: ReadonlySet<"teams" | "slack">;
  /** Issue 14: fleet-wide incidents as one digest row (`catalog["fleet-incidents"]`). */
  readonly incidents?: { readonly query: CatalogQuery; readonly minServers: number };
  /** Issue 14: servers a conversation snoozed are left out of its digests. */
  readonly feedback?: FeedbackStore;
}

export const newSubscriptionId = (): string => `d-${randomBytes(3).toString("hex")}`;

export function createDigestService(deps: DigestServiceDeps): {
  readonly scheduler: SchedulerDeps;
  readonly chat: DigestChatDeps;
  start(): { stop(): Promise<void> };
} {
  const build = async (
    servers: readonly string[],
    window: { fromMs: number; toMs: number },
    minFailures: number,
    conversation: string | null = null,
  ) => {
    const snoozed =
      conversation && deps.feedback
        ? await deps.feedback.snoozed(conversation, new Date(deps.clock.now()).toISOString())
        : [];
    return (
      await runDigest(
        {
          kusto: deps.kusto,
          query: deps.query,
          classify: ruleClassifier,
          settings: DEFAULT_DIGEST_SETTINGS,
          ...(deps.incidents ? { incidents: deps.incidents } : {}),
        },
        { servers, ...window, minFailures, snoozed },
      )
    ).view;
  };
  const scheduler: SchedulerDeps = {
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    instanceId: deps.instanceId,
    ...(deps.platforms ? { platforms: deps.platforms } : {}),
    poster: deps.poster,
    sleep: realSleep,
    pacer: new ChannelPacer(deps.clock, realSleep),
    retry: DEFAULT_RETRY,
    settings: DEFAULT_SCHEDULER_SETTINGS,
    buildDigest: (sub, window) =>
      build(
        sub.servers,
        window,
        sub.minFailures,
        sub.target.platform === "teams" ? sub.target.conversationId : sub.target.channelId,
      ),
  };
  const chat: DigestChatDeps = {
    store: deps.store,
    clock: deps.clock,
    audit: deps.audit,
    logger: deps.logger,
    newId: newSubscriptionId,
    preview: (servers, window) => build(servers, window, 1),
    previewWindowMs: 86_400_000,
    topN: DEFAULT_SCHEDULER_SETTINGS.topN,
  };
  return { scheduler, chat, start: () => startDigestScheduler(scheduler) };
}
