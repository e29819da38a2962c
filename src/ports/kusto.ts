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
}

export const KUSTO_FAILURE_KINDS = ["unreachable", "timeout", "throttled", "bad_query", "failed"] as const;
export type KustoFailureKind = (typeof KUSTO_FAILURE_KINDS)[number];

/** Why a query produced no answer. `bad_query` is our bug; the others are Kusto's state. */
export class KustoFailure extends Error {
  readonly kind: KustoFailureKind;
  readonly requestId: string;
  /** Kusto's error code when it gave one (e.g. KS142, General_BadRequest). */
  readonly code: string | null;
  constructor(
    kind: KustoFailureKind,
    message: string,
    details: { requestId: string; code?: string | null; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.name = "KustoFailure";
    this.kind = kind;
    this.requestId = details.requestId;
    this.code = details.code ?? null;
  }
}

export interface KustoRunner {
  /** Runs `request`; rejects with KustoFailure (and only that) when there is no answer by `deadlineMs`. */
  run(request: KustoQueryRequest, options: { readonly deadlineMs: number }): Promise<KustoQueryResult>;
  /** Where queries go: shown in reports and used for "Open in Azure Data Explorer" links. */
  readonly target: { readonly clusterUrl: string; readonly database: string; readonly embedded: boolean };
}
