import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DataFileError,
  loadDataFile,
  parseIsoDatetime,
  tablesFromJson,
} from "../../../src/kusto-engine/data-file.js";
import { ATTEST_SCHEMA, MonSQLSystemHealth } from "../../../src/kusto-engine/schema.js";

const dir = mkdtempSync(join(tmpdir(), "attest-data-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const col = (name: string) => MonSQLSystemHealth.columns.findIndex((c) => c.name === name);

describe("tablesFromJson", () => {
  it("converts values by column type, fills missing columns with null and absent tables with no rows", () => {
    const tables = tablesFromJson(
      {
        MonSQLSystemHealth: [
          {
            TIMESTAMP: "2021-01-04T22:30:44.3135540Z",
            LogicalServerName: "sgxtestuksouthsrv",
            error_id: 37308,
            message: "Server Loaded SGX enclave for Always Encrypted.",
          },
        ],
      },
      ATTEST_SCHEMA,
      "t.json",
    );
    const row = tables.get("MonSQLSystemHealth")?.rows[0];
    expect(row).toBeDefined();
    expect(row?.[col("TIMESTAMP")]).toBeCloseTo(Date.UTC(2021, 0, 4, 22, 30, 44) + 313.554, 6);
    expect(row?.[col("LogicalServerName")]).toBe("sgxtestuksouthsrv");
    expect(row?.[col("error_id")]).toBe(37308);
    expect(row?.[col("NodeName")]).toBeNull();
    expect(row).toHaveLength(MonSQLSystemHealth.columns.length);
    expect(tables.get("MonAnalyticsDBSnapshot")?.rows).toEqual([]);
    expect(tables.get("MonTenantRingCapacity")?.rows).toEqual([]);
  });

  it("reads datetimes without a zone as UTC, and the space-separated form Kusto prints", () => {
    expect(parseIsoDatetime("2021-01-04 22:30:44")).toBe(Date.UTC(2021, 0, 4, 22, 30, 44));
    expect(parseIsoDatetime("2021-01-04T22:30:44+01:00")).toBe(Date.UTC(2021, 0, 4, 21, 30, 44));
    expect(parseIsoDatetime("2021-02-30T00:00:00Z")).toBeNull();
    expect(parseIsoDatetime("yesterday")).toBeNull();
  });

  const bad: { name: string; json: unknown; message: RegExp; where: Partial<DataFileError> }[] = [
    {
      name: "unknown table",
      json: { MonNothing: [] },
      message: /^f\.json: table MonNothing: unknown table; expected one of MonSQLSystemHealth/,
      where: { table: "MonNothing", row: null, column: null },
    },
    {
      name: "unknown column",
      json: { MonSQLSystemHealth: [{}, { Bogus: 1 }] },
      message: /^f\.json: table MonSQLSystemHealth, row 1, column Bogus: unknown column/,
      where: { table: "MonSQLSystemHealth", row: 1, column: "Bogus" },
    },
    {
      name: "string in a long column",
      json: { MonSQLSystemHealth: [{ error_id: "37324" }] },
      message: /row 0, column error_id: got string "37324"; expected long: an integer or null/,
      where: { row: 0, column: "error_id" },
    },
    {
      name: "number in a datetime column",
      json: { MonSQLSystemHealth: [{ TIMESTAMP: 1609799444313 }] },
      message: /column TIMESTAMP: got number 1609799444313; expected datetime: an ISO-8601 datetime string/,
      where: { column: "TIMESTAMP" },
    },
    {
      name: "unparseable datetime",
      json: { MonSQLSystemHealth: [{ TIMESTAMP: "04/01/2021" }] },
      message: /column TIMESTAMP: got string "04\/01\/2021"; expected datetime/,
      where: { column: "TIMESTAMP" },
    },
    {
      name: "number in a string column",
      json: { MonAnalyticsDBSnapshot: [{ logical_server_name: 5 }] },
      message:
        /table MonAnalyticsDBSnapshot, row 0, column logical_server_name: got number 5; expected string/,
      where: { table: "MonAnalyticsDBSnapshot" },
    },
    {
      name: "fractional long",
      json: { MonTenantRingCapacity: [{ nodes: 2.5 }] },
      message: /column nodes: got number 2.5; expected long/,
      where: { column: "nodes" },
    },
    {
      name: "a row that is not an object",
      json: { MonSQLSystemHealth: [["a"]] },
      message: /table MonSQLSystemHealth, row 0: got array \["a"\]; expected an object/,
      where: { row: 0, column: null },
    },
    {
      name: "a table that is not an array",
      json: { MonSQLSystemHealth: { a: 1 } },
      message: /table MonSQLSystemHealth: got object \{"a":1\}; expected an array of row objects/,
      where: { row: null },
    },
    {
      name: "top level not an object",
      json: [1],
      message: /^f\.json: got array \[1\]; expected a JSON object/,
      where: { table: null },
    },
  ];

  it.each(bad)("rejects $name, naming where and what", ({ json, message, where }) => {
    let caught: unknown;
    try {
      tablesFromJson(json, ATTEST_SCHEMA, "f.json");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataFileError);
    expect((caught as Error).message).toMatch(message);
    expect(caught).toMatchObject({ source: "f.json", ...where });
  });
});

describe("loadDataFile", () => {
  it("loads a file", () => {
    const file = join(dir, "ok.json");
    writeFileSync(
      file,
      JSON.stringify({ MonTenantRingCapacity: [{ tenant_ring_name: "tr1850", vm_size: "SQLDCGen6_2" }] }),
    );
    expect(loadDataFile(file, ATTEST_SCHEMA).get("MonTenantRingCapacity")?.rows).toHaveLength(1);
  });

  it("names the file when it is missing or not JSON", () => {
    const missing = join(dir, "missing.json");
    expect(() => loadDataFile(missing, ATTEST_SCHEMA)).toThrow(`${missing}: cannot read the file (ENOENT)`);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    expect(() => loadDataFile(broken, ATTEST_SCHEMA)).toThrow(new RegExp(`^${broken}: not valid JSON`));
  });

  it("names the file, table, row and column of a bad value", () => {
    const file = join(dir, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({ MonSQLSystemHealth: [{ error_id: 1 }, { error_id: 2 }, { error_id: true }] }),
    );
    expect(() => loadDataFile(file, ATTEST_SCHEMA)).toThrow(
      `${file}: table MonSQLSystemHealth, row 2, column error_id: got boolean true; expected long: an integer or null`,
    );
  });
});
