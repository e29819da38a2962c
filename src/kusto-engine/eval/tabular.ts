/** Compiles tabular expressions (table references, pipes, query operators) into plans. */
import type { KqlValue, ResultColumn } from "../types.js";
import {
  type Compiled,
  columnIndex,
  type Env,
  type Row,
  type Scope,
  type Table,
  type TablePlan,
} from "./context.js";
import { compileMvExpand, compileParse, compileRange } from "./expand.js";
import { compileJoin, compileLookup } from "./relational.js";
import { compileScalar, evalConstant } from "./scalar.js";
import { compileSummarize } from "./summarize.js";
import {
  columnsOf,
  elements,
  keywordOf,
  kindOf,
  type Node,
  symbolKindOf,
  textOf,
  unsupported,
} from "./syntax.js";
import { compareValues, keyOf } from "./values.js";

type Operator = (input: Table) => Table;

export function compileTabular(node: Node, env: Env): TablePlan {
  const kind = kindOf(node);
  switch (kind) {
    case "ParenthesizedExpression":
    case "MaterializeExpression":
      return compileTabular(node.Expression, env);
    case "NameReference": {
      const symbol = node.ReferencedSymbol;
      const symKind = symbol ? symbolKindOf(symbol) : "None";
      const name = String(node.SimpleName);
      if (symKind === "Table") return () => env.database(name);
      if (symKind === "Variable") {
        const slot = env.tableSlot(symbol);
        if (slot) return () => slot.get();
      }
      throw unsupported(`the tabular reference '${name}'`);
    }
    case "PipeExpression": {
      const fast = env.fastTabular?.(node, env);
      if (fast) return fast;
      const pushed = compileFilterBelowInnerUnique(node, env);
      if (pushed) return pushed;
      const input = compileTabular(node.Expression, env);
      const inputColumns = columnsOf(node.Expression.ResultType);
      const op = compileOperator(node.Operator, { env, columns: inputColumns });
      return () => op(input());
    }
    case "PrintOperator": {
      const op = compileOperator(node, { env, columns: [] });
      return () => op({ columns: [], rows: [[]] });
    }
    case "UnionOperator":
      return compileUnion(node, env, undefined);
    case "DataTableExpression":
      return compileDataTable(node, env);
    case "RangeOperator":
      return compileRange(node, env);
    default:
      if (kind.endsWith("Operator")) throw unsupported(`the operator '${keywordOf(node)}'`);
      throw unsupported(`the tabular expression '${textOf(node)}' (${kind})`);
  }
}

/**
 * `L | join (R) on k | where p` with the default innerunique flavour and `p` reading only left
 * columns: Kusto pushes the filter below the join, before the left side is deduplicated, so the
 * rows kept are the first matching ones (join-innerunique.md: "It will always give the second
 * result"). Evaluated in that order here too.
 */
function compileFilterBelowInnerUnique(node: Node, env: Env): TablePlan | undefined {
  if (kindOf(node.Operator) !== "FilterOperator") return undefined;
  const joined = node.Expression;
  if (kindOf(joined) !== "PipeExpression" || kindOf(joined.Operator) !== "JoinOperator") return undefined;
  const join = joined.Operator;
  for (const p of elements(join.Parameters)) {
    const name = String(p.Name?.SimpleName ?? textOf(p.Name)).toLowerCase();
    if (name === "kind" && textOf(p.Expression).toLowerCase() !== "innerunique") return undefined;
  }
  const leftColumns = columnsOf(joined.Expression.ResultType);
  const leftNames = new Set(leftColumns.map((c) => c.name));
  const refs: string[] = [];
  const visit = (n: Node): boolean => {
    if (!n) return true;
    if (kindOf(n) === "NameReference") {
      const symbol = n.ReferencedSymbol;
      if (symbol && symbolKindOf(symbol) === "Column") refs.push(String(n.SimpleName));
    }
    if (isTabularNode(n)) return false;
    for (let i = 0; i < (n.ChildCount ?? 0); i++) if (!visit(n.GetChild(i))) return false;
    return true;
  };
  if (!visit(node.Operator.Condition)) return undefined;
  if (refs.length === 0 || refs.some((r) => !leftNames.has(r))) return undefined;
  const left = compileTabular(joined.Expression, env);
  const cond = compileScalar(node.Operator.Condition, { env, columns: leftColumns }).fn;
  const joinOp = compileJoin(join, env, leftColumns);
  return () => {
    const input = left();
    return joinOp({ columns: input.columns, rows: input.rows.filter((r) => cond(r) === true) });
  };
}

/** Whether a node is a tabular expression (a subquery inside a predicate). */
function isTabularNode(n: Node): boolean {
  const rt = n?.ResultType;
  return !!rt && symbolKindOf(rt) === "Table";
}

/** datatable(a:long, b:string) [1, "x", 2, "y"]: literal rows, column after column. */
function compileDataTable(node: Node, env: Env): TablePlan {
  const columns = columnsOf(node.ResultType);
  const values = elements(node.Values).map((v) => compileScalar(v, { env, columns: [] }));
  if (columns.length === 0 || values.length % columns.length !== 0) {
    throw unsupported(`'${textOf(node)}' (values do not fill whole rows)`);
  }
  return () => {
    const rows: Row[] = [];
    for (let i = 0; i < values.length; i += columns.length) {
      rows.push(columns.map((_, j) => evalConstant(values[i + j]!)));
    }
    return { columns, rows };
  };
}

function compileOperator(op: Node, scope: Scope): Operator {
  const kind = kindOf(op);
  const out = columnsOf(op.ResultType);
  switch (kind) {
    case "FilterOperator": {
      const cond = compileScalar(op.Condition, scope).fn;
      return (t) => {
        const rows: Row[] = [];
        for (const r of t.rows) if (cond(r) === true) rows.push(r);
        return { columns: out, rows };
      };
    }
    case "TakeOperator": {
      const n = compileScalar(op.Expression, scope);
      return (t) => ({ columns: out, rows: t.rows.slice(0, count(n, "take")) });
    }
    case "CountOperator":
      return (t) => ({ columns: out, rows: [[t.rows.length]] });
    case "ProjectOperator":
      return compileProject(op, scope, out);
    case "ExtendOperator":
      return compileExtend(op, scope, out);
    case "ProjectAwayOperator":
    case "ProjectKeepOperator":
    case "ProjectReorderOperator":
      return reshape(scope.columns, out, new Map());
    case "ProjectRenameOperator": {
      const renames = new Map<string, string>();
      for (const e of elements(op.Expressions)) {
        if (kindOf(e) !== "SimpleNamedExpression") throw unsupported(`project-rename '${textOf(e)}'`);
        renames.set(String(e.Name.SimpleName), String(e.Expression.SimpleName));
      }
      return reshape(scope.columns, out, renames);
    }
    case "SortOperator":
      return compileSort(elements(op.Expressions), scope, out, undefined);
    case "TopOperator": {
      const n = compileScalar(op.Expression, scope);
      return compileSort([op.ByExpression], scope, out, n);
    }
    case "DistinctOperator":
      return compileDistinct(op, scope, out);
    case "SummarizeOperator":
      return compileSummarize(op, scope, out);
    case "UnionOperator": {
      const union = compileUnion(op, scope.env, scope.columns);
      return (t) => union(t);
    }
    case "JoinOperator":
      return compileJoin(op, scope.env, scope.columns);
    case "LookupOperator":
      return compileLookup(op, scope.env, scope.columns);
    case "ParseOperator":
    case "ParseWhereOperator":
      return compileParse(op, scope, out, kind === "ParseWhereOperator");
    case "MvExpandOperator":
      return compileMvExpand(op, scope, out);
    case "PrintOperator": {
      const exprs = elements(op.Expressions).map((e) => compileValueExpression(e, scope).fn);
      if (exprs.length !== out.length) throw unsupported(`'${textOf(op)}' (unexpected output columns)`);
      return () => ({ columns: out, rows: [exprs.map((f) => f([]))] });
    }
    default:
      throw unsupported(`the operator '${keywordOf(op)}'`);
  }
}

function count(n: Compiled, what: string): number {
  const v = evalConstant(n);
  if (typeof v !== "number" || v < 0) throw unsupported(`${what} with a non-constant or negative row count`);
  return Math.trunc(v);
}

/** The value part of `name = expr` or `expr`. */
function compileValueExpression(e: Node, scope: Scope): Compiled {
  const k = kindOf(e);
  if (k === "SimpleNamedExpression") return compileScalar(e.Expression, scope);
  if (k === "CompoundNamedExpression") throw unsupported(`the tuple assignment '${textOf(e)}'`);
  return compileScalar(e, scope);
}

/** Output columns taken from input columns by name (after renames new -> old). */
function reshape(
  input: readonly ResultColumn[],
  out: readonly ResultColumn[],
  renames: Map<string, string>,
): Operator {
  const idx = out.map((c) => {
    const i = columnIndex(input, renames.get(c.name) ?? c.name);
    if (i < 0) throw unsupported(`the output column '${c.name}'`);
    return i;
  });
  return (t) => ({ columns: out, rows: t.rows.map((r) => idx.map((i) => r[i] ?? null)) });
}

function compileProject(op: Node, scope: Scope, out: readonly ResultColumn[]): Operator {
  const exprs = elements(op.Expressions);
  if (exprs.length !== out.length) throw unsupported(`'${textOf(op)}' (wildcards or tuples in project)`);
  const fns = exprs.map((e) => compileValueExpression(e, scope).fn);
  const n = fns.length;
  return (t) => {
    const rows: Row[] = new Array(t.rows.length);
    for (let r = 0; r < t.rows.length; r++) {
      const src = t.rows[r]!;
      const row = new Array<KqlValue>(n);
      for (let i = 0; i < n; i++) row[i] = fns[i]!(src);
      rows[r] = row;
    }
    return { columns: out, rows };
  };
}

/** extend: later expressions see earlier ones (a working row grows), then columns are laid out as the analyser says. */
function compileExtend(op: Node, scope: Scope, out: readonly ResultColumn[]): Operator {
  const exprs = elements(op.Expressions);
  const working: ResultColumn[] = [...scope.columns];
  const inputNames = new Set(scope.columns.map((c) => c.name));
  const namedLater = new Set<string>();
  for (const e of exprs) if (kindOf(e) === "SimpleNamedExpression") namedLater.add(String(e.Name.SimpleName));
  const unnamed = out.map((c) => c.name).filter((n) => !inputNames.has(n) && !namedLater.has(n));
  const fns: ((r: Row) => KqlValue)[] = [];
  for (const e of exprs) {
    const c = compileValueExpression(e, { env: scope.env, columns: working.slice() });
    const name = kindOf(e) === "SimpleNamedExpression" ? String(e.Name.SimpleName) : unnamed.shift();
    if (!name) throw unsupported(`'${textOf(e)}' in extend (cannot name the column)`);
    fns.push(c.fn);
    working.push({ name, type: c.type });
  }
  const base = scope.columns.length;
  const layout = out.map((c) => {
    const i = columnIndex(working, c.name);
    if (i < 0) throw unsupported(`the extend output column '${c.name}'`);
    return i;
  });
  const n = fns.length;
  return (t) => {
    const rows: Row[] = new Array(t.rows.length);
    const tmp = new Array<KqlValue>(base + n);
    for (let r = 0; r < t.rows.length; r++) {
      const src = t.rows[r]!;
      for (let i = 0; i < base; i++) tmp[i] = src[i] ?? null;
      for (let i = 0; i < n; i++) tmp[base + i] = fns[i]!(tmp);
      const row = new Array<KqlValue>(layout.length);
      for (let i = 0; i < layout.length; i++) row[i] = tmp[layout[i]!] ?? null;
      rows[r] = row;
    }
    return { columns: out, rows };
  };
}

interface SortKey {
  readonly fn: (r: Row) => KqlValue;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

function sortKeyOf(e: Node, scope: Scope): SortKey {
  let expr = e;
  let desc = true;
  let nullsFirst: boolean | undefined;
  if (kindOf(e) === "OrderedExpression") {
    expr = e.Expression;
    const ordering = e.Ordering;
    const dir = String(ordering?.AscOrDescKeyword?.Text ?? "").toLowerCase();
    if (dir === "asc") desc = false;
    const nulls = String(ordering?.NullsClause?.FirstOrLastKeyword?.Text ?? "").toLowerCase();
    if (nulls === "first") nullsFirst = true;
    if (nulls === "last") nullsFirst = false;
  }
  // Kusto: desc is the default; nulls first for asc, nulls last for desc unless stated.
  return { fn: compileScalar(expr, scope).fn, desc, nullsFirst: nullsFirst ?? !desc };
}

function compileSort(exprs: Node[], scope: Scope, out: readonly ResultColumn[], top?: Compiled): Operator {
  const keys = exprs.map((e) => sortKeyOf(e, scope));
  const isNullish = (v: KqlValue) => v === null || (typeof v === "number" && Number.isNaN(v));
  return (t) => {
    const n = t.rows.length;
    const values = keys.map((k) => {
      const col = new Array<KqlValue>(n);
      for (let i = 0; i < n; i++) col[i] = k.fn(t.rows[i]!);
      return col;
    });
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((x, y) => {
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        const col = values[k]!;
        const a = col[x] ?? null;
        const b = col[y] ?? null;
        const an = isNullish(a);
        const bn = isNullish(b);
        if (an || bn) {
          if (an && bn) continue;
          return (an ? -1 : 1) * (key.nullsFirst ? 1 : -1);
        }
        const c = compareValues(a, b);
        if (c !== 0) return key.desc ? -c : c;
      }
      return 0;
    });
    const limit = top ? Math.min(count(top, "top"), n) : n;
    const rows: Row[] = new Array(limit);
    for (let i = 0; i < limit; i++) rows[i] = t.rows[order[i]!]!;
    return { columns: out, rows };
  };
}

function compileDistinct(op: Node, scope: Scope, out: readonly ResultColumn[]): Operator {
  const exprs = elements(op.Expressions);
  let fns: ((r: Row) => KqlValue)[];
  if (exprs.length === 1 && kindOf(exprs[0]) === "StarExpression") {
    fns = scope.columns.map((_, i) => (r: Row) => r[i] ?? null);
  } else {
    fns = exprs.map((e) => compileValueExpression(e, scope).fn);
  }
  if (fns.length !== out.length) throw unsupported(`'${textOf(op)}' (unexpected output columns)`);
  return (t) => {
    const seen = new Set<unknown>();
    const rows: Row[] = [];
    for (const r of t.rows) {
      const row = fns.map((f) => f(r));
      const key = fns.length === 1 ? keyOf(row[0] ?? null) : JSON.stringify(row.map((v) => keyOf(v)));
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push(row);
    }
    return { columns: out, rows };
  };
}

/**
 * union (kind=outer, the default): rows of each input in order, columns matched by name. A column
 * the analyser renamed for a type clash (e.g. state_long / state_string) is not evaluated.
 */
function compileUnion(op: Node, env: Env, leftColumns: readonly ResultColumn[] | undefined) {
  if (elements(op.Parameters).length > 0) throw unsupported(`union with parameters ('${textOf(op)}')`);
  const out = columnsOf(op.ResultType);
  const others = elements(op.Expressions).map((e) => ({
    plan: compileTabular(e, env),
    columns: columnsOf(e.ResultType),
  }));
  const inputs = leftColumns ? [leftColumns, ...others.map((o) => o.columns)] : others.map((o) => o.columns);
  const layouts = inputs.map((cols) =>
    out.map((c) => {
      const i = columnIndex(cols, c.name);
      return i >= 0 && cols[i]?.type === c.type ? i : -1;
    }),
  );
  out.forEach((c, j) => {
    if (layouts.every((l) => l[j] === -1)) throw unsupported(`union producing the column '${c.name}'`);
  });
  const project = (t: Table, layout: number[]): Row[] =>
    t.rows.map((r) => layout.map((i) => (i < 0 ? null : (r[i] ?? null))));
  return (left?: Table): Table => {
    const rows: Row[] = [];
    let k = 0;
    if (leftColumns && left) rows.push(...project(left, layouts[k++]!));
    for (const o of others) rows.push(...project(o.plan(), layouts[k++]!));
    return { columns: out, rows };
  };
}
