import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import type { KqlValue } from "../../../src/kusto-engine/types.js";

const NOW = Date.parse("2021-01-05T01:00:00Z");
const engine = new KustoEngine(ATTEST_SCHEMA, new Map());

/** Value and type of `print r = <expr>`. */
function print(expr: string): { value: KqlValue; type: string | undefined } {
  const t = engine.execute(`print r = ${expr}`, { now: NOW })[0];
  return { value: t?.rows[0]?.[0] ?? null, type: t?.columns[0]?.type };
}

const MSG =
  "Attestation URL: 'https://x.attest.azure.net/attest/SgxEnclave'. Return code: '0x00000193'. Verify the attestation policy.";

describe("scalar functions", () => {
  it.each<[string, KqlValue, string]>([
    [`tolower("SgxTest2")`, "sgxtest2", "string"],
    [`toupper("db.23")`, "DB.23", "string"],
    [`strcat("a", 1, "-", true)`, "a1-true", "string"],
    [`strcat("t=", 1d)`, "t=1.00:00:00", "string"],
    [`strlen("abcd")`, 4, "long"],
    [`iff(1 > 2, "yes", "no")`, "no", "string"],
    [`iif(true, 1, 2)`, 1, "long"],
    [`iff(long(null) > 1, "yes", "no")`, "no", "string"],
    [`extract(@"Return code: '(0x[0-9a-fA-F]{8})'", 1, "${MSG}")`, "0x00000193", "string"],
    [
      `extract(@"(?:Return code: '|status: )(0x[0-9A-Fa-f]{8})", 1, "status: 0x00002ee7")`,
      "0x00002ee7",
      "string",
    ],
    [`extract("nomatch(\\\\d+)", 1, "abc")`, "", "string"],
    [`extract("code: (\\\\d+)", 1, "code: 42", typeof(long))`, 42, "long"],
    [`extract("(?i)RETURN", 0, "return")`, "return", "string"],
    [`split("a,b,,c", ",")`, ["a", "b", "", "c"], "dynamic"],
    [`split("a,b,c", ",", 1)`, ["b"], "dynamic"],
    [`tostring(42)`, "42", "string"],
    [`tostring(datetime(2021-01-04 22:30:44.5))`, "2021-01-04T22:30:44.5000000Z", "string"],
    [`tostring(90m)`, "01:30:00", "string"],
    [`tostring(long(null))`, "", "string"],
    [`tolong("37324")`, 37324, "long"],
    [`tolong("abc")`, null, "long"],
    [`toint(2.9)`, 2, "int"],
    [`tolong(true)`, 1, "long"],
    [`toreal("1.5")`, 1.5, "real"],
    [`todatetime("2021-01-04T22:30:00Z")`, Date.parse("2021-01-04T22:30:00Z"), "datetime"],
    [`totimespan("01:00:00")`, 3_600_000, "timespan"],
    [`substring("Fabrikam", 2, 3)`, "bri", "string"],
    [`coalesce("", "b")`, "b", "string"],
    [`case(1 > 2, "a", 2 > 1, "b", "c")`, "b", "string"],
    [`round(2.567, 2)`, 2.57, "real"],
    [`abs(-3)`, 3, "long"],
    [`array_length(split("a,b", ","))`, 2, "long"],
    [`max_of(1, 5, 3)`, 5, "long"],
    [`isempty(split("", ",")[0])`, true, "bool"],
  ])("%s -> %j (%s)", (expr, value, type) => {
    const out = print(expr);
    expect(out.value).toEqual(value);
    expect(out.type).toBe(type);
  });
});

describe("bin()", () => {
  it.each<[string, KqlValue, string]>([
    [`bin(datetime(2021-01-04 22:30:44), 1h)`, Date.parse("2021-01-04T22:00:00Z"), "datetime"],
    [`bin(datetime(2021-01-04 22:30:44), 1d)`, Date.parse("2021-01-04T00:00:00Z"), "datetime"],
    [`bin(datetime(2021-01-04 22:31:44), 15m)`, Date.parse("2021-01-04T22:30:00Z"), "datetime"],
    // Week bins start on Monday (bins count from 0001-01-01, a Monday), not on the Unix epoch's Thursday.
    [`bin(datetime(2021-01-07), 7d)`, Date.parse("2021-01-04T00:00:00Z"), "datetime"],
    [`bin(4.5, 1)`, 4, "real"],
    [`bin(17, 5)`, 15, "long"],
    [`bin(-1, 5)`, -5, "long"],
    [`bin(90m, 1h)`, 3_600_000, "timespan"],
    [`floor(17, 5)`, 15, "long"],
    [`bin(long(null), 5)`, null, "long"],
  ])("%s -> %j", (expr, value, type) => {
    const out = print(expr);
    expect(out.value).toEqual(value);
    expect(out.type).toBe(type);
  });
});

describe("literals", () => {
  it.each<[string, KqlValue]>([
    [`1d`, 86_400_000],
    [`1.5h`, 5_400_000],
    [`30m`, 1_800_000],
    [`10s`, 10_000],
    [`100ms`, 100],
    [`time(00:30:00)`, 1_800_000],
    [`timespan(1.02:03:04)`, 93_784_000],
    [`datetime(2021-01-04)`, Date.parse("2021-01-04T00:00:00Z")],
    [`datetime(2021-01-04T22:30:44Z)`, Date.parse("2021-01-04T22:30:44Z")],
    [`datetime(2021-01-04 22:30:44.3135540)`, Date.parse("2021-01-04T22:30:44.313Z") + 0.554],
    [`0x10`, 16],
    [`-5`, -5],
    [`@"c:\\temp"`, "c:\\temp"],
    [`"a" "b"`, "ab"],
    [`dynamic(["a", 1])`, ["a", 1]],
    [`dynamic({"k": [1, null]})`, { k: [1, null] }],
    [`guid(9d93e5d2-559b-4197-82ba-1c89f4344d74)`, "9d93e5d2-559b-4197-82ba-1c89f4344d74"],
    [`datetime(null)`, null],
    [`true`, true],
  ])("%s -> %j", (expr, value) => {
    const v = print(expr).value;
    if (typeof value === "number" && !Number.isInteger(value)) expect(v).toBeCloseTo(value, 3);
    else expect(v).toEqual(value);
  });
});
