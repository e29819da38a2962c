/**
 * Operators that make rows or columns out of values: `range` (a generated table), `mv-expand`
 * (one row per element of dynamic arrays / property bags) and `parse` / `parse-where`
 * (columns cut out of a string by a pattern, simple, relaxed or regex).
 */
import type { KqlScalarType } from "../schema.js";
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
import { textToDatetime } from "./functions.js";
import { parseNumber, parseTimespan } from "./literals.js";
import { re2ToRegExp } from "./re2.js";
import { compileScalar, evalConstant } from "./scalar.js";
import { columnsOf, elements, kindOf, type Node, textOf, unsupported } from "./syntax.js";
import { toKqlString } from "./values.js";

type Operator = (input: Table) => Table;

/** Rows `range` may produce: a guard against a typo such as `step 1ms` over a year. */
const MAX_RANGE_ROWS = 10_000_000;

/** range x from a to b step s: a, a+s, ... while <= b (>= b for a negative step). */
export function compileRange(node: Node, env: Env): TablePlan {
  const out = columnsOf(node.ResultType);
  const scope = { env, columns: [] };
  const from = compileScalar(node.From, scope);
  const to = compileScalar(node.To, scope);
  const step = compileScalar(node.Step, scope);
  return () => {
    const a = evalConstant(from);
    const b = evalConstant(to);
    const s = evalConstant(step);
    const rows: Row[] = [];
    if (typeof a !== "number" || typeof b !== "number" || typeof s !== "number" || s === 0) {
      return { columns: out, rows };
    }
    for (let i = 0; ; i++) {
      const v = a + i * s;
      if (s > 0 ? v > b : v < b) break;
      if (rows.length >= MAX_RANGE_ROWS)
        throw unsupported(`range producing more than ${MAX_RANGE_ROWS} rows`);
      rows.push([v]);
    }
    return { columns: out, rows };
  };
}

function parameters(op: Node): Map<string, { text: string; node: Node }> {
  const m = new Map<string, { text: string; node: Node }>();
  for (const p of elements(op.Parameters)) {
    const name = String(p.Name?.SimpleName ?? textOf(p.Name)).toLowerCase();
    m.set(name, { text: textOf(p.Expression), node: p.Expression });
  }
  return m;
}

/** An element of a property bag or array cast to `to typeof(T)` (cast only: a mismatch is null). */
function castElement(v: unknown, type: KqlScalarType): KqlValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "dynamic":
      return v as KqlValue;
    case "string":
      return typeof v === "string" ? v : null;
    case "long":
    case "int":
      return typeof v === "number" && Number.isInteger(v) ? v : null;
    case "real":
    case "decimal":
      return typeof v === "number" ? v : null;
    case "bool":
      return typeof v === "boolean" ? v : null;
    default:
      throw unsupported(`mv-expand ... to typeof(${type})`);
  }
}

interface Expansion {
  readonly name: string;
  readonly fn: (r: Row) => KqlValue;
  readonly type: KqlScalarType;
}

export function compileMvExpand(op: Node, scope: Scope, out: readonly ResultColumn[]): Operator {
  const params = parameters(op);
  let bagAsArray = false;
  let indexName: string | undefined;
  for (const [name, { text }] of params) {
    if (name === "kind" || name === "bagexpansion") {
      if (text.toLowerCase() === "array") bagAsArray = true;
      else if (text.toLowerCase() !== "bag") throw unsupported(`mv-expand ${name}=${text}`);
    } else if (name === "with_itemindex") {
      indexName = text;
    } else {
      throw unsupported(`the mv-expand parameter '${name}'`);
    }
  }
  const inputNames = new Set(scope.columns.map((c) => c.name));
  const exprs = elements(op.Expressions);
  const named = new Set<string>();
  for (const e of exprs) {
    const inner = e.Expression;
    if (kindOf(inner) === "SimpleNamedExpression") named.add(String(inner.Name.SimpleName));
    else if (kindOf(inner) === "NameReference") named.add(String(inner.SimpleName));
  }
  const unnamed = out
    .map((c) => c.name)
    .filter((n) => !inputNames.has(n) && !named.has(n) && n !== indexName);
  const expansions: Expansion[] = exprs.map((e) => {
    const inner = e.Expression;
    const k = kindOf(inner);
    const valueNode = k === "SimpleNamedExpression" ? inner.Expression : inner;
    const name =
      k === "SimpleNamedExpression"
        ? String(inner.Name.SimpleName)
        : k === "NameReference"
          ? String(inner.SimpleName)
          : unnamed.shift();
    if (!name) throw unsupported(`'${textOf(e)}' in mv-expand (cannot name the column)`);
    const c: Compiled = compileScalar(valueNode, scope);
    const outCol = out[columnIndex(out, name)];
    return { name, fn: c.fn, type: outCol?.type ?? "dynamic" };
  });
  const limitNode = op.RowLimitClause?.RowLimit;
  const limit = limitNode ? Number(evalConstant(compileScalar(limitNode, scope))) : 2_147_483_647;
  // Where each output column comes from: an input column, an expansion, or the item index.
  const sources = out.map((c) => {
    const x = expansions.findIndex((e) => e.name === c.name);
    if (x >= 0) return { kind: "expansion" as const, i: x };
    if (c.name === indexName) return { kind: "index" as const, i: 0 };
    const i = columnIndex(scope.columns, c.name);
    if (i < 0) throw unsupported(`the mv-expand output column '${c.name}'`);
    return { kind: "input" as const, i };
  });
  const elementsOf = (v: KqlValue): unknown[] => {
    if (v === null) return [null];
    if (Array.isArray(v)) return v;
    if (typeof v === "object") {
      return Object.entries(v).map(([k, x]) => (bagAsArray ? [k, x] : { [k]: x }));
    }
    return [v];
  };
  return (t) => {
    const rows: Row[] = [];
    for (const r of t.rows) {
      const lists = expansions.map((e) => elementsOf(e.fn(r)));
      const n = Math.min(limit, Math.max(0, ...lists.map((l) => l.length)));
      for (let k = 0; k < n; k++) {
        rows.push(
          sources.map((s) => {
            if (s.kind === "input") return r[s.i] ?? null;
            if (s.kind === "index") return k;
            const e = expansions[s.i]!;
            return castElement(lists[s.i]![k], e.type);
          }),
        );
      }
    }
    return { columns: out, rows };
  };
}

/** What a parse pattern's column matches (regex text) and how its text converts to the column type. */
function typePattern(type: KqlScalarType, lazy: string): string {
  switch (type) {
    case "long":
    case "int":
      return "-?\\d+";
    case "real":
    case "decimal":
      return "-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?";
    case "bool":
      return "(?i:true|false)";
    default:
      return `.*${lazy}`;
  }
}

function convert(text: string, type: KqlScalarType): KqlValue | undefined {
  switch (type) {
    case "string":
      return text;
    case "long":
    case "int":
    case "real":
    case "decimal": {
      const n = parseNumber(text.trim());
      if (n === undefined) return undefined;
      return type === "long" || type === "int" ? (Number.isInteger(n) ? n : undefined) : n;
    }
    case "bool":
      return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : undefined;
    case "datetime": {
      const v = textToDatetime(text);
      return v === null ? undefined : v;
    }
    case "timespan":
      return parseTimespan(text.trim());
    case "guid":
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text.trim())
        ? text.trim().toLowerCase()
        : undefined;
    default:
      try {
        return JSON.parse(text) as KqlValue;
      } catch {
        return undefined;
      }
  }
}

const escapeRe2 = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * parse [kind=simple|regex|relaxed [flags=...]] expr with pattern: the pattern becomes one
 * anchored regular expression (`*` skips text, a string column takes the shortest text that lets
 * the rest match, numbers take digits); columns that do not match or do not convert are null
 * (all of them, except in relaxed mode). parse-where drops the rows that do not match.
 */
export function compileParse(
  op: Node,
  scope: Scope,
  out: readonly ResultColumn[],
  dropUnmatched: boolean,
): Operator {
  const params = parameters(op);
  let kind = "simple";
  let flags = "";
  for (const [name, { text }] of params) {
    if (name === "kind") kind = text.toLowerCase();
    else if (name === "flags") flags = text;
    else throw unsupported(`the parse parameter '${name}'`);
  }
  if (kind !== "simple" && kind !== "regex" && kind !== "relaxed") throw unsupported(`parse kind=${kind}`);
  if (flags && kind !== "regex") throw unsupported("parse flags outside kind=regex");
  if (flags && !/^[imsU]+$/.test(flags)) throw unsupported(`parse flags=${flags}`);
  const isRegex = kind === "regex";
  // Simple and relaxed modes: a column takes the shortest text; regex mode is greedy (unless flags=U).
  const lazy = isRegex ? "" : "?";
  const source = compileScalar(op.Expression, scope);
  const captures: { name: string; type: KqlScalarType }[] = [];
  let pattern = "";
  for (const p of elements(op.Patterns)) {
    const k = kindOf(p);
    if (k === "StarExpression") {
      pattern += `.*${lazy}`;
    } else if (k === "StringLiteralExpression" || k === "CompoundStringLiteralExpression") {
      const text = String(p.LiteralValueInfo?.Value ?? evalConstant(compileScalar(p, scope)) ?? "");
      pattern += isRegex ? `(?:${text})` : escapeRe2(text);
    } else if (k === "NameAndTypeDeclaration" || k === "NameDeclaration") {
      const decl = k === "NameAndTypeDeclaration" ? p.Name : p;
      const name = String(decl.SimpleName);
      const col = out[columnIndex(out, name)];
      if (!col) throw unsupported(`the parse column '${name}'`);
      // Named, so that groups inside regex-mode delimiters do not shift the columns.
      // Relaxed mode: a column takes its text first and only then converts (a mismatch is null).
      const body = kind === "relaxed" ? ".*?" : typePattern(col.type, lazy);
      pattern += `(?P<c${captures.length}>${body})`;
      captures.push({ name, type: col.type });
    } else {
      throw unsupported(`the parse pattern element '${textOf(p)}'`);
    }
  }
  const regex = re2ToRegExp(`${flags ? `(?${flags})` : ""}^(?:${pattern})$`);
  const capIndex = new Map(captures.map((c, i) => [c.name, i]));
  const sources = out.map((c) => {
    const x = capIndex.get(c.name);
    if (x !== undefined) return { capture: true, i: x };
    const i = columnIndex(scope.columns, c.name);
    if (i < 0) throw unsupported(`the parse output column '${c.name}'`);
    return { capture: false, i };
  });
  const f = source.fn;
  const relaxed = kind === "relaxed";
  return (t) => {
    const rows: Row[] = [];
    for (const r of t.rows) {
      const v = f(r);
      const m = v === null ? null : regex.exec(toKqlString(v, source.type));
      let values: (KqlValue | undefined)[] | undefined;
      if (m) {
        values = captures.map((c, i) => convert(m.groups?.[`c${i}`] ?? "", c.type));
        if (values.some((x) => x === undefined)) {
          if (relaxed) values = values.map((x) => x ?? null);
          else values = undefined;
        }
      }
      if (!values && dropUnmatched) continue;
      rows.push(sources.map((s) => (s.capture ? (values?.[s.i] ?? null) : (r[s.i] ?? null))));
    }
    return { columns: out, rows };
  };
}
