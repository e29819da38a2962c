import { describe, expect, it } from "vitest";
import {
  binSizeMs,
  DigestUnavailable,
  planDigest,
  runDigest,
  timespanLiteral,
} from "../../../src/app/digest/run-digest.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { KustoFailure, type KustoQueryRequest, type KustoRunner } from "../../../src/ports/kusto.js";
import { DAY, TO, tinyClassifier } from "./fixtures.js";

const COLUMNS = [
  "server",
  "error_id",
  "code",
  "periodStart",
  "failures",
  "firstSeen",
  "lastSeen",
  "nodes",
  "sample",
].map((name) => ({ name, type: "string" }));

/** A Kusto runner at the port edge: records requests, answers with a fixed fleet summary. */
function fakeKusto(fail = false): KustoRunner & { requests: KustoQueryRequest[] } {
  const requests: KustoQueryRequest[] = [];
  return {
    requests,
    target: { clusterUrl: "https://fake", database: "db", embedded: true },
    async run(request) {
      requests.push(request);
      if (fail) throw new KustoFailure("unreachable", "no route", { requestId: "r-1" });
      return {
        requestId: "attest-bot;r-1",
        tables: [
          {
            columns: COLUMNS,
            rows: [
              [
                "SRV-A",
                37324,
                "0x00000193",
                "2026-11-23T00:00:00Z",
                5,
                "2026-11-23T01:00:00Z",
                "2026-11-23T02:00:00Z",
                2,
                "Return code: '0x00000193'",
              ],
              [
                "srv-a",
                37324,
                "0x00000193",
                "2026-11-22T00:00:00Z",
                1,
                "2026-11-22T01:00:00Z",
                "2026-11-22T01:00:00Z",
                1,
                "Return code: '0x00000193'",
              ],
              [
                "srv-b",
                37325,
                "",
                "2026-11-23T00:00:00Z",
                2,
                "2026-11-23T05:00:00Z",
                "2026-11-23T06:00:00Z",
                1,
                "odd",
              ],
            ],
          },
          // Statement 2: the named servers that sent any telemetry, with their latest row.
          {
            columns: [
              { name: "server", type: "string" },
              { name: "lastSeen", type: "datetime" },
            ],
            rows: [
              ["srv-a", "2026-11-23T02:00:00Z"],
              ["srv-b", "2026-11-23T06:00:00Z"],
              ["srv-quiet", "2026-11-23T12:00:00Z"],
              ["srv-gone", "2026-11-21T12:00:00Z"],
            ],
          },
        ],
      };
    },
  };
}

const catalog = loadQueryCatalog();
const settings = { periods: 7, rowCap: 50_000, queryDeadlineMs: 1000 };
const request = { servers: ["srv-a", "srv-b"], fromMs: TO - DAY, toMs: TO, minFailures: 1 };

describe("runDigest", () => {
  it("asks ONE fleet-summary query with the planned parameters, whatever the number of servers", async () => {
    const kusto = fakeKusto();
    const result = await runDigest(
      { kusto, query: catalog["fleet-summary"], classify: tinyClassifier, settings },
      request,
    );
    expect(kusto.requests).toHaveLength(1);
    expect(kusto.requests[0]?.name).toBe("fleet-summary");
    expect(kusto.requests[0]?.parameters).toEqual({
      windowStart: "datetime(2026-11-17T00:00:00.000Z)",
      windowEnd: "datetime(2026-11-23T23:59:59.999Z)",
      period: "1d",
      servers: "srv-a,srv-b",
      rowCap: "50000",
    });
    // Every planned parameter is one the query declares.
    for (const p of Object.keys(result.parameters)) expect(catalog["fleet-summary"].parameters).toContain(p);
    expect(result.view.servers.map((s) => [s.server, s.failures, s.trend.previous, s.verdict])).toEqual([
      ["srv-a", 5, 1, "customer_error"],
      ["srv-b", 2, 0, "needs_info"],
    ]);
  });

  it("lists named servers with no telemetry in the whole look-back as unseen, never as clear", async () => {
    const { view } = await runDigest(
      { kusto: fakeKusto(), query: catalog["fleet-summary"], classify: tinyClassifier, settings },
      { ...request, servers: ["srv-a", "srv-b", "srv-quiet", "srv-gone", "nosuchserver-xyz"] },
    );
    // srv-quiet sent telemetry without failures; srv-gone only before the window (but in the
    // look-back: not "no telemetry", issue 12); the last none.
    expect(view.unseen).toEqual(["nosuchserver-xyz"]);
    expect(view.servers.map((s) => s.server)).toEqual(["srv-a", "srv-b"]);
    // Silent in this window: not cleared either.
    expect(view.cleared).not.toContain("srv-gone");
  });

  it("without the query's telemetry table, a digest of named servers is unavailable, not clear", async () => {
    const kusto = fakeKusto();
    const answer = kusto.run.bind(kusto);
    kusto.run = async (r, o) => {
      const result = await answer(r, o);
      return { ...result, tables: result.tables.slice(0, 1) };
    };
    await expect(
      runDigest({ kusto, query: catalog["fleet-summary"], classify: tinyClassifier, settings }, request),
    ).rejects.toBeInstanceOf(DigestUnavailable);
    // The whole fleet never needed it.
    const { view } = await runDigest(
      { kusto, query: catalog["fleet-summary"], classify: tinyClassifier, settings },
      { ...request, servers: [] },
    );
    expect(view.unseen).toBeNull();
  });

  it("reports Kusto failures as DigestUnavailable", async () => {
    await expect(
      runDigest(
        { kusto: fakeKusto(true), query: catalog["fleet-summary"], classify: tinyClassifier, settings },
        request,
      ),
    ).rejects.toBeInstanceOf(DigestUnavailable);
  });

  it("picks bins that the window boundaries do not split", () => {
    const H = 3_600_000;
    const at = (iso: string) => Date.parse(iso);
    expect(binSizeMs(24 * H, at("2026-11-24T09:00:00Z"))).toBe(3 * H);
    expect(binSizeMs(24 * H, at("2026-06-02T08:00:00Z"))).toBe(8 * H);
    expect(binSizeMs(72 * H, at("2026-11-23T09:00:00Z"))).toBe(3 * H);
    expect(binSizeMs(H, at("2026-11-24T09:00:00Z"))).toBe(H);
    expect(binSizeMs(24 * H, at("2026-11-24T00:00:00Z"))).toBe(24 * H);
    // An odd --now: bins of a divisor of the window, at most 24 per window.
    expect(binSizeMs(24 * H, at("2026-11-24T10:37:12Z"))).toBe(H);
    for (const [len, to] of [
      [24 * H, at("2026-11-24T09:00:00Z")],
      [72 * H, at("2026-11-23T09:00:00Z")],
    ] as const) {
      const bin = binSizeMs(len, to);
      expect(len % bin).toBe(0);
      expect(to % bin).toBe(0);
    }
  });

  it("counts every bin of the window in the window (a 09:00 digest over 3h bins)", async () => {
    const kusto = fakeKusto();
    const H = 3_600_000;
    const to = Date.parse("2026-11-24T09:00:00Z");
    const rows = Array.from({ length: 16 }, (_, i) => {
      const start = new Date(to - (i + 1) * 3 * H).toISOString();
      return [
        "srv-a",
        37324,
        "0x00000193",
        start,
        i < 8 ? 1 : 10,
        start,
        start,
        1,
        "Return code: '0x00000193'",
      ];
    });
    kusto.run = async (r) => {
      kusto.requests.push(r);
      return { requestId: "x", tables: [{ columns: COLUMNS, rows }] };
    };
    const { view, parameters } = await runDigest(
      { kusto, query: catalog["fleet-summary"], classify: tinyClassifier, settings },
      { servers: [], fromMs: to - 24 * H, toMs: to, minFailures: 1 },
    );
    expect(parameters.period).toBe("3h");
    expect(view.servers[0]).toMatchObject({ failures: 8, trend: { previous: 80, direction: "down" } });
  });

  it("writes timespans in the largest exact unit", () => {
    expect([DAY, 3 * DAY, 3_600_000, 90 * 60_000, 45_000, 250].map(timespanLiteral)).toEqual([
      "1d",
      "3d",
      "1h",
      "90m",
      "45s",
      "250ms",
    ]);
    expect(planDigest({ ...request, servers: [] }, settings).servers).toBe("");
  });
});
