/**
 * How the bot serves under load and stops: HTTP timeouts and the connection cap, the check queue
 * and the shutdown grace period, from the environment, every problem listed (variable, what was
 * given, what is expected).
 */
import { parseDuration } from "../domain/command/fields.js";

export interface HttpLimits {
  /** Time to receive a request's headers (slowloris); Node answers 408 and closes. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included (a trickled body); Node answers 408 and closes. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections at most; further ones are closed at once (and logged). */
  readonly maxConnections: number;
}

export interface ServingConfig {
  readonly http: HttpLimits;
  /** Checks run at once; the others wait in the queue. */
  readonly checkConcurrency: number;
  /** Checks waiting at most; one more is answered "busy, try again in a minute". */
  readonly checkQueue: number;
  /** On SIGTERM: how long acknowledged commands get to finish before they are told they were cut short. */
  readonly shutdownGraceMs: number;
  /**
   * Worker threads that run checks (Kusto answers, facts, rules) off the main thread, which then
   * only acknowledges, renders and delivers; 0 runs checks on the main thread.
   */
  readonly checkWorkers: number;
  /**
   * The workers' nice value (Linux: per thread, 0-19): the higher, the more the operating system
   * lets acknowledgements and other requests go before check work when the CPUs are busy.
   */
  readonly checkWorkerNice: number;
}

export const DEFAULT_SERVING: ServingConfig = {
  http: {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 512,
  },
  // Few at once: every running check adds work between the acknowledgements (measured with 300
  // signed checks at 20 concurrent, 2 cores: event-loop delay p99 about 2x at 32 than at 4, and
  // no more checks/s). A remote cluster with slow answers may want more.
  checkConcurrency: 4,
  checkQueue: 100,
  shutdownGraceMs: 20_000,
  // One worker is enough for the CPU work of a check (a few ms); more only help with many CPUs.
  checkWorkers: 1,
  checkWorkerNice: 10,
};

type Env = Readonly<Record<string, string | undefined>>;

function durationVar(env: Env, name: string, fallback: number, problems: string[], maxMs: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const ms = parseDuration(raw);
  if (ms === null || ms <= 0 || ms > maxMs) {
    problems.push(
      `${name}: must be a duration like 500ms, 10s or 2m, more than 0 and at most ${maxMs / 1000}s, got ${JSON.stringify(raw)}`,
    );
    return fallback;
  }
  return ms;
}

function countVar(
  env: Env,
  name: string,
  fallback: number,
  problems: string[],
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name}: must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return n;
}

/** The serving settings; `problems` lists every invalid variable (defaults stand in for them). */
export function servingConfigFrom(env: Env): { value: ServingConfig; problems: string[] } {
  const problems: string[] = [];
  const d = DEFAULT_SERVING;
  const headersTimeoutMs = durationVar(
    env,
    "ATTEST_HTTP_HEADERS_TIMEOUT",
    d.http.headersTimeoutMs,
    problems,
    600_000,
  );
  const requestTimeoutMs = durationVar(
    env,
    "ATTEST_HTTP_REQUEST_TIMEOUT",
    d.http.requestTimeoutMs,
    problems,
    600_000,
  );
  const keepAliveTimeoutMs = durationVar(
    env,
    "ATTEST_HTTP_KEEPALIVE_TIMEOUT",
    d.http.keepAliveTimeoutMs,
    problems,
    600_000,
  );
  if (headersTimeoutMs > requestTimeoutMs)
    problems.push(
      `ATTEST_HTTP_HEADERS_TIMEOUT: must not be longer than ATTEST_HTTP_REQUEST_TIMEOUT (${headersTimeoutMs} ms > ${requestTimeoutMs} ms)`,
    );
  const maxConnections = countVar(
    env,
    "ATTEST_HTTP_MAX_CONNECTIONS",
    d.http.maxConnections,
    problems,
    1,
    100_000,
  );
  const checkConcurrency = countVar(env, "ATTEST_CHECK_CONCURRENCY", d.checkConcurrency, problems, 1, 256);
  const checkQueue = countVar(env, "ATTEST_CHECK_QUEUE", d.checkQueue, problems, 0, 100_000);
  const shutdownGraceMs = durationVar(env, "ATTEST_SHUTDOWN_GRACE", d.shutdownGraceMs, problems, 600_000);
  const checkWorkers = countVar(env, "ATTEST_CHECK_WORKERS", d.checkWorkers, problems, 0, 32);
  const checkWorkerNice = countVar(env, "ATTEST_CHECK_WORKER_NICE", d.checkWorkerNice, problems, 0, 19);
  return {
    value: {
      http: { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections },
      checkConcurrency,
      checkQueue,
      shutdownGraceMs,
      checkWorkers,
      checkWorkerNice,
    },
    problems,
  };
}
