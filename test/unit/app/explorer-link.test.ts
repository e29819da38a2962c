import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { explorerLink, kqlString, runnableQuery } from "../../../src/app/explorer-link.js";
import { analyse } from "../../../src/kusto-engine/language.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";

const text = `declare query_parameters(server:string, windowStart:datetime, rowCap:long = 50);
MonSQLSystemHealth
| where TIMESTAMP >= windowStart
| where LogicalServerName =~ server
| take rowCap`;

describe("Open in Azure Data Explorer", () => {
  it("escapes KQL string literals", () => {
    expect(kqlString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });

  it("replaces the parameter declaration by let bindings of the values used (defaults kept)", () => {
    const q = runnableQuery(text, {
      server: 'evil" | take 1',
      windowStart: "datetime(2026-11-24T00:00:00Z)",
    });
    expect(q).toContain('let server = "evil\\" | take 1";');
    expect(q).toContain("let windowStart = datetime(2026-11-24T00:00:00Z);");
    expect(q).toContain("let rowCap = 50;");
    expect(q).not.toContain("declare query_parameters");
    // The runnable query is valid KQL for the schema (a real cluster would accept it).
    expect(analyse(q, ATTEST_SCHEMA).diagnostics).toEqual([]);
  });

  it("links to the cluster and database with base64(gzip(query)), none for the embedded engine", () => {
    const target = { clusterUrl: "https://help.kusto.windows.net", database: "sqlazure1", embedded: false };
    const link = explorerLink(target, {
      text,
      parameters: { server: "s1", windowStart: "datetime(2026-11-24)" },
    });
    expect(link).not.toBeNull();
    const url = new URL(link as string);
    expect(url.origin).toBe("https://dataexplorer.azure.com");
    expect(url.pathname).toBe("/clusters/help.kusto.windows.net/databases/sqlazure1");
    const query = gunzipSync(Buffer.from(url.searchParams.get("query") ?? "", "base64")).toString("utf8");
    expect(query).toContain('let server = "s1";');
    expect(explorerLink({ ...target, embedded: true }, { text, parameters: {} })).toBeNull();
  });
});
