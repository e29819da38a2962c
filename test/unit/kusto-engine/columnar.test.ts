/**
 * The columnar storage and fast path give exactly the general evaluator's answers: generated
 * queries of the shapes the fast path takes (and of shapes next to them that it must refuse),
 * every queries/*.kql, and a shape it does not handle falling back with the right result.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnarTable } from "../../../src/kusto-engine/columnar/table.js";
import { tablesFromJson } from "../../../src/kusto-engine/data-file.js";
import { buildDemoData } from "../../../src/kusto-engine/demo-data.js";
import { ATTEST_SCHEMA, MonSQLSystemHealth, type TableSchema } from "../../../src/kusto-engine/schema.js";
import type { KqlValue } from "../../../src/kusto-engine/types.js";
import { CLUSTERS, enginePair, H, healthRows, NODES, NOW, outcome, SERVERS, T0 } from "./columnar-fixture.js";

const rows = healthRows(3000);
const pair = enginePair(new Map([["MonSQLSystemHealth", { rows }]]));

const DECLARE = "declare query_parameters(p:string, t:datetime, n:long);\n";
const PARAMS = { p: "sgxtest2,other", t: "2021-01-05T12:00:00Z", n: "37303" };

const kql = (s: string) => JSON.stringify(s);
const dt = (ms: number) => `datetime(${new Date(ms).toISOString()})`;

/** Runs `query` on both engines; the fast one must answer exactly as the general one. */
function same(query: string, parameters: Record<string, string> = PARAMS) {
  const general = outcome(pair.general, query, parameters);
  const fast = outcome(pair.fast, query, parameters);
  expect(fast, query).toStrictEqual(general);
  return fast;
}

function takenFor(query: string, parameters: Record<string, string> = PARAMS): string[] {
  const before = pair.taken.length;
  same(query, parameters);
  return pair.taken.slice(before);
}

describe("columnar storage", () => {
  it("reads back every value exactly (-0, NaN, null, guid null, bool, dynamic; string null as '')", () => {
    const schema: TableSchema = {
      name: "T",
      docString: "",
      columns: [
        { name: "d", type: "datetime" },
        { name: "l", type: "long" },
        { name: "s", type: "string" },
        { name: "g", type: "guid" },
        { name: "b", type: "bool" },
        { name: "y", type: "dynamic" },
      ],
    };
    const input: KqlValue[][] = [
      [T0, -0, "x", "9d93e5d2-559b-4197-82ba-1c89f4344d74", true, { a: [1] }],
      [null, Number.NaN, null, null, null, null],
      [T0 + 0.5, 2 ** 53, "", "9d93e5d2-559b-4197-82ba-1c89f4344d74", false, [1, "a"]],
      [Number.NaN, null],
    ];
    const table = columnarTable(schema, input);
    expect(table.rows).toStrictEqual([
      [T0, -0, "x", "9d93e5d2-559b-4197-82ba-1c89f4344d74", true, { a: [1] }],
      [null, Number.NaN, "", null, null, null],
      [T0 + 0.5, 2 ** 53, "", "9d93e5d2-559b-4197-82ba-1c89f4344d74", false, [1, "a"]],
      [Number.NaN, null, "", null, null, null],
    ]);
    expect(table.data.map((c) => c.kind)).toEqual(["number", "number", "dict", "dict", "bool", "boxed"]);
  });

  it("stores numbers as Float64Array and string codes 8 or 16 bits wide by dictionary size", () => {
    const table = columnarTable(MonSQLSystemHealth, rows);
    const byName = (name: string) => table.data[MonSQLSystemHealth.columns.findIndex((c) => c.name === name)];
    expect(byName("TIMESTAMP")).toMatchObject({ kind: "number", values: expect.any(Float64Array) });
    const node = byName("NodeName");
    expect(node?.kind === "dict" && node.codes).toBeInstanceOf(Uint8Array);
    const guid = byName("logical_database_guid");
    expect(guid?.kind === "dict" && guid.codes).toBeInstanceOf(Uint16Array);
    expect(guid?.kind === "dict" && guid.dict.length).toBeGreaterThan(256);
  });

  it("rejects a wrong cell as the row store did", () => {
    expect(() => columnarTable(MonSQLSystemHealth, [["2021-01-04"]])).toThrow(
      "Table 'MonSQLSystemHealth' row 0 column 'TIMESTAMP': expected datetime (milliseconds as a number), got \"2021-01-04\".",
    );
  });
});

describe("fast path answers exactly as the general evaluator", () => {
  it("takes the issue's shape: datetime range, string ==, in, summarize count/min/max/dcount by two keys", () => {
    const query = `${DECLARE}MonSQLSystemHealth
| where TIMESTAMP between (datetime(2021-01-04 06:00) .. t) and LogicalServerName == "sgxtest2" and error_id in (37324, 37303, 37325)
| summarize failures = count(), firstSeen = min(TIMESTAMP), lastSeen = max(TIMESTAMP), nodes = dcount(NodeName) by error_id, ClusterName`;
    expect(takenFor(query)).toHaveLength(1);
    const result = same(query);
    expect("tables" in result && result.tables[0]!.rows.length).toBeGreaterThan(3);
  });

  it("null cells: `!=` keeps a null long against a constant, `==`/`<`/between never match null", () => {
    for (const q of [
      "MonSQLSystemHealth | where error_id != 37324 | count",
      "MonSQLSystemHealth | where error_id == 0 | count",
      "MonSQLSystemHealth | where TIMESTAMP < datetime(2021-01-05) | count",
      "MonSQLSystemHealth | where severity !between (16 .. 17) | count",
      "MonSQLSystemHealth | where PreciseTimeStamp between (datetime(2021-01-04) .. 1d) | count",
      "MonSQLSystemHealth | where error_id !in (37324, 0) | count",
      "MonSQLSystemHealth | where state == 0 | summarize count() by state",
    ]) {
      expect(takenFor(q), q).toHaveLength(1);
    }
  });

  it("strings: case-sensitive ==, =~ whose lower case changes length, in~ of a split parameter", () => {
    for (const q of [
      'MonSQLSystemHealth | where LogicalServerName == "SGXtest2" | count',
      'MonSQLSystemHealth | where LogicalServerName =~ "İstanbul" | count',
      'MonSQLSystemHealth | where LogicalServerName !~ "sgxtest2" | summarize count() by LogicalServerName',
      `${DECLARE}MonSQLSystemHealth | where isempty(p) or LogicalServerName in~ (split(p, ",")) | count`,
      'MonSQLSystemHealth | where NodeName in ("DB.2", "a") and NodeName !in~ ("db.2") | count',
    ]) {
      expect(takenFor(q), q).toHaveLength(1);
    }
  });

  it("groups by keys holding a NUL character as the general evaluator does", () => {
    const q =
      "MonSQLSystemHealth | summarize n = count(), m = min(LogicalServerName) by ClusterName, LogicalServerName";
    expect(takenFor(q)).toHaveLength(1);
  });

  it("generated where/summarize queries", () => {
    const dtCol = fc.constantFrom("TIMESTAMP", "PreciseTimeStamp");
    const dtConst = fc.oneof(
      fc.integer({ min: -2, max: 74 }).map((h) => dt(T0 + h * H)),
      fc.integer({ min: 0, max: 80 }).map((h) => `ago(${h}h)`),
      fc.constant("t"),
    );
    const dtPred = fc.oneof(
      fc
        .tuple(dtCol, fc.constantFrom(">=", ">", "<=", "<", "==", "!="), dtConst, fc.boolean())
        .map(([c, op, v, flip]) => (flip ? `${v} ${op} ${c}` : `${c} ${op} ${v}`)),
      fc
        .tuple(dtCol, fc.constantFrom("between", "!between"), dtConst, fc.oneof(dtConst, fc.constant("6h")))
        .map(([c, op, a, b]) => `${c} ${op} (${a} .. ${b})`),
    );
    const strCol = fc.constantFrom("LogicalServerName", "NodeName", "ClusterName", "AppName");
    const strValue = fc.constantFrom(...SERVERS, ...NODES, ...CLUSTERS, "app1", "APP1", "p");
    const strLit = strValue.map((v) => (v === "p" ? "p" : kql(v)));
    const strPred = fc.oneof(
      fc
        .tuple(
          strCol,
          fc.constantFrom("==", "!=", "=~", "!~", "has", "contains", "startswith", "!contains"),
          strLit,
        )
        .map(([c, op, v]) => `${c} ${op} ${v}`),
      fc
        .tuple(
          strCol,
          fc.constantFrom("in", "!in", "in~", "!in~"),
          fc.array(strLit, { minLength: 1, maxLength: 3 }),
        )
        .map(([c, op, vs]) => `${c} ${op} (${vs.join(", ")})`),
      fc.constant('isempty(p) or LogicalServerName in~ (split(p, ","))'),
      fc.constant("isnotempty(ClusterName)"),
    );
    const numCol = fc.constantFrom("error_id", "severity", "state");
    const numValue = fc.constantFrom("37324", "37303", "0", "16", "1", "2.5", "n", "-1");
    const numPred = fc.oneof(
      fc
        .tuple(numCol, fc.constantFrom("==", "!=", "<", "<=", ">", ">="), numValue)
        .map(([c, op, v]) => `${c} ${op} ${v}`),
      fc
        .tuple(numCol, fc.constantFrom("in", "!in"), fc.array(numValue, { minLength: 1, maxLength: 4 }))
        .map(([c, op, vs]) => `${c} ${op} (${vs.join(", ")})`),
      fc
        .tuple(numCol, fc.constantFrom("between", "!between"), numValue, numValue)
        .map(([c, op, a, b]) => `${c} ${op} (${a} .. ${b})`),
    );
    const otherPred = fc.constantFrom(
      "isnull(error_id) or error_id == 0",
      'message matches regex @"Error: 373(03|24),"',
      "strlen(NodeName) > 3",
      "NodeName == AppName or severity > 16",
      "error_id + severity > 37000",
      "not(isnull(PreciseTimeStamp))",
      // Shapes the fast path must refuse (the whole filter goes to the general evaluator).
      "error_id / 2 > 18000",
      'extract("(0x[0-9a-f]+)", 1, message) == "0x00002ee7"',
    );
    const pred = fc.oneof(
      { arbitrary: dtPred, weight: 3 },
      { arbitrary: strPred, weight: 3 },
      { arbitrary: numPred, weight: 3 },
      { arbitrary: otherPred, weight: 1 },
    );
    const where = fc.array(pred, { minLength: 1, maxLength: 3 }).map((ps) => `| where ${ps.join(" and ")}`);
    const aggs = fc.subarray(
      [
        "count()",
        "n2 = count()",
        "min(TIMESTAMP)",
        "max(PreciseTimeStamp)",
        "dcount(NodeName)",
        "max(error_id)",
        "min(LogicalServerName)",
        "dcount(state)",
        "max(message)",
        "min(logical_database_guid)",
        "dcount(severity)",
      ],
      { minLength: 1, maxLength: 4 },
    );
    const keys = fc.subarray(
      [
        "ClusterName",
        "error_id",
        "bin(TIMESTAMP, 1h)",
        "NodeName",
        "state",
        "LogicalServerName",
        "lower = tolower(LogicalServerName)",
        "PreciseTimeStamp",
      ],
      { maxLength: 3 },
    );
    const tail = fc.oneof(
      fc.constant(""),
      fc.constant("\n| count"),
      fc.constant("\n| project TIMESTAMP, LogicalServerName, error_id\n| take 7"),
      fc
        .tuple(aggs, keys)
        .map(([a, k]) => `\n| summarize ${a.join(", ")}${k.length ? ` by ${k.join(", ")}` : ""}`),
    );
    const query = fc
      .tuple(fc.array(where, { minLength: 0, maxLength: 2 }), tail)
      .filter(([ws, t]) => ws.length > 0 || t.includes("summarize"))
      .map(([ws, t]) => `${DECLARE}MonSQLSystemHealth\n${ws.join("\n")}${t}`);
    let runs = 0;
    let fast = 0;
    fc.assert(
      fc.property(query, (q) => {
        runs++;
        if (takenFor(q).length > 0) fast++;
      }),
      { numRuns: 250, seed: 4242 },
    );
    // Most generated shapes are the fast path's; the rest checked the fallback.
    expect(fast).toBeGreaterThan(runs / 2);
    expect(fast).toBeLessThan(runs);
  }, 300_000);
});

describe("a shape the fast path does not handle falls back", () => {
  it("where with integer division, summarize avg: general evaluator's answer, fast path not taken", () => {
    const q = "MonSQLSystemHealth | where error_id / 2 > 18000 | summarize avg(severity), count()";
    expect(takenFor(q)).toEqual([]);
    const result = pair.fast.execute(q, { now: NOW });
    const kept = rows.filter((r) => typeof r[9] === "number" && Math.trunc(r[9] / 2) > 18000);
    const sev = kept.map((r) => r[10]).filter((v): v is number => typeof v === "number");
    expect(result[0]?.rows).toStrictEqual([[sev.reduce((a, b) => a + b, 0) / sev.length, kept.length]]);
  });

  it("summarize by a fast filter, then a sort: only the filter is the fast path's", () => {
    const q =
      'MonSQLSystemHealth | where LogicalServerName == "other" | summarize n = count(), a = take_any(AppName) by NodeName | order by n desc';
    expect(takenFor(q)).toEqual(['MonSQLSystemHealth | where LogicalServerName == "other"']);
  });
});

describe("every queries/*.kql answers the same with and without the fast path", () => {
  const QUERIES = new URL("../../../queries/", import.meta.url);
  const files = readdirSync(QUERIES).filter((f) => f.endsWith(".kql"));
  const demo = enginePair(tablesFromJson(buildDemoData(NOW), ATTEST_SCHEMA, "demo"));
  const demoData = buildDemoData(NOW);
  const demoServers = [
    ...new Set((demoData.MonSQLSystemHealth ?? []).map((r) => String(r.LogicalServerName))),
  ].slice(0, 3);
  const windows = [
    { windowStart: new Date(NOW - 24 * H).toISOString(), windowEnd: new Date(NOW).toISOString() },
    { windowStart: new Date(T0).toISOString(), windowEnd: new Date(T0 + 30 * H).toISOString() },
  ];
  it.each(files)("%s", { timeout: 120_000 }, (file) => {
    const text = readFileSync(new URL(file, QUERIES), "utf8");
    for (const [p, servers] of [
      [demo, [...demoServers, "SGXTEST2", "nope"]],
      [pair, ["sgxtest2", "İstanbul", ""]],
    ] as const) {
      for (const server of servers) {
        for (const w of windows) {
          for (const parameters of [
            { server, ...w },
            { server, servers: `${server},other`, ...w },
          ]) {
            const general = outcome(p.general, text, parameters);
            expect("tables" in general, JSON.stringify(general).slice(0, 300)).toBe(true);
            expect(outcome(p.fast, text, parameters), `${file} ${JSON.stringify(parameters)}`).toStrictEqual(
              general,
            );
          }
        }
      }
    }
  });

  it("the workload takes the fast path: placement's summaries whole, the others' time and server filters", () => {
    const fresh = enginePair(new Map([["MonSQLSystemHealth", { rows }]]));
    for (const file of files) {
      outcome(fresh.fast, readFileSync(new URL(file, QUERIES), "utf8"), {
        server: "sgxtest2",
        windowStart: new Date(T0).toISOString(),
        windowEnd: new Date(NOW).toISOString(),
      });
    }
    const taken = fresh.taken.map((t) => t.replace(/\s+/g, " "));
    expect(taken).toContain(
      "MonSQLSystemHealth | where TIMESTAMP >= windowStart and TIMESTAMP <= windowEnd | where LogicalServerName =~ server | summarize rows = count(), lastSeen = max(TIMESTAMP) by ClusterName, NodeName",
    );
    expect(
      taken.some((t) =>
        t.includes(
          "summarize nodes = dcount(NodeName), rows = count(), lastSeen = max(TIMESTAMP) by ClusterName",
        ),
      ),
    ).toBe(true);
    expect(taken.some((t) => t.includes('message matches regex @"Error: 373(03|09|24|25),"'))).toBe(true);
  });
});
