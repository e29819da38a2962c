/**
 * Checks off the main thread: a small pool of worker_threads (src/compose/check-worker.ts), each
 * with its own Kusto runner, that run `runCheck` and send the report back. The main thread only
 * acknowledges, renders and delivers, so an acknowledgement never waits behind the SDK's response
 * handling, the facts or the rules; the workers' threads run at a lower priority (nice) so the
 * operating system also lets acknowledgements go first when the CPUs are busy.
 *
 * - Checks of the same server always go to the same worker, so identical questions still share
 *   one Kusto request and one cache there.
 * - A worker that stops (a crash, an out-of-memory) fails only the checks it was running, with a
 *   CheckWorkerError; it is started again for the next check, and the stop is logged.
 * - Log lines and metrics of a worker are written by the main thread, with the context (the HTTP
 *   request id) of the request that asked for the check.
 */
import { Worker } from "node:worker_threads";
import type { CheckReport, CheckRequest, CheckSettings } from "../../app/run-check.js";
import type { Logger } from "../../ports/log.js";
import type { Metrics } from "../../ports/metrics.js";
import { type RequestContext, requestContext } from "../log/request-context.js";
import {
  type CheckWorkerData,
  CheckWorkerError,
  errorFromWire,
  type FromWorker,
  type MetricMessage,
  type ToWorker,
  type WireResponse,
} from "./check-protocol.js";

export interface CheckPoolOptions {
  /** Workers (at least 1). */
  readonly size: number;
  /** Nice value of the workers' threads (Linux), 0-19. */
  readonly nice: number;
  /** The bot's environment: each worker reads the Kusto settings from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly settings: CheckSettings;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The main thread's clock. */
  readonly now: () => number;
  /** Warm each worker up (parser, plans) before it is ready. */
  readonly warm: boolean;
  /** How long a worker may take to start (ms). */
  readonly startTimeoutMs?: number;
  /**
   * How long a check may take in its worker before its user is answered without it (ms); by
   * default two query deadlines (the questions, then the fleet question) and 2 s. The worker's own
   * deadlines normally end a check long before: this covers a worker that stopped answering.
   */
  readonly checkTimeoutMs?: number;
}

interface Pending {
  readonly resolve: (report: CheckReport) => void;
  readonly reject: (error: Error) => void;
  readonly context: RequestContext | undefined;
}

/** The worker entry: compiled JS next to this file in dist/, or the TypeScript source run by tsx. */
function startWorker(data: CheckWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts"))
    return new Worker(new URL("../../compose/check-worker.js", here), { workerData: data });
  // From source (tests, `npm run dev`): the worker registers tsx's loader first (tsx-boot.mjs).
  const entry = new URL("../../compose/check-worker.ts", here).href;
  return new Worker(new URL("./tsx-boot.mjs", here), { workerData: data, argv: [entry] });
}

interface PendingFetch {
  readonly resolve: (response: Response) => void;
  readonly reject: (error: unknown) => void;
}

class Slot {
  readonly pending = new Map<number, Pending>();
  readonly fetches = new Map<number, PendingFetch>();
  worker: Worker | null = null;
  ready: Promise<void> | null = null;
  nice: number | null = null;
}

export class CheckWorkerPool {
  readonly #options: CheckPoolOptions;
  readonly #slots: Slot[];
  #nextId = 1;
  #closed = false;
  #restarts = 0;
  #nextFetchSlot = 0;

  private constructor(options: CheckPoolOptions) {
    this.#options = options;
    this.#slots = Array.from({ length: Math.max(1, options.size) }, () => new Slot());
  }

  /** Starts every worker and waits until each is ready (rejects when one cannot start). */
  static async start(options: CheckPoolOptions): Promise<CheckWorkerPool> {
    const pool = new CheckWorkerPool(options);
    try {
      await Promise.all(pool.#slots.map((slot) => pool.#spawn(slot)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Checks running in the workers now, workers started again after a stop, and each worker's nice value. */
  get stats(): { readonly running: number; readonly restarts: number; readonly nice: (number | null)[] } {
    return {
      running: this.#slots.reduce((n, s) => n + s.pending.size, 0),
      restarts: this.#restarts,
      nice: this.#slots.map((s) => s.nice),
    };
  }

  /** Runs the check in the server's worker. */
  async run(request: CheckRequest): Promise<CheckReport> {
    if (this.#closed) throw new CheckWorkerError("the check workers are stopped");
    const slot = this.#slots[slotOf(request.server, this.#slots.length)] as Slot;
    await this.#spawn(slot);
    const worker = slot.worker;
    if (!worker) throw new CheckWorkerError("the check worker could not be started");
    const id = this.#nextId++;
    const timeoutMs = this.#options.checkTimeoutMs ?? 2 * this.#options.settings.queryDeadlineMs + 2000;
    let timer: NodeJS.Timeout | undefined;
    return new Promise<CheckReport>((resolve, reject) => {
      timer = setTimeout(() => {
        if (!slot.pending.delete(id)) return;
        this.#options.logger.warn("check_worker.check_timeout", { server: request.server, timeoutMs });
        reject(new CheckWorkerError(`the check did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      slot.pending.set(id, { resolve, reject, context: requestContext.getStore() });
      const message: ToWorker = { type: "check", id, request, now: this.#options.now() };
      worker.postMessage(message);
    }).finally(() => clearTimeout(timer));
  }

  /**
   * `fetch`, made by a worker: the bot's outbound Slack requests (response_url posts, Web API
   * calls) go through here (Bolt's `clientOptions.fetch`), so their sockets, writes and response
   * parsing stay off the main thread that acknowledges. A request whose body is not text (a
   * FormData upload, a stream) or that is a Request object, and any request once the pool is
   * closed, is made on the main thread instead. A worker that stops fails its requests as a
   * network failure would (TypeError "fetch failed").
   */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body ?? null;
    if (this.#closed || input instanceof Request || (body !== null && typeof body !== "string"))
      return globalThis.fetch(input, init);
    const signal = init.signal ?? null;
    signal?.throwIfAborted();
    const slot = this.#slots[this.#nextFetchSlot++ % this.#slots.length] as Slot;
    try {
      await this.#spawn(slot);
    } catch {
      return globalThis.fetch(input, init);
    }
    const worker = slot.worker;
    if (!worker || this.#closed) return globalThis.fetch(input, init);
    const id = this.#nextId++;
    const message: ToWorker = {
      type: "fetch",
      id,
      request: {
        url: String(input),
        method: init.method ?? "GET",
        headers: [...new Headers(init.headers)],
        body,
        redirect: init.redirect ?? null,
      },
    };
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        if (!slot.fetches.delete(id)) return;
        worker.postMessage({ type: "abort", id } satisfies ToWorker);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const settle = () => signal?.removeEventListener("abort", onAbort);
      slot.fetches.set(id, {
        resolve: (r) => {
          settle();
          resolve(r);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      worker.postMessage(message);
    });
  };

  /**
   * Stops one worker as a crash would: its checks fail with CheckWorkerError, and the next check
   * for it starts a new one. For operators' tooling and tests.
   */
  async stopWorker(index: number): Promise<void> {
    await this.#slots[index]?.worker?.terminate();
  }

  /**
   * Stops every worker. Checks still running fail with CheckWorkerError, or, with `abandon`, are
   * left unsettled: on shutdown their users were already told the check was cut short, and must
   * not get a second answer.
   */
  async close(options: { readonly abandon?: boolean } = {}): Promise<void> {
    this.#closed = true;
    if (options.abandon) for (const s of this.#slots) s.pending.clear();
    await Promise.all(this.#slots.map((s) => s.worker?.terminate()));
  }

  /** Starts the slot's worker unless it runs; resolves when it is ready. */
  #spawn(slot: Slot): Promise<void> {
    if (slot.ready) return slot.ready;
    const o = this.#options;
    const worker = startWorker({
      env: { ...o.env },
      settings: o.settings,
      nice: o.nice,
      now: o.now(),
      warm: o.warm,
    });
    slot.worker = worker;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new CheckWorkerError(`the check worker did not start within ${o.startTimeoutMs ?? 60_000} ms`),
        );
        void worker.terminate();
      }, o.startTimeoutMs ?? 60_000);
      worker.on("message", (message: FromWorker) => {
        if (message.type === "ready") {
          clearTimeout(timer);
          slot.nice = message.nice;
          o.logger.info("check_worker.ready", {
            threadId: worker.threadId,
            startupMs: message.startupMs,
            nice: message.nice,
          });
          resolve();
          return;
        }
        this.#receive(slot, message);
      });
      worker.on("error", (error) => {
        o.logger.error("check_worker.error", { threadId: worker.threadId, error: error.message });
        clearTimeout(timer);
        reject(new CheckWorkerError(`the check worker failed: ${error.message}`));
      });
      worker.on("exit", (code) => {
        clearTimeout(timer);
        reject(new CheckWorkerError(`the check worker stopped while starting (exit code ${code})`));
        if (slot.worker !== worker) return;
        slot.worker = null;
        slot.ready = null;
        const lost = [...slot.pending.values()];
        slot.pending.clear();
        const lostFetches = [...slot.fetches.values()];
        slot.fetches.clear();
        for (const f of lostFetches)
          f.reject(
            new TypeError("fetch failed", {
              cause: new CheckWorkerError(`the worker making the request stopped (exit code ${code})`),
            }),
          );
        if (!this.#closed) {
          this.#restarts++;
          o.logger.error("check_worker.stopped", {
            threadId: worker.threadId,
            exitCode: code,
            checksFailed: lost.length,
            requestsFailed: lostFetches.length,
            next: "a new worker starts for the next check",
          });
        }
        for (const p of lost)
          p.reject(
            new CheckWorkerError(
              this.#closed
                ? "the bot stopped before the check finished"
                : `the check worker stopped (exit code ${code})`,
            ),
          );
      });
    });
    // The slot is usable again after a failed start (the next check tries once more).
    ready.catch(() => {
      if (slot.worker === worker) {
        slot.worker = null;
        slot.ready = null;
      }
    });
    slot.ready = ready;
    return ready;
  }

  #receive(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case "done":
      case "failed": {
        const pending = slot.pending.get(message.id);
        if (!pending) return;
        slot.pending.delete(message.id);
        if (message.type === "done") pending.resolve(message.report);
        else pending.reject(errorFromWire(message.error));
        return;
      }
      case "fetched":
      case "fetch_failed": {
        const pending = slot.fetches.get(message.id);
        if (!pending) return;
        slot.fetches.delete(message.id);
        if (message.type === "fetched") pending.resolve(responseFromWire(message.response));
        else pending.reject(fetchErrorFromWire(message));
        return;
      }
      case "log": {
        const context = message.id === null ? undefined : slot.pending.get(message.id)?.context;
        const write = () => this.#options.logger[message.level](message.event, message.fields);
        if (context) requestContext.run(context, write);
        else write();
        return;
      }
      case "metric":
        recordMetric(this.#options.metrics, message);
        return;
      case "ready":
        return;
    }
  }
}

/** Statuses whose Response may not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function responseFromWire(r: WireResponse): Response {
  return new Response(NULL_BODY.has(r.status) ? null : r.body, {
    status: r.status,
    statusText: r.statusText,
    headers: r.headers as [string, string][],
  });
}

/** The worker's fetch error, as fetch itself would have thrown it. */
function fetchErrorFromWire(m: {
  readonly name: string;
  readonly message: string;
  readonly cause: string | null;
}): Error {
  if (m.name === "AbortError" || m.name === "TimeoutError") return new DOMException(m.message, m.name);
  const error = new TypeError(m.message, m.cause === null ? {} : { cause: new Error(m.cause) });
  if (m.name !== "TypeError") error.name = m.name;
  return error;
}

function recordMetric(metrics: Metrics, m: MetricMessage): void {
  switch (m.method) {
    case "kustoQuery":
      metrics.kustoQuery(m.record);
      return;
    case "command":
      metrics.command(m.record);
      return;
    case "digestPost":
      metrics.digestPost(m.record);
      return;
    case "cacheLookup":
      metrics.cacheLookup(m.cache, m.hit);
      return;
    case "queueDepth":
      metrics.queueDepth(m.queue, m.depth);
      return;
  }
}

/** The worker for `server`: the same server always goes to the same worker (its cache). */
export function slotOf(server: string, size: number): number {
  let h = 0;
  for (const ch of server.toLowerCase()) h = (Math.imul(h, 31) + (ch.codePointAt(0) ?? 0)) | 0;
  return Math.abs(h) % size;
}
