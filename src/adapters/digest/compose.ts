/**
 * Digest wiring for the composition root: the store from the environment, posters for the
 * configured platforms, the scheduler started. `startDigests` returns the chat dependencies the
 * Teams and Slack adapters pass to `handleDigestCommand`, and a stop function.
 *
 * Environment: ATTEST_DIGEST_STORE=file|blob (default file); ATTEST_DATA_DIR (file store
 * directory, default ./data); ATTEST_BLOB_CONNECTION_STRING, or ATTEST_BLOB_ACCOUNT_URL with the
 * managed identity / DefaultAzureCredential; ATTEST_BLOB_CONTAINER (default attest-bot).
 */
import { hostname } from "node:os";
import { resolve } from "node:path";
import type { DigestChatDeps } from "../../app/chat/digest-commands.js";
import { createDigestService } from "../../app/digest/digest-service.js";
import type { CatalogQuery } from "../../app/query-catalog.js";
import type { AuditLog } from "../../ports/audit.js";
import type { ChatPoster } from "../../ports/chat-poster.js";
import type { Clock } from "../../ports/clock.js";
import type { FeedbackStore } from "../../ports/feedback.js";
import type { KustoRunner } from "../../ports/kusto.js";
import type { Logger } from "../../ports/log.js";
import type { Metrics } from "../../ports/metrics.js";
import type { Store } from "../../ports/store.js";
import { MeteredPoster } from "../metrics/metered.js";
import { createStore, type StoreConfig } from "../storage/create-store.js";
import { SlackDigestPoster } from "./slack-poster.js";
import { type ProactiveAdapter, RoutingPoster, TeamsDigestPoster } from "./teams-poster.js";

/** The store configuration from the environment, or the problems (each says how to fix it). */
export function digestStoreConfig(
  env: Readonly<Record<string, string | undefined>>,
): { value: StoreConfig; problems: [] } | { value: null; problems: string[] } {
  const kind = env.ATTEST_DIGEST_STORE?.trim() || "file";
  const container = env.ATTEST_BLOB_CONTAINER?.trim() || "attest-bot";
  if (kind === "file")
    return { value: { kind: "file", dir: resolve(env.ATTEST_DATA_DIR?.trim() || "data") }, problems: [] };
  if (kind !== "blob")
    return {
      value: null,
      problems: [`ATTEST_DIGEST_STORE: must be file or blob, got ${JSON.stringify(kind)}`],
    };
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(container))
    return {
      value: null,
      problems: [
        `ATTEST_BLOB_CONTAINER: 3-63 lowercase letters, digits and single hyphens, got ${JSON.stringify(container)}`,
      ],
    };
  const connectionString = env.ATTEST_BLOB_CONNECTION_STRING?.trim();
  if (connectionString) return { value: { kind: "blob", connectionString, container }, problems: [] };
  const accountUrl = env.ATTEST_BLOB_ACCOUNT_URL?.trim();
  if (accountUrl && /^https:\/\//.test(accountUrl))
    return {
      // DefaultAzureCredential, made by createStore: the Azure SDKs load only for a Blob store.
      value: { kind: "blob", accountUrl, container },
      problems: [],
    };
  return {
    value: null,
    problems: [
      "ATTEST_DIGEST_STORE=blob needs ATTEST_BLOB_CONNECTION_STRING or ATTEST_BLOB_ACCOUNT_URL (https://<account>.blob.core.windows.net)",
    ],
  };
}

export interface DigestPlatforms {
  /** The Teams CloudAdapter and bot app id, when Teams is on. */
  readonly teams: { readonly adapter: ProactiveAdapter; readonly botAppId: string } | null;
  /** The Slack bot token and API URL, when Slack is on. */
  readonly slack: { readonly token: string; readonly apiUrl?: string } | null;
}

/** One readiness check's result, as /readyz reports it. */
export interface HealthCheck {
  readonly ok: boolean;
  readonly detail: string;
}

export interface RunningDigests {
  readonly store: Store;
  readonly chat: DigestChatDeps;
  /**
   * For /readyz: whether the store can be used now (reached, and for the file store written),
   * with where it is, or why not. A corrupt record does not fail it (the others are delivered).
   */
  storeHealth(): Promise<HealthCheck>;
  /** Starts the scheduler: only once the bot is listening (a bot that fails to start delivers nothing). */
  start(): void;
  stop(): Promise<void>;
}

/** Where the store is, for logs and health details. */
export const storeLabel = (config: StoreConfig): string =>
  config.kind === "file" ? config.dir : `blob:${config.container}`;

/** Runs the store's own check within `timeoutMs`; never rejects. */
export async function checkStoreHealth(store: Store, label: string, timeoutMs = 5_000): Promise<HealthCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([store.check(), timeout]);
    return { ok: true, detail: label };
  } catch (error) {
    return { ok: false, detail: `${label}: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

export async function startDigests(
  storeConfig: StoreConfig,
  platforms: DigestPlatforms,
  deps: {
    readonly kusto: KustoRunner;
    readonly query: CatalogQuery;
    readonly clock: Clock;
    readonly logger: Logger;
    readonly audit: AuditLog;
    readonly instanceId?: string;
    /** Counts every digest post attempt (posted or the failure kind). */
    readonly metrics?: Metrics;
    /** Issue 14: incidents as one digest row; snoozed servers left out. */
    readonly incidents?: { readonly query: CatalogQuery; readonly minServers: number };
    readonly feedback?: FeedbackStore;
  },
): Promise<RunningDigests> {
  const store = await createStore(storeConfig);
  const label = storeLabel(storeConfig);
  const storeHealth = () => checkStoreHealth(store, label);
  // Not fatal (chat commands other than digests still work), but said at once and on /readyz.
  const health = await storeHealth();
  if (!health.ok) deps.logger.error("digest.store_unusable", { store: label, error: health.detail });
  const posters: Partial<Record<"teams" | "slack", ChatPoster>> = {};
  if (platforms.teams) posters.teams = new TeamsDigestPoster({ ...platforms.teams, store });
  if (platforms.slack)
    posters.slack = new SlackDigestPoster({
      token: platforms.slack.token,
      ...(platforms.slack.apiUrl ? { slackApiUrl: platforms.slack.apiUrl } : {}),
    });
  const service = createDigestService({
    store,
    poster: deps.metrics
      ? new MeteredPoster(new RoutingPoster(posters), deps.metrics)
      : new RoutingPoster(posters),
    kusto: deps.kusto,
    query: deps.query,
    ...(deps.incidents ? { incidents: deps.incidents } : {}),
    ...(deps.feedback ? { feedback: deps.feedback } : {}),
    clock: deps.clock,
    logger: deps.logger,
    audit: deps.audit,
    instanceId: deps.instanceId ?? `${hostname()}:${process.pid}`,
    platforms: new Set(Object.keys(posters) as ("teams" | "slack")[]),
  });
  let running: { stop(): Promise<void> } | null = null;
  return {
    store,
    chat: service.chat,
    storeHealth,
    start: () => {
      if (running) return;
      running = service.start();
      deps.logger.info("digest.started", { store: label, platforms: Object.keys(posters) });
    },
    stop: async () => {
      await running?.stop();
    },
  };
}
