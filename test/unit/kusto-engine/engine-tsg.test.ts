import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { formatKustoDatetime } from "../../../src/kusto-engine/format.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import { type KqlValue, KustoError, type ResultTable } from "../../../src/kusto-engine/types.js";
import {
  healthRow,
  TSG_4_1_FORBIDDEN,
  TSG_4_2_WRONG_URL,
  TSG_4_3_POLICY,
  TSG_ENCLAVE_LOAD,
  TSG_QUERIES,
  TSG_SAMPLE,
  TSG_STEP2_AS_PRINTED,
  TSG_STEP2_COMPLETED,
} from "../../fixtures/tsg-queries.js";

const MIN = 60_000;
const { enclaveLoaded, forbidden, wrongUrl } = TSG_SAMPLE;

/** The guide's sample rows plus decoys that each filter of the guide's queries must drop (or keep). */
const rows: KqlValue[][] = [
  healthRow(enclaveLoaded),
  healthRow(forbidden),
  healthRow(wrongUrl),
  // Outside the 30 minute window of the enclave query (one hour before the sample).
  healthRow({ ...enclaveLoaded, TIMESTAMP: enclaveLoaded.TIMESTAMP - 60 * MIN, message: "older load" }),
  // `contains "DB.23"` is a substring match: DB.230 matches too (as on a real cluster).
  healthRow({ ...enclaveLoaded, TIMESTAMP: enclaveLoaded.TIMESTAMP - 5 * MIN, NodeName: "DB.230" }),
  // `contains` is case-insensitive and matches inside longer names.
  healthRow({
    ...forbidden,
    TIMESTAMP: forbidden.TIMESTAMP - 10 * MIN,
    LogicalServerName: "SGXTESTUKSOUTHSRV-dr",
  }),
  // Another server, same error.
  healthRow({ ...forbidden, TIMESTAMP: forbidden.TIMESTAMP - 11 * MIN, LogicalServerName: "contoso-prod" }),
  // Outside the 3 hour window.
  healthRow({ ...forbidden, TIMESTAMP: forbidden.TIMESTAMP - 4 * 60 * MIN }),
  // Other error ids (noise).
  healthRow({ ...wrongUrl, TIMESTAMP: wrongUrl.TIMESTAMP - MIN, error_id: 18456, message: "Login failed" }),
];

const engine = new KustoEngine(ATTEST_SCHEMA, new Map([["MonSQLSystemHealth", { rows }]]));

/** Rows of the single result as objects, datetimes in Kusto's text form. */
function objects(tables: ResultTable[]): Record<string, KqlValue>[] {
  expect(tables).toHaveLength(1);
  const t = tables[0]!;
  return t.rows.map((r) =>
    Object.fromEntries(
      t.columns.map((c, i) => [
        c.name,
        c.type === "datetime" && typeof r[i] === "number"
          ? formatKustoDatetime(r[i] as number)
          : (r[i] ?? null),
      ]),
    ),
  );
}

describe("the troubleshooting guide's queries, verbatim", () => {
  it("Step 4 enclave load: 30 minute window, contains on server and node, newest first", () => {
    const now = enclaveLoaded.TIMESTAMP + 10 * MIN;
    const result = engine.execute(TSG_ENCLAVE_LOAD.text, { now });
    expect(result[0]?.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "TIMESTAMP:datetime",
      "NodeName:string",
      "AppName:string",
      "error_id:long",
      "message:string",
    ]);
    expect(objects(result)).toEqual([
      {
        TIMESTAMP: "2021-01-04T22:30:44.3135540Z",
        NodeName: "DB.23",
        AppName: "db6df7be41cd",
        error_id: 37308,
        message: "2021-01-04 22:28:48.26 Server Loaded SGX enclave for Always Encrypted.",
      },
      expect.objectContaining({ TIMESTAMP: "2021-01-04T22:25:44.3135540Z", NodeName: "DB.230" }),
    ]);
  });

  it("Step 4.1 (37324, 3 hours) returns the [Filtered Args] row and the look-alike server, not the others", () => {
    const now = forbidden.TIMESTAMP + 30 * MIN;
    const out = objects(engine.execute(TSG_4_1_FORBIDDEN.text, { now }));
    // (float64 epoch ms keep ~2 ticks of precision: compare with the formatted sample, not the printed digits)
    expect(out.map((r) => r.TIMESTAMP)).toEqual([
      formatKustoDatetime(forbidden.TIMESTAMP),
      formatKustoDatetime(forbidden.TIMESTAMP - 10 * MIN),
    ]);
    expect(out[0]?.message).toContain("[Filtered Args]");
    expect(Object.keys(out[0] ?? {})).toEqual(["TIMESTAMP", "NodeName", "AppName", "error_id", "message"]);
  });

  it("Step 4.2 (37303) returns the 0x00002ee7 row with three columns", () => {
    const now = wrongUrl.TIMESTAMP + 5 * MIN;
    expect(objects(engine.execute(TSG_4_2_WRONG_URL.text, { now }))).toEqual([
      { TIMESTAMP: "2021-01-05T00:48:44.7470471Z", error_id: 37303, message: wrongUrl.message },
    ]);
  });

  it("Step 4.3 (37324 again, window filter before error filter) returns the same rows as 4.1", () => {
    const now = forbidden.TIMESTAMP + 30 * MIN;
    const out = objects(engine.execute(TSG_4_3_POLICY.text, { now }));
    expect(out.map((r) => [r.TIMESTAMP, r.error_id])).toEqual([
      [formatKustoDatetime(forbidden.TIMESTAMP), 37324],
      [formatKustoDatetime(forbidden.TIMESTAMP - 10 * MIN), 37324],
    ]);
  });

  it("Step 2 as printed is cut off inside a string: rejected with the parser's own error", () => {
    let error: unknown;
    try {
      engine.execute(TSG_STEP2_AS_PRINTED.text, { now: 0 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KustoError);
    expect((error as KustoError).kind).toBe("syntax");
    expect((error as KustoError).code).toMatch(/^(KS|SYN)\d+/);
  });

  it("Step 2 with the closing quote gives the ring (ClusterName) of the database, one row", () => {
    expect(objects(engine.execute(TSG_STEP2_COMPLETED.text, { now: 0 }))).toEqual([
      { ClusterName: "tr1850.uksouth1-a.worker.database.windows.net" },
    ]);
  });

  it("every runnable guide query passes the official parser and runs", () => {
    for (const q of TSG_QUERIES)
      expect(() => engine.execute(q.text, { now: Date.now() }), q.id).not.toThrow();
  });

  const seeds = "../shared/seeds";
  const guide = existsSync(seeds) ? readdirSync(seeds).find((f) => f.startsWith("000_")) : undefined;
  it.skipIf(!guide)("the fixture's texts appear verbatim in the guide", () => {
    const text = readFileSync(`${seeds}/${guide}`, "utf8");
    for (const q of [TSG_STEP2_AS_PRINTED, ...TSG_QUERIES.filter((q) => q !== TSG_STEP2_COMPLETED)]) {
      expect(text.includes(q.text), q.id).toBe(true);
    }
  });
});
