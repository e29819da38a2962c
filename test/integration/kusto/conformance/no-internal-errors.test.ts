/**
 * Whatever query text reaches the served engine, the answer is Kusto-shaped: results, or an error
 * with a code (HTTP 400, or Kusto's in-band failure frames), never HTTP 500 or a stack trace.
 * Raw HTTP (fetch) so that every status and body is visible.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE, type Served, serveData } from "../served.js";

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);

let served: Served;
beforeAll(async () => {
  served = await serveData({}, NOW);
});
afterAll(async () => {
  await served.server.close();
});

async function post(csl: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${served.server.url}/v2/rest/query`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ db: DATABASE, csl }),
  });
  return { status: res.status, text: await res.text() };
}

function expectKustoShaped(csl: string, r: { status: number; text: string }): void {
  const where = `query ${JSON.stringify(csl)} -> ${r.status} ${r.text.slice(0, 300)}`;
  expect([200, 400], where).toContain(r.status);
  expect(r.text, where).not.toMatch(/\n\s+at |\bat [\w.<>]+ \(.*:\d+:\d+\)/);
  if (r.status === 400) {
    const body = JSON.parse(r.text) as { error: { code: string; "@message": string } };
    expect(body.error.code, where).toBe("General_BadRequest");
    expect(body.error["@message"], where).not.toBe("");
  }
}

const TOKENS = [
  "print",
  "range x from 1 to 3 step 1",
  "datatable(a:long, s:string)[1,'x',2,'y']",
  "MonSQLSystemHealth",
  "|",
  "|",
  "where",
  "extend",
  "project",
  "summarize",
  "by",
  "join",
  "lookup",
  "on",
  "kind=inner",
  "kind=leftouter",
  "parse",
  "with",
  "*",
  "mv-expand",
  "take",
  "top",
  "order by",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ";",
  "=",
  "==",
  "!=",
  "<",
  ">",
  "+",
  "-",
  "/",
  "%",
  "and",
  "or",
  "not",
  "a",
  "s",
  "x",
  "1",
  "0",
  "-1",
  "1.5",
  "'x'",
  '"y"',
  "@'z'",
  "datetime(2020-01-01)",
  "1h",
  "dynamic([1,2])",
  'dynamic({"k":1})',
  "null",
  "true",
  "let",
  "T",
  "count()",
  "arg_max(a, *)",
  "make_set(s)",
  "percentile(a, 50)",
  "substring(s, -2)",
  "indexof(s, 'x')",
  "extract_all(@'(\\d)', s)",
  "todatetime('12-02-2022')",
  "bin(x, 1)",
  "has_any",
  "contains",
  "matches regex",
  "'(['",
  "$left.a",
  "$right.a",
  "to typeof(long)",
  "limit",
  "\\",
  "'",
  '"',
  "`",
];

describe("no internal errors through the served engine", () => {
  it.each([
    ["an incomplete expression", "print x = "],
    [
      "an incomplete join condition",
      "datatable(a:long)[1] | join (datatable(a:long)[1]) on $left.a == $right.",
    ],
    ["an invalid regex", "print extract_all('(', 'x')"],
    ["text that is not JSON", "print r = parse_json('not json')"],
    ["integer division by zero", "print 1/0"],
    ["a huge range", "range x from 1 to 100000000000 step 1"],
    ["a sortable datetime with a zone", "print todatetime('2014-11-08 15:05:25 GMT')"],
    [
      "1000 nested parentheses (beyond the parser's depth limit)",
      `print ${"(".repeat(1000)}1${")".repeat(1000)}`,
    ],
    ["a 5000-term sum", `print x = 1${" + 1".repeat(5000)}`],
    ["control characters", "\u0000\uffff"],
  ])(
    "%s",
    async (_label, csl) => {
      expectKustoShaped(csl, await post(csl));
    },
    60_000,
  );

  it("random KQL-ish text never gets a 500 or a stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 14 }),
        async (tokens) => {
          const csl = tokens.join(" ");
          expectKustoShaped(csl, await post(csl));
        },
      ),
      { numRuns: 150, seed: 13 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60 }), async (csl) => {
        if (csl.trim() === "") return;
        expectKustoShaped(csl, await post(csl));
      }),
      { numRuns: 60, seed: 31 },
    );
  }, 120_000);
});
