/** Scalar functions of KQL that the embedded engine evaluates (anything else fails loudly). */
import type { KqlScalarType } from "../schema.js";
import { type KqlValue, KustoError } from "../types.js";
import { type Compiled, perRun, type Row, type Scope } from "./context.js";
import { TEXT_FUNCTIONS } from "./functions-text.js";
import { looksLikeKnownDatetime, parseDatetime, parseNumber, parseTimespan } from "./literals.js";
import { re2ToRegExp } from "./re2.js";
import { compileScalar, evalConstant } from "./scalar.js";
import { elements, kindOf, type Node, requireScalarType, unsupported } from "./syntax.js";
import { isEmptyValue, toKqlString } from "./values.js";

type Impl = (args: readonly Compiled[], type: KqlScalarType, scope: Scope, call: Node) => Compiled;

/** Days between 0001-01-01 and 1970-01-01: Kusto bins datetimes relative to 0001-01-01. */
const DOTNET_EPOCH_OFFSET_MS = 62_135_596_800_000;

const allRowFree = (args: readonly Compiled[]) => args.every((a) => a.rowFree);

/** A function of evaluated argument values. */
function pure(f: (values: KqlValue[], args: readonly Compiled[]) => KqlValue): Impl {
  return (args, type) => {
    const fns = args.map((a) => a.fn);
    const n = fns.length;
    return {
      fn: (row) => {
        const values = new Array<KqlValue>(n);
        for (let i = 0; i < n; i++) values[i] = fns[i]!(row);
        return f(values, args);
      },
      type,
      rowFree: allRowFree(args),
    };
  };
}

/** A one-argument function (no per-row array). */
function unary(f: (v: KqlValue, arg: Compiled) => KqlValue): Impl {
  return (args, type) => {
    const a = args[0]!;
    const g = a.fn;
    return { fn: (row) => f(g(row), a), type, rowFree: a.rowFree };
  };
}

function binFn(values: KqlValue[], args: readonly Compiled[]): KqlValue {
  const [v, size] = values;
  if (typeof v !== "number" || typeof size !== "number" || size <= 0) return null;
  if (args[0]?.type === "datetime") {
    return Math.floor((v + DOTNET_EPOCH_OFFSET_MS) / size) * size - DOTNET_EPOCH_OFFSET_MS;
  }
  return Math.floor(v / size) * size;
}

/** int's range; long's is ±2^63 (as doubles: 2^63 is what 9223372036854775807 rounds to). */
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_LIMIT = 2 ** 63;

/** The integral part of a value converted to long, or null (not a number, or outside long's range). */
function toLong(v: KqlValue): KqlValue {
  let n: number | undefined;
  if (typeof v === "number") n = v;
  else if (typeof v === "boolean") n = v ? 1 : 0;
  else if (typeof v === "string") n = parseNumber(v.trim());
  if (n === undefined || !Number.isFinite(n)) return null;
  const t = Math.trunc(n);
  return t > LONG_LIMIT || t < -LONG_LIMIT ? null : t;
}

/** toint(): as toLong, but a value outside int's 32-bit range does not convert (null, as Kusto). */
function toInt(v: KqlValue): KqlValue {
  const t = toLong(v);
  return typeof t === "number" && (t < INT_MIN || t > INT_MAX) ? null : t;
}

function toReal(v: KqlValue): KqlValue {
  if (v === null) return null;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return parseNumber(v.trim()) ?? null;
  return null;
}

/** extract(regex, captureGroup, source [, typeLiteral]). */
const extractImpl: Impl = (args, type, scope) => {
  const [re, group, source] = args;
  if (!re || !group || !source) throw unsupported("extract() with fewer than 3 arguments");
  const regexFor: (row: Row) => RegExp = re.rowFree
    ? (() => {
        const c = perRun(scope.env.frame, () => re2ToRegExp(String(evalConstant(re) ?? "")));
        return () => c();
      })()
    : (row) => re2ToRegExp(String(re.fn(row) ?? ""));
  const g = group.fn;
  const s = source.fn;
  const convert = (text: string | undefined): KqlValue => {
    if (text === undefined) return type === "string" ? "" : null;
    switch (type) {
      case "string":
        return text;
      case "long":
        return toLong(text);
      case "int":
        return toInt(text);
      case "real":
        return parseNumber(text) ?? null;
      case "datetime":
        return parseDatetime(text) ?? null;
      case "timespan":
        return parseTimespan(text) ?? null;
      case "bool":
        return text.toLowerCase() === "true" ? true : text.toLowerCase() === "false" ? false : null;
      default:
        return text;
    }
  };
  return {
    fn: (row) => {
      const text = s(row);
      const gi = g(row);
      if (text === null || typeof gi !== "number") return convert(undefined);
      const m = regexFor(row).exec(typeof text === "string" ? text : String(text));
      return convert(m ? (m[gi] ?? undefined) : undefined);
    },
    type,
    rowFree: allRowFree(args),
  };
};

const splitImpl: Impl = pure((values) => {
  const [source, delim, index] = values;
  const parts = String(source ?? "").split(String(delim ?? ""));
  if (values.length > 2) {
    if (typeof index !== "number") return null;
    const i = index < 0 ? parts.length + index : index;
    const p = parts[i];
    return p === undefined ? null : [p];
  }
  return parts;
});

const FUNCTIONS: Readonly<Record<string, Impl>> = {
  now: (args, type, scope) => {
    const frame = scope.env.frame;
    const off = args[0]?.fn;
    return {
      fn: off
        ? (row) => {
            const o = off(row);
            return typeof o === "number" ? frame.now + o : null;
          }
        : () => frame.now,
      type,
      rowFree: allRowFree(args),
    };
  },
  ago: (args, type, scope) => {
    const frame = scope.env.frame;
    const a = args[0]!.fn;
    return {
      fn: (row) => {
        const t = a(row);
        return typeof t === "number" ? frame.now - t : null;
      },
      type,
      rowFree: allRowFree(args),
    };
  },
  tolower: unary((v, a) => toKqlString(v, a.type).toLowerCase()),
  toupper: unary((v, a) => toKqlString(v, a.type).toUpperCase()),
  strlen: unary((v, a) => (v === null ? null : toKqlString(v, a.type).length)),
  tostring: unary((v, a) => toKqlString(v, a.type)),
  strcat: pure((values, args) => values.map((v, i) => toKqlString(v, args[i]?.type ?? "string")).join("")),
  strcat_delim: pure((values, args) =>
    values
      .slice(1)
      .map((v, i) => toKqlString(v, args[i + 1]?.type ?? "string"))
      .join(toKqlString(values[0] ?? "", "string")),
  ),
  iff: pure((values) => (values[0] === true ? (values[1] ?? null) : (values[2] ?? null))),
  iif: pure((values) => (values[0] === true ? (values[1] ?? null) : (values[2] ?? null))),
  case: pure((values) => {
    for (let i = 0; i + 1 < values.length; i += 2) if (values[i] === true) return values[i + 1] ?? null;
    return values[values.length - 1] ?? null;
  }),
  coalesce: pure((values) => values.find((v) => !isEmptyValue(v)) ?? values[values.length - 1] ?? null),
  isnull: unary((v) => v === null),
  isnotnull: unary((v) => v !== null),
  isempty: unary((v) => isEmptyValue(v)),
  isnotempty: unary((v) => !isEmptyValue(v)),
  not: unary((v) => (v === null ? null : !v)),
  extract: extractImpl,
  split: splitImpl,
  substring: pure((values, args) => {
    const s = toKqlString(values[0] ?? null, args[0]?.type ?? "string");
    if (typeof values[1] !== "number") return null;
    // A negative start counts from the end: substring("123456", -2, 2) is "56".
    const chars = Array.from(s);
    const start = values[1] < 0 ? Math.max(0, chars.length + values[1]) : values[1];
    if (values.length > 2 && typeof values[2] !== "number") return null;
    const len = typeof values[2] === "number" ? Math.max(0, values[2]) : chars.length;
    return chars.slice(start, start + len).join("");
  }),
  tolong: unary(toLong),
  toint: unary(toInt),
  toreal: unary(toReal),
  todouble: unary(toReal),
  todatetime: unary((v, a) => {
    if (v === null) return null;
    if (a.type === "datetime") return v;
    if (typeof v === "string") return textToDatetime(v);
    throw unsupported(`the function todatetime() on a ${a.type} value`);
  }),
  totimespan: unary((v, a) => {
    if (v === null) return null;
    if (a.type === "timespan") return v;
    if (typeof v === "string") return parseTimespan(v.trim()) ?? null;
    throw unsupported(`the function totimespan() on a ${a.type} value`);
  }),
  bin: pure(binFn),
  floor: pure(binFn),
  abs: unary((v) => (typeof v === "number" ? Math.abs(v) : null)),
  round: pure((values) => {
    const [v, p] = values;
    if (typeof v !== "number") return null;
    const f = 10 ** (typeof p === "number" ? p : 0);
    return Math.round(v * f) / f;
  }),
  array_length: unary((v) => (Array.isArray(v) ? v.length : null)),
  max_of: pure((values) => maxOf(values, 1)),
  min_of: pure((values) => maxOf(values, -1)),
  ...TEXT_FUNCTIONS,
};

/**
 * todatetime() of text: the documented formats, null for text that is no date at all. Text with
 * digits in a form this engine does not read is refused: Kusto falls back to .NET's lenient
 * parser, whose answers are not reproduced here.
 */
export function textToDatetime(text: string): KqlValue {
  const t = text.trim();
  const v = parseDatetime(t);
  if (v !== undefined) return v;
  if (t === "" || !/\d/.test(t) || looksLikeKnownDatetime(t)) return null;
  throw unsupported(
    `the function todatetime() on '${t.length > 40 ? `${t.slice(0, 40)}...` : t}' (a date format the embedded engine does not read)`,
  );
}

function maxOf(values: KqlValue[], sign: number): KqlValue {
  let best: KqlValue = null;
  for (const v of values) {
    if (typeof v !== "number") continue;
    if (best === null || (v - (best as number)) * sign > 0) best = v;
  }
  return best;
}

/** Names of aggregation functions: only valid inside summarize (handled there). */
export const AGGREGATES = new Set([
  "count",
  "countif",
  "dcount",
  "dcountif",
  "min",
  "max",
  "sum",
  "sumif",
  "avg",
  "take_any",
  "any",
  "arg_max",
  "arg_min",
  "make_set",
  "make_list",
  "make_set_if",
  "make_list_if",
  "percentile",
  "percentiles",
]);

export function callFunction(name: string, call: Node, scope: Scope): Compiled {
  const impl = FUNCTIONS[name];
  if (!impl) {
    if (AGGREGATES.has(name)) throw unsupported(`the aggregation function '${name}()' outside summarize`);
    throw unsupported(`the function '${name}()'`);
  }
  const argNodes = elements(call.ArgumentList?.Expressions);
  // The optional type literal of extract() is a type, not a value: the call's ResultType carries it.
  const valueArgs = name === "extract" ? argNodes.slice(0, 3) : argNodes;
  for (const a of valueArgs) {
    if (kindOf(a) === "StarExpression") throw unsupported(`'*' as an argument of '${name}()'`);
  }
  const args = valueArgs.map((a) => compileScalar(a, scope));
  if (name === "ago" && args.length !== 1)
    throw new KustoError("runtime", "BadArgument", "ago() takes 1 argument.");
  return impl(args, requireScalarType(call), scope, call);
}
