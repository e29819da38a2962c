/**
 * The messages between the bot's main thread and its check workers (worker_threads). Everything
 * crosses by structured clone, so errors travel as plain data and are rebuilt on the other side:
 * a KustoUnavailable stays a KustoUnavailable (the chat says "Kusto is throttling" or "could not be
 * reached"), anything else becomes a CheckWorkerError carrying the original message.
 */
import {
  type CheckReport,
  type CheckRequest,
  type CheckSettings,
  KustoUnavailable,
} from "../../app/run-check.js";
import { KustoFailure, type KustoFailureKind } from "../../ports/kusto.js";
import type { CommandRecord, DigestPostRecord, KustoRecord } from "../../ports/metrics.js";

/** What a worker is started with. */
export interface CheckWorkerData {
  /** The bot's environment (only the Kusto settings are read). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly settings: CheckSettings;
  /** Nice value for the worker's thread (Linux); 0 leaves it as it is. */
  readonly nice: number;
  /** The main thread's clock when the worker was started (demo data is generated relative to it). */
  readonly now: number;
  /** Run one check at start-up so the KQL parser and query plans are ready for the first user. */
  readonly warm: boolean;
}

export type ToWorker =
  | {
      readonly type: "check";
      readonly id: number;
      readonly request: CheckRequest;
      /** The main thread's clock for this check. */
      readonly now: number;
    }
  /** An outbound HTTP request (a Slack response_url post or Web API call) made by the worker. */
  | { readonly type: "fetch"; readonly id: number; readonly request: WireRequest }
  /** The caller's AbortSignal fired: abort that request. */
  | { readonly type: "abort"; readonly id: number };

/** A fetch() whose body is text (or none): all that crosses to the worker. */
export interface WireRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | null;
  readonly redirect: "follow" | "error" | "manual" | null;
}

export interface WireResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  /** Transferred, not copied. */
  readonly body: ArrayBuffer;
}

export type LogLevel = "info" | "warn" | "error";

export type MetricMessage =
  | { readonly type: "metric"; readonly method: "kustoQuery"; readonly record: KustoRecord }
  | { readonly type: "metric"; readonly method: "command"; readonly record: CommandRecord }
  | { readonly type: "metric"; readonly method: "digestPost"; readonly record: DigestPostRecord }
  | { readonly type: "metric"; readonly method: "cacheLookup"; readonly cache: string; readonly hit: boolean }
  | {
      readonly type: "metric";
      readonly method: "queueDepth";
      readonly queue: string;
      readonly depth: number;
    };

export type FromWorker =
  | { readonly type: "ready"; readonly startupMs: number; readonly nice: number | null }
  | { readonly type: "done"; readonly id: number; readonly report: CheckReport }
  | { readonly type: "failed"; readonly id: number; readonly error: WireError }
  | { readonly type: "fetched"; readonly id: number; readonly response: WireResponse }
  | {
      readonly type: "fetch_failed";
      readonly id: number;
      /** "AbortError", "TimeoutError", or "TypeError" (fetch's "fetch failed" with its cause). */
      readonly name: string;
      readonly message: string;
      readonly cause: string | null;
    }
  | {
      readonly type: "log";
      /** The check the line belongs to, or null (the worker's own lines). */
      readonly id: number | null;
      readonly level: LogLevel;
      readonly event: string;
      readonly fields: Readonly<Record<string, unknown>>;
    }
  | MetricMessage;

export interface WireFailure {
  readonly kind: KustoFailureKind;
  readonly message: string;
  readonly requestId: string;
  readonly code: string | null;
  readonly transient: boolean;
  readonly retryAfterMs: number | null;
  readonly retries: number;
}

export type WireError =
  | { readonly kind: "kusto_unavailable"; readonly failures: readonly WireFailure[] }
  | { readonly kind: "error"; readonly name: string; readonly message: string };

/** A check failed in its worker for a reason other than Kusto (a bug, or the worker stopped). */
export class CheckWorkerError extends Error {
  constructor(message: string, options?: { readonly name?: string }) {
    super(message);
    this.name = options?.name ? `CheckWorkerError(${options.name})` : "CheckWorkerError";
  }
}

export function errorToWire(error: unknown): WireError {
  if (error instanceof KustoUnavailable)
    return {
      kind: "kusto_unavailable",
      failures: error.failures.map((f) => ({
        kind: f.kind,
        message: f.message,
        requestId: f.requestId,
        code: f.code,
        transient: f.transient,
        retryAfterMs: f.retryAfterMs,
        retries: f.retries,
      })),
    };
  return error instanceof Error
    ? { kind: "error", name: error.name, message: error.message }
    : { kind: "error", name: "Error", message: String(error) };
}

export function errorFromWire(wire: WireError): Error {
  if (wire.kind === "kusto_unavailable")
    return new KustoUnavailable(
      wire.failures.map(
        (f) =>
          new KustoFailure(f.kind, f.message, {
            requestId: f.requestId,
            code: f.code,
            transient: f.transient,
            retryAfterMs: f.retryAfterMs,
            retries: f.retries,
          }),
      ),
    );
  return new CheckWorkerError(wire.message, { name: wire.name });
}
