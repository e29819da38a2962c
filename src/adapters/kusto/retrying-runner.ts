/**
 * Retries transient Kusto failures (429 honouring `Retry-After`, 5xx, a reset connection) with
 * jittered exponential backoff, within the run's deadline: a wait that would end past the deadline
 * is not started. Permanent failures (400, 401/403, a timeout) are final at once. The final failure
 * says how often it was retried; throttling is named as throttling.
 */
import {
  KustoFailure,
  type KustoQueryRequest,
  type KustoQueryResult,
  type KustoRunner,
  type KustoRunOptions,
} from "../../ports/kusto.js";

export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  readonly maxRetries: number;
  /** First backoff (ms) when Kusto gives no Retry-After; doubles per retry, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Least time an attempt needs to be worth starting (ms). */
  readonly minAttemptMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  minAttemptMs: 250,
};

/** Injected for tests that must not wait; defaults to Math.random and a real timer. */
export interface RetryTimers {
  readonly random: () => number;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

export const realSleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

export const REAL_TIMERS: RetryTimers = { random: Math.random, now: Date.now, sleep: realSleep };

const times = (n: number) => `${n} time${n === 1 ? "" : "s"}`;

/** The failure as final after `retries` retries, its message saying so. */
export function finalFailure(
  failure: KustoFailure,
  name: string,
  retries: number,
  why: string | null,
): KustoFailure {
  const base =
    failure.kind === "throttled"
      ? `${name}: Kusto is throttling requests (429)`
      : failure.message.startsWith(`${name}: `)
        ? failure.message
        : `${name}: ${failure.message}`;
  const tail = retries > 0 ? ` — retried ${times(retries)}` : failure.transient ? " — not retried" : "";
  return new KustoFailure(failure.kind, `${base}${tail}${why ? ` (${why})` : ""}`, {
    requestId: failure.requestId,
    code: failure.code,
    cause: failure,
    transient: failure.transient,
    retryAfterMs: failure.retryAfterMs,
    retries,
  });
}

export class RetryingKustoRunner implements KustoRunner {
  readonly target: KustoRunner["target"];
  readonly #inner: KustoRunner;
  readonly #policy: RetryPolicy;
  readonly #timers: RetryTimers;
  /** Retries made so far (all runs), for metrics and the benchmark. */
  retries = 0;

  constructor(
    inner: KustoRunner,
    policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    timers: RetryTimers = REAL_TIMERS,
  ) {
    this.#inner = inner;
    this.#policy = policy;
    this.#timers = timers;
    this.target = inner.target;
  }

  /** The wait before retry number `retry` (1-based): Retry-After when given, else full-jitter backoff. */
  delayMs(failure: KustoFailure, retry: number): number {
    const { baseDelayMs, maxDelayMs } = this.#policy;
    if (failure.retryAfterMs !== null)
      // At least what Kusto asked for, plus up to 10% so that throttled callers do not return together.
      return failure.retryAfterMs + Math.round(this.#timers.random() * failure.retryAfterMs * 0.1);
    const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
    return Math.round(cap / 2 + this.#timers.random() * (cap / 2));
  }

  async run(request: KustoQueryRequest, options: KustoRunOptions): Promise<KustoQueryResult> {
    const deadlineAt = this.#timers.now() + options.deadlineMs;
    let retries = 0;
    for (;;) {
      const remaining = deadlineAt - this.#timers.now();
      try {
        return await this.#inner.run(request, {
          deadlineMs: Math.max(0, remaining),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        const failure =
          error instanceof KustoFailure
            ? error
            : new KustoFailure("failed", `${request.name}: ${String(error)}`, {
                requestId: "",
                cause: error,
              });
        if (!failure.transient || options.signal?.aborted)
          throw retries > 0 ? finalFailure(failure, request.name, retries, null) : failure;
        if (retries >= this.#policy.maxRetries) throw finalFailure(failure, request.name, retries, null);
        const wait = this.delayMs(failure, retries + 1);
        const left = deadlineAt - this.#timers.now();
        if (wait + this.#policy.minAttemptMs > left)
          throw finalFailure(
            failure,
            request.name,
            retries,
            failure.retryAfterMs !== null
              ? `Retry-After ${Math.ceil(failure.retryAfterMs / 1000)} s is past the deadline`
              : "no time left before the deadline",
          );
        await this.#timers.sleep(wait, options.signal);
        if (options.signal?.aborted) throw finalFailure(failure, request.name, retries, "cancelled");
        retries += 1;
        this.retries += 1;
      }
    }
  }
}
