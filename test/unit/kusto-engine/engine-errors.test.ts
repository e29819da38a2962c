import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import { type KqlValue, KustoError } from "../../../src/kusto-engine/types.js";
import { healthRow } from "../../fixtures/tsg-queries.js";
import { kustoErrorOf } from "./kusto-error-of.js";

const NOW = Date.parse("2021-01-05T01:00:00Z");
const rows = [healthRow({ TIMESTAMP: NOW - 60_000, LogicalServerName: "srv", message: "a b" })];
const engine = new KustoEngine(ATTEST_SCHEMA, new Map([["MonSQLSystemHealth", { rows }]]));

const failure = (query: string, parameters?: Record<string, string>): KustoError =>
  kustoErrorOf(engine, NOW, query, parameters);

describe("queries a cluster would reject fail with the parser's code and message", () => {
  it.each([
    [
      "MonSQLSystemHealth | where Foo == 1",
      "KS142",
      "The name 'Foo' does not refer to any known column, table, variable or function.",
    ],
    [
      "Nope | take 1",
      "KS204",
      "The name 'Nope' does not refer to any known table, tabular variable or function.",
    ],
    ["print strlen()", undefined, undefined],
    ["MonSQLSystemHealth | summarize by", undefined, undefined],
  ])("%s -> %s", (query, code, message) => {
    const e = failure(query);
    expect(e.kind).toBe("syntax");
    if (code) expect(e.code).toBe(code);
    else expect(e.code).toMatch(/^(KS|SYN)/);
    if (message) expect(e.message).toBe(message);
  });
});

describe("valid KQL the engine does not evaluate fails loudly, naming it", () => {
  it.each([
    [
      "MonSQLSystemHealth | extend parts = split(message, ' ') | mv-apply p = parts to typeof(string) on (take 1)",
      "mv-apply",
    ],
    ["MonSQLSystemHealth | sample 3", "sample"],
    ["MonSQLSystemHealth | parse-kv message as (a: string) with (pair_delimiter=' ')", "parse-kv"],
    ["MonSQLSystemHealth | make-series count() on TIMESTAMP step 1h", "make-series"],
    ["print hash('x')", "hash()"],
    ["print r = array_sort_asc(dynamic([2, 1]))", "array_sort_asc()"],
    ["let f = (x: long) { x + 1 }; print f(1)", "f"],
    ["MonSQLSystemHealth | summarize n = count() * 2", "count() * 2"],
  ])("%s names %s", (query, name) => {
    const e = failure(query);
    expect(e.kind).toBe("unsupported");
    expect(e.code).toBe("UnsupportedInEmbeddedEngine");
    expect(e.message).toContain(name);
  });
});

describe("query parameters", () => {
  const q = `declare query_parameters(server:string, since:datetime, span:timespan = 1h, cap:long = 10, strict:bool = false);
MonSQLSystemHealth | where LogicalServerName == server and TIMESTAMP >= since and TIMESTAMP <= since + span
| extend s = strict | take cap | project LogicalServerName, s`;
  const run = (p: Record<string, string>): KqlValue[][] =>
    engine.execute(q, { now: NOW, parameters: p })[0]?.rows.map((r) => [...r]) ?? [];

  it.each([
    ["ISO-8601", { server: "srv", since: "2021-01-05T00:30:00Z" }],
    ["datetime() literal", { server: "srv", since: "datetime(2021-01-05 00:30)" }],
    ["timespan 3h", { server: "srv", since: "2021-01-04T23:00:00Z", span: "3h" }],
    ["timespan 00:45:00", { server: "srv", since: "2021-01-05T00:30:00Z", span: "00:45:00" }],
    ["timespan(1d)", { server: "srv", since: "2021-01-04T01:00:00Z", span: "timespan(1d)" }],
  ])("accepts %s", (_label, p) => {
    expect(run(p)).toEqual([["srv", false]]);
  });

  it("uses defaults, reads long and bool, ignores undeclared names", () => {
    expect(run({ server: "srv", since: "2021-01-05T00:30:00Z", cap: "0", other: "x" })).toEqual([]);
    expect(run({ server: "srv", since: "2021-01-05T00:30:00Z", strict: "true" })).toEqual([["srv", true]]);
    expect(run({ server: "SRV", since: "2021-01-05T00:30:00Z" })).toEqual([]);
  });

  it.each([
    [{ since: "2021-01-05T00:30:00Z" }, "MissingQueryParameter", "server"],
    [{ server: "srv", since: "yesterday" }, "InvalidQueryParameter", "since"],
    [{ server: "srv", since: "2021-01-05", span: "an hour" }, "InvalidQueryParameter", "span"],
    [{ server: "srv", since: "2021-01-05", cap: "ten" }, "InvalidQueryParameter", "cap"],
    [{ server: "srv", since: "2021-01-05", cap: "1.5" }, "InvalidQueryParameter", "cap"],
    [{ server: "srv", since: "2021-01-05", strict: "yes" }, "InvalidQueryParameter", "strict"],
  ])("%j -> %s naming %s", (p, code, name) => {
    const e = failure(q, p);
    expect(e.kind).toBe("parameter");
    expect(e.code).toBe(code);
    expect(e.message).toContain(`'${name}'`);
  });

  it("names the expected type", () => {
    expect(failure(q, { server: "srv", since: "soon" }).message).toContain("datetime");
    expect(failure(q, { server: "srv", since: "2021-01-05", span: "x" }).message).toContain("timespan");
  });
});

describe("table data", () => {
  it("a cell of the wrong type is refused when the engine is built, naming table, row and column", () => {
    const bad = healthRow({ TIMESTAMP: "2021-01-05T00:00:00Z", LogicalServerName: "srv" });
    let error: unknown;
    try {
      new KustoEngine(ATTEST_SCHEMA, new Map([["MonSQLSystemHealth", { rows: [rows[0]!, bad] }]]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KustoError);
    expect((error as KustoError).message).toContain("'MonSQLSystemHealth' row 1 column 'TIMESTAMP'");
  });

  it("missing tables are empty and null strings read as empty strings", () => {
    const e = new KustoEngine(
      ATTEST_SCHEMA,
      new Map([["MonSQLSystemHealth", { rows: [healthRow({ LogicalServerName: null, error_id: 1 })] }]]),
    );
    expect(e.execute("MonTenantRingCapacity | count", { now: NOW })[0]?.rows).toEqual([[0]]);
    expect(
      e.execute(
        "MonSQLSystemHealth | where isempty(LogicalServerName) and LogicalServerName == '' | project LogicalServerName",
        { now: NOW },
      )[0]?.rows,
    ).toEqual([[""]]);
  });
});

describe("runtime failures", () => {
  it("an invalid regular expression is a runtime error, not a wrong answer", () => {
    const e = failure(`print extract("(unclosed", 1, "x")`);
    expect(e.kind).toBe("runtime");
  });

  it("integer division by zero is a runtime error", () => {
    expect(failure(`print x = 1 / tolong("0")`).kind).toBe("runtime");
  });
});
