/**
 * More scalar functions, as Kusto documents them: string search and rewriting (indexof, countof,
 * trim*, replace_string, replace_regex, extract_all), conversions (tobool, parse_json/todynamic)
 * and calendar arithmetic (startof..., endof..., bin_at, datetime_diff, datetime_add, format_datetime).
 */
import type { KqlScalarType } from "../schema.js";
import { type KqlValue, KustoError } from "../types.js";
import type { Compiled, Scope } from "./context.js";
import { utcMillis } from "./literals.js";
import { re2ToRegExp } from "./re2.js";
import { type Node, unsupported } from "./syntax.js";
import { toDynamicElement, toKqlString } from "./values.js";

export type Impl = (args: readonly Compiled[], type: KqlScalarType, scope: Scope, call: Node) => Compiled;

/** A function of its evaluated arguments (and their types). */
function pure(f: (values: KqlValue[], types: KqlScalarType[]) => KqlValue): Impl {
  return (args, type) => {
    const fns = args.map((a) => a.fn);
    const types = args.map((a) => a.type);
    return {
      fn: (row) =>
        f(
          fns.map((g) => g(row)),
          types,
        ),
      type,
      rowFree: args.every((a) => a.rowFree),
    };
  };
}

const str = (v: KqlValue | undefined, t: KqlScalarType | undefined) => toKqlString(v ?? null, t ?? "string");

function globalRegex(pattern: string): RegExp {
  const r = re2ToRegExp(pattern);
  return new RegExp(r.source, r.flags.includes("g") ? r.flags : `${r.flags}g`);
}

/** Kusto's `\1`-style group references in a rewrite string, as a JS replacement string. */
function rewriteOf(rewrite: string): string {
  return rewrite.replace(/\$/g, "$$$$").replace(/\\(\d)/g, "$$$1");
}

const TICK_MS = 0.0001;
const DAY_MS = 86_400_000;

function parts(ms: number): { y: number; m: number; d: number } {
  const date = new Date(Math.floor(ms));
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

/** First day of the month `months` after (y, m): handles years below 100 via utcMillis. */
function monthStart(y: number, m: number): number | null {
  const index = y * 12 + (m - 1);
  return utcMillis(Math.floor(index / 12), (index % 12) + 1, 1) ?? null;
}

type Unit = "year" | "quarter" | "month" | "week" | "day";

function startOf(unit: Unit, ms: number, offset: number): number | null {
  const { y, m } = parts(ms);
  switch (unit) {
    case "day":
      return Math.floor(ms / DAY_MS) * DAY_MS + offset * DAY_MS;
    case "week": {
      // Weeks start on Sunday; 1970-01-01 was a Thursday.
      const day = Math.floor(ms / DAY_MS);
      const dow = (((day + 4) % 7) + 7) % 7;
      return (day - dow + offset * 7) * DAY_MS;
    }
    case "month":
      return monthStart(y, m + offset);
    case "quarter":
      return monthStart(y, Math.floor((m - 1) / 3) * 3 + 1 + offset * 3);
    case "year":
      return monthStart(y + offset, 1);
  }
}

function nextStart(unit: Unit, ms: number, offset: number): number | null {
  const s = startOf(unit, ms, offset + 1);
  return s === null ? null : s - TICK_MS;
}

function calendar(unit: Unit, end: boolean): Impl {
  return pure((values) => {
    const [v, off] = values;
    if (typeof v !== "number") return null;
    const offset = values.length > 1 ? (typeof off === "number" ? Math.trunc(off) : null) : 0;
    if (offset === null) return null;
    return end ? nextStart(unit, v, offset) : startOf(unit, v, offset);
  });
}

/**
 * A datetime as whole milliseconds and the ticks (100 ns) within that millisecond, rounding away the
 * float noise of the fraction (ms * 10^4 itself would exceed 2^53 at current epochs).
 */
function tickParts(ms: number): { whole: number; ticks: number } {
  let whole = Math.floor(ms);
  let ticks = Math.round((ms - whole) * 10_000);
  if (ticks === 10_000) {
    whole += 1;
    ticks = 0;
  }
  return { whole, ticks };
}

function datetimeDiff(period: string, a: number, b: number): number | null {
  const pa = parts(a);
  const pb = parts(b);
  const floorDiv = (x: number, d: number) => Math.floor(x / d);
  switch (period.toLowerCase()) {
    case "year":
      return pa.y - pb.y;
    case "quarter":
      return pa.y * 4 + Math.floor((pa.m - 1) / 3) - (pb.y * 4 + Math.floor((pb.m - 1) / 3));
    case "month":
      return pa.y * 12 + pa.m - (pb.y * 12 + pb.m);
    case "week": {
      const wa = startOf("week", a, 0);
      const wb = startOf("week", b, 0);
      return wa === null || wb === null ? null : Math.round((wa - wb) / (7 * DAY_MS));
    }
    case "day":
      return floorDiv(a, DAY_MS) - floorDiv(b, DAY_MS);
    case "hour":
      return floorDiv(a, 3_600_000) - floorDiv(b, 3_600_000);
    case "minute":
      return floorDiv(a, 60_000) - floorDiv(b, 60_000);
    case "second":
      return floorDiv(a, 1000) - floorDiv(b, 1000);
    case "millisecond":
      return tickParts(a).whole - tickParts(b).whole;
    case "microsecond": {
      const x = tickParts(a);
      const y = tickParts(b);
      return (x.whole - y.whole) * 1000 + floorDiv(x.ticks, 10) - floorDiv(y.ticks, 10);
    }
    case "nanosecond": {
      const x = tickParts(a);
      const y = tickParts(b);
      return ((x.whole - y.whole) * 10_000 + x.ticks - y.ticks) * 100;
    }
    default:
      return null;
  }
}

function datetimeAdd(period: string, amount: number, ms: number): number | null {
  const n = Math.trunc(amount);
  const fixed: Record<string, number> = {
    week: 7 * DAY_MS,
    day: DAY_MS,
    hour: 3_600_000,
    minute: 60_000,
    second: 1000,
    millisecond: 1,
    microsecond: 0.001,
    nanosecond: 0.000_001,
  };
  const p = period.toLowerCase();
  const unit = fixed[p];
  if (unit !== undefined) return ms + n * unit;
  const months = p === "year" ? 12 * n : p === "quarter" ? 3 * n : p === "month" ? n : undefined;
  if (months === undefined) return null;
  const { y, m, d } = parts(ms);
  const start = monthStart(y, m + months);
  if (start === null) return null;
  const target = parts(start);
  let day = Math.min(d, 31);
  while (day > 28 && utcMillis(target.y, target.m, day) === undefined) day--;
  const dayStart = utcMillis(target.y, target.m, day);
  if (dayStart === undefined) return null;
  return dayStart + (ms - Math.floor(ms / DAY_MS) * DAY_MS);
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** format_datetime's specifiers (d, dd, f..fffffff, F..FFFFFFF, h, hh, H, HH, m, mm, M, MM, s, ss, y, yy, yyyy, tt). */
function formatDatetime(ms: number, format: string): string | null {
  const t = tickParts(ms);
  const date = new Date(t.whole);
  const fraction = pad(date.getUTCMilliseconds(), 3) + pad(t.ticks, 4);
  const y = date.getUTCFullYear();
  const M = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  const H = date.getUTCHours();
  const h = H % 12 === 0 ? 12 : H % 12;
  const m = date.getUTCMinutes();
  const s = date.getUTCSeconds();
  let out = "";
  let i = 0;
  while (i < format.length) {
    const c = format.charAt(i);
    let n = 1;
    while (format.charAt(i + n) === c) n++;
    const token = c.repeat(n);
    switch (c) {
      case "d":
        if (n > 2) return null;
        out += n === 1 ? String(d) : pad(d, 2);
        break;
      case "f":
        if (n > 7) return null;
        out += fraction.slice(0, n);
        break;
      case "F": {
        if (n > 7) return null;
        out += fraction.slice(0, n).replace(/0+$/, "");
        break;
      }
      case "h":
        if (n > 2) return null;
        out += n === 1 ? String(h) : pad(h, 2);
        break;
      case "H":
        if (n > 2) return null;
        out += n === 1 ? String(H) : pad(H, 2);
        break;
      case "m":
        if (n > 2) return null;
        out += n === 1 ? String(m) : pad(m, 2);
        break;
      case "M":
        if (n > 2) return null;
        out += n === 1 ? String(M) : pad(M, 2);
        break;
      case "s":
        if (n > 2) return null;
        out += n === 1 ? String(s) : pad(s, 2);
        break;
      case "y":
        if (n === 1) out += String(y % 100);
        else if (n === 2) out += pad(y % 100, 2);
        else if (n === 4) out += pad(y, 4);
        else return null;
        break;
      case "t":
        if (n !== 2) return null;
        out += H < 12 ? "AM" : "PM";
        break;
      default:
        if (!" /-:,._[]".includes(c)) return null;
        out += token;
    }
    i += n;
  }
  return out;
}

function indexOf(values: KqlValue[], types: KqlScalarType[]): KqlValue {
  const [src, lookup, startV, lengthV, occurrenceV] = values;
  if (src === null || lookup === null) return null;
  const s = str(src, types[0]);
  const m = str(lookup, types[1]);
  let start = values.length > 2 ? startV : 0;
  const length = values.length > 3 ? lengthV : -1;
  const occurrence = values.length > 4 ? occurrenceV : 1;
  if (typeof start !== "number" || typeof length !== "number" || typeof occurrence !== "number") return null;
  if (length < -1 || occurrence < 0) return null;
  if (start < 0) start = Math.max(0, s.length + start);
  if (start > s.length) return -1;
  // Each further occurrence is searched from just after the previous one, over the same length.
  let found = -1;
  let from = start;
  for (let k = 0; k < Math.max(1, occurrence); k++) {
    const end = length === -1 ? s.length : Math.min(s.length, from + length);
    const i = s.slice(0, end).indexOf(m, from);
    if (i < 0) return -1;
    found = i;
    from = i + 1;
  }
  return found;
}

function countOf(values: KqlValue[], types: KqlScalarType[]): KqlValue {
  const [src, search, kind] = values;
  const s = str(src, types[0]);
  const needle = str(search, types[1]);
  const mode = values.length > 2 ? str(kind, types[2]).toLowerCase() : "normal";
  if (mode === "regex") {
    if (needle === "") return null;
    return Array.from(s.matchAll(globalRegex(needle))).length;
  }
  if (mode !== "normal") return null;
  if (needle === "") return 0;
  let n = 0;
  for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
  return n;
}

function trimmer(start: boolean, end: boolean): Impl {
  return pure((values, types) => {
    const [re, src] = values;
    const pattern = str(re, types[0]);
    let s = str(src, types[1]);
    if (pattern === "") return s;
    if (start) s = s.replace(re2ToRegExp(`^(?:${pattern})+`), "");
    if (end) s = s.replace(re2ToRegExp(`(?:${pattern})+$`), "");
    return s;
  });
}

function extractAll(values: KqlValue[], types: KqlScalarType[]): KqlValue {
  const withGroups = values.length > 2;
  const pattern = str(values[0], types[0]);
  const groups = withGroups ? values[1] : null;
  const source = values[withGroups ? 2 : 1];
  if (source === null || source === undefined) return null;
  const re = globalRegex(pattern);
  const text = str(source, types[withGroups ? 2 : 1]);
  const total = new RegExp(`${re.source}|`, re.flags.replace("g", "")).exec("")?.length ?? 1;
  const groupCount = total - 1;
  if (groupCount < 1) {
    throw new KustoError(
      "runtime",
      "InvalidArgument",
      "extract_all(): the regular expression needs at least one capture group.",
    );
  }
  let selectors: (number | string)[];
  if (withGroups) {
    if (!Array.isArray(groups)) return null;
    selectors = groups as (number | string)[];
  } else {
    selectors = Array.from({ length: groupCount }, (_, i) => i + 1);
  }
  const out: unknown[] = [];
  for (const m of text.matchAll(re)) {
    const picked = selectors.map((g) => (typeof g === "number" ? (m[g] ?? "") : (m.groups?.[g] ?? "")));
    out.push(selectors.length === 1 ? picked[0] : picked);
    if (m[0] === "") re.lastIndex++;
  }
  return out.length === 0 ? null : (out as KqlValue);
}

function toBool(v: KqlValue): KqlValue {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isNaN(v) ? null : v !== 0;
  if (typeof v === "string") {
    const t = v.trim().toLowerCase();
    if (t === "true") return true;
    if (t === "false") return false;
    // Kusto documents only "true"/"false" text; whether numeric text converts is not reproduced.
    if (/^[+-]?\d/.test(t)) throw unsupported(`the function tobool() on the text '${v.trim().slice(0, 20)}'`);
    return null;
  }
  return null;
}

/** parse_json(): JSON text parsed; text that is not JSON is kept as a dynamic string (as documented). */
function parseJson(v: KqlValue, type: KqlScalarType): KqlValue {
  if (typeof v !== "string" || type !== "string") return toDynamicElement(v, type);
  try {
    return JSON.parse(v) as KqlValue;
  } catch {
    return v;
  }
}

/** bag_pack(key1, value1, key2, value2, ...): a property bag (a null key is refused, as Kusto does). */
function bagPack(values: KqlValue[], types: KqlScalarType[]): KqlValue {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < values.length; i += 2) {
    const k = values[i];
    if (typeof k !== "string") throw unsupported("bag_pack() with a key that is not a string");
    out[k] = toDynamicElement(values[i + 1] ?? null, types[i + 1] ?? "dynamic");
  }
  return out;
}

export const TEXT_FUNCTIONS: Readonly<Record<string, Impl>> = {
  indexof: pure(indexOf),
  countof: pure(countOf),
  trim: trimmer(true, true),
  trim_start: trimmer(true, false),
  trim_end: trimmer(false, true),
  replace_string: pure((values, types) => {
    const [src, lookup, rewrite] = values;
    const l = str(lookup, types[1]);
    const s = str(src, types[0]);
    return l === "" ? s : s.split(l).join(str(rewrite, types[2]));
  }),
  replace_regex: pure((values, types) => {
    const [src, re, rewrite] = values;
    return str(src, types[0]).replace(globalRegex(str(re, types[1])), rewriteOf(str(rewrite, types[2])));
  }),
  extract_all: pure(extractAll),
  tobool: pure((values) => toBool(values[0] ?? null)),
  toboolean: pure((values) => toBool(values[0] ?? null)),
  parse_json: pure((values, types) => parseJson(values[0] ?? null, types[0] ?? "string")),
  todynamic: pure((values, types) => parseJson(values[0] ?? null, types[0] ?? "string")),
  startofday: calendar("day", false),
  startofweek: calendar("week", false),
  startofmonth: calendar("month", false),
  startofyear: calendar("year", false),
  endofday: calendar("day", true),
  endofweek: calendar("week", true),
  endofmonth: calendar("month", true),
  endofyear: calendar("year", true),
  bin_at: pure((values) => {
    const [v, size, fixed] = values;
    if (typeof v !== "number" || typeof size !== "number" || typeof fixed !== "number" || size <= 0)
      return null;
    return fixed + Math.floor((v - fixed) / size) * size;
  }),
  datetime_diff: pure((values) => {
    const [p, a, b] = values;
    if (typeof p !== "string" || typeof a !== "number" || typeof b !== "number") return null;
    return datetimeDiff(p, a, b);
  }),
  datetime_add: pure((values) => {
    const [p, n, d] = values;
    if (typeof p !== "string" || typeof n !== "number" || typeof d !== "number") return null;
    return datetimeAdd(p, n, d);
  }),
  format_datetime: pure((values) => {
    const [d, f] = values;
    if (typeof d !== "number" || typeof f !== "string") return null;
    const out = formatDatetime(d, f);
    if (out === null) throw unsupported(`the format_datetime() format '${f}'`);
    return out;
  }),
  dayofweek: pure((values) => {
    const v = values[0];
    if (typeof v !== "number") return null;
    const day = Math.floor(v / DAY_MS);
    return ((((day + 4) % 7) + 7) % 7) * DAY_MS;
  }),
  getyear: pure((values) => (typeof values[0] === "number" ? parts(values[0]).y : null)),
  getmonth: pure((values) => (typeof values[0] === "number" ? parts(values[0]).m : null)),
  dayofmonth: pure((values) => (typeof values[0] === "number" ? parts(values[0]).d : null)),
  hourofday: pure((values) =>
    typeof values[0] === "number" ? new Date(Math.floor(values[0])).getUTCHours() : null,
  ),
  pack_array: pure(
    (values, types) => values.map((v, i) => toDynamicElement(v, types[i] ?? "dynamic")) as KqlValue,
  ),
  make_datetime: pure((values) => {
    if (values.some((v) => typeof v !== "number")) return null;
    const [y, mo, d, h = 0, mi = 0, sec = 0] = values as number[];
    const whole = Math.floor(sec);
    const base = utcMillis(y ?? 0, mo ?? 0, d ?? 0, h, mi, whole);
    return base === undefined ? null : base + Math.round((sec - whole) * 10_000_000) / 10_000;
  }),
  bag_pack: pure(bagPack),
  pack: pure(bagPack),
  strcat_array: pure((values, types) => {
    const [arr, delim] = values;
    if (!Array.isArray(arr)) return "";
    return arr
      .map((x) => (x === null ? "" : typeof x === "string" ? x : JSON.stringify(x)))
      .join(str(delim, types[1]));
  }),
  reverse: pure((values, types) =>
    Array.from(str(values[0] ?? null, types[0]))
      .reverse()
      .join(""),
  ),
};
