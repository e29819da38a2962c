import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import type { KqlValue } from "../../../src/kusto-engine/types.js";
import { healthRow } from "../../fixtures/tsg-queries.js";

const NOW = Date.parse("2021-01-05T01:00:00Z");
const H = 3_600_000;

const rows = [
  healthRow({
    TIMESTAMP: NOW - 1 * H,
    LogicalServerName: "SgxTest2",
    NodeName: "DB.23",
    error_id: 37324,
    message: "Return code: '0x00000193'",
  }),
  healthRow({
    TIMESTAMP: NOW - 2 * H,
    LogicalServerName: "sgxtest2",
    NodeName: "DB.230",
    error_id: 37303,
    message: "status: 0x00002ee7",
  }),
  healthRow({
    TIMESTAMP: NOW - 5 * H,
    LogicalServerName: "sgxtest20",
    NodeName: "DB.5",
    error_id: 37308,
    message: "Loaded SGX enclave",
  }),
  healthRow({ TIMESTAMP: null, LogicalServerName: "contoso", NodeName: "", error_id: null, message: "" }),
];
const engine = new KustoEngine(ATTEST_SCHEMA, new Map([["MonSQLSystemHealth", { rows }]]));

/** Value of `print r = <expr>`. */
function scalar(expr: string): KqlValue {
  return engine.execute(`print r = ${expr}`, { now: NOW })[0]?.rows[0]?.[0] ?? null;
}

/** NodeNames of the rows kept by `where <condition>`. */
function kept(condition: string): string[] {
  const t = engine.execute(`MonSQLSystemHealth | where ${condition} | project LogicalServerName`, {
    now: NOW,
  })[0];
  return (t?.rows ?? []).map((r) => String(r[0]));
}

describe("string operators (print)", () => {
  it.each([
    // == is case-sensitive, =~ is not
    [`"aBc" == "aBc"`, true],
    [`"abc" == "ABC"`, false],
    [`"abc" =~ "ABC"`, true],
    [`"abc" != "ABC"`, true],
    [`"aBc" !~ "ABC"`, false],
    // contains: case-insensitive substring; has: whole term
    [`"FabriKam" contains "BRik"`, true],
    [`"Fabrikam" !contains "xyz"`, true],
    [`"FabriKam" contains_cs "Kam"`, true],
    [`"FabriKam" contains_cs "kam"`, false],
    [`"North America" has "america"`, true],
    [`"KustoExplorerQueryRun" has "Explorer"`, false],
    [`"KustoExplorerQueryRun" contains "Explorer"`, true],
    [`"Kusto: ad67d136-c1db-4f9f;Run" has "c1db"`, true],
    [`"Kusto: ad67d136-c1db-4f9f;Run" has "c1d"`, false],
    [`"node DB.23 up" has "DB.23"`, true],
    [`"node DB.230 up" has "DB.23"`, false],
    [`"node DB.230 up" contains "DB.23"`, true],
    [`"North America" !has "america"`, false],
    [`"North America" has_cs "america"`, false],
    [`"North America" has_cs "America"`, true],
    [`"Fabrikam" startswith "fab"`, true],
    [`"Fabrikam" !startswith "kam"`, true],
    [`"Fabrikam" endswith "Kam"`, true],
    [`"Fabrikam" endswith_cs "Kam"`, false],
    [`"Status: 0x1F" matches regex "0x[0-9A-F]+"`, true],
    [`"North America" hasprefix "amer"`, true],
    [`"NorthAmerica" hasprefix "amer"`, false],
    [`"North America" hassuffix "ICA"`, true],
    [`"North America" !has_cs "America"`, false],
    [`"FabriKam" !contains_cs "kam"`, true],
    [`"[Filtered Args] Enclave" has "[Filtered Args]"`, true],
  ])("%s -> %s", (expr, expected) => {
    expect(scalar(expr)).toBe(expected);
  });
});

describe("comparisons, logic and nulls (print)", () => {
  it.each([
    [`1 < 2`, true],
    [`2 <= 1`, false],
    [`datetime(2021-01-02) > datetime(2021-01-01)`, true],
    [`1h > 30m`, true],
    [`strcat("b") == "b"`, true],
    [`5 between (1 .. 5)`, true],
    [`6 between (1 .. 5)`, false],
    [`6 !between (1 .. 5)`, true],
    [`datetime(2021-01-01 12:00) between (datetime(2021-01-01) .. 1d)`, true],
    [`true and false`, false],
    [`true or false`, true],
    [`not(true)`, false],
    // Documented null rules: null == null is null, null == value is false, null != value is true.
    [`long(null) == long(null)`, null],
    [`long(null) == 1`, false],
    [`long(null) != 1`, true],
    [`long(null) > 3`, null],
    [`long(null) > 3 or true`, true],
    [`long(null) > 3 and false`, false],
    [`isnull(long(null))`, true],
    [`isnotnull(0)`, true],
    [`isempty("")`, true],
    [`isempty(long(null))`, true],
    [`isnotempty("x")`, true],
    [`isnull("")`, false],
    [`1 in (1, 2)`, true],
    [`3 !in (1, 2)`, true],
    [`"A" in ("a", "b")`, false],
    [`"A" in~ ("a", "b")`, true],
    [`"C" !in~ ("a", "b")`, true],
    [`"srvB" in~ (split("srva,SRVB", ","))`, true],
    [`"srvc" in~ (split("srva,SRVB", ","))`, false],
    [`"srvb" in (split("srva,SRVB", ","))`, false],
  ])("%s -> %s", (expr, expected) => {
    expect(scalar(expr)).toBe(expected);
  });
});

describe("arithmetic on numbers, datetimes and timespans (print)", () => {
  it.each([
    [`1 + 2 * 3`, 7],
    [`7 / 2`, 3],
    [`7.0 / 2`, 3.5],
    [`-7 / 2`, -3],
    [`7 % 3`, 1],
    [`datetime(2021-01-02) - datetime(2021-01-01)`, 86_400_000],
    [`datetime(2021-01-01) + 1h`, Date.parse("2021-01-01T01:00:00Z")],
    [`datetime(2021-01-01) - 30m`, Date.parse("2020-12-31T23:30:00Z")],
    [`2h * 3`, 6 * 3_600_000],
    [`1d / 1h`, 24],
    [`ago(1h)`, NOW - 3_600_000],
    [`now()`, NOW],
    [`now(-1d)`, NOW - 86_400_000],
    [`ago(1d) < now()`, true],
    [`long(null) + 1`, null],
  ])("%s -> %s", (expr, expected) => {
    expect(scalar(expr)).toBe(expected);
  });
});

describe("where over rows", () => {
  it.each([
    [`LogicalServerName == "sgxtest2"`, ["sgxtest2"]],
    [`LogicalServerName =~ "sgxtest2"`, ["SgxTest2", "sgxtest2"]],
    [`LogicalServerName !~ "sgxtest2"`, ["sgxtest20", "contoso"]],
    [`LogicalServerName contains "SGXTEST2"`, ["SgxTest2", "sgxtest2", "sgxtest20"]],
    [`LogicalServerName has "sgxtest2"`, ["SgxTest2", "sgxtest2"]],
    [`NodeName has "DB.23"`, ["SgxTest2"]],
    [`NodeName contains "DB.23"`, ["SgxTest2", "sgxtest2"]],
    [`error_id in (37324, 37303)`, ["SgxTest2", "sgxtest2"]],
    [`error_id !in (37324, 37303)`, ["sgxtest20", "contoso"]],
    [`error_id != 37324`, ["sgxtest2", "sgxtest20", "contoso"]],
    [`error_id > 37303`, ["SgxTest2", "sgxtest20"]],
    [`TIMESTAMP > ago(3h)`, ["SgxTest2", "sgxtest2"]],
    [`TIMESTAMP between (ago(6h) .. ago(90m))`, ["sgxtest2", "sgxtest20"]],
    [`isnull(TIMESTAMP)`, ["contoso"]],
    [`isempty(NodeName)`, ["contoso"]],
    [`isnotempty(NodeName) and not(error_id == 37308)`, ["SgxTest2", "sgxtest2"]],
    [`error_id == 37308 or (message contains "0X00002EE7")`, ["sgxtest2", "sgxtest20"]],
    [
      `LogicalServerName in ((MonSQLSystemHealth | where error_id == 37303 | project LogicalServerName))`,
      ["sgxtest2"],
    ],
    [
      `LogicalServerName in~ ((MonSQLSystemHealth | where error_id == 37303 | project LogicalServerName))`,
      ["SgxTest2", "sgxtest2"],
    ],
  ])("where %s", (condition, expected) => {
    expect(kept(condition)).toEqual(expected);
  });
});

describe("the null examples of Kusto's documentation (datatable)", () => {
  it("comparisons and equality with null", () => {
    const t = engine.execute(
      `datatable(val:int)[5, int(null)]
| extend IsBiggerThan3 = val > 3
| extend IsBiggerThan3OrNull = val > 3 or isnull(val)
| extend IsEqualToNull = val == int(null)
| extend IsNotEqualToNull = val != int(null)`,
      { now: NOW },
    )[0];
    expect(t?.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "val:int",
      "IsBiggerThan3:bool",
      "IsBiggerThan3OrNull:bool",
      "IsEqualToNull:bool",
      "IsNotEqualToNull:bool",
    ]);
    expect(t?.rows).toEqual([
      [5, true, true, false, true],
      [null, null, true, null, null],
    ]);
  });

  it("where keeps a row whose predicate is true: null != 5 is true", () => {
    const t = engine.execute(`datatable(ival:int, sval:string)[5, "a", int(null), "b"] | where ival != 5`, {
      now: NOW,
    })[0];
    expect(t?.rows).toEqual([[null, "b"]]);
  });
});
