/** Shared shapes of the compiled evaluator: rows, tables, compiled scalars, the per-run frame. */
import type { KqlScalarType } from "../schema.js";
import type { KqlValue, ResultColumn } from "../types.js";
import type { Node } from "./syntax.js";

export type Row = readonly KqlValue[];

export interface Table {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly Row[];
}

export type ScalarFn = (row: Row) => KqlValue;

/** A compiled scalar expression. `rowFree`: does not read the row (constant within one run). */
export interface Compiled {
  readonly fn: ScalarFn;
  readonly type: KqlScalarType;
  readonly rowFree: boolean;
}

/** Per-run state read by compiled closures. `epoch` changes on every run (invalidates per-run caches). */
export interface Frame {
  now: number;
  epoch: number;
}

/** Holds a `let` scalar or a query parameter's value for the current run. */
export interface Slot {
  value: KqlValue;
}

/** Holds a tabular `let` for the current run (evaluated at most once per run). */
export interface TableSlot {
  get: () => Table;
  /** Drops the cached table at the end of a run (a reused plan must not pin old results). */
  reset: () => void;
}

export type TablePlan = () => Table;

/** What compiled code can reach outside its row: the frame, variables, the database. */
export interface Env {
  readonly frame: Frame;
  database(name: string): Table;
  scalarSlot(symbol: Node): Slot | undefined;
  tableSlot(symbol: Node): TableSlot | undefined;
  compileTable(node: Node): TablePlan;
  /** An optional specialised plan for a tabular expression (the columnar fast path); undefined: compile it generally. */
  readonly fastTabular?: FastTabular;
}

export type FastTabular = (node: Node, env: Env) => TablePlan | undefined;

/** Compile-time scope of a scalar expression: the environment and the columns of its input row. */
export interface Scope {
  readonly env: Env;
  readonly columns: readonly ResultColumn[];
}

/** Caches `compute()` for the duration of one run (e.g. the Set of an `in (...)` list). */
export function perRun<T>(frame: Frame, compute: () => T): () => T {
  let epoch = -1;
  let value: T | undefined;
  return () => {
    if (epoch !== frame.epoch) {
      value = compute();
      epoch = frame.epoch;
    }
    return value as T;
  };
}

/** Index of a column by name (the last one wins, as in a row being extended). */
export function columnIndex(columns: readonly ResultColumn[], name: string): number {
  for (let i = columns.length - 1; i >= 0; i--) if (columns[i]?.name === name) return i;
  return -1;
}

export const EMPTY_ROW: Row = [];
