/**
 * Composition root of the bot server: configuration -> adapters -> use cases -> HTTP server.
 * `startBot` is what `npm start` runs and what end-to-end tests start in process.
 */
import type { AddressInfo } from "node:net";
import { digestStoreConfig, type RunningDigests, startDigests } from "../adapters/digest/compose.js";
import { LoggerAuditLog } from "../adapters/log/audit-log.js";
import { MeteredAuditLog, MeteredKustoRunner } from "../adapters/metrics/metered.js";
import { metricsRoute } from "../adapters/metrics/metrics-route.js";
import { PrometheusMetrics } from "../adapters/metrics/prometheus-metrics.js";
import { createSlackRoutes, SLACK_EVENTS_PATH, slackConfigFrom } from "../adapters/slack/routes.js";
import { FileFeedbackStore } from "../adapters/storage/feedback-file.js";
import { createCloudAdapter, createTeamsRoutes, teamsConfigFrom } from "../adapters/teams/routes.js";
import { CheckWorkerPool } from "../adapters/worker/check-pool.js";
import type { ChatDeps } from "../app/chat/handle-command.js";
import { loadQueryCatalog } from "../app/query-catalog.js";
import { runCheck, warmUpCheck } from "../app/run-check.js";
import { CheckQueue } from "../app/serving/check-queue.js";
import { type DrainResult, InFlight } from "../app/serving/in-flight.js";
import { IngressGate } from "../app/serving/ingress-gate.js";
import { ConfigError, coreConfigProblems, loadCoreConfig, SECRET_VARIABLES } from "../config/config.js";
import { servingConfigFrom } from "../http/limits.js";
import { createHttpServer, type Readiness, type Route } from "../http/server.js";
import type { AuditLog } from "../ports/audit.js";
import { type Clock, systemClock } from "../ports/clock.js";
import { MemoryFeedbackStore } from "../ports/feedback.js";
import type { KustoRunner } from "../ports/kusto.js";
import type { Logger } from "../ports/log.js";
import { createKustoRunner } from "./kusto-runner.js";
import type { PlatformContext } from "./platform.js";

export interface StartOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Overrides (tests): a Kusto runner and an audit log. */
  readonly kusto?: KustoRunner;
  readonly audit?: AuditLog;
  /** Counters served at GET /metrics; a fresh registry by default. */
  readonly metrics?: PrometheusMetrics;
  /** Port to listen on; defaults to PORT or 3978. 0 picks a free port. */
  readonly port?: number;
}

export interface RunningBot {
  readonly url: string;
  readonly port: number;
  readonly localMode: boolean;
  /** Start-up to listening, in ms (also logged in `bot.started`). */
  readonly startupMs: number;
  /** Stops at once: no waiting for commands in flight (tests). */
  close(): Promise<void>;
  /**
   * Stops gracefully (SIGTERM): stop accepting connections, refuse checks not yet started (their
   * users are told), give acknowledged commands the grace period (ATTEST_SHUTDOWN_GRACE) to be
   * answered, tell the users of any still running that they were cut short, then close.
   */
  shutdown(): Promise<DrainResult>;
}

/** Validates every setting (all problems at once), wires the bot and starts listening. */
export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { env, logger } = options;
  const startedAt = performance.now();
  const clock = options.clock ?? systemClock;
  const localMode = !env.MicrosoftAppId?.trim() && env.ATTEST_PUBLIC?.trim() !== "true";
  const problems: string[] = [];
  problems.push(...coreConfigProblems(env));
  const teams = teamsConfigFrom(env, localMode);
  const slack = slackConfigFrom(env, localMode);
  const digestStore = digestStoreConfig(env);
  const serving = servingConfigFrom(env);
  problems.push(...teams.problems, ...slack.problems, ...digestStore.problems, ...serving.problems);
  const portText = env.PORT?.trim() || "3978";
  const envPort = Number(portText);
  if (!/^\d+$/.test(portText) || envPort > 65535)
    problems.push(`PORT: must be a port number from 0 to 65535, got ${JSON.stringify(portText)}`);
  // The Kusto runner is made while problems are still being collected: a data file that cannot
  // be read (ATTEST_DATA) is a configuration problem like the others.
  let kusto: KustoRunner | null = options.kusto ?? null;
  if (!kusto && coreConfigProblems(env).length === 0) {
    try {
      const core = loadCoreConfig(env);
      kusto = createKustoRunner(core.kusto, { clock, logger, access: core.kustoAccess });
    } catch (error) {
      problems.push(`ATTEST_DATA: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0 || !kusto) throw new ConfigError(problems);
  const core = loadCoreConfig(env);

  const catalog = loadQueryCatalog();
  const settings = {
    defaultWindowMs: core.defaultWindowMs,
    loadWindowMs: core.loadWindowMs,
    queryDeadlineMs: core.queryTimeoutMs,
    rowCap: 500,
    sgxVmSizes: core.sgxVmSizes,
    incidents: core.incidents,
  };
  // Issue 14: feedback tally and digest snoozes, next to the digest files (in memory otherwise).
  const feedback =
    digestStore.value?.kind === "file"
      ? new FileFeedbackStore(digestStore.value.dir)
      : new MemoryFeedbackStore();
  // Metrics at the ports' boundaries: every audited command, Kusto query and digest post.
  const metrics = options.metrics ?? new PrometheusMetrics();
  const metered = new MeteredKustoRunner(kusto, metrics);
  // Checks run in worker threads (started below, once the digest store has opened) unless a
  // runner was handed in (tests) or ATTEST_CHECK_WORKERS=0.
  let pool: CheckWorkerPool | null = null;
  // Acknowledgements first: check work waits at each step while a Slack request is being answered.
  const gate = new IngressGate();
  const pause = () => gate.whenIdle();
  const queue = new CheckQueue({
    concurrency: serving.value.checkConcurrency,
    maxPending: serving.value.checkQueue,
    pause,
  });
  const inFlight = new InFlight();
  const chat: ChatDeps = {
    runCheck: (request) =>
      queue.run(() =>
        pool
          ? pool.run(request)
          : runCheck({ kusto: metered, catalog, clock, logger, settings, pause }, request),
      ),
    clock,
    audit: new MeteredAuditLog(options.audit ?? new LoggerAuditLog(logger), metrics),
    logger,
    busy: () => queue.full,
    inFlight,
    pause,
    feedback,
  };
  // One CloudAdapter for Teams: it answers /api/messages and posts digests proactively.
  const teamsAdapter = teams.value ? createCloudAdapter(teams.value) : null;
  let digests: RunningDigests | null = null;
  if (digestStore.value && (teams.value || slack.value)) {
    try {
      digests = await startDigests(
        digestStore.value,
        {
          teams:
            teams.value && teamsAdapter ? { adapter: teamsAdapter, botAppId: teams.value.appId ?? "" } : null,
          slack: slack.value
            ? { token: slack.value.botToken, ...(slack.value.apiUrl ? { apiUrl: slack.value.apiUrl } : {}) }
            : null,
        },
        {
          kusto: metered,
          query: catalog["fleet-summary"],
          clock,
          logger,
          audit: chat.audit,
          incidents: { query: catalog["fleet-incidents"], minServers: core.incidents.minServers },
          feedback,
          metrics,
        },
      );
    } catch (error) {
      // The store could not be opened (e.g. an unusable connection string): say which setting,
      // without echoing secret values.
      throw new ConfigError([
        `ATTEST_DIGEST_STORE: the digest store could not be opened: ${redact(error instanceof Error ? error.message : String(error), env)}`,
      ]);
    }
  }
  // The check workers (their own Kusto runner), once every setting and store is known to be
  // usable; a worker that cannot start leaves the checks on the main thread.
  if (!options.kusto && serving.value.checkWorkers > 0) {
    try {
      pool = await CheckWorkerPool.start({
        size: serving.value.checkWorkers,
        nice: serving.value.checkWorkerNice,
        env,
        settings,
        logger,
        metrics,
        now: () => clock.now(),
        warm: kusto.target.embedded,
      });
    } catch (error) {
      logger.error("check_worker.unavailable", {
        error: error instanceof Error ? error.message : String(error),
        next: "checks run on the main thread",
      });
    }
  }
  if (!pool && !options.kusto && kusto.target.embedded) {
    const started = Date.now();
    await warmUpCheck({ kusto, catalog, clock, settings });
    logger.info("kusto.warmed", { ms: Date.now() - started });
  }
  const context: PlatformContext = {
    chat,
    digest: digests?.chat ?? null,
    logger,
    localMode,
    ...(pool ? { fetch: pool.fetch } : {}),
  };
  const routes: Route[] = [metricsRoute(metrics)];
  if (teams.value && teamsAdapter)
    routes.push(...createTeamsRoutes(context, teams.value, { adapter: teamsAdapter }));
  else logger.info("teams.off", { reason: "Teams routes are off (no Teams configuration)" });
  if (slack.value) routes.push(...createSlackRoutes(context, slack.value));
  else
    logger.info("slack.off", {
      reason: "Slack routes are off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to enable /slack/events",
    });

  // /readyz is unauthenticated: its Kusto probe runs at most once per READINESS_PROBE_MS, however
  // often it is hit (concurrent hits share the probe in flight).
  let probe: { readonly at: number; readonly outcome: Promise<void> } | null = null;
  const probeKusto = (): Promise<void> => {
    const at = Date.now();
    if (probe === null || at - probe.at >= READINESS_PROBE_MS) {
      const outcome = kusto
        .run(
          { name: "readiness", text: "print ready = 1", parameters: {} },
          { deadlineMs: 5000, fresh: true },
        )
        .then(() => undefined);
      outcome.catch(() => undefined);
      probe = { at, outcome };
    }
    return probe.outcome;
  };
  const readiness = async (): Promise<Readiness> => {
    // Kusto reachable and, when digests are on, their store usable (a corrupt record is not a
    // readiness problem: it is reported in `digest list` and skipped).
    const store = digests ? await digests.storeHealth() : null;
    const storeCheck: Readiness["checks"] = store ? { digestStore: store } : {};
    try {
      await probeKusto();
      return {
        ready: store?.ok ?? true,
        checks: {
          config: { ok: true, detail: "loaded" },
          kusto: { ok: true, detail: kusto.target.clusterUrl },
          ...storeCheck,
        },
      };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return {
        ready: false,
        checks: { config: { ok: true, detail: "loaded" }, kusto: { ok: false, detail }, ...storeCheck },
      };
    }
  };
  const server = createHttpServer({
    routes,
    readiness,
    logger,
    limits: serving.value.http,
    ingress: { gate, paths: [SLACK_EVENTS_PATH] },
  });
  const host = localMode ? "127.0.0.1" : "0.0.0.0";
  const port = options.port ?? envPort;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    await Promise.all([digests?.stop(), pool?.close()]);
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE" || code === "EACCES")
      throw new ConfigError([
        `PORT: cannot listen on ${host}:${port} (${code}); choose another port, e.g. PORT=3979`,
      ]);
    throw error;
  }
  digests?.start();
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${actual}`;
  const listening = `${host}:${actual}${host === "0.0.0.0" ? " (all interfaces)" : ""}`;
  const startupMs = Math.round(performance.now() - startedAt);
  logger.info("bot.started", {
    listening,
    startupMs,
    // Since the process started (module loading included): what an orchestrator waits for.
    processReadyMs: Math.round(performance.now()),
    checkQueue: { concurrency: serving.value.checkConcurrency, maxPending: serving.value.checkQueue },
    checkWorkers: pool ? { size: pool.size, nice: pool.stats.nice } : "none: checks run on the main thread",
    mode: localMode ? "local: no bot identity, listening on 127.0.0.1 only" : "public",
    kusto: kusto.target.embedded ? "embedded engine (demo data or ATTEST_DATA)" : kusto.target.clusterUrl,
    routes: ["GET /healthz", "GET /readyz", ...routes.map((r) => `${r.method} ${r.path}`)],
  });
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url,
    port: actual,
    localMode,
    startupMs,
    close: async () => {
      await digests?.stop();
      await closeServer();
      await pool?.close({ abandon: true });
    },
    shutdown: async () => {
      const graceMs = serving.value.shutdownGraceMs;
      logger.info("bot.draining", { inFlight: inFlight.size, queued: queue.stats.pending, graceMs });
      // No new connections; requests already being read are still served (and answered).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      queue.close();
      const deadline = Date.now() + graceMs;
      const [drained] = await Promise.all([inFlight.drain(graceMs, logger), digests?.stop()]);
      queue.cancelPending();
      // Requests still being answered (a Teams turn, an acknowledgement) get what is left of the
      // grace period, at least a second; then every connection is closed.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closed,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(1000, deadline - Date.now()));
        }),
      ]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
      // Checks still in a worker were cut short above: they must not answer a second time.
      await pool?.close({ abandon: true });
      logger.info("bot.drained", { ...drained });
      return drained;
    },
  };
}

/** How long /readyz reuses its Kusto probe's outcome. */
export const READINESS_PROBE_MS = 10_000;

/** `text` with the values of secret variables replaced, for messages that quote SDK errors. */
function redact(text: string, env: Readonly<Record<string, string | undefined>>): string {
  let out = text;
  for (const name of SECRET_VARIABLES) {
    const value = env[name]?.trim();
    if (value && value.length >= 4) out = out.split(value).join("<redacted>");
  }
  return out;
}
