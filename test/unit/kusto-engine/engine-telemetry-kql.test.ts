/**
 * Issue 13: no silent wrong answers, and the KQL people write about telemetry. Each expectation
 * is Kusto's documented behaviour (MicrosoftDocs/dataexplorer-docs); the doc examples themselves
 * run through the SDK in test/integration/kusto/conformance.
 */
import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import type { KqlValue } from "../../../src/kusto-engine/types.js";
import { kustoErrorOf } from "./kusto-error-of.js";

const NOW = Date.parse("2021-01-05T01:00:00Z");
const engine = new KustoEngine(ATTEST_SCHEMA, new Map());

function run(query: string): { columns: string[]; rows: KqlValue[][] } {
  const t = engine.execute(query, { now: NOW })[0];
  return { columns: t?.columns.map((c) => c.name) ?? [], rows: t?.rows.map((r) => [...r]) ?? [] };
}
const value = (expr: string): KqlValue => run(`print r = ${expr}`).rows[0]?.[0] ?? null;
const refusal = (query: string) => kustoErrorOf(engine, NOW, query);

const XY = `let X = datatable(Key:string, Value1:long)['a',1,'b',2,'b',3,'c',4];
let Y = datatable(Key:string, Value2:long)['b',10,'c',20,'c',30,'d',40];
`;

describe("silent differences fixed", () => {
  it.each<[string, KqlValue]>([
    ["-14 % 12", 10],
    ["14 % -12", 2],
    ["-14 % -12", 10],
    ["-5.5 % 2", 0.5],
    ['substring("123456", -2, 2)', "56"],
    ['substring("123456", -2)', "56"],
    ['substring("123456", -10, 3)', "123"],
    ['todatetime("2014-11-08 15:05:25 GMT")', Date.parse("2014-11-08T15:05:25Z")],
    ['todatetime("2014-11-08T15:05 GMT")', Date.parse("2014-11-08T15:05:00Z")],
    ["todatetime('12-02-2022')", Date.parse("2022-12-02T00:00:00Z")],
    ["todatetime('02/17/2016 08:40:01')", Date.parse("2016-02-17T08:40:01Z")],
    ["todatetime('Nov 8 2014')", Date.parse("2014-11-08T00:00:00Z")],
    ["todatetime('November 8, 2014 15:05')", Date.parse("2014-11-08T15:05:00Z")],
    ["todatetime('not a date')", null],
  ])("%s -> %j", (expr, expected) => {
    expect(value(expr)).toEqual(expected);
  });

  it("arg_max / arg_min return one of the group's rows when every key is null", () => {
    const data = `datatable(t:datetime, node:string, v:long)[datetime(null), 'DB.1', 1, datetime(null), 'DB.1', 2, datetime(2021-01-01), 'DB.2', 3]`;
    const max = run(`${data} | summarize arg_max(t, *) by node | order by node asc`).rows;
    expect(max).toEqual([
      ["DB.1", null, 1],
      ["DB.2", Date.parse("2021-01-01T00:00:00Z"), 3],
    ]);
    const min = run(`${data} | summarize arg_min(t, v) by node | order by node asc`).rows;
    expect(min.map((r) => r[2])).toEqual([1, 3]);
  });

  it("make_set flattens dynamic arrays; datetimes in dynamic arrays are Kusto's ISO text", () => {
    const r = run(
      "datatable(a:dynamic, d:datetime)[dynamic(['x','y']), datetime(2021-01-04 10:00), dynamic(['y','z']), datetime(2021-01-04 10:00)] | summarize s = make_set(a), l = make_list(d), sd = make_set(d)",
    ).rows[0];
    expect(r?.[0]).toEqual(["x", "y", "z"]);
    expect(r?.[1]).toEqual(["2021-01-04T10:00:00.0000000Z", "2021-01-04T10:00:00.0000000Z"]);
    expect(r?.[2]).toEqual(["2021-01-04T10:00:00.0000000Z"]);
  });
});

describe("join and lookup, every documented flavour", () => {
  it.each<[string, KqlValue[][]]>([
    [
      "",
      [
        ["b", 2, "b", 10],
        ["c", 4, "c", 20],
        ["c", 4, "c", 30],
      ],
    ],
    [
      "kind=innerunique",
      [
        ["b", 2, "b", 10],
        ["c", 4, "c", 20],
        ["c", 4, "c", 30],
      ],
    ],
    [
      "kind=inner",
      [
        ["b", 2, "b", 10],
        ["b", 3, "b", 10],
        ["c", 4, "c", 20],
        ["c", 4, "c", 30],
      ],
    ],
    [
      "kind=leftouter",
      [
        ["a", 1, "", null],
        ["b", 2, "b", 10],
        ["b", 3, "b", 10],
        ["c", 4, "c", 20],
        ["c", 4, "c", 30],
      ],
    ],
    [
      "kind=rightouter",
      [
        ["b", 2, "b", 10],
        ["b", 3, "b", 10],
        ["c", 4, "c", 20],
        ["c", 4, "c", 30],
        ["", null, "d", 40],
      ],
    ],
    [
      "kind=fullouter",
      [
        ["a", 1, "", null],
        ["b", 2, "b", 10],
        ["b", 3, "b", 10],
        ["c", 4, "c", 20],
        ["c", 4, "c", 30],
        ["", null, "d", 40],
      ],
    ],
    ["kind=leftanti", [["a", 1]]],
    ["kind=anti", [["a", 1]]],
    [
      "kind=leftsemi",
      [
        ["b", 2],
        ["b", 3],
        ["c", 4],
      ],
    ],
    ["kind=rightanti", [["d", 40]]],
    [
      "kind=rightsemi",
      [
        ["b", 10],
        ["c", 20],
        ["c", 30],
      ],
    ],
  ])("join %s", (kind, rows) => {
    expect(run(`${XY}X | join ${kind} Y on Key`).rows).toEqual(rows);
  });

  it("innerunique: a filter on left columns after the join applies before the left side is deduplicated (as Kusto pushes it down)", () => {
    expect(run(`${XY}X | join Y on Key | where Value1 == 3`).rows).toEqual([["b", 3, "b", 10]]);
    expect(run(`${XY}X | join Y on Key | where Value2 > 15`).rows).toEqual([
      ["c", 4, "c", 20],
      ["c", 4, "c", 30],
    ]);
    expect(run(`${XY}X | join kind=inner Y on Key | where Value1 == 3`).rows).toEqual([["b", 3, "b", 10]]);
  });

  it("joins on several keys, by name and by $left/$right", () => {
    const q = `let A = datatable(node:string, db:string, n:long)['DB.1','x',1,'DB.1','y',2,'DB.2','x',3];
let B = datatable(NodeName:string, db:string, ring:string)['DB.1','y','tr1','DB.2','x','tr2'];
A | join kind=inner B on db, $left.node == $right.NodeName | project node, db, n, ring`;
    expect(run(q).rows).toEqual([
      ["DB.1", "y", 2, "tr1"],
      ["DB.2", "x", 3, "tr2"],
    ]);
  });

  it("lookup: leftouter by default, inner on request, right keys not repeated", () => {
    expect(run(`${XY}X | lookup Y on Key`)).toEqual({
      columns: ["Key", "Value1", "Value2"],
      rows: [
        ["a", 1, null],
        ["b", 2, 10],
        ["b", 3, 10],
        ["c", 4, 20],
        ["c", 4, 30],
      ],
    });
    expect(
      run(`${XY}X | lookup kind=inner (Y | project K = Key, Value2) on $left.Key == $right.K`).rows,
    ).toEqual([
      ["b", 2, 10],
      ["b", 3, 10],
      ["c", 4, 20],
      ["c", 4, 30],
    ]);
  });

  it("a null join key is refused by name rather than guessed", () => {
    const e = refusal("datatable(k:long, v:long)[long(null), 1] | join (datatable(k:long)[1]) on k");
    expect(e.kind).toBe("unsupported");
    expect(e.message).toContain("null key");
  });
});

describe("parse, mv-expand, range", () => {
  it("parse: simple (typed columns, * skips), relaxed (a mismatch is null), regex, parse-where", () => {
    const s = `print s = 'node=DB.23 code=37324 took=1.5s at 2021-01-04 22:30:44'`;
    expect(
      run(
        `${s} | parse s with 'node=' node ' code=' code:long ' took=' took:real 's at ' at:datetime | project node, code, took, at`,
      ).rows,
    ).toEqual([["DB.23", 37324, 1.5, Date.parse("2021-01-04T22:30:44Z")]]);
    expect(run(`${s} | parse s with * 'code=' code:long * | project code`).rows).toEqual([[37324]]);
    expect(run(`${s} | parse s with 'node=' node:long * | project node`).rows).toEqual([[null]]);
    expect(
      run(`print s='a=12 b=x' | parse kind=relaxed s with 'a=' a:long ' b=' b:long | project a, b`).rows,
    ).toEqual([[12, null]]);
    expect(run(`print s='a=12 b=x' | parse s with 'a=' a:long ' b=' b:long | project a, b`).rows).toEqual([
      [null, null],
    ]);
    expect(
      run(`${s} | parse kind=regex s with 'node=' node @' code=(\\d)' rest | project node, rest`).rows,
    ).toEqual([["DB.23", "7324 took=1.5s at 2021-01-04 22:30:44"]]);
    expect(run(`datatable(s:string)['a=1','zzz'] | parse-where s with 'a=' a:long`).rows).toEqual([
      ["a=1", 1],
    ]);
  });

  it("mv-expand: elements in parallel, null gives one row, an empty array none, to typeof() casts, limit", () => {
    expect(run(`print a = 1, d = dynamic([1, 'x', 2.5]) | mv-expand d to typeof(long)`).rows).toEqual([
      [1, 1],
      [1, null],
      [1, null],
    ]);
    expect(
      run(`datatable(n:long, d:dynamic)[1, dynamic(null), 2, dynamic([]), 3, dynamic([7])] | mv-expand d`)
        .rows,
    ).toEqual([
      [1, null],
      [3, 7],
    ]);
    expect(run(`print d = dynamic([1, 2, 3]) | mv-expand with_itemindex = i d limit 2`).rows).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(
      run(`print s = 'a,b' | mv-expand part = split(s, ',') to typeof(string) | project part`).rows,
    ).toEqual([["a"], ["b"]]);
  });

  it("range: inclusive, datetimes with timespan steps, negative steps, empty when the step points away", () => {
    expect(run("range x from 1 to 7 step 3").rows).toEqual([[1], [4], [7]]);
    expect(run("range t from datetime(2021-01-01) to datetime(2021-01-02) step 12h").rows).toEqual([
      [Date.parse("2021-01-01T00:00:00Z")],
      [Date.parse("2021-01-01T12:00:00Z")],
      [Date.parse("2021-01-02T00:00:00Z")],
    ]);
    expect(run("range x from 5 to 1 step -2").rows).toEqual([[5], [3], [1]]);
    expect(run("range x from 5 to 1 step 1").rows).toEqual([]);
  });
});

describe("scalar functions of telemetry queries", () => {
  it.each<[string, KqlValue]>([
    ["'DB.23 failed 37324' has_any ('37324', '37303')", true],
    ["'DB.23 failed 373240' has_any ('37324', '37303')", false],
    ["'DB.23 failed 37324' has_all ('DB.23', '37324')", true],
    ["'DB.23 failed 37324' has_all ('DB.23', '37303')", false],
    ["'a b' has_any (dynamic(['x', 'b']))", true],
    ['extract_all(@"0x([0-9a-f]{8})", "0x00002ee7 and 0x00000193")', ["00002ee7", "00000193"]],
    ['extract_all(@"(\\d+)", "none")', null],
    ["parse_json('{\"a\":[1,2]}').a[1]", 2],
    ["parse_json('not json')", "not json"],
    ["todynamic('[1]')", [1]],
    ["indexof('attest.azure.net', '.')", 6],
    ["indexof('abc', 'z')", -1],
    ["replace_string('a.b.c', '.', '/')", "a/b/c"],
    ["replace_regex('code 37324', @'(\\d+)', @'<\\1>')", "code <37324>"],
    ["trim_start(@'\\s+', '  x  ')", "x  "],
    ["trim_end(@'\\s+', '  x  ')", "  x"],
    ["countof('37324 37324', '37324')", 2],
    ["tobool('TRUE')", true],
    ["tobool('yes')", null],
    ["tobool(0)", false],
    ["datetime_diff('minute', datetime(2021-01-04 10:30), datetime(2021-01-04 10:00))", 30],
    ["datetime_diff('day', datetime(2021-01-05 00:00), datetime(2021-01-04 23:59))", 1],
    [
      "format_datetime(datetime(2021-01-04 22:30:44.123), 'yyyy-MM-dd HH:mm:ss.fff')",
      "2021-01-04 22:30:44.123",
    ],
    ["startofday(datetime(2021-01-04 22:30))", Date.parse("2021-01-04T00:00:00Z")],
    ["startofweek(datetime(2021-01-06))", Date.parse("2021-01-03T00:00:00Z")],
    ["startofyear(datetime(2021-06-06), -1)", Date.parse("2020-01-01T00:00:00Z")],
    ["endofmonth(datetime(2021-02-10))", Date.parse("2021-03-01T00:00:00Z") - 0.0001],
    [
      "bin_at(datetime(2021-01-04 10:20), 1h, datetime(2021-01-04 00:30))",
      Date.parse("2021-01-04T09:30:00Z"),
    ],
    ["datetime_add('month', 1, datetime(2021-01-31))", Date.parse("2021-02-28T00:00:00Z")],
  ])("%s -> %j", (expr, expected) => {
    expect(value(expr)).toEqual(expected);
  });
});

describe("aggregates of telemetry queries", () => {
  const data = `datatable(node:string, id:long)['DB.1',37324,'DB.1',37303,'DB.2',37324,'DB.2',37324,'DB.3',0]`;
  it("count(predicate), dcountif, make_set_if / make_list_if, percentile(s)", () => {
    expect(
      run(
        `${data} | summarize c = count(id == 37324), d = dcountif(node, id == 37324), s = make_set_if(node, id == 37324), l = make_list_if(id, id > 0, 2)`,
      ).rows,
    ).toEqual([[3, 2, ["DB.1", "DB.2"], [37324, 37303]]]);
    expect(
      run(`range x from 1 to 10 step 1 | summarize percentile(x, 50), percentiles(x, 0, 90, 100)`),
    ).toEqual({
      columns: ["percentile_x_50", "percentile_x_0", "percentile_x_90", "percentile_x_100"],
      rows: [[5, 1, 9, 10]],
    });
  });
});

describe("refusals name the construct", () => {
  it.each([
    ["print x = dynamic([1, 2]) | summarize make_list(x)", "make_list() over dynamic arrays"],
    ["print r = todatetime('2014.11.08 at 3pm')", "todatetime() on '2014.11.08 at 3pm'"],
    ["print r = todatetime(1)", "todatetime() on a long value"],
    ["print r = totimespan(1)", "totimespan() on a long value"],
    ["print r = tobool('1')", "tobool() on the text '1'"],
    ["print x = 1 | fork (take 1)", "'fork'"],
    ["print x = 1 | facet by x", "'facet'"],
    ["print r = array_sort_asc(dynamic([2, 1]))", "array_sort_asc()"],
    ["print x = 1 | summarize stdev(x)", "stdev()"],
  ])("%s names %s", (query, name) => {
    const e = refusal(query);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toContain(name);
  });
});
