/**
 * Kusto access: run one catalog query with parameters and get its primary results. Implemented
 * by the SDK runner (azure-kusto-data, production) and the engine runner (embedded, in process).
 */

/** A cell: datetimes as ISO-8601 UTC strings, timespans as milliseconds, dynamic as JSON. */
export type KustoCell =
  | null
  | boolean
  | number
  | string
  | { readonly [k: string]: unknown }
  | readonly unknown[];

export interface KustoTable {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly KustoCell[])[];
}

export interface KustoQueryRequest {
  /** Catalog name, for logs and audit. */
  readonly name: string;
  readonly text: string;
  /** Values as the KQL literals Kusto parses for the declared types; never spliced into the text. */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface KustoQueryResult {
  /** One table per tabular statement, in statement order. */
  readonly tables: readonly KustoTable[];
  /** The client request id sent (`attest-bot;<uuid>`), for support tickets and audit. */
  readonly requestId: string;
  /** How old the answer is when it came from a result cache (ms); absent for a fresh answer. */
  readonly cacheAgeMs?: number;
}

export const KUSTO_FAILURE_KINDS = ["unreachable", "timeout", "throttled", "bad_query", "failed"] as const;
export type KustoFailureKind = (typeof KUSTO_FAILURE_KINDS)[number];

/** Why a query produced no answer. `bad_query` is our bug; the others are Kusto's state. */
export class KustoFailure extends Error {
  readonly kind: KustoFailureKind;
  readonly requestId: string;
  /** Kusto's error code when it gave one (e.g. KS142, General_BadRequest). */
  readonly code: string | null;
  /** Worth another try (429, 5xx, a reset connection); 400, 401/403 and timeouts are not. */
  readonly transient: boolean;
  /** The wait Kusto asked for (`Retry-After`), in ms, when it gave one. */
  readonly retryAfterMs: number | null;
  /** How many times the question was retried before this failure was final. */
  readonly retries: number;
  constructor(
    kind: KustoFailureKind,
    message: string,
    details: {
      requestId: string;
      code?: string | null;
      cause?: unknown;
      transient?: boolean;
      retryAfterMs?: number | null;
      retries?: number;
    },
  ) {
    super(message, { cause: details.cause });
    this.name = "KustoFailure";
    this.kind = kind;
    this.requestId = details.requestId;
    this.code = details.code ?? null;
    this.transient = details.transient ?? false;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.retries = details.retries ?? 0;
  }
}

/** Options of one run: the wall-clock limit, and a signal that cancels the question early. */
export interface KustoRunOptions {
  /** No answer after this many ms: the request is aborted (socket closed) and the run rejects with `timeout`. */
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
  /** Do not answer from a cache (a health probe); identical questions in flight are still shared. */
  readonly fresh?: boolean;
}

export interface KustoRunner {
  /**
   * Runs `request`; rejects with KustoFailure (and only that) when there is no answer by
   * `deadlineMs`. No request, socket or retry outlives the deadline.
   */
  run(request: KustoQueryRequest, options: KustoRunOptions): Promise<KustoQueryResult>;
  /** Where queries go: shown in reports and used for "Open in Azure Data Explorer" links. */
  readonly target: { readonly clusterUrl: string; readonly database: string; readonly embedded: boolean };
}
