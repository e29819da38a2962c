/**
 * Composition root of a check worker (a worker_threads thread started by CheckWorkerPool): its own
 * Kusto runner (sharing, cache and retries as on the main thread), the query catalog, and
 * `runCheck` for every request the main thread sends; it also makes the bot's outbound Slack HTTP
 * requests (CheckWorkerPool.fetch), so that their sockets and parsing stay off the main thread. The thread lowers its own priority (nice,
 * Linux) so that, when the CPUs are busy, acknowledgements on the main thread go first. Log lines
 * and metrics are sent to the main thread, which writes them with the request's context.
 */
import { setPriority } from "node:os";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { MeteredKustoRunner } from "../adapters/metrics/metered.js";
import type {
  CheckWorkerData,
  FromWorker,
  LogLevel,
  ToWorker,
  WireRequest,
} from "../adapters/worker/check-protocol.js";
import { errorToWire } from "../adapters/worker/check-protocol.js";
import { loadQueryCatalog } from "../app/query-catalog.js";
import { runCheck, warmUpCheck } from "../app/run-check.js";
import { loadCoreConfig } from "../config/config.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/log.js";
import type { Metrics } from "../ports/metrics.js";
import { createKustoRunner } from "./kusto-runner.js";

const started = performance.now();
if (!parentPort) throw new Error("check-worker runs as a worker thread (started by CheckWorkerPool)");
const port: MessagePort = parentPort;
const data = workerData as CheckWorkerData;
const send = (message: FromWorker) => port.postMessage(message);

/**
 * On Linux the nice value is per thread, so this lowers only this worker. Elsewhere it would lower
 * the whole process, acknowledgements included, so it is left alone.
 */
function lowerPriority(nice: number): number | null {
  if (nice <= 0 || process.platform !== "linux") return null;
  try {
    setPriority(nice);
    return nice;
  } catch {
    return null;
  }
}
const nice = lowerPriority(data.nice);

const forwardingLogger = (id: number | null): Logger => {
  const line =
    (level: LogLevel) =>
    (event: string, fields: Readonly<Record<string, unknown>> = {}) =>
      send({ type: "log", id, level, event, fields });
  return { info: line("info"), warn: line("warn"), error: line("error") };
};

const forwardingMetrics: Metrics = {
  kustoQuery: (record) => send({ type: "metric", method: "kustoQuery", record }),
  command: (record) => send({ type: "metric", method: "command", record }),
  digestPost: (record) => send({ type: "metric", method: "digestPost", record }),
  cacheLookup: (cache, hit) => send({ type: "metric", method: "cacheLookup", cache, hit }),
  queueDepth: (queue, depth) => send({ type: "metric", method: "queueDepth", queue, depth }),
};

// The main thread's clock, followed: tests pin it, and the embedded engine's now() must agree.
// While the runner is made it reads exactly the main thread's time at the start (the demo data
// is generated relative to it, as on the main thread).
let offset = data.now - Date.now();
let pinned: number | null = data.now;
const clock: Clock = { now: () => pinned ?? Date.now() + offset };
const logger = forwardingLogger(null);
const core = loadCoreConfig(data.env);
const kusto = new MeteredKustoRunner(
  createKustoRunner(core.kusto, { clock, logger, access: core.kustoAccess }),
  forwardingMetrics,
);
pinned = null;
const catalog = loadQueryCatalog();

if (data.warm) await warmUpCheck({ kusto, catalog, clock, settings: data.settings });

/** Outbound requests in flight, by id, so the main thread can abort one. */
const fetches = new Map<number, AbortController>();

async function outbound(id: number, request: WireRequest): Promise<void> {
  const controller = new AbortController();
  fetches.set(id, controller);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers as [string, string][],
      body: request.body,
      ...(request.redirect ? { redirect: request.redirect } : {}),
      signal: controller.signal,
    });
    const body = await response.arrayBuffer();
    const message: FromWorker = {
      type: "fetched",
      id,
      response: {
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers],
        body,
      },
    };
    port.postMessage(message, [body]);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const cause = e.cause instanceof Error ? e.cause.message : e.cause === undefined ? null : String(e.cause);
    send({ type: "fetch_failed", id, name: e.name, message: e.message, cause });
  } finally {
    fetches.delete(id);
  }
}

port.on("message", (message: ToWorker) => {
  if (message.type === "fetch") {
    void outbound(message.id, message.request);
    return;
  }
  if (message.type === "abort") {
    fetches.get(message.id)?.abort();
    return;
  }
  offset = message.now - Date.now();
  const now = message.now;
  runCheck(
    {
      kusto,
      catalog,
      clock: { now: () => now },
      logger: forwardingLogger(message.id),
      settings: data.settings,
    },
    message.request,
  ).then(
    (report) => send({ type: "done", id: message.id, report }),
    (error: unknown) => send({ type: "failed", id: message.id, error: errorToWire(error) }),
  );
});
send({ type: "ready", startupMs: Math.round(performance.now() - started), nice });
