/**
 * The wire server's protocol layer over raw HTTP (fetch), with a tiny engine stand-in that
 * implements the same `execute` interface. The real engine behind the real SDK is covered by
 * test/integration/kusto-wire.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type KustoServer,
  type QueryEngine,
  startKustoServer,
} from "../../../src/kusto-engine/server/kusto-server.js";
import { KustoError, type ResultTable } from "../../../src/kusto-engine/types.js";

const NOW = Date.UTC(2021, 0, 4, 22, 30, 44) + 313.554;

const seen: { text: string; now: number; parameters: Record<string, string> | undefined }[] = [];

const fakeEngine: QueryEngine = {
  execute(text, options) {
    seen.push({ text, now: options.now, parameters: options.parameters });
    if (text.includes("bogus"))
      throw new KustoError("syntax", "KS142", "The name 'bogus' does not refer to any known column");
    if (text.includes("boom")) throw new KustoError("runtime", "E_RUNTIME", "division by zero in extend");
    if (text.includes("crash")) throw new TypeError("engine bug");
    const table: ResultTable = {
      name: "PrimaryResult",
      columns: [
        { name: "TIMESTAMP", type: "datetime" },
        { name: "Elapsed", type: "timespan" },
        { name: "error_id", type: "long" },
        { name: "message", type: "string" },
        { name: "props", type: "dynamic" },
      ],
      rows: [
        [NOW, 90_061_001.5, 37324, "first", { a: 1 }],
        [null, 1500, 37303, "second", null],
        [NOW, 0, 37308, "third", [1, 2]],
      ],
    };
    return text.includes("two") ? [table, { ...table, rows: [] }] : [table];
  },
};

let server: KustoServer;
beforeAll(async () => {
  server = await startKustoServer({ engine: fakeEngine, now: () => NOW, recordRequests: true });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.setFaults(null);
  seen.length = 0;
});

const query = (body: unknown, path = "/v2/rest/query", headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

// biome-ignore lint/suspicious/noExplicitAny: frames are inspected loosely in assertions.
type Json = any;

describe("POST /v2/rest/query", () => {
  it("answers v2 frames: header, @ExtendedProperties, one PrimaryResult per table, completion info, completion", async () => {
    const res = await query(
      { db: "sqlazure1", csl: "T | two", properties: { Options: { servertimeout: "00:00:10" } } },
      undefined,
      { "x-ms-client-request-id": "attest-bot;abc" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ms-client-request-id")).toBe("attest-bot;abc");
    expect(res.headers.get("x-ms-activity-id")).toMatch(/^[0-9a-f-]{36}$/);
    const frames = (await res.json()) as Json[];
    expect(frames.map((f) => [f.FrameType, f.TableKind, f.TableId])).toEqual([
      ["DataSetHeader", undefined, undefined],
      ["DataTable", "QueryProperties", 0],
      ["DataTable", "PrimaryResult", 1],
      ["DataTable", "PrimaryResult", 2],
      ["DataTable", "QueryCompletionInformation", 3],
      ["DataSetCompletion", undefined, undefined],
    ]);
    expect(frames[0]).toEqual({ FrameType: "DataSetHeader", IsProgressive: false, Version: "v2.0" });
    expect(frames[1].TableName).toBe("@ExtendedProperties");
    expect(frames[1].Rows.map((r: Json[]) => r.slice(0, 2))).toEqual([
      [1, "Visualization"],
      [2, "Visualization"],
    ]);
    expect(frames[2].TableName).toBe("PrimaryResult");
    expect(frames[2].Columns).toEqual([
      { ColumnName: "TIMESTAMP", ColumnType: "datetime" },
      { ColumnName: "Elapsed", ColumnType: "timespan" },
      { ColumnName: "error_id", ColumnType: "long" },
      { ColumnName: "message", ColumnType: "string" },
      { ColumnName: "props", ColumnType: "dynamic" },
    ]);
    expect(frames[2].Rows).toEqual([
      ["2021-01-04T22:30:44.3135540Z", "1.01:01:01.0015000", 37324, "first", { a: 1 }],
      [null, "00:00:01.5000000", 37303, "second", null],
      ["2021-01-04T22:30:44.3135540Z", "00:00:00", 37308, "third", [1, 2]],
    ]);
    expect(frames[3].Rows).toEqual([]);
    const info = frames[4];
    expect(info.Columns.map((c: Json) => c.ColumnName)).toEqual([
      "Timestamp",
      "ClientRequestId",
      "ActivityId",
      "SubActivityId",
      "ParentActivityId",
      "Level",
      "LevelName",
      "StatusCode",
      "StatusCodeName",
      "EventType",
      "EventTypeName",
      "Payload",
    ]);
    expect(info.Rows[0].slice(5, 7)).toEqual([4, "Info"]);
    expect(info.Rows[0][1]).toBe("attest-bot;abc");
    expect(frames[5]).toEqual({ FrameType: "DataSetCompletion", HasErrors: false, Cancelled: false });
    expect(seen[0]).toEqual({ text: "T | two", now: NOW, parameters: {} });
  });

  it.each([
    ["an object", { Parameters: { server: "sgx", rowCap: "10" } }],
    ["a JSON string", JSON.stringify({ Parameters: { server: "sgx", rowCap: "10" } })],
  ])("reads parameters from properties.Parameters given as %s", async (_, properties) => {
    const res = await query({ db: "sqlazure1", csl: "T", properties });
    expect(res.status).toBe(200);
    expect(seen[0]?.parameters).toEqual({ server: "sgx", rowCap: "10" });
  });

  it("answers a rejected query with HTTP 400 in Kusto's error shape, naming the KS code", async () => {
    const res = await query({ db: "sqlazure1", csl: "T | where bogus == 1" }, undefined, {
      "x-ms-client-request-id": "attest-bot;x",
    });
    expect(res.status).toBe(400);
    const body: Json = await res.json();
    expect(body.error).toMatchObject({
      code: "General_BadRequest",
      message: "Request is invalid and cannot be executed.",
      "@type": "Kusto.Data.Exceptions.SemanticException",
      "@permanent": true,
      "@errorCode": "KS142",
    });
    expect(body.error["@message"]).toBe(
      "Request is invalid and cannot be processed: Semantic error: KS142: The name 'bogus' does not refer to any known column",
    );
    expect(body.error["@context"]).toMatchObject({ clientRequestId: "attest-bot;x" });
  });

  it("reports a runtime failure as 200 with HasErrors and OneApiErrors", async () => {
    const res = await query({ db: "sqlazure1", csl: "T | boom" });
    expect(res.status).toBe(200);
    const frames = (await res.json()) as Json[];
    const last = frames.at(-1);
    expect(last).toMatchObject({ FrameType: "DataSetCompletion", HasErrors: true, Cancelled: false });
    expect(last.OneApiErrors[0].error["@message"]).toContain("E_RUNTIME: division by zero in extend");
    const info = frames.find((f) => f.TableKind === "QueryCompletionInformation");
    expect(info.Rows[0].slice(5, 7)).toEqual([2, "Error"]);
  });

  it("answers an engine bug with a Kusto-shaped 400 naming the failure (no 500, no stack), not a silent empty result", async () => {
    const res = await query({ db: "sqlazure1", csl: "crash" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(body.error.code).toBe("General_BadRequest");
    expect(body.error["@errorCode"]).toBe("EmbeddedEngineFailure");
    expect(body.error["@message"]).toContain("engine bug");
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
  });

  it.each([
    ["not JSON", "{", /not valid JSON/],
    ["no csl", { db: "sqlazure1" }, /'csl'/],
    [
      "an object parameter",
      { db: "sqlazure1", csl: "T", properties: { Parameters: { n: { a: 1 } } } },
      /'n' must be given as a string \(the KQL literal\), a number or a boolean, got object/,
    ],
    [
      "a null parameter",
      { db: "sqlazure1", csl: "T", properties: { Parameters: { n: null } } },
      /'n' must be given as a string \(the KQL literal\), a number or a boolean, got null/,
    ],
    [
      "an unknown database",
      { db: "otherdb", csl: "T" },
      /Entity ID 'otherdb' of kind 'Database' was not found/,
    ],
  ])("rejects %s with 400", async (_, body, message) => {
    const res = await query(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error["@message"]).toMatch(message);
    expect(seen).toEqual([]);
  });

  it.each([
    ["a whole number", 5, "5"],
    ["a negative real", -1.5, "-1.5"],
    ["a large number", 1e21, "1e+21"],
    ["true", true, "true"],
    ["false", false, "false"],
    ["a string", "3h", "3h"],
  ])(
    "takes a parameter given as %s (as the SDK's setParameter sends it) as its KQL literal text",
    async (_, value, text) => {
      const res = await query({ db: "sqlazure1", csl: "T", properties: { Parameters: { n: value } } });
      expect(res.status).toBe(200);
      expect(seen.map((s) => s.parameters)).toEqual([{ n: text }]);
    },
  );
});

describe("POST /v1/rest/mgmt", () => {
  it("answers .show tables in the v1 shape", async () => {
    const res = await query({ db: "sqlazure1", csl: ".show tables" }, "/v1/rest/mgmt");
    expect(res.status).toBe(200);
    const body: Json = await res.json();
    expect(body.Tables).toHaveLength(1);
    expect(body.Tables[0].Columns[0]).toEqual({
      ColumnName: "TableName",
      DataType: "String",
      ColumnType: "string",
    });
    expect(body.Tables[0].Rows.map((r: Json[]) => r[0])).toEqual([
      "MonSQLSystemHealth",
      "MonAnalyticsDBSnapshot",
      "MonTenantRingCapacity",
    ]);
  });

  it("answers .show version", async () => {
    const body: Json = await (await query({ csl: ".show version" }, "/v1/rest/mgmt")).json();
    expect(body.Tables[0].Columns.map((c: Json) => c.ColumnName)).toContain("BuildVersion");
    expect(body.Tables[0].Rows[0][1]).toBe("2021-01-04T22:30:44.3135540Z");
  });

  it("rejects any other command with a 400 Kusto error", async () => {
    const res = await query({ db: "sqlazure1", csl: ".drop table MonSQLSystemHealth" }, "/v1/rest/mgmt");
    expect(res.status).toBe(400);
    const body: Json = await res.json();
    expect(body.error.code).toBe("General_BadRequest");
    expect(body.error["@message"]).toContain(".drop table");
  });
});

describe("other routes", () => {
  it("answers auth metadata with the public-cloud AzureAD section", async () => {
    const res = await fetch(`${server.url}/v1/rest/auth/metadata`);
    expect(res.status).toBe(200);
    const body: Json = await res.json();
    expect(body.AzureAD.LoginEndpoint).toBe("https://login.microsoftonline.com");
    expect(body.AzureAD.KustoServiceResourceId).toBe(server.url);
  });

  it("answers unknown paths with 404", async () => {
    expect((await fetch(`${server.url}/v1/rest/ingest/db/t`, { method: "POST" })).status).toBe(404);
  });
});

describe("faults", () => {
  it("throttle: 429 with Retry-After", async () => {
    server.setFaults({ throttle: { retryAfterSeconds: 7 } });
    const res = await query({ db: "sqlazure1", csl: "T" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(((await res.json()) as Json).error["@permanent"]).toBe(false);
  });

  it.each([500, 503])("status5xx: %i with Kusto's error body", async (status) => {
    server.setFaults({ status5xx: status });
    const res = await query({ db: "sqlazure1", csl: "T" });
    expect(res.status).toBe(status);
    expect(((await res.json()) as Json).error.code).toMatch(/ServiceUnavailable|InternalServiceError/);
  });

  it("times: faults apply to the next N requests only", async () => {
    server.setFaults({ status5xx: 503, times: 1 });
    expect((await query({ db: "sqlazure1", csl: "T" })).status).toBe(503);
    expect((await query({ db: "sqlazure1", csl: "T" })).status).toBe(200);
  });

  it("partialFailure: rows cut short and HasErrors with OneApiErrors", async () => {
    server.setFaults({ partialFailure: { afterRows: 2 } });
    const frames = (await (await query({ db: "sqlazure1", csl: "T" })).json()) as Json[];
    expect(frames.find((f) => f.TableKind === "PrimaryResult").Rows).toHaveLength(2);
    const last = frames.at(-1);
    expect(last.HasErrors).toBe(true);
    expect(last.OneApiErrors[0].error.code).toBe("LimitsExceeded");
  });

  it("slowBodyMs: frames arrive in several chunks and still form the same JSON", async () => {
    server.setFaults({ slowBodyMs: 20 });
    const res = await query({ db: "sqlazure1", csl: "T" });
    const reader = res.body?.getReader();
    let chunks = 0;
    let text = "";
    const decoder = new TextDecoder();
    for (;;) {
      const next = await reader!.read();
      if (next.done) break;
      chunks += 1;
      text += decoder.decode(next.value, { stream: true });
    }
    expect(chunks).toBeGreaterThanOrEqual(5);
    expect((JSON.parse(text) as Json[]).map((f) => f.FrameType)).toEqual([
      "DataSetHeader",
      "DataTable",
      "DataTable",
      "DataTable",
      "DataSetCompletion",
    ]);
  });

  it("stall: never answers (the client gives up); latencyMs still answers", async () => {
    server.setFaults({ stall: true });
    const aborted = await fetch(`${server.url}/v2/rest/query`, {
      method: "POST",
      body: JSON.stringify({ db: "sqlazure1", csl: "T" }),
      signal: AbortSignal.timeout(300),
    }).then(
      () => "answered",
      (e: unknown) => (e instanceof Error ? e.name : "error"),
    );
    expect(aborted).toBe("TimeoutError");
    server.setFaults({ latencyMs: 50 });
    expect((await query({ db: "sqlazure1", csl: "T" })).status).toBe(200);
  });

  it("records request bodies and counts requests", async () => {
    const before = server.requestCount;
    await query({ db: "sqlazure1", csl: "T", properties: { Parameters: { server: "x" } } }, undefined, {
      "x-ms-client-request-id": "attest-bot;rec",
    });
    expect(server.requestCount).toBe(before + 1);
    expect(server.requests.at(-1)).toEqual({
      method: "POST",
      path: "/v2/rest/query",
      clientRequestId: "attest-bot;rec",
      body: { db: "sqlazure1", csl: "T", properties: { Parameters: { server: "x" } } },
    });
  });
});
