/** Compiles KQL's binary operators (comparison, logic, string predicates, in, between, arithmetic). */
import type { KqlScalarType } from "../schema.js";
import { type KqlValue, KustoError } from "../types.js";
import { type Compiled, EMPTY_ROW, perRun, type Row, type ScalarFn, type Scope } from "./context.js";
import { re2ToRegExp } from "./re2.js";
import { compileScalar, evalConstant } from "./scalar.js";
import { elements, isTabular, type Node, requireScalarType, scalarTypeOf, unsupported } from "./syntax.js";
import { compareValues, keyOf, kqlEquals, type StringOp, stringOpRegExp } from "./values.js";

export function compileLogical(node: Node, scope: Scope, isAnd: boolean): Compiled {
  const l = compileScalar(node.Left, scope).fn;
  const r = compileScalar(node.Right, scope).fn;
  const rowFree = false;
  if (isAnd) {
    return {
      fn: (row) => {
        const a = l(row);
        if (a === false) return false;
        const b = r(row);
        if (b === false) return false;
        return a === null || b === null ? null : true;
      },
      type: "bool",
      rowFree,
    };
  }
  return {
    fn: (row) => {
      const a = l(row);
      if (a === true) return true;
      const b = r(row);
      if (b === true) return true;
      return a === null || b === null ? null : false;
    },
    type: "bool",
    rowFree,
  };
}

const STRING_OPS = new Set<string>([
  "contains",
  "contains_cs",
  "startswith",
  "startswith_cs",
  "endswith",
  "endswith_cs",
  "has",
  "has_cs",
  "hasprefix",
  "hasprefix_cs",
  "hassuffix",
  "hassuffix_cs",
]);

const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">="]);
const NUMBERS = new Set<KqlScalarType>(["int", "long", "real", "decimal"]);

/**
 * Kusto refuses to compare values of unrelated types (`error_id == "37324"` on a long column is a
 * semantic error, not an empty result), but the language service only flags the ordering
 * operators: the equality operators are checked here from both operands' parser types. The
 * numeric types compare with each other, and dynamic with anything.
 */
function requireComparable(node: Node): void {
  const a = scalarTypeOf(node.Left?.ResultType);
  const b = scalarTypeOf(node.Right?.ResultType);
  if (!a || !b || a === b || a === "dynamic" || b === "dynamic") return;
  if (NUMBERS.has(a) && NUMBERS.has(b)) return;
  throw new KustoError(
    "syntax",
    "CannotCompareTypes",
    `Cannot compare values of types ${a} and ${b}. Try adding explicit casts`,
  );
}

export function compileBinary(node: Node, scope: Scope): Compiled {
  const op = String(node.Operator.Text).toLowerCase();
  if (COMPARISONS.has(op)) requireComparable(node);
  const left = compileScalar(node.Left, scope);
  const right = compileScalar(node.Right, scope);
  const type = requireScalarType(node);
  const rowFree = left.rowFree && right.rowFree;
  const l = left.fn;
  const r = right.fn;
  const negated = op.startsWith("!") && op !== "!=" && op !== "!~";
  const base = negated ? op.slice(1) : op;
  if (STRING_OPS.has(base)) return compileStringOp(base as StringOp, negated, left, right);
  switch (op) {
    case "==":
      return { fn: (row) => kqlEquals(l(row), r(row)), type, rowFree };
    case "!=":
      return {
        fn: (row) => {
          const e = kqlEquals(l(row), r(row));
          return e === null ? null : !e;
        },
        type,
        rowFree,
      };
    case "=~":
    case "!~": {
      const neg = op === "!~";
      const cmp = equalsIgnoreCase(right);
      return {
        fn: (row) => {
          const a = l(row);
          if (a === null) return null;
          const e = cmp(String(a), row);
          return neg ? !e : e;
        },
        type,
        rowFree,
      };
    }
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const test =
        op === "<"
          ? (c: number) => c < 0
          : op === "<="
            ? (c: number) => c <= 0
            : op === ">"
              ? (c: number) => c > 0
              : (c: number) => c >= 0;
      return {
        fn: (row) => {
          const a = l(row);
          if (a === null) return null;
          const b = r(row);
          if (b === null) return null;
          if (typeof a === "number" && typeof b === "number") {
            if (Number.isNaN(a) || Number.isNaN(b)) return false;
            return test(a < b ? -1 : a > b ? 1 : 0);
          }
          return test(compareValues(a, b));
        },
        type,
        rowFree,
      };
    }
    case "+":
    case "-":
    case "*":
    case "/":
    case "%":
      return compileArithmetic(op, left, right, type);
    case "matches regex": {
      const regex = perRunRegex(right, scope);
      return {
        fn: (row) => {
          const a = l(row);
          if (a === null) return null;
          return regex(row).test(String(a));
        },
        type,
        rowFree,
      };
    }
    default:
      throw unsupported(`the operator '${op}'`);
  }
}

/** `a =~ b` with a precomputed lower-case right side when it is row-free. */
function equalsIgnoreCase(right: Compiled): (a: string, row: Row) => boolean {
  const r = right.fn;
  if (right.rowFree) {
    let epochValue: string | null = null;
    let lastRaw: KqlValue | undefined;
    return (a, row) => {
      const raw = r(row);
      if (raw !== lastRaw) {
        lastRaw = raw;
        epochValue = raw === null ? null : String(raw).toLowerCase();
      }
      if (epochValue === null) return false;
      return a.length === epochValue.length && a.toLowerCase() === epochValue;
    };
  }
  return (a, row) => {
    const b = r(row);
    if (b === null) return false;
    const bs = String(b);
    return a.length === bs.length && (a === bs || a.toLowerCase() === bs.toLowerCase());
  };
}

function compileStringOp(op: StringOp, negated: boolean, left: Compiled, right: Compiled): Compiled {
  const l = left.fn;
  const r = right.fn;
  const rowFree = left.rowFree && right.rowFree;
  let lastNeedle: string | undefined;
  let lastRegex: RegExp = /^/;
  const regexFor = (needle: string): RegExp => {
    if (needle !== lastNeedle) {
      lastNeedle = needle;
      lastRegex = stringOpRegExp(op, needle);
    }
    return lastRegex;
  };
  return {
    fn: (row) => {
      const a = l(row);
      const b = r(row);
      const hay = a === null ? "" : typeof a === "string" ? a : String(a);
      const needle = b === null ? "" : typeof b === "string" ? b : String(b);
      const hit = regexFor(needle).test(hay);
      return negated ? !hit : hit;
    },
    type: "bool",
    rowFree,
  };
}

function perRunRegex(right: Compiled, scope: Scope): (row: Row) => RegExp {
  if (right.rowFree) {
    const cached = perRun(scope.env.frame, () => re2ToRegExp(String(evalConstant(right) ?? "")));
    return () => cached();
  }
  return (row) => re2ToRegExp(String(right.fn(row) ?? ""));
}

function compileArithmetic(op: string, left: Compiled, right: Compiled, type: KqlScalarType): Compiled {
  const l = left.fn;
  const r = right.fn;
  const rowFree = left.rowFree && right.rowFree;
  const integral = type === "long" || type === "int";
  const num = (row: Row, f: (a: number, b: number) => number): KqlValue => {
    const a = l(row);
    if (typeof a !== "number") return null;
    const b = r(row);
    if (typeof b !== "number") return null;
    return f(a, b);
  };
  switch (op) {
    case "+":
      return { fn: (row) => num(row, (a, b) => a + b), type, rowFree };
    case "-":
      return { fn: (row) => num(row, (a, b) => a - b), type, rowFree };
    case "*":
      return { fn: (row) => num(row, (a, b) => a * b), type, rowFree };
    case "/":
      return {
        fn: (row) =>
          num(row, (a, b) => {
            if (integral) {
              if (b === 0) throw new KustoError("runtime", "DivideByZero", "Integer division by zero.");
              return Math.trunc(a / b);
            }
            return a / b;
          }),
        type,
        rowFree,
      };
    default:
      return {
        fn: (row) =>
          num(row, (a, b) => {
            if (integral && b === 0) throw new KustoError("runtime", "DivideByZero", "Modulo by zero.");
            // Kusto's modulo is never negative: 0 <= n % d < abs(d) (-14 % 12 is 10, 14 % -12 is 2).
            const m = Math.abs(b);
            const rem = a % m;
            return rem < 0 ? rem + m : rem === 0 ? 0 : rem;
          }),
        type,
        rowFree,
      };
  }
}

export function compileIn(node: Node, scope: Scope): Compiled {
  const op = String(node.Operator.Text).toLowerCase();
  const negated = op.startsWith("!");
  const caseInsensitive = op.endsWith("~");
  const left = compileScalar(node.Left, scope).fn;
  const items = elements(node.Right.Expressions);
  const norm = (v: KqlValue) => {
    const k = keyOf(v);
    return caseInsensitive && typeof k === "string" ? k.toLowerCase() : k;
  };
  const sources: ((row: Row) => KqlValue[])[] = [];
  let rowFree = true;
  for (const item of items) {
    if (isTabular(item)) {
      const plan = scope.env.compileTable(item);
      const values = perRun(scope.env.frame, () => plan().rows.map((row) => row[0] ?? null));
      sources.push(() => values());
      continue;
    }
    const c = compileScalar(item, scope);
    rowFree &&= c.rowFree;
    const f = c.fn;
    sources.push((row) => {
      const v = f(row);
      return Array.isArray(v) ? (v as KqlValue[]) : [v];
    });
  }
  const build = (row: Row) => {
    const set = new Set<string | number | boolean | null>();
    for (const s of sources) for (const v of s(row)) if (v !== null) set.add(norm(v));
    return set;
  };
  const cachedSet = rowFree ? perRun(scope.env.frame, () => build(EMPTY_ROW)) : undefined;
  const fn: ScalarFn = (row) => {
    const v = left(row);
    if (v === null) return negated;
    const set = cachedSet ? cachedSet() : build(row);
    const hit = set.has(norm(v));
    return negated ? !hit : hit;
  };
  return { fn, type: "bool", rowFree: false };
}

export function compileBetween(node: Node, scope: Scope, negated: boolean): Compiled {
  const left = compileScalar(node.Left, scope);
  const lo = compileScalar(node.Right.First, scope);
  const hi = compileScalar(node.Right.Second, scope);
  const l = left.fn;
  const a = lo.fn;
  const b = hi.fn;
  // `datetime between (start .. timespan)` means the upper bound is start + timespan.
  const relative = left.type === "datetime" && hi.type === "timespan";
  return {
    fn: (row) => {
      const v = l(row);
      const low = a(row);
      let high = b(row);
      if (v === null || low === null || high === null) return null;
      if (relative) high = (low as number) + (high as number);
      const inside = compareValues(v, low) >= 0 && compareValues(v, high) <= 0;
      return negated ? !inside : inside;
    },
    type: "bool",
    rowFree: left.rowFree && lo.rowFree && hi.rowFree,
  };
}

/** `d[0]`, `d["k"]`, `d.k` on dynamic values (null when absent). */

/**
 * `s has_any (a, b, ...)` / `s has_all (...)`: whole-term matches (as `has`) of any / all of the
 * values; a dynamic array in the list contributes its elements, a tabular expression its first column.
 */
export function compileHasAnyAll(node: Node, scope: Scope, all: boolean): Compiled {
  const left = compileScalar(node.Left, scope).fn;
  const sources: ((row: Row) => KqlValue[])[] = [];
  let rowFree = true;
  for (const item of elements(node.Right.Expressions)) {
    if (isTabular(item)) {
      const plan = scope.env.compileTable(item);
      const values = perRun(scope.env.frame, () => plan().rows.map((row) => row[0] ?? null));
      sources.push(() => values());
      continue;
    }
    const c = compileScalar(item, scope);
    rowFree &&= c.rowFree;
    const f = c.fn;
    sources.push((row) => {
      const v = f(row);
      return Array.isArray(v) ? (v as KqlValue[]) : [v];
    });
  }
  const build = (row: Row) => {
    const out: RegExp[] = [];
    for (const src of sources)
      for (const v of src(row))
        if (v !== null) out.push(stringOpRegExp("has", typeof v === "string" ? v : String(v)));
    return out;
  };
  const cached = rowFree ? perRun(scope.env.frame, () => build(EMPTY_ROW)) : undefined;
  return {
    fn: (row) => {
      const v = left(row);
      const text = v === null ? "" : typeof v === "string" ? v : String(v);
      const regexes = cached ? cached() : build(row);
      return all ? regexes.every((r) => r.test(text)) : regexes.some((r) => r.test(text));
    },
    type: "bool",
    rowFree: false,
  };
}
