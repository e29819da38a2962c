import { describe, expect, it } from "vitest";
import { loadQueryCatalog, QUERY_NAMES } from "../../../src/app/query-catalog.js";
import { analyse } from "../../../src/kusto-engine/language.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";

const catalog = loadQueryCatalog();
const queries = QUERY_NAMES.map((n) => catalog[n]);

describe("queries/*.kql", () => {
  it.each(queries)("$file has zero diagnostics from the official parser", ({ text }) => {
    expect(analyse(text, ATTEST_SCHEMA).diagnostics).toEqual([]);
  });

  it.each(queries)("$file starts with declare query_parameters", ({ text, parameters }) => {
    expect(text.trimStart().startsWith("declare query_parameters(")).toBe(true);
    expect(parameters).toContain("rowCap");
  });

  it.each(queries)("$file filters on time directly after each table", ({ text }) => {
    const tableUses = [
      ...text.matchAll(
        /\b(MonSQLSystemHealth|MonAnalyticsDBSnapshot|MonTenantRingCapacity)\s*\n\s*\|\s*([^\n]*)/g,
      ),
    ];
    expect(tableUses.length).toBeGreaterThan(0);
    for (const use of tableUses) expect(use[2]).toMatch(/^where TIMESTAMP >= windowStart/);
  });

  it.each(queries)("$file matches servers exactly, never with contains", ({ text }) => {
    expect(text).not.toMatch(/(LogicalServerName|logical_server_name)\s+(contains|has|startswith)/);
    if (text.includes("server:string"))
      expect(text).toMatch(/(LogicalServerName|logical_server_name) =~ server/);
  });

  it.each(queries)("$file caps its rows", ({ text }) => {
    expect(text).toMatch(/\|\s*take rowCap\s*$/);
  });
});
