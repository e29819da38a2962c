/**
 * Values of KQL literal tokens and of query parameter strings. The parser has already
 * validated the literal; these functions only turn its text into our value representation
 * (datetimes and timespans as milliseconds, sub-millisecond ticks kept as fractions).
 */
import type { KqlScalarType } from "../schema.js";
import type { KqlValue } from "../types.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  micro: 0.001,
  micros: 0.001,
  microsecond: 0.001,
  microseconds: 0.001,
  nano: 0.000_001,
  nanos: 0.000_001,
  nanosecond: 0.000_001,
  nanoseconds: 0.000_001,
  tick: 0.0001,
  ticks: 0.0001,
};

/** Strips `name( ... )` around a literal's text, e.g. `timespan(1h)` -> `1h`. */
function unwrap(text: string, names: readonly string[]): string {
  const t = text.trim();
  const m = /^([a-z_]+)\s*\((.*)\)$/is.exec(t);
  if (m?.[1] && names.includes(m[1].toLowerCase())) return (m[2] ?? "").trim();
  return t;
}

/** `1d`, `1.5h`, `30m`, `10ms`, `00:30:00`, `1.02:03:04.5`, `2` (days); undefined if not a timespan. */
export function parseTimespan(text: string): number | undefined {
  const t = unwrap(text, ["timespan", "time"]);
  const unit = /^([+-])?\s*(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (unit) {
    const factor = UNIT_MS[(unit[3] ?? "").toLowerCase()];
    if (factor === undefined) return undefined;
    const v = Number(unit[2]) * factor;
    return unit[1] === "-" ? -v : v;
  }
  const clock = /^([+-])?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (clock) {
    const frac = clock[6] ? Number(clock[6].padEnd(7, "0")) / 10_000 : 0;
    const v =
      Number(clock[2] ?? 0) * 86_400_000 +
      Number(clock[3]) * 3_600_000 +
      Number(clock[4]) * 60_000 +
      Number(clock[5] ?? 0) * 1000 +
      frac;
    return clock[1] === "-" ? -v : v;
  }
  if (/^\d+$/.test(t)) return Number(t) * 86_400_000;
  return undefined;
}

/** ISO-8601-like datetimes (`2021-01-04 22:30:44.3135540`, `...T...Z`, `2021-01-04`), as UTC ms. */
export function parseDatetime(text: string): number | undefined {
  const t = unwrap(text, ["datetime", "date"]);
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      t,
    );
  if (m) {
    const base = Date.UTC(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
    );
    const frac = m[7] ? Number(m[7].padEnd(7, "0")) / 10_000 : 0;
    let offset = 0;
    const tz = m[8];
    if (tz && tz.toUpperCase() !== "Z") {
      const sign = tz.startsWith("-") ? -1 : 1;
      const digits = tz.slice(1).replace(":", "");
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    return base + frac - offset;
  }
  if (!t) return undefined;
  const hasZone = /(Z|GMT|UTC|[+-]\d{2}:?\d{2})$/i.test(t);
  const parsed = Date.parse(hasZone ? t : `${t} UTC`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** A long/int/real literal's text (decimal or 0x hex). */
export function parseNumber(text: string): number | undefined {
  const t = unwrap(text, ["long", "int", "real", "double", "decimal"]);
  if (/^[+-]?0x[0-9a-f]+$/i.test(t)) {
    const neg = t.startsWith("-");
    const v = Number.parseInt(t.replace(/^[+-]/, "").slice(2), 16);
    return neg ? -v : v;
  }
  if (/^[+-]?inf$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return undefined;
  return Number(t);
}

/**
 * Converts a query parameter's string value to the declared type (see ExecuteOptions.parameters).
 * Returns undefined when the text is not a value of that type.
 */
export function parseParameter(type: KqlScalarType, text: string): KqlValue | undefined {
  switch (type) {
    case "string":
      return text;
    case "guid":
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text.trim())
        ? text.trim().toLowerCase()
        : undefined;
    case "datetime":
      return parseDatetime(text);
    case "timespan":
      return parseTimespan(text);
    case "long":
    case "int": {
      const n = parseNumber(text);
      return n !== undefined && Number.isInteger(n) ? n : undefined;
    }
    case "real":
    case "decimal":
      return parseNumber(text);
    case "bool": {
      const b = text.trim().toLowerCase();
      return b === "true" ? true : b === "false" ? false : undefined;
    }
    case "dynamic":
      try {
        return JSON.parse(text) as KqlValue;
      } catch {
        return undefined;
      }
  }
}
