/**
 * The columnar fast path: `T | where ... [| where ...] [| summarize ...]` over a stored table,
 * evaluated with loops over its typed columns instead of row closures. Only shapes whose answer
 * is provably the general evaluator's are taken; for anything else the planner returns undefined
 * and the general evaluator compiles the expression (an outer operator still gets the fast path
 * for its input: `T | where ... | order by ...` filters here and sorts there).
 *
 * Filters: the where conditions are split at `and` into conjuncts, each one of:
 * - a range on a number/datetime column against constants (`<`, `<=`, `>`, `>=`, `==`,
 *   `between`): merged per column into one bounds check per row;
 * - `!=`, `!between`, `in`/`!in` on a number column against constants: a typed loop;
 * - any other condition reading one dictionary-encoded column (`==`, `=~`, `in~`, `has`,
 *   `isempty(p) or c in~ (split(p, ","))`, ...): the general evaluator's own compiled condition,
 *   run once per distinct value (dictionary code) instead of once per row;
 * - any other condition: the general compiled condition on the rows left by the others.
 * Reordering conjuncts is exact because every condition taken here is pure and cannot throw (the
 * planner refuses division, unknown functions, subqueries and regexes that do not compile): the
 * row is kept iff every conjunct is true, whatever the order. Constants (literals, parameters,
 * `ago()`) are computed by the general evaluator's compiled expressions, once per run.
 *
 * Summarize: `count()`, `min(c)`, `max(c)`, `dcount(c)` of stored columns, by stored columns or
 * by any pure expression (`bin(TIMESTAMP, 1h)`, computed by the general evaluator per row). Groups
 * come out in order of first appearance, as the general evaluator's Map gives them.
 */
import {
  columnIndex,
  EMPTY_ROW,
  type FastTabular,
  type Row,
  type ScalarFn,
  type Scope,
  type Table,
  type TablePlan,
} from "../eval/context.js";
import { re2ToRegExp } from "../eval/re2.js";
import { compileScalar } from "../eval/scalar.js";
import {
  columnsOf,
  elements,
  isTabular,
  kindOf,
  type Node,
  scalarTypeOf,
  symbolKindOf,
  textOf,
} from "../eval/syntax.js";
import { compareValues, keyOf } from "../eval/values.js";
import type { KqlScalarType } from "../schema.js";
import type { KqlValue, ResultColumn } from "../types.js";
import { type Column, type ColumnarTable, cellOf, type DictColumn, type NumberColumn } from "./table.js";

/** Rows still selected: indices in ascending order, or every row when `idx` is undefined. */
interface Selection {
  readonly idx: Uint32Array | undefined;
  readonly n: number;
}

type Step = (sel: Selection) => Selection;

const NUMERIC_TYPES = new Set<KqlScalarType>(["datetime", "timespan", "int", "long", "real", "decimal"]);

/**
 * Functions a condition taken here may call: pure, and none can throw on any row (no regex built
 * from data, no integer division). Anything else sends the expression to the general evaluator.
 */
const SAFE_FUNCTIONS = new Set([
  "isempty",
  "isnotempty",
  "isnull",
  "isnotnull",
  "not",
  "tolower",
  "toupper",
  "strlen",
  "tostring",
  "ago",
  "now",
  "bin",
  "floor",
  "split",
  "iif",
  "iff",
  "coalesce",
  "strcat",
  "abs",
]);

/** A fast-path planner over the given stored tables (undefined for a name: the general evaluator). */
export function columnarFastPath(
  table: (name: string) => ColumnarTable | undefined,
  onPlan?: (text: string) => void,
): FastTabular {
  return (node, env) => {
    let plan: TablePlan | undefined;
    try {
      plan = planPipe(node, { env, columns: [] }, table);
    } catch {
      // Whatever the general evaluator makes of it (including the same error) is the answer.
      return undefined;
    }
    if (plan) onPlan?.(textOf(node));
    return plan;
  };
}

function planPipe(
  node: Node,
  outer: Scope,
  tables: (name: string) => ColumnarTable | undefined,
): TablePlan | undefined {
  const ops: Node[] = [];
  let base = node;
  while (kindOf(base) === "PipeExpression") {
    ops.unshift(base.Operator);
    base = base.Expression;
  }
  if (kindOf(base) !== "NameReference") return undefined;
  const symbol = base.ReferencedSymbol;
  if (!symbol || symbolKindOf(symbol) !== "Table") return undefined;
  const table = tables(String(base.SimpleName));
  if (!table || !sameColumns(columnsOf(base.ResultType), table.columns)) return undefined;
  const last = ops[ops.length - 1];
  const lastKind = last ? kindOf(last) : "";
  const summarize = lastKind === "SummarizeOperator" || lastKind === "CountOperator" ? ops.pop() : undefined;
  if (ops.some((o) => kindOf(o) !== "FilterOperator")) return undefined;
  const scope: Scope = { env: outer.env, columns: table.columns };
  const conjuncts = ops.flatMap((o) => conjunctsOf(o.Condition));
  const filter = planFilter(conjuncts, scope, table);
  if (!filter) return undefined;
  if (summarize && lastKind === "CountOperator") {
    const out = columnsOf(summarize.ResultType);
    return () => ({ columns: out, rows: [[filter().n]] });
  }
  if (summarize) {
    const aggregate = planSummarize(summarize, scope, table);
    if (!aggregate) return undefined;
    return () => aggregate(filter());
  }
  const out = columnsOf(ops[ops.length - 1]!.ResultType);
  return () => {
    const sel = filter();
    const rows: Row[] = new Array(sel.n);
    for (let k = 0; k < sel.n; k++) rows[k] = table.rowAt(sel.idx ? sel.idx[k]! : k);
    return { columns: out, rows };
  };
}

function sameColumns(a: readonly ResultColumn[], b: readonly ResultColumn[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]?.name && c.type === b[i]?.type);
}

function unwrap(node: Node): Node {
  let n = node;
  while (kindOf(n) === "ParenthesizedExpression") n = n.Expression;
  return n;
}

function conjunctsOf(node: Node): Node[] {
  const n = unwrap(node);
  if (kindOf(n) === "AndExpression") return [...conjunctsOf(n.Left), ...conjunctsOf(n.Right)];
  return [n];
}

interface Analysis {
  readonly safe: boolean;
  /** Indices of the stored columns the expression reads. */
  readonly columns: Set<number>;
}

/** Whether an expression is pure and cannot throw on any row, and which columns it reads. */
function analyseExpression(node: Node, scope: Scope): Analysis {
  const columns = new Set<number>();
  let safe = true;
  const visit = (n: Node): void => {
    if (!safe || !n) return;
    const kind = kindOf(n);
    if (isTabular(n) && kind !== "NameReference") {
      safe = false;
      return;
    }
    switch (kind) {
      case "NameReference": {
        const sym = n.ReferencedSymbol;
        const sk = sym ? symbolKindOf(sym) : "None";
        if (sk === "Column") {
          const idx = columnIndex(scope.columns, String(n.SimpleName));
          if (idx < 0) safe = false;
          else columns.add(idx);
        } else if ((sk !== "Variable" && sk !== "Parameter") || isTabular(n)) {
          safe = false;
        }
        return;
      }
      case "FunctionCallExpression": {
        const name = String(n.Name?.SimpleName ?? "").toLowerCase();
        if (!SAFE_FUNCTIONS.has(name)) {
          safe = false;
          return;
        }
        for (const a of elements(n.ArgumentList?.Expressions)) visit(a);
        return;
      }
      case "MatchesRegexExpression": {
        const pattern = unwrap(n.Right);
        const pk = kindOf(pattern);
        if (pk !== "StringLiteralExpression" && pk !== "CompoundStringLiteralExpression") {
          safe = false;
          return;
        }
        try {
          re2ToRegExp(String(pattern.LiteralValueInfo?.Value ?? ""));
        } catch {
          safe = false;
          return;
        }
        visit(n.Left);
        return;
      }
      case "StarExpression":
      case "ToScalarExpression":
      case "DivideExpression":
      case "ModuloExpression":
      case "ElementExpression":
      case "PathExpression":
        safe = false;
        return;
      default:
        for (let i = 0; i < (n.ChildCount ?? 0); i++) {
          const c = n.GetChild(i);
          if (c && !c.IsToken && c.ChildCount !== undefined) visit(c);
        }
    }
  };
  visit(node);
  return { safe, columns };
}

/** A stored column reference (through parentheses): its index, or -1. */
function columnRef(node: Node, scope: Scope): number {
  const n = unwrap(node);
  if (kindOf(n) !== "NameReference") return -1;
  const sym = n.ReferencedSymbol;
  if (!sym || symbolKindOf(sym) !== "Column") return -1;
  return columnIndex(scope.columns, String(n.SimpleName));
}

/** A constant of a number/datetime/timespan type, compiled by the general evaluator. */
function numericConstant(node: Node, scope: Scope): (() => KqlValue) | undefined {
  const type = scalarTypeOf(node?.ResultType);
  if (!type || !NUMERIC_TYPES.has(type)) return undefined;
  const a = analyseExpression(node, scope);
  if (!a.safe || a.columns.size > 0) return undefined;
  const c = compileScalar(node, scope);
  if (!c.rowFree) return undefined;
  return () => c.fn(EMPTY_ROW);
}

interface Range {
  lo?: number;
  loInc?: boolean;
  hi?: number;
  hiInc?: boolean;
}

/**
 * One range condition on a number column, computed per run: bounds (undefined: open), null when
 * the condition is null for every row, or a step when only the exact loop gives the answer.
 */
interface Bound {
  readonly column: number;
  readonly compute: () => Range | null | Step;
}

const FLIP: Readonly<Record<string, string>> = {
  "<": ">",
  "<=": ">=",
  ">": "<",
  ">=": "<=",
  "==": "==",
  "!=": "!=",
};

function planFilter(conjuncts: Node[], scope: Scope, table: ColumnarTable): (() => Selection) | undefined {
  const bounds: Bound[] = [];
  const steps: { order: number; step: () => Step }[] = [];
  const dicts: DictCondition[] = [];
  const width = table.columns.length;
  for (const conj of conjuncts) {
    const general = compileScalar(conj, scope);
    const analysis = analyseExpression(conj, scope);
    if (!analysis.safe) return undefined;
    // `and` passes any non-false, non-null value as true; taken apart, each part must be a bool.
    if (general.type !== "bool") return undefined;
    const numeric = planNumeric(conj, scope, table);
    if (numeric) {
      if ("column" in numeric) bounds.push(numeric);
      else steps.push({ order: 1, step: numeric.step });
      continue;
    }
    const cols = [...analysis.columns];
    if (cols.length === 0) {
      steps.push({
        order: 0,
        step: () => {
          const v = general.fn(EMPTY_ROW);
          return (sel) => (v === true ? sel : { idx: new Uint32Array(0), n: 0 });
        },
      });
      continue;
    }
    const only = cols.length === 1 ? table.data[cols[0]!]! : undefined;
    if (only && only.kind === "dict") {
      // Small dictionaries: the condition for every distinct value up front (exact selectivity);
      // large ones (near-unique values): memoised per value as rows reach it.
      if (only.dict.length <= Math.max(4096, table.length / 8))
        dicts.push({ col: only, column: cols[0]!, width, fn: general.fn });
      else steps.push({ order: 2, step: () => dictStep(only, cols[0]!, width, general.fn) });
      continue;
    }
    steps.push({ order: 3, step: () => rowStep(table, cols, general.fn) });
  }
  steps.sort((a, b) => a.order - b.order);
  return () => {
    let sel: Selection = { idx: undefined, n: table.length };
    const perColumn = new Map<number, { lo: number; loInc: boolean; hi: number; hiInc: boolean }>();
    let empty = false;
    const exact: Step[] = [];
    for (const b of bounds) {
      const r = b.compute();
      if (r === null) {
        empty = true;
        continue;
      }
      if (typeof r === "function") {
        exact.push(r);
        continue;
      }
      const cur = perColumn.get(b.column) ?? { lo: -Infinity, loInc: true, hi: Infinity, hiInc: true };
      if (r.lo !== undefined) {
        if (r.lo > cur.lo) {
          cur.lo = r.lo;
          cur.loInc = r.loInc ?? true;
        } else if (r.lo === cur.lo) cur.loInc = cur.loInc && (r.loInc ?? true);
        else if (Number.isNaN(r.lo)) empty = true;
      }
      if (r.hi !== undefined) {
        if (r.hi < cur.hi) {
          cur.hi = r.hi;
          cur.hiInc = r.hiInc ?? true;
        } else if (r.hi === cur.hi) cur.hiInc = cur.hiInc && (r.hiInc ?? true);
        else if (Number.isNaN(r.hi)) empty = true;
      }
      perColumn.set(b.column, cur);
    }
    if (empty) return { idx: new Uint32Array(0), n: 0 };
    const order = steps.filter((s) => s.order === 0);
    for (const s of order) sel = s.step()(sel);
    // Conditions on dictionary columns, most selective first; the selective ones before the
    // ranges (an equality on a server name leaves a few hundred rows of a million).
    const matched = dicts.map((d) => matchCodes(d)).sort((a, b) => a.rows - b.rows);
    if (matched.some((d) => d.rows === 0)) return { idx: new Uint32Array(0), n: 0 };
    let late = 0;
    for (const d of matched) {
      if (d.rows > table.length / 4) break;
      if (sel.n > 0) sel = codeFilter(d, sel);
      late++;
    }
    for (const [column, r] of perColumn) {
      if (sel.n === 0) break;
      sel = rangeFilter(table.data[column] as NumberColumn, sel, r.lo, r.loInc, r.hi, r.hiInc);
    }
    for (const step of exact) if (sel.n > 0) sel = step(sel);
    for (const s of steps) if (s.order === 1 && sel.n > 0) sel = s.step()(sel);
    for (const d of matched.slice(late)) if (sel.n > 0) sel = codeFilter(d, sel);
    for (const s of steps) {
      if (s.order <= 1) continue;
      if (sel.n === 0) break;
      sel = s.step()(sel);
    }
    return sel;
  };
}

/** Conditions on one number column that have a typed loop here, or undefined. */
function planNumeric(
  conj: Node,
  scope: Scope,
  table: ColumnarTable,
): Bound | { step: () => Step } | undefined {
  const kind = kindOf(conj);
  if (kind === "BetweenExpression" || kind === "NotBetweenExpression") {
    const column = columnRef(conj.Left, scope);
    const col = table.data[column];
    if (col?.kind !== "number") return undefined;
    const lo = numericConstant(conj.Right.First, scope);
    const hi = numericConstant(conj.Right.Second, scope);
    if (!lo || !hi) return undefined;
    const relative =
      scope.columns[column]?.type === "datetime" && scalarTypeOf(conj.Right.Second.ResultType) === "timespan";
    const bounds = (): [number, number] | null => {
      const a = lo();
      const b = hi();
      if (typeof a !== "number" || typeof b !== "number") return null;
      return [a, relative ? a + b : b];
    };
    const negated = kind === "NotBetweenExpression";
    if (!negated && !col.hasNaN) {
      return {
        column,
        compute: () => {
          const r = bounds();
          if (!r) return null;
          // NaN bounds order as compareValues orders them (NaN lowest): the exact loop.
          if (Number.isNaN(r[0]) || Number.isNaN(r[1]))
            return (sel) => numberLoop(col, sel, exactBetween(r, false));
          return { lo: r[0], loInc: true, hi: r[1], hiInc: true };
        },
      };
    }
    return {
      step: () => {
        const r = bounds();
        return (sel) =>
          r === null ? { idx: new Uint32Array(0), n: 0 } : numberLoop(col, sel, exactBetween(r, negated));
      },
    };
  }
  if (
    kind === "InExpression" ||
    kind === "NotInExpression" ||
    kind === "InCsExpression" ||
    kind === "NotInCsExpression"
  ) {
    const column = columnRef(conj.Left, scope);
    const col = table.data[column];
    if (col?.kind !== "number") return undefined;
    const op = String(conj.Operator.Text).toLowerCase();
    const negated = op.startsWith("!");
    const caseInsensitive = op.endsWith("~");
    const items: ScalarFn[] = [];
    for (const item of elements(conj.Right.Expressions)) {
      if (isTabular(item)) return undefined;
      const a = analyseExpression(item, scope);
      if (!a.safe || a.columns.size > 0) return undefined;
      const c = compileScalar(item, scope);
      if (!c.rowFree) return undefined;
      items.push(c.fn);
    }
    return {
      step: () => {
        // The set exactly as the general evaluator builds it; a number only ever meets numbers in it.
        const set = new Set<string | number | boolean | null>();
        for (const f of items) {
          const v = f(EMPTY_ROW);
          for (const x of Array.isArray(v) ? (v as KqlValue[]) : [v]) {
            if (x === null) continue;
            const k = keyOf(x);
            set.add(caseInsensitive && typeof k === "string" ? k.toLowerCase() : k);
          }
        }
        return (sel) => numberLoop(col, sel, (v) => set.has(v) !== negated, negated);
      },
    };
  }
  if (!conj.Operator || !conj.Left || !conj.Right) return undefined;
  let op = String(conj.Operator.Text).toLowerCase();
  if (!(op in FLIP)) return undefined;
  let column = columnRef(conj.Left, scope);
  let other = conj.Right;
  if (column < 0) {
    column = columnRef(conj.Right, scope);
    other = conj.Left;
    op = FLIP[op]!;
  }
  const col = table.data[column];
  if (col?.kind !== "number") return undefined;
  const value = numericConstant(other, scope);
  if (!value) return undefined;
  if (op === "!=") {
    return {
      step: () => {
        const c = value();
        // `!=` is true for a null cell against a non-null constant (the general evaluator's rule).
        if (c === null) return (sel) => numberLoop(col, sel, () => true, false);
        return (sel) => numberLoop(col, sel, (v) => v !== c, true);
      },
    };
  }
  return {
    column,
    compute: () => {
      const c = value();
      if (typeof c !== "number") return null;
      switch (op) {
        case "<":
          return { hi: c, hiInc: false };
        case "<=":
          return { hi: c, hiInc: true };
        case ">":
          return { lo: c, loInc: false };
        case ">=":
          return { lo: c, loInc: true };
        default:
          return { lo: c, loInc: true, hi: c, hiInc: true };
      }
    },
  };
}

/** `between` as the general evaluator computes it (compareValues: NaN orders lowest). */
function exactBetween(r: [number, number], negated: boolean): (v: number) => boolean {
  return (v) => {
    const inside = compareValues(v, r[0]) >= 0 && compareValues(v, r[1]) <= 0;
    return negated ? !inside : inside;
  };
}

/** Keeps the selected rows whose value is in [lo, hi] (bounds inclusive or not); nulls and NaN never. */
function rangeFilter(
  col: NumberColumn,
  sel: Selection,
  lo: number,
  loInc: boolean,
  hi: number,
  hiInc: boolean,
): Selection {
  const values = col.values;
  const nulls = col.nulls;
  const out = new Uint32Array(sel.n);
  let m = 0;
  const idx = sel.idx;
  // Half-open or closed bounds as one pair of comparisons: nudge exclusive bounds inward is not
  // exact for floats, so the four cases are spelled out.
  if (loInc && hiInc) {
    if (idx === undefined) {
      for (let i = 0; i < sel.n; i++) {
        const v = values[i]!;
        if (v >= lo && v <= hi && (nulls === undefined || nulls[i] === 0)) out[m++] = i;
      }
    } else {
      for (let k = 0; k < sel.n; k++) {
        const i = idx[k]!;
        const v = values[i]!;
        if (v >= lo && v <= hi && (nulls === undefined || nulls[i] === 0)) out[m++] = i;
      }
    }
  } else {
    for (let k = 0; k < sel.n; k++) {
      const i = idx === undefined ? k : idx[k]!;
      const v = values[i]!;
      if ((loInc ? v >= lo : v > lo) && (hiInc ? v <= hi : v < hi) && (nulls === undefined || nulls[i] === 0))
        out[m++] = i;
    }
  }
  return { idx: out, n: m };
}

/** Keeps selected rows by `test(value)`; a null cell is kept iff `keepNull`. */
function numberLoop(
  col: NumberColumn,
  sel: Selection,
  test: (v: number) => boolean,
  keepNull = false,
): Selection {
  const values = col.values;
  const nulls = col.nulls;
  const out = new Uint32Array(sel.n);
  let m = 0;
  for (let k = 0; k < sel.n; k++) {
    const i = sel.idx === undefined ? k : sel.idx[k]!;
    if (nulls !== undefined && nulls[i] === 1) {
      if (keepNull) out[m++] = i;
    } else if (test(values[i]!)) out[m++] = i;
  }
  return { idx: out, n: m };
}

interface DictCondition {
  readonly col: DictColumn;
  readonly column: number;
  readonly width: number;
  readonly fn: ScalarFn;
}

interface MatchedCodes {
  readonly codes: DictColumn["codes"];
  /** 1 for the codes whose value passes the condition. */
  readonly match: Uint8Array;
  /** How many rows of the table carry a passing code. */
  readonly rows: number;
}

const histograms = new WeakMap<DictColumn, Uint32Array>();

/** Rows per code of a dictionary column (computed once per column). */
function histogram(col: DictColumn): Uint32Array {
  let h = histograms.get(col);
  if (!h) {
    h = new Uint32Array(col.dict.length);
    const codes = col.codes;
    for (let i = 0; i < codes.length; i++) h[codes[i]!]!++;
    histograms.set(col, h);
  }
  return h;
}

/** The general compiled condition for every distinct value of the column, and the rows that pass. */
function matchCodes(d: DictCondition): MatchedCodes {
  const scratch = new Array<KqlValue>(d.width).fill(null);
  const match = new Uint8Array(d.col.dict.length);
  const h = histogram(d.col);
  let rows = 0;
  for (let code = 0; code < match.length; code++) {
    scratch[d.column] = d.col.dict[code] ?? null;
    if (d.fn(scratch) === true) {
      match[code] = 1;
      rows += h[code]!;
    }
  }
  return { codes: d.col.codes, match, rows };
}

/** Keeps the selected rows whose code passes. */
function codeFilter(d: MatchedCodes, sel: Selection): Selection {
  const { codes, match } = d;
  const out = new Uint32Array(Math.min(sel.n, d.rows));
  let m = 0;
  const idx = sel.idx;
  if (idx === undefined) {
    for (let i = 0; i < sel.n; i++) if (match[codes[i]!] === 1) out[m++] = i;
  } else {
    for (let k = 0; k < sel.n; k++) {
      const i = idx[k]!;
      if (match[codes[i]!] === 1) out[m++] = i;
    }
  }
  return { idx: out, n: m };
}

/** A condition on one dictionary column: the general compiled condition once per distinct value. */
function dictStep(col: DictColumn, column: number, width: number, fn: ScalarFn): Step {
  const memo = new Int8Array(col.dict.length).fill(-1);
  const scratch = new Array<KqlValue>(width).fill(null);
  const codes = col.codes;
  return (sel) => {
    const out = new Uint32Array(sel.n);
    let m = 0;
    for (let k = 0; k < sel.n; k++) {
      const i = sel.idx === undefined ? k : sel.idx[k]!;
      const code = codes[i]!;
      let hit = memo[code]!;
      if (hit < 0) {
        scratch[column] = col.dict[code] ?? null;
        hit = fn(scratch) === true ? 1 : 0;
        memo[code] = hit;
      }
      if (hit === 1) out[m++] = i;
    }
    return { idx: out, n: m };
  };
}

/** Any other pure condition: the general compiled condition on each selected row (only its columns filled). */
function rowStep(table: ColumnarTable, cols: number[], fn: ScalarFn): Step {
  const scratch = new Array<KqlValue>(table.columns.length).fill(null);
  const data = cols.map((c) => table.data[c]!);
  return (sel) => {
    const out = new Uint32Array(sel.n);
    let m = 0;
    for (let k = 0; k < sel.n; k++) {
      const i = sel.idx === undefined ? k : sel.idx[k]!;
      for (let c = 0; c < cols.length; c++) scratch[cols[c]!] = cellOf(data[c]!, i);
      if (fn(scratch) === true) out[m++] = i;
    }
    return { idx: out, n: m };
  };
}

/* ------------------------------------------------------------------------------------------ */
/* summarize                                                                                   */

type KeyPlan =
  | { readonly kind: "dict"; readonly col: DictColumn }
  | { readonly kind: "number"; readonly col: NumberColumn }
  | {
      readonly kind: "bin";
      readonly col: NumberColumn;
      readonly size: () => KqlValue;
      readonly datetime: boolean;
    }
  | { readonly kind: "computed"; readonly cols: number[]; readonly data: Column[]; readonly fn: ScalarFn };

type AggPlan =
  | { readonly kind: "count" }
  | { readonly kind: "min" | "max" | "dcount"; readonly col: NumberColumn | DictColumn };

/** 0001-01-01 to 1970-01-01 in ms: bin() of a datetime counts from the .NET epoch, as the general evaluator does. */
const DOTNET_EPOCH_OFFSET_MS = 62_135_596_800_000;

/** `bin(column, constant)` / `floor(column, constant)` on a number column, or undefined. */
function binKey(expr: Node, scope: Scope, table: ColumnarTable): KeyPlan | undefined {
  const call = unwrap(expr);
  if (kindOf(call) !== "FunctionCallExpression") return undefined;
  const name = String(call.Name?.SimpleName ?? "").toLowerCase();
  if (name !== "bin" && name !== "floor") return undefined;
  const args = elements(call.ArgumentList?.Expressions);
  if (args.length !== 2) return undefined;
  const column = columnRef(args[0], scope);
  const col = table.data[column];
  if (col?.kind !== "number") return undefined;
  const size = numericConstant(args[1], scope);
  if (!size) return undefined;
  return { kind: "bin", col, size, datetime: scope.columns[column]?.type === "datetime" };
}

function planSummarize(
  op: Node,
  scope: Scope,
  table: ColumnarTable,
): ((sel: Selection) => Table) | undefined {
  const out = columnsOf(op.ResultType);
  const keys: KeyPlan[] = [];
  for (const e of op.ByClause ? elements(op.ByClause.Expressions) : []) {
    const k = kindOf(e);
    if (k === "CompoundNamedExpression") return undefined;
    const expr = k === "SimpleNamedExpression" ? e.Expression : e;
    const column = columnRef(expr, scope);
    const col = table.data[column];
    if (col && (col.kind === "dict" || col.kind === "number")) {
      keys.push(col.kind === "dict" ? { kind: "dict", col } : { kind: "number", col });
      continue;
    }
    const a = analyseExpression(expr, scope);
    if (!a.safe) return undefined;
    // Compiled by the general evaluator even when a loop here computes it: same errors, same type.
    const general = compileScalar(expr, scope);
    const bin = binKey(expr, scope, table);
    if (bin) {
      keys.push(bin);
      continue;
    }
    const cols = [...a.columns];
    keys.push({ kind: "computed", cols, data: cols.map((c) => table.data[c]!), fn: general.fn });
  }
  const aggs: AggPlan[] = [];
  for (const e of elements(op.Aggregates)) {
    const k = kindOf(e);
    if (k === "CompoundNamedExpression") return undefined;
    const call = unwrap(k === "SimpleNamedExpression" ? e.Expression : e);
    if (kindOf(call) !== "FunctionCallExpression") return undefined;
    const name = String(call.Name?.SimpleName ?? "").toLowerCase();
    const args = elements(call.ArgumentList?.Expressions);
    if (name === "count" && args.length === 0) {
      aggs.push({ kind: "count" });
      continue;
    }
    if ((name === "min" || name === "max" || name === "dcount") && args.length === 1) {
      const col = table.data[columnRef(args[0], scope)];
      if (!col || (col.kind !== "number" && col.kind !== "dict")) return undefined;
      aggs.push({ kind: name, col });
      continue;
    }
    return undefined;
  }
  if (keys.length + aggs.length !== out.length) return undefined;
  const nk = keys.length;
  const stringCols = out.map((c, i) => (c.type === "string" ? i : -1)).filter((i) => i >= 0);
  const dictOnly = nk > 0 && keys.every((k) => k.kind === "dict");
  const dictCols = dictOnly ? keys.map((k) => (k as { col: DictColumn }).col) : [];
  // Several keys group by their tuple of values, which is the general evaluator's grouping (a
  // joined text key) unless a dictionary value contains the joiner character: then the text key.
  const tuple = nk > 1 && dictOnly && !dictCols.some((c) => c.dict.some((v) => v?.includes("\u0000")));
  const codeSpace = dictOnly && (nk === 1 || tuple) ? dictCols.reduce((p, c) => p * c.dict.length, 1) : 0;
  // Dictionary keys with a small code space find their group in a flat table instead of a Map.
  const dense = codeSpace > 0 && codeSpace <= 1 << 20;
  const countOnly = aggs.every((a) => a.kind === "count");
  const width = table.columns.length;

  return (sel) => {
    const scratch = new Array<KqlValue>(width).fill(null);
    const sizes = keys.map((k) => (k.kind === "bin" ? k.size() : null));
    /** Key `k` of row `i`, as the general evaluator computes it. */
    const keyValue = (k: number, i: number): KqlValue => {
      const key = keys[k]!;
      switch (key.kind) {
        case "dict":
          return key.col.dict[key.col.codes[i]!] ?? null;
        case "number":
          return key.col.nulls && key.col.nulls[i] === 1 ? null : key.col.values[i]!;
        case "bin": {
          const size = sizes[k];
          if (key.col.nulls && key.col.nulls[i] === 1) return null;
          if (typeof size !== "number" || size <= 0) return null;
          const v = key.col.values[i]!;
          if (key.datetime)
            return Math.floor((v + DOTNET_EPOCH_OFFSET_MS) / size) * size - DOTNET_EPOCH_OFFSET_MS;
          return Math.floor(v / size) * size;
        }
        default:
          for (let c = 0; c < key.cols.length; c++) scratch[key.cols[c]!] = cellOf(key.data[c]!, i);
          return key.fn(scratch);
      }
    };
    const groups = new Map<unknown, number>();
    const slots = dense ? new Int32Array(codeSpace).fill(-1) : undefined;
    const groupKeys: KqlValue[][] = [];
    const counts: number[] = [];
    const best: (number | null)[][] = aggs.map(() => []);
    const sets: Set<number>[][] = aggs.map(() => []);
    const keyValues = new Array<KqlValue>(nk).fill(null);
    const fragments = keys.map(() => new Map<number, string>());
    const newGroup = (i: number, known: boolean): number => {
      const g = counts.length;
      const kv = new Array<KqlValue>(nk);
      for (let k = 0; k < nk; k++) kv[k] = known ? (keyValues[k] ?? null) : keyValue(k, i);
      groupKeys.push(kv);
      counts.push(0);
      for (let a = 0; a < aggs.length; a++) {
        best[a]!.push(null);
        if (aggs[a]!.kind === "dcount") sets[a]!.push(new Set());
      }
      return g;
    };
    // Without keys there is one group, even over no rows.
    if (nk === 0) newGroup(0, true);
    for (let k = 0; k < sel.n; k++) {
      const i = sel.idx === undefined ? k : sel.idx[k]!;
      let g: number;
      if (nk === 0) g = 0;
      else if (slots !== undefined) {
        let id = 0;
        for (let j = 0; j < dictCols.length; j++) {
          const c = dictCols[j]!;
          id = id * c.dict.length + c.codes[i]!;
        }
        g = slots[id]!;
        if (g < 0) {
          g = newGroup(i, false);
          slots[id] = g;
        }
      } else {
        let mapKey: unknown;
        if (nk === 1) {
          const v = keyValue(0, i);
          keyValues[0] = v;
          mapKey = keyOf(v);
        } else if (tuple) {
          let id = 0;
          for (let j = 0; j < dictCols.length; j++) {
            const c = dictCols[j]!;
            id = id * c.dict.length + c.codes[i]!;
          }
          mapKey = id;
        } else {
          // The general evaluator's own text key.
          let text = "";
          for (let j = 0; j < nk; j++) {
            const key = keys[j]!;
            if (key.kind === "dict") {
              const code = key.col.codes[i]!;
              let f = fragments[j]!.get(code);
              if (f === undefined) {
                const kv = keyOf(key.col.dict[code] ?? null);
                f = `${typeof kv === "string" ? `s${kv}` : String(kv)}\u0000`;
                fragments[j]!.set(code, f);
              }
              keyValues[j] = key.col.dict[code] ?? null;
              text += f;
            } else {
              const v = keyValue(j, i);
              keyValues[j] = v;
              const kv = keyOf(v);
              text += `${typeof kv === "string" ? `s${kv}` : String(kv)}\u0000`;
            }
          }
          mapKey = text;
        }
        const found = groups.get(mapKey);
        if (found === undefined) {
          g = newGroup(i, !tuple);
          groups.set(mapKey, g);
        } else g = found;
      }
      counts[g]!++;
      if (countOnly) continue;
      for (let a = 0; a < aggs.length; a++) {
        const agg = aggs[a]!;
        if (agg.kind === "count") continue;
        const col = agg.col;
        if (col.kind === "number") {
          if (col.nulls && col.nulls[i] === 1) continue;
          const v = col.values[i]!;
          if (agg.kind === "dcount") {
            sets[a]![g]!.add(v);
            continue;
          }
          if (Number.isNaN(v)) continue;
          const b = best[a]!;
          const cur = b[g]!;
          if (cur === null || (agg.kind === "max" ? v > cur : v < cur)) b[g] = v;
        } else {
          const code = col.codes[i]!;
          const v = col.dict[code] ?? null;
          if (v === null) continue;
          if (agg.kind === "dcount") {
            sets[a]![g]!.add(code);
            continue;
          }
          const b = best[a]!;
          const cur = b[g];
          if (cur === null || cur === undefined) b[g] = code;
          else if (cur !== code) {
            const c = compareValues(v, col.dict[cur] ?? null);
            if (agg.kind === "max" ? c > 0 : c < 0) b[g] = code;
          }
        }
      }
    }
    const rows: Row[] = new Array(counts.length);
    for (let g = 0; g < counts.length; g++) {
      const row = new Array<KqlValue>(out.length);
      for (let k = 0; k < nk; k++) row[k] = groupKeys[g]![k] ?? null;
      for (let a = 0; a < aggs.length; a++) {
        const agg = aggs[a]!;
        let v: KqlValue;
        if (agg.kind === "count") v = counts[g]!;
        else if (agg.kind === "dcount") v = sets[a]![g]!.size;
        else {
          const b = best[a]![g] ?? null;
          v = b === null ? null : agg.col.kind === "dict" ? (agg.col.dict[b] ?? null) : b;
        }
        row[nk + a] = v;
      }
      for (const i of stringCols) if (row[i] === null) row[i] = "";
      rows[g] = row;
    }
    return { columns: out, rows };
  };
}
