/** Converts raw Kusto v2 cells (JSON from the wire) to the port's cell representation. */
import type { KustoCell } from "../../ports/kusto.js";

/** Kusto timespan text `[-][d.]hh:mm:ss[.fffffff]` to milliseconds; null when it does not parse. */
export function parseTimespan(text: string): number | null {
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(text.trim());
  if (!m) return null;
  const [, neg, d, h, min, s, frac] = m;
  const ms =
    Number(d ?? 0) * 86_400_000 +
    Number(h) * 3_600_000 +
    Number(min) * 60_000 +
    Number(s) * 1000 +
    (frac ? Number(`0.${frac}`) * 1000 : 0);
  return neg ? -ms : ms;
}

/** Normalises one raw cell by its column type. */
export function toCell(value: unknown, type: string): KustoCell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "timespan":
      return typeof value === "string" ? parseTimespan(value) : typeof value === "number" ? value : null;
    case "datetime":
      return typeof value === "string" ? value : value instanceof Date ? value.toISOString() : null;
    case "int":
    case "long":
    case "real":
    case "decimal":
      return typeof value === "number" ? value : typeof value === "string" ? Number(value) : null;
    default:
      return value as KustoCell;
  }
}
