/**
 * Compiles a whole analysed query (declare query_parameters, let statements, one or more tabular
 * statements) into a reusable plan, and runs it with a `now` and parameter values.
 */
import type { KqlScalarType, TableSchema } from "../schema.js";
import { type KqlValue, KustoError, type ResultTable } from "../types.js";
import type { Env, FastTabular, Frame, Slot, Table, TablePlan, TableSlot } from "./context.js";
import { parseParameter } from "./literals.js";
import { compileScalar, evalConstant } from "./scalar.js";
import {
  elements,
  isTabular,
  keywordOf,
  kindOf,
  type Node,
  scalarTypeOf,
  textOf,
  unsupported,
} from "./syntax.js";
import { compileTabular } from "./tabular.js";

export interface RunOptions {
  readonly now: number;
  readonly parameters?: Readonly<Record<string, string>>;
}

/** The database as the compiled query sees it. */
export type Database = (name: string) => Table;

interface ParameterPlan {
  readonly name: string;
  readonly type: KqlScalarType;
  readonly slot: Slot;
  readonly fallback: (() => KqlValue) | undefined;
}

type Step =
  | { readonly kind: "parameters"; readonly params: readonly ParameterPlan[] }
  | { readonly kind: "scalar"; readonly slot: Slot; readonly value: () => KqlValue }
  | { readonly kind: "table"; readonly slot: TableSlot; readonly plan: TablePlan }
  | { readonly kind: "result"; readonly plan: TablePlan };

const PARAMETER_FORMS: Readonly<Record<KqlScalarType, string>> = {
  string: "any text",
  guid: "a GUID",
  datetime: "an ISO-8601 datetime or datetime(...) literal",
  timespan: "a timespan literal such as 3h, 1d, 00:30:00 or timespan(1h)",
  long: "an integer",
  int: "an integer",
  real: "a number",
  decimal: "a number",
  bool: "true or false",
  dynamic: "JSON",
};

export class CompiledQuery {
  readonly #frame: Frame = { now: 0, epoch: 0 };
  readonly #steps: Step[] = [];

  constructor(root: Node, database: Database, fastTabular?: FastTabular) {
    const scalars = new Map<string, Slot>();
    const tables = new Map<string, TableSlot>();
    const frame = this.#frame;
    const env: Env = {
      frame,
      database,
      scalarSlot: (symbol) => scalars.get(String(symbol?.Name)),
      tableSlot: (symbol) => tables.get(String(symbol?.Name)),
      compileTable: (node) => compileTabular(node, env),
      ...(fastTabular ? { fastTabular } : {}),
    };
    const scope = { env, columns: [] };
    for (const statement of elements(root.Statements)) {
      const kind = kindOf(statement);
      if (kind === "QueryParametersStatement") {
        const params: ParameterPlan[] = [];
        for (const p of elements(statement.Parameters)) {
          const decl = p.NameAndType.Name;
          const name = String(decl.SimpleName);
          const type = scalarTypeOf(decl.ResultType);
          if (!type)
            throw unsupported(`the query parameter '${name}' of type '${textOf(p.NameAndType.Type)}'`);
          const slot: Slot = { value: null };
          scalars.set(name, slot);
          const def = p.DefaultValue ? compileScalar(p.DefaultValue.Value, scope) : undefined;
          params.push({ name, type, slot, fallback: def ? () => evalConstant(def) : undefined });
        }
        this.#steps.push({ kind: "parameters", params });
      } else if (kind === "LetStatement") {
        const name = String(statement.Name.SimpleName);
        const expr = statement.Expression;
        if (kindOf(expr) === "FunctionDeclaration") throw unsupported(`the user-defined function '${name}'`);
        if (isTabular(expr)) {
          const plan = compileTabular(expr, env);
          let epoch = -1;
          let cached: Table | undefined;
          const slot: TableSlot = {
            get: () => {
              if (epoch !== frame.epoch || !cached) {
                cached = plan();
                epoch = frame.epoch;
              }
              return cached;
            },
            reset: () => {
              cached = undefined;
            },
          };
          tables.set(name, slot);
          this.#steps.push({ kind: "table", slot, plan });
        } else {
          const c = compileScalar(expr, scope);
          if (!c.rowFree) throw unsupported(`the let statement '${name}'`);
          const slot: Slot = { value: null };
          scalars.set(name, slot);
          this.#steps.push({ kind: "scalar", slot, value: () => evalConstant(c) });
        }
      } else if (kind === "ExpressionStatement") {
        if (!isTabular(statement.Expression)) {
          // An operator that yields several tables (fork, facet) makes the whole pipe non-tabular:
          // name that operator, not the statement.
          const op = multiTableOperator(statement.Expression);
          if (op) throw unsupported(`the operator '${keywordOf(op)}'`);
          throw unsupported(`the scalar statement '${textOf(statement)}' (use print)`);
        }
        this.#steps.push({ kind: "result", plan: compileTabular(statement.Expression, env) });
      } else {
        throw unsupported(`the statement '${keywordOf(statement)}'`);
      }
    }
  }

  run(options: RunOptions): ResultTable[] {
    const frame = this.#frame;
    frame.now = options.now;
    frame.epoch++;
    const given = options.parameters ?? {};
    const results: ResultTable[] = [];
    try {
      for (const step of this.#steps) {
        switch (step.kind) {
          case "parameters":
            for (const p of step.params) p.slot.value = parameterValue(p, given);
            break;
          case "scalar":
            step.slot.value = step.value();
            break;
          case "table":
            break;
          case "result": {
            const t = step.plan();
            results.push({ name: "PrimaryResult", columns: t.columns, rows: normaliseStrings(t) });
          }
        }
      }
    } finally {
      for (const step of this.#steps) if (step.kind === "table") step.slot.reset();
    }
    return results;
  }
}

/** The first operator of a pipe whose result is not a single table (fork, facet, ...), if any. */
function multiTableOperator(expr: Node): Node | undefined {
  let node = expr;
  const chain: Node[] = [];
  while (node && kindOf(node) === "PipeExpression") {
    chain.unshift(node.Operator);
    node = node.Expression;
  }
  for (const op of chain) {
    if (op?.ResultType && !isTabular(op) && kindOf(op).endsWith("Operator")) return op;
  }
  return undefined;
}

function parameterValue(p: ParameterPlan, given: Readonly<Record<string, string>>): KqlValue {
  const text = Object.hasOwn(given, p.name) ? given[p.name] : undefined;
  if (text === undefined) {
    if (p.fallback) return p.fallback();
    throw new KustoError(
      "parameter",
      "MissingQueryParameter",
      `Query parameter '${p.name}' (${p.type}) has no value and no default: pass ${PARAMETER_FORMS[p.type]}.`,
    );
  }
  const value = parseParameter(p.type, text);
  if (value === undefined) {
    throw new KustoError(
      "parameter",
      "InvalidQueryParameter",
      `Query parameter '${p.name}' expects a ${p.type} (${PARAMETER_FORMS[p.type]}); got '${text}'.`,
    );
  }
  return value;
}

/** Kusto strings are never null: a null in a string column reads as "". */
function normaliseStrings(t: Table): readonly (readonly KqlValue[])[] {
  const idx = t.columns.map((c, i) => (c.type === "string" ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 0) return t.rows;
  return t.rows.map((r) => {
    for (const i of idx) {
      if (r[i] === null || r[i] === undefined) {
        const copy = r.slice();
        for (const j of idx) if (copy[j] === null || copy[j] === undefined) copy[j] = "";
        return copy;
      }
    }
    return r;
  });
}

const NUMERIC = new Set<KqlScalarType>(["datetime", "timespan", "long", "int", "real", "decimal"]);

/** Whether a stored cell fits its column type (datetimes/timespans are numbers of milliseconds). */
function fits(type: KqlScalarType, v: KqlValue | undefined): boolean {
  if (v === null || v === undefined || type === "dynamic") return true;
  if (NUMERIC.has(type)) return typeof v === "number";
  if (type === "bool") return typeof v === "boolean";
  return typeof v === "string";
}

/**
 * Rows of a stored table, checked against the schema (a wrong cell type would otherwise give
 * silently wrong comparisons), with string nulls as "" and short rows padded. Done once per table.
 */
export function normaliseTable(schema: TableSchema, rows: readonly (readonly KqlValue[])[]): Table {
  const columns = schema.columns.map((c) => ({ name: c.name, type: c.type }));
  const width = columns.length;
  const strings = columns.map((c, i) => (c.type === "string" ? i : -1)).filter((i) => i >= 0);
  const out = rows.map((r, rowIndex) => {
    if (r.length > width) {
      throw new KustoError(
        "runtime",
        "BadTableData",
        `Table '${schema.name}' row ${rowIndex}: ${r.length} cells for ${width} columns.`,
      );
    }
    let ok = r.length === width;
    for (let i = 0; i < width; i++) {
      const c = columns[i]!;
      const v = r[i];
      if (!fits(c.type, v)) {
        throw new KustoError(
          "runtime",
          "BadTableData",
          `Table '${schema.name}' row ${rowIndex} column '${c.name}': expected ${c.type}${c.type === "datetime" || c.type === "timespan" ? " (milliseconds as a number)" : ""}, got ${JSON.stringify(v)}.`,
        );
      }
      if (c.type === "string" && typeof v !== "string") ok = false;
    }
    if (ok) return r;
    const copy = new Array<KqlValue>(width);
    for (let i = 0; i < width; i++) copy[i] = r[i] ?? null;
    for (const i of strings) if (copy[i] === null) copy[i] = "";
    return copy;
  });
  return { columns, rows: out };
}
