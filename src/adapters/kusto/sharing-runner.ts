/**
 * A KustoRunner decorator (for the SDK and the embedded runner alike) that keeps identical
 * questions from reaching Kusto more than once:
 * - identical questions in flight (same name, text and parameters, datetimes rounded down to the
 *   minute) share one request;
 * - answers are kept for a short time (`cacheTtlMs`, 0 = off) and served with their age
 *   (`cacheAgeMs`), which the report and every renderer show;
 * - at most `maxConcurrent` requests run at once; the others wait for a slot within their deadline.
 * Failures are shared with the callers waiting at that moment but never cached. A caller that gives
 * up (deadline or signal) stops waiting; when no caller waits any more, the request is aborted.
 */
import { LRUCache } from "lru-cache";
import pLimit, { type LimitFunction } from "p-limit";
import {
  KustoFailure,
  type KustoQueryRequest,
  type KustoQueryResult,
  type KustoRunner,
  type KustoRunOptions,
} from "../../ports/kusto.js";

export interface SharingOptions {
  /** How long an answer is reused (ms); 0 turns the cache off. */
  readonly cacheTtlMs: number;
  /** Most answers kept (least recently used go first). */
  readonly cacheEntries?: number;
  /** Most Kusto requests in flight at once (all callers together). */
  readonly maxConcurrent: number;
  /** The clock of the cache ages; Date.now by default. */
  readonly now?: () => number;
}

/** Counters for logs, tests and the benchmark (`npm run bench`): how many questions reached Kusto. */
export interface KustoRunnerStats {
  /** Questions asked of this runner. */
  readonly asked: number;
  /** Questions sent on to the runner below (each is one Kusto request, retries aside). */
  readonly sent: number;
  /** Questions that joined an identical one in flight. */
  readonly shared: number;
  /** Questions answered from the cache. */
  readonly cached: number;
  /** Requests running now, and waiting for a slot now. */
  readonly running: number;
  readonly waiting: number;
}

const DATETIME = /^datetime\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(\.\d+)?)?Z?\)$/;

/** A parameter value with a datetime literal rounded down to the minute. */
function roundedValue(value: string): string {
  const m = DATETIME.exec(value.trim());
  return m ? `datetime(${m[1]}Z)` : value;
}

/** The identity of a question: name, text and parameters (datetimes to the minute). */
export function questionKey(request: KustoQueryRequest): string {
  const params = Object.keys(request.parameters)
    .sort()
    .map((k) => [k, roundedValue(request.parameters[k] ?? "")]);
  return JSON.stringify([request.name, request.text, params]);
}

interface Flight {
  readonly promise: Promise<{ readonly result: KustoQueryResult; readonly at: number }>;
  readonly controller: AbortController;
  waiters: number;
}

export class SharingKustoRunner implements KustoRunner {
  readonly target: KustoRunner["target"];
  readonly #inner: KustoRunner;
  readonly #now: () => number;
  readonly #cache: LRUCache<string, { readonly result: KustoQueryResult; readonly at: number }> | null;
  readonly #flights = new Map<string, Flight>();
  readonly #limit: LimitFunction;
  readonly #maxConcurrent: number;
  #asked = 0;
  #sent = 0;
  #shared = 0;
  #cached = 0;

  constructor(inner: KustoRunner, options: SharingOptions) {
    if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1)
      throw new Error(`maxConcurrent: expected a whole number of 1 or more, got ${options.maxConcurrent}`);
    if (!Number.isFinite(options.cacheTtlMs) || options.cacheTtlMs < 0)
      throw new Error(`cacheTtlMs: expected 0 (off) or more, got ${options.cacheTtlMs}`);
    this.#inner = inner;
    this.target = inner.target;
    this.#now = options.now ?? Date.now;
    this.#cache =
      options.cacheTtlMs > 0
        ? new LRUCache({
            max: options.cacheEntries ?? 500,
            ttl: options.cacheTtlMs,
            ttlAutopurge: false,
            // Read the clock on every lookup (no 1 ms debounce): ages are exact, tests can move the clock.
            ttlResolution: 0,
            perf: { now: this.#now },
          })
        : null;
    this.#maxConcurrent = options.maxConcurrent;
    this.#limit = pLimit(options.maxConcurrent);
  }

  stats(): KustoRunnerStats {
    return {
      asked: this.#asked,
      sent: this.#sent,
      shared: this.#shared,
      cached: this.#cached,
      running: this.#limit.activeCount,
      waiting: this.#limit.pendingCount,
    };
  }

  /** Forgets every cached answer (questions in flight still share). */
  clearCache(): void {
    this.#cache?.clear();
  }

  async run(request: KustoQueryRequest, options: KustoRunOptions): Promise<KustoQueryResult> {
    this.#asked += 1;
    const key = questionKey(request);
    const hit = options.fresh ? undefined : this.#cache?.get(key);
    if (hit) {
      this.#cached += 1;
      return { ...hit.result, cacheAgeMs: Math.max(0, this.#now() - hit.at) };
    }
    let flight = this.#flights.get(key);
    if (flight) this.#shared += 1;
    else flight = this.#start(key, request, options.deadlineMs);
    return this.#wait(flight, request, options);
  }

  #start(key: string, request: KustoQueryRequest, deadlineMs: number): Flight {
    const controller = new AbortController();
    // Deadlines run on the wall clock (the cache clock may be a test's).
    const deadlineAt = Date.now() + deadlineMs;
    const promise = this.#limit(async () => {
      if (controller.signal.aborted)
        throw new KustoFailure("timeout", `${request.name}: every caller gave up before it was sent`, {
          requestId: "",
        });
      const left = deadlineAt - Date.now();
      if (left <= 0)
        throw new KustoFailure(
          "timeout",
          `${request.name}: no free Kusto slot within ${deadlineMs} ms (${this.#maxConcurrent} queries at a time)`,
          { requestId: "" },
        );
      this.#sent += 1;
      const result = await this.#inner.run(request, { deadlineMs: left, signal: controller.signal });
      const at = this.#now();
      this.#cache?.set(key, { result, at });
      return { result, at };
    }).finally(() => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    });
    const flight: Flight = { promise, controller, waiters: 0 };
    // Nobody may be left listening (every caller gave up): the outcome is then dropped quietly.
    promise.catch(() => undefined);
    this.#flights.set(key, flight);
    return flight;
  }

  /** The flight's answer for one caller, who stops waiting at its own deadline or signal. */
  #wait(flight: Flight, request: KustoQueryRequest, options: KustoRunOptions): Promise<KustoQueryResult> {
    flight.waiters += 1;
    return new Promise<KustoQueryResult>((resolve, reject) => {
      let settled = false;
      const leave = (outcome: () => void, gaveUp: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        flight.waiters -= 1;
        if (gaveUp && flight.waiters === 0) flight.controller.abort();
        outcome();
      };
      // The runner below enforces the same deadline with its own request id; this one (a little
      // later) covers waiting for a slot and callers that joined a flight.
      const timer = setTimeout(
        () =>
          leave(
            () =>
              reject(
                new KustoFailure("timeout", `${request.name}: no answer within ${options.deadlineMs} ms`, {
                  requestId: "",
                }),
              ),
            true,
          ),
        Math.max(0, options.deadlineMs) + 100,
      );
      const onAbort = () =>
        leave(
          () =>
            reject(
              new KustoFailure("timeout", `${request.name}: cancelled before Kusto answered`, {
                requestId: "",
              }),
            ),
          true,
        );
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener("abort", onAbort, { once: true });
      flight.promise.then(
        ({ result }) => leave(() => resolve(result), false),
        (error: unknown) => leave(() => reject(error), false),
      );
    });
  }
}
