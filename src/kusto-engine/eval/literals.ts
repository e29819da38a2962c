/**
 * Values of KQL literal tokens and of query parameter strings: their text turned into our value
 * representation (datetimes and timespans as milliseconds, sub-millisecond ticks kept as
 * fractions). The parser checks a literal's shape but not its calendar (it accepts
 * `datetime(2026-02-30)`), so datetimes are validated here: undefined for any date or time that
 * does not exist.
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

/** `'text'` or `"text"` -> text (a literal such as `datetime('12-02-2022')` quotes its value). */
function unquote(text: string): string {
  const m = /^(['"])(.*)\1$/s.exec(text);
  return m ? (m[2] ?? "").trim() : text;
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

const DAY_MS = 86_400_000;
/** 400 Gregorian years: the calendar repeats exactly, so Date.UTC can be used for years < 100. */
const FOUR_CENTURIES_MS = 146_097 * DAY_MS;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * UTC milliseconds of a calendar date and time, or undefined when any part is out of range
 * (month 13, February 30, hour 24, ...): Kusto rejects such datetimes instead of rolling them over.
 * Years 1..9999 as Kusto's datetime range; years below 100 are not shifted to 19xx (Date.UTC's quirk).
 */
export function utcMillis(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number | undefined {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second);
  return Date.UTC(year + 400, month - 1, day, hour, minute, second) - FOUR_CENTURIES_MS;
}

/** `Z`, `+02:00`, `-0530`, `GMT`...: minutes east of UTC, or undefined when not a valid offset. */
function zoneMinutes(zone: string | undefined): number | undefined {
  if (!zone || /^(Z|GMT|UTC?)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (h > 14 || min > 59) return undefined;
  return (m[1] === "-" ? -1 : 1) * (h * 60 + min);
}

const ISO_DATETIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|GMT|UTC?|[+-]\d{2}:?\d{2})?$/i;
/** Month first, as .NET's invariant culture reads `12-02-2022` and `12/02/2022` (2 December 2022). */
const US_DATETIME =
  /^(\d{1,2})([-/])(\d{1,2})\2(\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|GMT|UTC?)?$/i;
/** RFC 822 (`Sat, 8 Nov 14 15:05:02 GMT`) and RFC 850 (`Saturday, 08-Nov-14 15:05:02 GMT`). */
const RFC_DATETIME =
  /^(?:[a-z]{3,9},\s*)?(\d{1,2})[ -]([a-z]{3})[ -](\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC?|Z|[+-]\d{4})?$/i;
/** Month name first, as .NET reads `Nov 8 2014`, `November 8, 2014 15:05` (invariant culture). */
const NAMED_MONTH_DATETIME =
  /^(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(GMT|UTC?|Z)?$/i;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/**
 * Datetimes in the forms Kusto documents (ISO 8601 `2021-01-04 22:30:44.3135540`, `...T...Z`,
 * `2021-01-04`; RFC 822 / RFC 850), as UTC ms. Undefined when the text is not one of them or names
 * a date or time that does not exist (never rolled over into the next month or day).
 */
export function parseDatetime(text: string): number | undefined {
  const t = unquote(unwrap(text, ["datetime", "date"]));
  const iso = ISO_DATETIME.exec(t);
  if (iso) {
    const base = utcMillis(
      Number(iso[1]),
      Number(iso[2]),
      Number(iso[3]),
      Number(iso[4] ?? 0),
      Number(iso[5] ?? 0),
      Number(iso[6] ?? 0),
    );
    const zone = zoneMinutes(iso[8]);
    if (base === undefined || zone === undefined) return undefined;
    const frac = iso[7] ? Number(iso[7].padEnd(7, "0")) / 10_000 : 0;
    return base + frac - zone * 60_000;
  }
  const us = US_DATETIME.exec(t);
  if (us) {
    const base = utcMillis(
      Number(us[4]),
      Number(us[1]),
      Number(us[3]),
      Number(us[5] ?? 0),
      Number(us[6] ?? 0),
      Number(us[7] ?? 0),
    );
    if (base === undefined) return undefined;
    return base + (us[8] ? Number(us[8].padEnd(7, "0")) / 10_000 : 0);
  }
  const named = NAMED_MONTH_DATETIME.exec(t);
  if (named) {
    const name = (named[1] ?? "").toLowerCase();
    const month = MONTHS.indexOf(name.slice(0, 3)) + 1;
    const full = MONTH_NAMES[month - 1];
    if (month === 0 || !(name.length === 3 || name === full)) return undefined;
    return utcMillis(
      Number(named[3]),
      month,
      Number(named[2]),
      Number(named[4] ?? 0),
      Number(named[5] ?? 0),
      Number(named[6] ?? 0),
    );
  }
  const rfc = RFC_DATETIME.exec(t);
  if (rfc) {
    const month = MONTHS.indexOf((rfc[2] ?? "").toLowerCase()) + 1;
    const y = rfc[3] ?? "";
    // Two-digit years as .NET reads them (TwoDigitYearMax 2049).
    const year = y.length === 2 ? (Number(y) < 50 ? 2000 : 1900) + Number(y) : Number(y);
    const base =
      month > 0
        ? utcMillis(year, month, Number(rfc[1]), Number(rfc[4]), Number(rfc[5]), Number(rfc[6] ?? 0))
        : undefined;
    const zone = zoneMinutes(rfc[7]);
    if (base === undefined || zone === undefined) return undefined;
    return base - zone * 60_000;
  }
  return undefined;
}

/** Whether `text` has the shape of a documented datetime form (its values may still be out of range). */
export function looksLikeKnownDatetime(text: string): boolean {
  const t = unquote(unwrap(text, ["datetime", "date"]));
  return ISO_DATETIME.test(t) || US_DATETIME.test(t) || RFC_DATETIME.test(t) || NAMED_MONTH_DATETIME.test(t);
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
