/** Kusto value semantics on our plain-JS values: comparison, equality, string predicates, tostring. */
import { formatKustoDatetime, formatKustoTimespan } from "../format.js";
import type { KqlScalarType } from "../schema.js";
import type { KqlValue } from "../types.js";

/** Ordering of two non-null values of the same KQL type: numbers numerically, strings ordinally. */
export function compareValues(a: KqlValue, b: KqlValue): number {
  if (typeof a === "number" && typeof b === "number") {
    const an = Number.isNaN(a);
    const bn = Number.isNaN(b);
    if (an || bn) return an === bn ? 0 : an ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Value equality (not Kusto's null rules: callers handle null first). */
export function sameValue(a: KqlValue, b: KqlValue): boolean {
  if (a === b) return true;
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

/** Kusto `==`: null == null is null, null == value is false. */
export function kqlEquals(a: KqlValue, b: KqlValue): boolean | null {
  if (a === null || b === null) return a === null && b === null ? null : false;
  return sameValue(a, b);
}

/** A key that identifies a value for grouping / distinct / `in` sets (numbers and strings kept apart). */
export function keyOf(v: KqlValue): string | number | boolean | null {
  if (v === null || typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "string") return v;
  return `\u0001${JSON.stringify(v)}`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const isAlnum = (s: string) => /^[A-Za-z0-9]$/.test(s);

export type StringOp =
  | "contains"
  | "contains_cs"
  | "startswith"
  | "startswith_cs"
  | "endswith"
  | "endswith_cs"
  | "has"
  | "has_cs"
  | "hasprefix"
  | "hasprefix_cs"
  | "hassuffix"
  | "hassuffix_cs";

/**
 * A regular expression implementing `op` for a fixed needle. `has` matches whole terms: terms are
 * maximal runs of alphanumeric characters, so the needle must not extend into a neighbouring
 * alphanumeric character on either side (when the needle itself starts/ends with one).
 */
export function stringOpRegExp(op: StringOp, needle: string): RegExp {
  const cs = op.endsWith("_cs");
  const base = cs ? op.slice(0, -3) : op;
  const body = escapeRegExp(needle);
  const first = needle.charAt(0);
  const last = needle.charAt(needle.length - 1);
  const before = first && isAlnum(first) ? "(?<![A-Za-z0-9])" : "";
  const after = last && isAlnum(last) ? "(?![A-Za-z0-9])" : "";
  let source: string;
  switch (base) {
    case "contains":
      source = body;
      break;
    case "startswith":
      source = `^${body}`;
      break;
    case "endswith":
      source = `${body}$`;
      break;
    case "has":
      source = `${before}${body}${after}`;
      break;
    case "hasprefix":
      source = `${before}${body}`;
      break;
    default:
      source = `${body}${after}`;
      break;
  }
  return new RegExp(source, cs ? "" : "i");
}

/** tostring() for a value of a known type: datetimes/timespans in Kusto's text forms, null as "". */
export function toKqlString(v: KqlValue, type: KqlScalarType): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") {
    if (type === "datetime") return formatKustoDatetime(v);
    if (type === "timespan") return formatKustoTimespan(v);
    return String(v);
  }
  if (typeof v === "boolean") return v ? "true" : "false";
  return JSON.stringify(v);
}

/** True when `v` is null or an empty string (isempty). */
export function isEmptyValue(v: KqlValue): boolean {
  return v === null || v === "";
}

/** A typed value as an element of a dynamic array/bag: datetimes and timespans become Kusto's text forms. */
export function toDynamicElement(v: KqlValue, type: KqlScalarType): KqlValue {
  if (typeof v !== "number") return v;
  if (type === "datetime") return formatKustoDatetime(v);
  if (type === "timespan") return formatKustoTimespan(v);
  return v;
}
