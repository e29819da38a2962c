/**
 * Numeric conversions at the edges of their types: toint() of a value outside int's 32-bit range
 * does not convert (null, as Kusto's "otherwise null"), nor does tolong() beyond long's range.
 * Known limit (documented in engine.ts): long values are JS numbers, exact only to 2^53.
 */
import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import type { KqlValue } from "../../../src/kusto-engine/types.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const engine = new KustoEngine(ATTEST_SCHEMA, new Map());

function print(expr: string): { value: KqlValue; type: string | undefined } {
  const t = engine.execute(`print r = ${expr}`, { now: NOW })[0];
  return { value: t?.rows[0]?.[0] ?? null, type: t?.columns[0]?.type };
}

describe("toint / tolong range", () => {
  it.each<[string, KqlValue, string]>([
    ["toint(2147483647)", 2147483647, "int"],
    ["toint(-2147483648)", -2147483648, "int"],
    ["toint(2147483648)", null, "int"],
    ["toint(-2147483649)", null, "int"],
    ['toint("2147483648")', null, "int"],
    ["toint(1e10)", null, "int"],
    ["toint(2147483647.9)", 2147483647, "int"],
    ["toint(-2.9)", -2, "int"],
    ['extract("(\\\\d+)", 1, "x 99999999999", typeof(int))', null, "int"],
    ['extract("(\\\\d+)", 1, "x 2147483647", typeof(int))', 2147483647, "int"],
    ["tolong(1e30)", null, "long"],
    ["tolong(-1e30)", null, "long"],
    ['tolong("1e19")', null, "long"],
    ["tolong(4294967296)", 4294967296, "long"],
    ["toint(real(+inf))", null, "int"],
    ["tolong(real(nan))", null, "long"],
  ])("%s -> %j (%s)", (expr, value, type) => {
    expect(print(expr)).toEqual({ value, type });
  });

  it("real division by zero is an infinity locally (the wire sends it as text)", () => {
    expect(print("1.0 / 0").value).toBe(Number.POSITIVE_INFINITY);
    expect(print("-1.0 / 0").value).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(print("0.0 / 0").value)).toBe(true);
  });
});
