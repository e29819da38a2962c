/**
 * What the embedded engine returns and throws. Values are plain JS so that every consumer
 * (wire server, in-memory runner, tests) can use them without the engine.
 */
import type { KqlScalarType } from "./schema.js";

/**
 * A cell value. Representation by column type:
 * bool: boolean; int/long/real/decimal: number; string/guid: string;
 * datetime: number (milliseconds since the Unix epoch, fractional part keeps sub-ms ticks to
 * about ±2 ticks: float64 precision at current epochs);
 * timespan: number (milliseconds); dynamic: any JSON value. Null is Kusto's null.
 */
export type KqlValue = null | boolean | number | string | KqlDynamic;
export type KqlDynamic = { readonly [k: string]: unknown } | readonly unknown[];

export interface ResultColumn {
  readonly name: string;
  readonly type: KqlScalarType;
}

export interface ResultTable {
  /** PrimaryResult for each statement's result, in statement order. */
  readonly name: string;
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly KqlValue[])[];
}

export type KustoErrorKind =
  /** The parser rejected the query (syntax or semantic error): HTTP 400 on the wire. */
  | "syntax"
  /** Valid KQL that this engine does not evaluate: HTTP 400, names the operator or function. */
  | "unsupported"
  /** A parameter value missing or not of the declared type: HTTP 400. */
  | "parameter"
  /** A failure while running (after the response started): OneApiErrors in the v2 frames. */
  | "runtime";

/** An error as Kusto reports it: a stable code (KS142, SYN0002, ...) and a message. */
export class KustoError extends Error {
  readonly code: string;
  readonly kind: KustoErrorKind;
  constructor(kind: KustoErrorKind, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KustoError";
    this.code = code;
    this.kind = kind;
  }
}

/**
 * One table's contents as the engine holds them: each row's cells in the schema's column
 * order, values in the KqlValue representation above (datetimes as epoch milliseconds).
 */
export interface TableData {
  readonly rows: readonly (readonly KqlValue[])[];
}
