/** Converts raw Kusto v2 cells (JSON from the wire) to the port's cell representation. */
import { parseKustoTimespan } from "../../kusto-engine/format.js";
import type { KustoCell } from "../../ports/kusto.js";

/** Normalises one raw cell by its column type. */
export function toCell(value: unknown, type: string): KustoCell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "timespan":
      return typeof value === "string" ? parseKustoTimespan(value) : typeof value === "number" ? value : null;
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
