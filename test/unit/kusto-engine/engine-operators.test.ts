import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import type { KqlValue, ResultTable } from "../../../src/kusto-engine/types.js";
import { healthRow } from "../../fixtures/tsg-queries.js";

const T0 = Date.parse("2021-01-04T22:00:00Z");
const M = 60_000;

const rows = [
  healthRow({
    TIMESTAMP: T0 + 10 * M,
    LogicalServerName: "srvA",
    NodeName: "DB.1",
    error_id: 37324,
    severity: 16,
  }),
  healthRow({
    TIMESTAMP: T0 + 70 * M,
    LogicalServerName: "srvA",
    NodeName: "DB.2",
    error_id: 37324,
    severity: 16,
  }),
  healthRow({
    TIMESTAMP: T0 + 20 * M,
    LogicalServerName: "srvB",
    NodeName: "DB.1",
    error_id: 37303,
    severity: null,
  }),
  healthRow({
    TIMESTAMP: T0 + 80 * M,
    LogicalServerName: "srvA",
    NodeName: "DB.1",
    error_id: 37308,
    severity: 10,
  }),
  healthRow({ TIMESTAMP: null, LogicalServerName: "srvC", NodeName: "", error_id: null, severity: 5 }),
];
const engine = new KustoEngine(ATTEST_SCHEMA, new Map([["MonSQLSystemHealth", { rows }]]));

function run(query: string, parameters?: Record<string, string>): ResultTable[] {
  return engine.execute(query, { now: T0 + 120 * M, parameters });
}
const one = (query: string) => run(query)[0]!;
const cols = (t: ResultTable) => t.columns.map((c) => `${c.name}:${c.type}`);
const col = (t: ResultTable, name: string): KqlValue[] => {
  const i = t.columns.findIndex((c) => c.name === name);
  return t.rows.map((r) => r[i] ?? null);
};
const H = (s: string) => `MonSQLSystemHealth | ${s}`;

describe("project, project-away, project-rename, extend", () => {
  it.each<[string, string[], KqlValue[][]]>([
    [
      H(`where error_id == 37303 | project LogicalServerName, e = error_id + 1, when = TIMESTAMP`),
      ["LogicalServerName:string", "e:long", "when:datetime"],
      [["srvB", 37304, T0 + 20 * M]],
    ],
    [
      H(
        `where error_id == 37303 | project-away TIMESTAMP, PreciseTimeStamp, ClusterName, AppName, AppTypeName, logical_database_guid, logical_database_name, severity, state, message`,
      ),
      ["NodeName:string", "LogicalServerName:string", "error_id:long"],
      [["DB.1", "srvB", 37303]],
    ],
    [
      H(
        `where error_id == 37303 | project LogicalServerName, NodeName | project-rename server = LogicalServerName`,
      ),
      ["server:string", "NodeName:string"],
      [["srvB", "DB.1"]],
    ],
    [
      H(
        `where error_id == 37303 | project LogicalServerName | extend lower = tolower(LogicalServerName) | extend again = strcat(lower, "!")`,
      ),
      ["LogicalServerName:string", "lower:string", "again:string"],
      [["srvB", "srvb", "srvb!"]],
    ],
    [
      H(
        `where error_id == 37303 | project LogicalServerName | extend LogicalServerName = toupper(LogicalServerName)`,
      ),
      ["LogicalServerName:string"],
      [["SRVB"]],
    ],
  ])("%s", (query, columns, expected) => {
    const t = one(query);
    expect(cols(t)).toEqual(columns);
    expect(t.rows).toEqual(expected);
  });
});

describe("order by / sort by / top / take", () => {
  it.each<[string, KqlValue[]]>([
    // Default direction is desc; nulls last for desc.
    [H(`order by TIMESTAMP | project LogicalServerName`), ["srvA", "srvA", "srvB", "srvA", "srvC"]],
    // asc puts nulls first.
    [H(`sort by TIMESTAMP asc | project LogicalServerName`), ["srvC", "srvA", "srvB", "srvA", "srvA"]],
    [
      H(`sort by TIMESTAMP asc nulls last | project LogicalServerName`),
      ["srvA", "srvB", "srvA", "srvA", "srvC"],
    ],
    [
      H(`sort by severity desc nulls first | project LogicalServerName`),
      ["srvB", "srvA", "srvA", "srvA", "srvC"],
    ],
    // Several keys; strings compare ordinally.
    [
      H(`order by LogicalServerName asc, TIMESTAMP desc | project NodeName`),
      ["DB.1", "DB.2", "DB.1", "DB.1", ""],
    ],
    [H(`top 2 by TIMESTAMP | project NodeName`), ["DB.1", "DB.2"]],
    [H(`top 1 by TIMESTAMP asc | project LogicalServerName`), ["srvC"]],
    [H(`order by TIMESTAMP asc | take 2 | project LogicalServerName`), ["srvC", "srvA"]],
    [H(`order by TIMESTAMP asc | limit 0 | project LogicalServerName`), []],
  ])("%s", (query, expected) => {
    expect(one(query).rows.map((r) => r[0])).toEqual(expected);
  });
});

describe("distinct, count, print, let, several statements", () => {
  it("distinct one column and several columns", () => {
    expect(one(H(`distinct LogicalServerName`)).rows).toEqual([["srvA"], ["srvB"], ["srvC"]]);
    const t = one(H(`distinct LogicalServerName, NodeName`));
    expect(cols(t)).toEqual(["LogicalServerName:string", "NodeName:string"]);
    expect(t.rows).toHaveLength(4);
  });

  it("count gives one column Count:long", () => {
    const t = one(H(`where LogicalServerName == "srvA" | count`));
    expect(cols(t)).toEqual(["Count:long"]);
    expect(t.rows).toEqual([[3]]);
  });

  it("print names unnamed columns as Kusto does", () => {
    const t = one(`print 1, x = "a", strcat("b", "c")`);
    expect(cols(t)).toEqual(["print_0:long", "x:string", "print_2:string"]);
    expect(t.rows).toEqual([[1, "a", "bc"]]);
  });

  it("let scalars and tables, one result table per statement, in order", () => {
    const results = run(`let cutoff = datetime(2021-01-04 22:30);
let recent = MonSQLSystemHealth | where TIMESTAMP > cutoff;
recent | count;
recent | project NodeName | order by NodeName asc;
print done = true`);
    expect(results.map((r) => r.name)).toEqual(["PrimaryResult", "PrimaryResult", "PrimaryResult"]);
    expect(results[0]?.rows).toEqual([[2]]);
    expect(results[1]?.rows).toEqual([["DB.1"], ["DB.2"]]);
    expect(results[2]?.rows).toEqual([[true]]);
  });

  it("toscalar() and materialize() feed a later statement", () => {
    const t = one(`let newest = toscalar(MonSQLSystemHealth | summarize max(TIMESTAMP));
let m = materialize(MonSQLSystemHealth | where TIMESTAMP == newest);
m | project error_id`);
    expect(t.rows).toEqual([[37308]]);
  });
});

describe("union, project-keep, project-reorder", () => {
  it("union matches columns by name and keeps input order", () => {
    const t = one(
      `union (MonSQLSystemHealth | where error_id == 37303 | project LogicalServerName), (print LogicalServerName = "x", n = 1)`,
    );
    expect(cols(t)).toEqual(["LogicalServerName:string", "n:long"]);
    expect(t.rows).toEqual([
      ["srvB", null],
      ["x", 1],
    ]);
    const piped = one(H(`where error_id == 37303 | project NodeName | union (print NodeName = "DB.9")`));
    expect(piped.rows).toEqual([["DB.1"], ["DB.9"]]);
  });

  it("project-keep and project-reorder lay columns out as the analyser says", () => {
    expect(cols(one(H(`project-keep NodeName, error_id | take 1`)))).toEqual([
      "NodeName:string",
      "error_id:long",
    ]);
    const t = one(H(`where error_id == 37303 | project NodeName, error_id | project-reorder error_id`));
    expect(cols(t)).toEqual(["error_id:long", "NodeName:string"]);
    expect(t.rows).toEqual([[37303, "DB.1"]]);
  });
});

describe("compiled plans are reused across runs", () => {
  it("the same text re-reads now and parameters on every run", () => {
    const q = `declare query_parameters(server:string); MonSQLSystemHealth | where LogicalServerName == server and TIMESTAMP > ago(1h) | count`;
    const count = (now: number, server: string) =>
      engine.execute(q, { now, parameters: { server } })[0]?.rows[0]?.[0];
    expect(count(T0 + 120 * M, "srvA")).toBe(2);
    expect(count(T0 + 120 * M, "srvB")).toBe(0);
    expect(count(T0 + 65 * M, "srvB")).toBe(1);
    expect(count(T0 + 65 * M, "srvA")).toBe(3);
  });
});

describe("summarize", () => {
  it("names columns as the analyser does: count_, dcount_X, max_X, arg_max columns, set_X", () => {
    const t = one(
      H(
        `summarize count(), dcount(NodeName), max(TIMESTAMP), min(severity), sum(severity), make_set(NodeName), take_any(LogicalServerName), countif(error_id == 37324) by LogicalServerName | order by LogicalServerName asc`,
      ),
    );
    expect(cols(t)).toEqual([
      "LogicalServerName:string",
      "count_:long",
      "dcount_NodeName:long",
      "max_TIMESTAMP:datetime",
      "min_severity:long",
      "sum_severity:long",
      "set_NodeName:dynamic",
      "LogicalServerName1:string",
      "countif_:long",
    ]);
    expect(t.rows).toEqual([
      ["srvA", 3, 2, T0 + 80 * M, 10, 42, ["DB.1", "DB.2"], "srvA", 2],
      ["srvB", 1, 1, T0 + 20 * M, null, null, ["DB.1"], "srvB", 0],
      ["srvC", 1, 1, null, 5, 5, [""], "srvC", 0],
    ]);
  });

  it("count() counts rows, dcount/min/max ignore nulls", () => {
    const t = one(
      H(`summarize n = count(), nodes = dcount(severity), low = min(TIMESTAMP), high = max(TIMESTAMP)`),
    );
    expect(t.rows).toEqual([[5, 3, T0 + 10 * M, T0 + 80 * M]]);
  });

  it("without by on no rows gives one row; with by gives none", () => {
    expect(one(H(`where error_id == 1 | summarize n = count(), newest = max(TIMESTAMP)`)).rows).toEqual([
      [0, null],
    ]);
    expect(one(H(`where error_id == 1 | summarize n = count() by NodeName`)).rows).toEqual([]);
  });

  it("by named expressions and bin() on datetimes", () => {
    const t = one(
      H(
        `where isnotnull(TIMESTAMP) | summarize n = count() by server = tolower(LogicalServerName), hour = bin(TIMESTAMP, 1h) | order by server asc, hour asc`,
      ),
    );
    expect(cols(t)).toEqual(["server:string", "hour:datetime", "n:long"]);
    expect(t.rows).toEqual([
      ["srva", T0, 1],
      ["srva", T0 + 60 * M, 2],
      ["srvb", T0, 1],
    ]);
  });

  it("bin() on numbers as a key gets the auto name", () => {
    const t = one(
      H(`where isnotnull(severity) | summarize count() by bin(severity, 10) | order by severity asc`),
    );
    expect(cols(t)).toEqual(["severity:long", "count_:long"]);
    expect(t.rows).toEqual([
      [0, 1],
      [10, 3],
    ]);
  });

  it("arg_max / arg_min with listed columns and with *", () => {
    const t = one(
      H(
        `summarize arg_max(TIMESTAMP, NodeName, error_id) by LogicalServerName | order by LogicalServerName asc`,
      ),
    );
    expect(cols(t)).toEqual([
      "LogicalServerName:string",
      "TIMESTAMP:datetime",
      "NodeName:string",
      "error_id:long",
    ]);
    expect(t.rows).toEqual([
      ["srvA", T0 + 80 * M, "DB.1", 37308],
      ["srvB", T0 + 20 * M, "DB.1", 37303],
      ["srvC", null, "", null],
    ]);
    const star = one(
      H(`where isnotnull(TIMESTAMP) | summarize arg_min(TIMESTAMP, *) by NodeName | order by NodeName asc`),
    );
    expect(star.columns[0]?.name).toBe("NodeName");
    expect(star.columns).toHaveLength(13);
    expect(col(star, "LogicalServerName")).toEqual(["srvA", "srvA"]);
    expect(col(star, "TIMESTAMP")).toEqual([T0 + 10 * M, T0 + 70 * M]);
  });

  it("take_any of one column prefers a non-empty value; take_any(*) and several columns take one row", () => {
    const t = one(H(`order by TIMESTAMP asc | summarize take_any(NodeName), take_any(NodeName, error_id)`));
    expect(cols(t)).toEqual(["NodeName:string", "NodeName1:string", "error_id:long"]);
    expect(t.rows).toEqual([["DB.1", "", null]]);
    const star = one(
      H(
        `project LogicalServerName, NodeName, error_id | summarize take_any(*) by LogicalServerName | order by LogicalServerName asc`,
      ),
    );
    expect(cols(star)).toEqual(["LogicalServerName:string", "NodeName:string", "error_id:long"]);
    expect(star.rows).toEqual([
      ["srvA", "DB.1", 37324],
      ["srvB", "DB.1", 37303],
      ["srvC", "", null],
    ]);
  });

  it("avg, make_list and dcountif", () => {
    const t = one(
      H(`summarize a = avg(severity), l = make_list(error_id), d = dcountif(NodeName, error_id > 0)`),
    );
    expect(t.rows[0]?.[0]).toBeCloseTo(47 / 4);
    expect(t.rows[0]?.[1]).toEqual([37324, 37324, 37303, 37308]);
    expect(t.rows[0]?.[2]).toBe(2);
  });
});
