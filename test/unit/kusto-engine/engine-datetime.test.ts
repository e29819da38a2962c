/**
 * Datetimes that do not exist (February 30, month 13, hour 24) are rejected, as Kusto rejects
 * them, instead of being rolled over into the next month or day; years below 100 stay as written.
 */
import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { parseDatetime } from "../../../src/kusto-engine/eval/literals.js";
import { formatKustoDatetime } from "../../../src/kusto-engine/format.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import type { KqlValue, KustoError } from "../../../src/kusto-engine/types.js";
import { kustoErrorOf } from "./kusto-error-of.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const engine = new KustoEngine(ATTEST_SCHEMA, new Map());

const failure = (query: string, parameters?: Record<string, string>): KustoError =>
  kustoErrorOf(engine, NOW, query, parameters);

const printed = (expr: string): KqlValue =>
  engine.execute(`print r = ${expr}`, { now: NOW })[0]?.rows[0]?.[0] ?? null;

describe("datetime literals that name no real instant are rejected", () => {
  it.each([
    "datetime(2026-02-30)",
    "datetime(2026-13-01)",
    "datetime(2026-00-10)",
    "datetime(2026-04-31)",
    "datetime(2025-02-29)",
    "datetime(1900-02-29)",
    "datetime(2026-11-25 24:30)",
    "datetime(2026-11-25 23:60)",
    "datetime(2026-11-25 23:59:60)",
    "datetime(2026-11-25T12:00:00+15:00)",
    "datetime(0000-01-01)",
  ])("%s", (literal) => {
    const e = failure(`print d = ${literal}`);
    expect(e.kind).toBe("syntax");
    expect(e.code).toBe("InvalidDatetimeLiteral");
    expect(e.message).toContain(literal);
  });
});

describe("valid datetimes keep their exact value", () => {
  it.each([
    ["datetime(2024-02-29)", "2024-02-29T00:00:00.0000000Z"],
    ["datetime(2000-02-29 23:59:59.9999999)", "2000-02-29T23:59:59.9999999Z"],
    ["datetime(0050-06-01)", "0050-06-01T00:00:00.0000000Z"],
    ["datetime(0001-01-01)", "0001-01-01T00:00:00.0000000Z"],
    ["datetime(0099-12-31 23:00)", "0099-12-31T23:00:00.0000000Z"],
    ["datetime(9999-12-31 23:59:59)", "9999-12-31T23:59:59.0000000Z"],
    ["datetime(2026-11-25T12:00:00+02:00)", "2026-11-25T10:00:00.0000000Z"],
    ['todatetime("Sat, 8 Nov 14 15:05:02 GMT")', "2014-11-08T15:05:02.0000000Z"],
    ['todatetime("Saturday, 08-Nov-14 15:05:02 GMT")', "2014-11-08T15:05:02.0000000Z"],
  ])("%s -> %s", (expr, iso) => {
    const v = printed(expr);
    expect(typeof v).toBe("number");
    expect(formatKustoDatetime(v as number)).toBe(iso);
  });

  it.each([
    ['todatetime("2026-02-30")'],
    ['todatetime("2026-11-25T25:00:00Z")'],
    ['todatetime("31 Feb 2026 10:00 GMT")'],
    ['todatetime("Feb 30 2026")'],
  ])("%s does not convert (null), never a rolled-over date", (expr) => {
    expect(printed(expr)).toBeNull();
  });

  it.each([
    ["2026-02-30"],
    ["2026-02-30T12:00:00Z"],
    ["2026-11-25T25:00:00Z"],
    ["2026-11-25T24:00:00Z"],
    ["datetime(2026-13-01)"],
  ])("parseDatetime(%j) is undefined", (text) => {
    expect(parseDatetime(text)).toBeUndefined();
  });
});

describe("datetime query parameters", () => {
  const q = "declare query_parameters(since:datetime); print since";
  it.each([["2026-02-30T12:00:00Z"], ["2026-11-25T25:00:00Z"], ["datetime(2026-02-30)"], ["2026-13-01"]])(
    "%s is rejected naming the parameter",
    (since) => {
      const e = failure(q, { since });
      expect(e.kind).toBe("parameter");
      expect(e.code).toBe("InvalidQueryParameter");
      expect(e.message).toContain("'since'");
      expect(e.message).toContain(since);
    },
  );

  it("a valid one is taken as given", () => {
    const rows = engine.execute(q, { now: NOW, parameters: { since: "2024-02-29T12:00:00Z" } })[0]?.rows;
    expect(rows).toEqual([[Date.parse("2024-02-29T12:00:00Z")]]);
  });
});
