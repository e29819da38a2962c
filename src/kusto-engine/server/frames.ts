/**
 * Kusto's wire shapes, built from engine results: the v2 query frames (DataSetHeader, one
 * DataTable per table, DataSetCompletion), the v1 table set of management commands, and the
 * OneApiErrors error object used both as an HTTP error body and inside DataSetCompletion.
 */
import { formatKustoDatetime, formatKustoTimespan } from "../format.js";
import type { KqlScalarType } from "../schema.js";
import type { KqlValue, ResultTable } from "../types.js";

export interface V2Column {
  readonly ColumnName: string;
  readonly ColumnType: string;
}

export interface V2DataTable {
  readonly FrameType: "DataTable";
  readonly TableId: number;
  readonly TableKind: "PrimaryResult" | "QueryProperties" | "QueryCompletionInformation";
  readonly TableName: string;
  readonly Columns: readonly V2Column[];
  readonly Rows: readonly (readonly unknown[])[];
}

export type V2Frame =
  | { readonly FrameType: "DataSetHeader"; readonly IsProgressive: false; readonly Version: "v2.0" }
  | V2DataTable
  | {
      readonly FrameType: "DataSetCompletion";
      readonly HasErrors: boolean;
      readonly Cancelled: boolean;
      readonly OneApiErrors?: readonly OneApiError[];
    };

/** `{ error: {...} }` as Kusto sends it (HTTP error body, or an entry of OneApiErrors). */
export interface OneApiError {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly "@type": string;
    readonly "@message": string;
    readonly "@context": Readonly<Record<string, unknown>>;
    readonly "@permanent": boolean;
    readonly "@errorCode"?: string;
    readonly "@errorMessage"?: string;
  };
}

export interface RequestContext {
  readonly clientRequestId: string;
  readonly activityId: string;
  readonly now: number;
}

/**
 * One cell as Kusto writes it in JSON: datetimes `...T..:..:..fffffffZ`, timespans
 * `[d.]hh:mm:ss[.fffffff]`, real NaN and infinities as the strings "NaN", "Infinity" and
 * "-Infinity" (Json.NET's form; JSON has no such numbers and JSON.stringify would write null).
 */
export function wireValue(value: KqlValue, type: KqlScalarType): unknown {
  if (value === null) return null;
  if (typeof value === "number" && !Number.isFinite(value)) return nonFiniteText(value);
  if (type === "datetime" && typeof value === "number") return formatKustoDatetime(value);
  if (type === "timespan" && typeof value === "number") return formatKustoTimespan(value);
  return value;
}

/** "NaN", "Infinity" or "-Infinity": how Kusto serialises a real that is not a finite number. */
export function nonFiniteText(value: number): string {
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

export function primaryResultFrame(table: ResultTable, tableId: number, maxRows?: number): V2DataTable {
  const rows = maxRows === undefined ? table.rows : table.rows.slice(0, maxRows);
  return {
    FrameType: "DataTable",
    TableId: tableId,
    TableKind: "PrimaryResult",
    TableName: "PrimaryResult",
    Columns: table.columns.map((c) => ({ ColumnName: c.name, ColumnType: c.type })),
    Rows: rows.map((row) => row.map((v, i) => wireValue(v, table.columns[i]?.type ?? "string"))),
  };
}

const VISUALIZATION = JSON.stringify({
  Visualization: null,
  Title: null,
  XColumn: null,
  Series: null,
  YColumns: null,
  AnomalyColumns: null,
  XTitle: null,
  YTitle: null,
  XAxis: null,
  YAxis: null,
  Legend: null,
  YSplit: null,
  Accumulate: false,
  IsQuerySorted: false,
  Kind: null,
  Ymin: "NaN",
  Ymax: "NaN",
  Xmin: null,
  Xmax: null,
});

/** `@ExtendedProperties`: the visualization properties of each primary result (TableId 1..n). */
export function queryPropertiesFrame(primaryCount: number): V2DataTable {
  return {
    FrameType: "DataTable",
    TableId: 0,
    TableKind: "QueryProperties",
    TableName: "@ExtendedProperties",
    Columns: [
      { ColumnName: "TableId", ColumnType: "int" },
      { ColumnName: "Key", ColumnType: "string" },
      { ColumnName: "Value", ColumnType: "dynamic" },
    ],
    Rows: Array.from({ length: primaryCount }, (_, i) => [i + 1, "Visualization", VISUALIZATION]),
  };
}

const COMPLETION_COLUMNS: readonly V2Column[] = [
  { ColumnName: "Timestamp", ColumnType: "datetime" },
  { ColumnName: "ClientRequestId", ColumnType: "string" },
  { ColumnName: "ActivityId", ColumnType: "guid" },
  { ColumnName: "SubActivityId", ColumnType: "guid" },
  { ColumnName: "ParentActivityId", ColumnType: "guid" },
  { ColumnName: "Level", ColumnType: "int" },
  { ColumnName: "LevelName", ColumnType: "string" },
  { ColumnName: "StatusCode", ColumnType: "int" },
  { ColumnName: "StatusCodeName", ColumnType: "string" },
  { ColumnName: "EventType", ColumnType: "int" },
  { ColumnName: "EventTypeName", ColumnType: "string" },
  { ColumnName: "Payload", ColumnType: "string" },
];

/**
 * QueryCompletionInformation: an Info row (Level 4) when the query succeeded, an Error row
 * (Level 2, which azure-kusto-data counts as an error) when it failed, and a Stats row.
 */
export function completionFrame(
  ctx: RequestContext,
  tableId: number,
  outcome: { ok: true; rowCount: number; elapsedMs: number } | { ok: false; error: OneApiError },
): V2DataTable {
  const base = [
    formatKustoDatetime(ctx.now),
    ctx.clientRequestId,
    ctx.activityId,
    ctx.activityId,
    ctx.activityId,
  ];
  const status = outcome.ok
    ? [
        ...base,
        4,
        "Info",
        0,
        "S_OK (0)",
        4,
        "QueryInfo",
        JSON.stringify({ Count: 1, Text: "Query completed successfully" }),
      ]
    : [
        ...base,
        2,
        "Error",
        -2147467259,
        "E_FAIL (0x80004005)",
        4,
        "QueryInfo",
        JSON.stringify({ Count: 1, Text: outcome.error.error["@message"] }),
      ];
  const stats = [
    ...base,
    6,
    "Stats",
    0,
    "S_OK (0)",
    0,
    "QueryResourceConsumption",
    JSON.stringify({
      ExecutionTime: outcome.ok ? outcome.elapsedMs / 1000 : 0,
      input_dataset_statistics: { extents: { total: 1, scanned: 1 } },
      dataset_statistics: outcome.ok ? [{ table_row_count: outcome.rowCount }] : [],
    }),
  ];
  return {
    FrameType: "DataTable",
    TableId: tableId,
    TableKind: "QueryCompletionInformation",
    TableName: "QueryCompletionInformation",
    Columns: COMPLETION_COLUMNS,
    Rows: [status, stats],
  };
}

export const dataSetHeader = (): V2Frame => ({
  FrameType: "DataSetHeader",
  IsProgressive: false,
  Version: "v2.0",
});

export const dataSetCompletion = (errors: readonly OneApiError[]): V2Frame =>
  errors.length === 0
    ? { FrameType: "DataSetCompletion", HasErrors: false, Cancelled: false }
    : { FrameType: "DataSetCompletion", HasErrors: true, Cancelled: false, OneApiErrors: errors };

/** Kusto's error object. `errorCode` (e.g. KS142) is also named in the message, as Kusto does. */
export function oneApiError(
  ctx: RequestContext,
  details: {
    code: string;
    message: string;
    type: string;
    detail: string;
    permanent: boolean;
    errorCode?: string;
  },
): OneApiError {
  return {
    error: {
      code: details.code,
      message: details.message,
      "@type": details.type,
      "@message": details.detail,
      "@context": {
        timestamp: formatKustoDatetime(ctx.now),
        serviceAlias: "ATTEST-EMBEDDED",
        machineName: "KEngine000000",
        processName: "attest-bot",
        processId: process.pid,
        clientRequestId: ctx.clientRequestId,
        activityId: ctx.activityId,
        subActivityId: ctx.activityId,
        activityType: "GW.Http.CallContext",
        parentActivityId: ctx.activityId,
        activityStack: `(Activity stack: CRID=${ctx.clientRequestId} ARID=${ctx.activityId})`,
      },
      "@permanent": details.permanent,
      ...(details.errorCode ? { "@errorCode": details.errorCode, "@errorMessage": details.detail } : {}),
    },
  };
}

/** A v1 table set (management commands): `{ Tables: [{ TableName, Columns, Rows }] }`. */
export interface V1Response {
  readonly Tables: readonly {
    readonly TableName: string;
    readonly Columns: readonly { ColumnName: string; DataType: string; ColumnType: string }[];
    readonly Rows: readonly (readonly unknown[])[];
  }[];
}

/** .NET type names Kusto reports as DataType in v1 responses. */
const DOTNET_TYPE: Record<KqlScalarType, string> = {
  bool: "Boolean",
  datetime: "DateTime",
  dynamic: "Object",
  guid: "Guid",
  int: "Int32",
  long: "Int64",
  real: "Double",
  string: "String",
  timespan: "TimeSpan",
  decimal: "Decimal",
};

export function v1Response(
  columns: readonly { name: string; type: KqlScalarType }[],
  rows: readonly (readonly KqlValue[])[],
): V1Response {
  return {
    Tables: [
      {
        TableName: "Table_0",
        Columns: columns.map((c) => ({
          ColumnName: c.name,
          DataType: DOTNET_TYPE[c.type],
          ColumnType: c.type,
        })),
        Rows: rows.map((row) => row.map((v, i) => wireValue(v, columns[i]?.type ?? "string"))),
      },
    ],
  };
}
