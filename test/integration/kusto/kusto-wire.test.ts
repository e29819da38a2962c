/**
 * The real azure-kusto-data client against the real engine served over HTTP: the guide's queries
 * verbatim, parameters, management commands, Kusto-shaped errors, and every fault setting.
 */
import type { Client } from "azure-kusto-data";
import { ClientRequestProperties } from "azure-kusto-data";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseIsoDatetime } from "../../../src/kusto-engine/data-file.js";
import { formatKustoDatetime } from "../../../src/kusto-engine/format.js";
import {
  TSG_4_1_FORBIDDEN,
  TSG_4_2_WRONG_URL,
  TSG_4_3_POLICY,
  TSG_ENCLAVE_LOAD,
  TSG_SAMPLE,
  TSG_STEP2_AS_PRINTED,
  TSG_STEP2_COMPLETED,
} from "../../fixtures/tsg-queries.js";
import { GUIDE_RING, GUIDE_SERVER, scenarioData } from "./scenarios.js";
import { DATABASE, type Served, sdkClient, serveData } from "./served.js";

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const ago = (minutes: number) => formatKustoDatetime(NOW - minutes * 60_000);

let served: Served;
let client: Client;
beforeAll(async () => {
  served = await serveData(scenarioData(NOW), NOW);
  client = sdkClient(served.server.url);
});
afterAll(async () => {
  client.close();
  await served.server.close();
});
beforeEach(() => served.server.setFaults(null));

/** Raw rows of the primary results, as the wire carried them. */
async function rawRows(text: string, props?: ClientRequestProperties): Promise<unknown[][][]> {
  const response = await client.execute(DATABASE, text, props);
  return response.primaryResults.map((t) => [...t.rows()].map((r) => [...(r.raw as unknown[])]));
}

// biome-ignore lint/suspicious/noExplicitAny: Kusto's error body is untyped JSON, inspected by the assertions.
type ErrorBody = { error: Record<string, any> };
type SdkError = Error & {
  code?: string;
  response?: { status: number; data: ErrorBody; headers: Record<string, string> };
};

/** What the SDK threw (an AxiosError for HTTP errors, ThrottlingError for 429, Error for HasErrors). */
async function failure(text: string, props?: ClientRequestProperties): Promise<SdkError> {
  try {
    await client.execute(DATABASE, text, props);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe("the troubleshooting guide's queries, verbatim, through the SDK", () => {
  it("step 4 option 1: the enclave load event on DB.23 in the last 30 minutes", async () => {
    expect(await rawRows(TSG_ENCLAVE_LOAD.text)).toEqual([
      [
        [
          ago(10),
          "DB.23",
          "db6df7be41cd",
          37308,
          "2021-01-04 22:28:48.26 Server Loaded SGX enclave for Always Encrypted.",
        ],
      ],
    ]);
  });

  it("step 4.1: 37324 rows in 3h, newest first; `contains` also matches the server sharing the prefix", async () => {
    const [rows] = await rawRows(TSG_4_1_FORBIDDEN.text);
    expect(rows?.map((r) => [r[0], r[1], r[3]])).toEqual([
      [ago(20), "DB.23", 37324],
      [ago(30), "DB.7", 37324],
      [ago(40), "DB.24", 37324],
      [ago(60), "DB.23", 37324],
    ]);
    expect(String(rows?.[3]?.[4])).toContain("[Filtered Args]");
  });

  it("step 4.2: the 37303 0x00002ee7 row", async () => {
    const [rows] = await rawRows(TSG_4_2_WRONG_URL.text);
    expect(rows).toHaveLength(1);
    expect(rows?.[0]?.slice(0, 2)).toEqual([ago(120), 37303]);
    expect(String(rows?.[0]?.[2])).toContain("status: 0x00002ee7");
  });

  it("step 4.3: same rows as 4.1 with three columns", async () => {
    const response = await client.execute(DATABASE, TSG_4_3_POLICY.text);
    const table = response.primaryResults[0];
    expect(table?.columns.map((c) => [c.name, c.type])).toEqual([
      ["TIMESTAMP", "datetime"],
      ["error_id", "long"],
      ["message", "string"],
    ]);
    expect([...(table?.rows() ?? [])].map((r) => (r.raw as unknown[])[0])).toEqual([
      ago(20),
      ago(30),
      ago(40),
      ago(60),
    ]);
    // The SDK turns datetimes into Date objects: the 7-digit fraction parses.
    expect([...(table?.rows() ?? [])][0]?.toJSON().TIMESTAMP).toEqual(new Date(NOW - 20 * 60_000));
  });

  it("step 2 (string closed): the cluster the database sits on", async () => {
    expect(await rawRows(TSG_STEP2_COMPLETED.text)).toEqual([[[GUIDE_RING]]]);
  });

  it("step 2 as printed (string cut off at the line end) is rejected with HTTP 400, as a cluster would", async () => {
    const error = await failure(TSG_STEP2_AS_PRINTED.text);
    expect(error.response?.status).toBe(400);
    expect(error.response?.data.error.code).toBe("General_BadRequest");
  });
});

describe("the guide's printed sample rows come back as the guide prints them", () => {
  const sampleData = () => ({
    MonSQLSystemHealth: Object.values(TSG_SAMPLE).map((row) => ({
      ...row,
      TIMESTAMP: formatKustoDatetime(row.TIMESTAMP),
    })),
  });

  it.each([
    [
      "step 4 option 1",
      TSG_ENCLAVE_LOAD.text,
      "2021-01-04T22:45:00Z",
      [["2021-01-04T22:30:44.3135540Z", "DB.23", 37308]],
    ],
    [
      "step 4.1",
      TSG_4_1_FORBIDDEN.text,
      "2021-01-05T01:00:00Z",
      [["2021-01-04T23:24:44.4875839Z", "DB.23", 37324]],
    ],
  ])("%s", async (_, text, now, expected) => {
    const guide = await serveData(sampleData(), Date.parse(now));
    const guideClient = sdkClient(guide.server.url);
    try {
      const response = await guideClient.execute(DATABASE, text);
      const rows = [...(response.primaryResults[0]?.rows() ?? [])].map((r) => r.raw as unknown[]);
      expect(rows.map((r) => [r[1], r[3]])).toEqual(expected.map(([, node, id]) => [node, id]));
      // The 7-digit text as Kusto prints it. Epoch-ms doubles hold about 2.4 ticks (100 ns) of
      // precision at these dates, so the last digit may differ by one or two (see the report).
      const ts = String(rows[0]?.[0]);
      expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
      const drift = (parseIsoDatetime(ts) ?? 0) - (parseIsoDatetime(String(expected[0]?.[0])) ?? Number.NaN);
      expect(Math.abs(drift)).toBeLessThanOrEqual(0.0003);
    } finally {
      guideClient.close();
      await guide.server.close();
    }
  });

  it("step 4.2 gives the 0x00002ee7 row with the guide's timestamp", async () => {
    const guide = await serveData(sampleData(), Date.parse("2021-01-05T01:00:00Z"));
    const guideClient = sdkClient(guide.server.url);
    try {
      const response = await guideClient.execute(DATABASE, TSG_4_2_WRONG_URL.text);
      expect([...(response.primaryResults[0]?.rows() ?? [])].map((r) => r.raw)).toEqual([
        [formatKustoDatetime(TSG_SAMPLE.wrongUrl.TIMESTAMP), 37303, TSG_SAMPLE.wrongUrl.message],
      ]);
    } finally {
      guideClient.close();
      await guide.server.close();
    }
  });
});

describe("parameters, management commands", () => {
  it("takes parameters from ClientRequestProperties.setParameter", async () => {
    const props = new ClientRequestProperties();
    props.setParameter("server", GUIDE_SERVER);
    // 60 minutes back: the 37303 two hours ago is left out, the 37324 exactly at `since` is in.
    props.setParameter("since", "datetime(2026-11-24T08:00:00Z)");
    const text = `declare query_parameters(server:string, since:datetime);
MonSQLSystemHealth | where LogicalServerName == server and TIMESTAMP >= since | summarize n = count() by error_id | order by error_id asc`;
    expect(await rawRows(text, props)).toEqual([
      [
        [18456, 1],
        [37308, 1],
        [37324, 3],
      ],
    ]);
    const body = served.server.requests.at(-1)?.body as { csl: string; properties: { Parameters: unknown } };
    expect(body.csl).toBe(text);
    expect(body.properties.Parameters).toEqual({
      server: GUIDE_SERVER,
      since: "datetime(2026-11-24T08:00:00Z)",
    });
  });

  it.each([
    ["a number for a long", "n:long", 5, 5],
    ["a real number for a real", "n:real", 1.5, 1.5],
    ["a boolean for a bool", "n:bool", true, true],
    ["a number for a string", "n:string", 42, "42"],
  ])("setParameter with %s reaches the query as that value", async (_, decl, value, expected) => {
    const props = new ClientRequestProperties();
    props.setParameter("n", value);
    expect(await rawRows(`declare query_parameters(${decl}); print v = n`, props)).toEqual([[[expected]]]);
    const body = served.server.requests.at(-1)?.body as { properties: { Parameters: unknown } };
    expect(body.properties.Parameters).toEqual({ n: value });
  });

  it("real infinities and NaN travel as Kusto writes them: the strings Infinity, -Infinity, NaN", async () => {
    expect(await rawRows("print a = 1.0 / 0, b = -1.0 / 0, c = 0.0 / 0, d = 2.5")).toEqual([
      [["Infinity", "-Infinity", "NaN", 2.5]],
    ]);
  });

  it("several statements give one primary result each", async () => {
    const tables = await rawRows("MonTenantRingCapacity | count; MonAnalyticsDBSnapshot | count");
    expect(tables).toEqual([[[3]], [[4]]]);
  });

  it(".show tables and .show version through /v1/rest/mgmt", async () => {
    const tables = await client.execute(DATABASE, ".show tables");
    expect([...(tables.primaryResults[0]?.rows() ?? [])].map((r) => r.toJSON().TableName)).toEqual([
      "MonSQLSystemHealth",
      "MonAnalyticsDBSnapshot",
      "MonTenantRingCapacity",
    ]);
    const version = await client.execute(DATABASE, ".show version");
    expect([...(version.primaryResults[0]?.rows() ?? [])][0]?.toJSON().BuildVersion).toMatch(/embedded/);
  });

  it("an unknown management command is a 400 Kusto error", async () => {
    const error = await failure(".drop table MonSQLSystemHealth");
    expect(error.response?.status).toBe(400);
    expect(error.response?.data.error["@message"]).toContain(".drop table");
  });
});

describe("bad queries: HTTP 400 in Kusto's shape, surfaced by the SDK", () => {
  it.each([
    ["an unknown column", "MonSQLSystemHealth | where bogus_column == 1", /bogus_column/],
    ["an unknown table", "NoSuchTable | take 1", /NoSuchTable/],
    [
      "unsupported syntax",
      "MonSQLSystemHealth | make-series n = count() on TIMESTAMP step 1h",
      /make-series/,
    ],
    ["a parameter of the wrong type", "declare query_parameters(n:long); MonSQLSystemHealth | take n", /n/],
  ])("%s", async (name, text, names) => {
    const props = new ClientRequestProperties();
    if (name.startsWith("a parameter")) props.setParameter("n", "not-a-number");
    const error = await failure(text, props);
    expect(error.name).toBe("AxiosError");
    expect(error.response?.status).toBe(400);
    const body = error.response?.data.error ?? {};
    expect(body).toMatchObject({
      code: "General_BadRequest",
      message: "Request is invalid and cannot be executed.",
      "@permanent": true,
    });
    expect(body["@type"]).toMatch(/^Kusto\.Data\.Exceptions\./);
    expect(body["@message"]).toMatch(/^Request is invalid and cannot be processed: .+: [A-Za-z]+\d*: /);
    expect(body["@message"]).toMatch(names);
    expect(body["@context"].activityId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("fault settings, as the SDK sees them", () => {
  it("latencyMs: the answer still comes", async () => {
    served.server.setFaults({ latencyMs: 100 });
    expect(await rawRows("MonTenantRingCapacity | count")).toEqual([[[3]]]);
  });

  it("slowBodyMs: frames streamed slowly still parse to the same rows", async () => {
    served.server.setFaults({ slowBodyMs: 30 });
    expect(await rawRows(TSG_ENCLAVE_LOAD.text)).toHaveLength(1);
  });

  it("throttle: 429 with Retry-After becomes the SDK's ThrottlingError", async () => {
    served.server.setFaults({ throttle: { retryAfterSeconds: 3 } });
    const error = (await failure("MonTenantRingCapacity | count")) as Error & {
      inner?: { response?: { status: number; headers: Record<string, string> } };
    };
    expect(error.name).toBe("ThrottlingError");
    expect(error.inner?.response?.status).toBe(429);
    expect(error.inner?.response?.headers["retry-after"]).toBe("3");
  });

  it.each([500, 503])(
    "status5xx %i: an AxiosError with that status and Kusto's error body",
    async (status) => {
      served.server.setFaults({ status5xx: status });
      const error = await failure("MonTenantRingCapacity | count");
      expect(error.response?.status).toBe(status);
      expect(error.response?.data.error["@permanent"]).toBe(false);
    },
  );

  it("partialFailure: 200 with HasErrors, which the SDK raises as an error naming Kusto's message", async () => {
    served.server.setFaults({ partialFailure: { afterRows: 1 } });
    const error = await failure(TSG_4_1_FORBIDDEN.text);
    expect(error.message).toMatch(/^Kusto request had errors\./);
    expect(error.message).toContain("Query execution has exceeded the allowed limits");
  });

  it("stall: no answer; the SDK's client timeout fires", async () => {
    served.server.setFaults({ stall: true });
    const props = new ClientRequestProperties();
    props.setClientTimeout(300);
    const error = await failure("MonTenantRingCapacity | count", props);
    expect(error.name).toBe("AxiosError");
    expect(error.code).toBe("ECONNABORTED");
  });
});
