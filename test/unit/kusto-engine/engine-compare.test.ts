/**
 * Comparing values of unrelated types is a semantic error in Kusto ("Cannot compare values of
 * types long and string"), never a silent empty result; the numeric types compare with each other.
 */
import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import type { KqlValue, KustoError } from "../../../src/kusto-engine/types.js";
import { healthRow } from "../../fixtures/tsg-queries.js";
import { kustoErrorOf } from "./kusto-error-of.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const rows = [
  healthRow({ TIMESTAMP: NOW - 60_000, LogicalServerName: "srv", error_id: 37324, message: "m" }),
];
const engine = new KustoEngine(ATTEST_SCHEMA, new Map([["MonSQLSystemHealth", { rows }]]));

const failure = (query: string, parameters?: Record<string, string>): KustoError =>
  kustoErrorOf(engine, NOW, query, parameters);

describe("comparisons between incompatible types fail at compile time", () => {
  it.each([
    ['MonSQLSystemHealth | where error_id == "37324" | count', "long", "string"],
    ['MonSQLSystemHealth | where error_id != "37324" | count', "long", "string"],
    ['MonSQLSystemHealth | where "37324" == error_id | count', "string", "long"],
    ['MonSQLSystemHealth | where TIMESTAMP == "2026-11-25" | count', "datetime", "string"],
    ["MonSQLSystemHealth | where TIMESTAMP == 1h | count", "datetime", "timespan"],
    ["MonSQLSystemHealth | where LogicalServerName == 1 | count", "string", "long"],
    ['print r = 1d == "1d"', "timespan", "string"],
    ["print r = true == 1", "bool", "long"],
    [
      'print r = guid(6f0b7c0e-8a4b-4d7e-9c43-1f2a3b4c5d6e) == "6f0b7c0e-8a4b-4d7e-9c43-1f2a3b4c5d6e"',
      "guid",
      "string",
    ],
  ])("%s", (query, left, right) => {
    const e = failure(query);
    expect(e.kind).toBe("syntax");
    expect(e.code).toBe("CannotCompareTypes");
    expect(e.message).toBe(`Cannot compare values of types ${left} and ${right}. Try adding explicit casts`);
  });
});

describe("compatible comparisons still evaluate", () => {
  it.each<[string, KqlValue]>([
    ["1 == 1.0", true],
    ["int(2) == 2", true],
    ["2.5 != 2", true],
    ["decimal(1.5) == 1.5", true],
    ["1d == 24h", true],
    ["datetime(2026-11-25) == datetime(2026-11-25 00:00)", true],
    ['"a" == "a"', true],
    ["dynamic(1) == 1", true],
    ["long(null) == 1", false],
    ["tolong('37324') == 37324", true],
  ])("%s -> %j", (expr, value) => {
    expect(engine.execute(`print r = ${expr}`, { now: NOW })[0]?.rows).toEqual([[value]]);
  });

  it("the reviewer's query, cast explicitly, counts the row", () => {
    const q = 'MonSQLSystemHealth | where error_id == tolong("37324") | count';
    expect(engine.execute(q, { now: NOW })[0]?.rows).toEqual([[1]]);
  });
});
