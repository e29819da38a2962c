/**
 * Data files for the embedded engine: a JSON object `{ "<Table>": [ {row}, ... ], ... }` whose
 * row values are JSON and whose datetimes are ISO-8601 strings. Every value is checked against
 * the schema; an error names the file, table, row index and column, what was given and what the
 * column's type expects. Unknown tables and columns are errors; missing columns are null.
 */
import { readFileSync } from "node:fs";
import { parseKustoTimespan } from "./format.js";
import { type DatabaseSchema, findTable, type KqlScalarType, type TableSchema } from "./schema.js";
import type { KqlValue, TableData } from "./types.js";

/** A data file that cannot be used as it is; the message says where and what is wrong. */
export class DataFileError extends Error {
  readonly source: string;
  readonly table: string | null;
  readonly row: number | null;
  readonly column: string | null;
  constructor(
    source: string,
    where: { table?: string; row?: number; column?: string },
    problem: string,
    options?: { cause?: unknown },
  ) {
    const place = [
      where.table !== undefined ? `table ${where.table}` : null,
      where.row !== undefined ? `row ${where.row}` : null,
      where.column !== undefined ? `column ${where.column}` : null,
    ]
      .filter((p) => p !== null)
      .join(", ");
    super(`${source}${place ? `: ${place}` : ""}: ${problem}`, options);
    this.name = "DataFileError";
    this.source = source;
    this.table = where.table ?? null;
    this.row = where.row ?? null;
    this.column = where.column ?? null;
  }
}

const EXPECTED: Record<KqlScalarType, string> = {
  bool: "true, false or null",
  datetime: "an ISO-8601 datetime string such as 2021-01-04T22:30:44.3135540Z, or null",
  dynamic: "any JSON value",
  guid: "a GUID string such as 9d93e5d2-559b-4197-82ba-1c89f4344d74, or null",
  int: "a 32-bit integer or null",
  long: "an integer or null",
  real: "a number or null",
  decimal: "a number or null",
  string: "a string or null",
  timespan: "a timespan string such as 01:30:00 or 1.02:00:00, a number of milliseconds, or null",
};

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** ISO-8601 text to epoch milliseconds keeping sub-millisecond ticks; no zone means UTC (as in Kusto). */
export function parseIsoDatetime(text: string): number | null {
  const m = ISO_DATETIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
  const base = Date.parse(
    `${y}-${mo}-${d}T${h}:${mi}:${s}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`,
  );
  if (Number.isNaN(base)) return null;
  // Reject dates JavaScript silently rolls over (2021-02-30).
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return null;
  return frac ? base + Number(`0.${frac}`) * 1000 : base;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One JSON value as the engine's representation of `type`; undefined when it does not fit. */
function convert(value: unknown, type: KqlScalarType): KqlValue | undefined {
  if (value === null) return null;
  switch (type) {
    case "bool":
      return typeof value === "boolean" ? value : undefined;
    case "int":
      return typeof value === "number" && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31
        ? value
        : undefined;
    case "long":
      return typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
    case "real":
    case "decimal":
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    case "string":
      return typeof value === "string" ? value : undefined;
    case "guid":
      return typeof value === "string" && GUID.test(value) ? value.toLowerCase() : undefined;
    case "datetime":
      return typeof value === "string" ? (parseIsoDatetime(value) ?? undefined) : undefined;
    case "timespan":
      if (typeof value === "number" && Number.isFinite(value)) return value;
      return typeof value === "string" ? (parseKustoTimespan(value) ?? undefined) : undefined;
    case "dynamic":
      return value as KqlValue;
  }
}

/** A short, safe rendering of what was given, for error messages. */
function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  const kind = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  return `${kind} ${shown}`;
}

function tableRows(schema: TableSchema, rows: unknown, source: string): TableData {
  if (!Array.isArray(rows))
    throw new DataFileError(
      source,
      { table: schema.name },
      `got ${describe(rows)}; expected an array of row objects`,
    );
  const known = new Map(schema.columns.map((c, i) => [c.name, i]));
  const out: KqlValue[][] = [];
  rows.forEach((row: unknown, index) => {
    if (typeof row !== "object" || row === null || Array.isArray(row))
      throw new DataFileError(
        source,
        { table: schema.name, row: index },
        `got ${describe(row)}; expected an object {"column": value, ...}`,
      );
    for (const name of Object.keys(row)) {
      if (!known.has(name))
        throw new DataFileError(
          source,
          { table: schema.name, row: index, column: name },
          `unknown column; ${schema.name} has ${schema.columns.map((c) => c.name).join(", ")}`,
        );
    }
    const record = row as Record<string, unknown>;
    out.push(
      schema.columns.map((column) => {
        if (!Object.hasOwn(record, column.name)) return null;
        const given = record[column.name];
        const value = convert(given, column.type);
        if (value === undefined)
          throw new DataFileError(
            source,
            { table: schema.name, row: index, column: column.name },
            `got ${describe(given)}; expected ${column.type}: ${EXPECTED[column.type]}`,
          );
        return value;
      }),
    );
  });
  return { rows: out };
}

/**
 * Tables from the parsed JSON of a data file. `sourceName` (a file path, "demo data") starts every
 * error message. Tables of the schema absent from the JSON are empty.
 */
export function tablesFromJson(
  json: unknown,
  schema: DatabaseSchema,
  sourceName: string,
): Map<string, TableData> {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new DataFileError(
      sourceName,
      {},
      `got ${describe(json)}; expected a JSON object {"<Table>": [ {row}, ... ], ...}`,
    );
  const tables = new Map<string, TableData>();
  for (const [name, rows] of Object.entries(json)) {
    const table = findTable(schema, name);
    if (!table)
      throw new DataFileError(
        sourceName,
        { table: name },
        `unknown table; expected one of ${schema.tables.map((t) => t.name).join(", ")}`,
      );
    tables.set(name, tableRows(table, rows, sourceName));
  }
  for (const t of schema.tables) if (!tables.has(t.name)) tables.set(t.name, { rows: [] });
  return tables;
}

/** Reads and validates a data file; DataFileError when it is missing, not JSON or does not fit the schema. */
export function loadDataFile(path: string, schema: DatabaseSchema): Map<string, TableData> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new DataFileError(path, {}, `cannot read the file (${code ?? String(error)})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(
      path,
      {},
      `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      {
        cause: error,
      },
    );
  }
  return tablesFromJson(json, schema, path);
}
