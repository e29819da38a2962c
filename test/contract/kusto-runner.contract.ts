/**
 * The KustoRunner contract, run against every implementation (the embedded engine in process, the
 * SDK over the served engine): same tables for the catalog queries, failures only as KustoFailure
 * with the right kind, and a client request id `attest-bot;<uuid>` on every answer and failure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadQueryCatalog } from "../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, planCheck } from "../../src/app/run-check.js";
import type { ServerFaults } from "../../src/kusto-engine/server/kusto-server.js";
import { KustoFailure, type KustoQueryResult, type KustoRunner } from "../../src/ports/kusto.js";

export const REQUEST_ID = /^attest-bot;[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface RunnerUnderTest {
  readonly runner: KustoRunner;
  /** Present when the runner talks to a server whose faults can be set (network implementations). */
  readonly setFaults?: (faults: ServerFaults | null) => void;
  /** Client request ids the server saw, when it can tell. */
  readonly seenRequestIds?: () => readonly (string | null)[];
  readonly close: () => Promise<void>;
}

export interface ContractFixture {
  /** The clock both the runner and the data are pinned to. */
  readonly now: number;
  /** A server in the data with attestation failures, enclave loads, databases and a ring. */
  readonly server: string;
  /** Expected row counts per catalog question for `server` (tables in statement order). */
  readonly expectedRows: Readonly<Record<string, readonly number[]>>;
}

const catalog = loadQueryCatalog();

async function failureOf(promise: Promise<unknown>): Promise<KustoFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KustoFailure);
    return error as KustoFailure;
  }
  throw new Error("expected the run to fail");
}

/** Registers the contract's tests for one implementation. */
export function kustoRunnerContract(
  name: string,
  fixture: ContractFixture,
  setup: () => Promise<RunnerUnderTest>,
  options: { readonly network: boolean },
): void {
  describe(`KustoRunner contract: ${name}`, () => {
    let sut: RunnerUnderTest;
    beforeAll(async () => {
      sut = await setup();
    });
    afterAll(async () => {
      await sut.close();
    });

    const plan = planCheck(
      { server: fixture.server, database: null, url: null, sinceMs: null },
      fixture.now,
      DEFAULT_CHECK_SETTINGS,
    );
    const questions = Object.keys(plan.params) as (keyof typeof plan.params)[];

    it.each(questions)("answers the catalog question %s with the expected tables", async (question) => {
      const result: KustoQueryResult = await sut.runner.run(
        { name: question, text: catalog[question].text, parameters: plan.params[question] },
        { deadlineMs: 10_000 },
      );
      expect(result.requestId).toMatch(REQUEST_ID);
      expect(result.tables.map((t) => t.rows.length)).toEqual(fixture.expectedRows[question]);
      for (const table of result.tables) {
        for (const row of table.rows) expect(row).toHaveLength(table.columns.length);
        table.columns.forEach((column, i) => {
          if (column.type !== "datetime") return;
          for (const row of table.rows) {
            const cell = row[i];
            if (cell !== null) expect(cell).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
          }
        });
      }
    });

    it("answers the fleet summary (timespan parameter, bin, dcount)", async () => {
      const result = await sut.runner.run(
        {
          name: "fleet-summary",
          text: catalog["fleet-summary"].text,
          parameters: {
            windowStart: plan.params["attestation-failures"].windowStart ?? "",
            windowEnd: plan.params["attestation-failures"].windowEnd ?? "",
          },
        },
        { deadlineMs: 10_000 },
      );
      expect(result.tables).toHaveLength(2);
      expect(result.tables[0]?.columns.map((c) => c.name)).toContain("failures");
      // Statement 2: which named servers sent telemetry; none are named for the whole fleet.
      expect(result.tables[1]?.columns.map((c) => c.name)).toEqual(["server", "lastSeen"]);
      expect(result.tables[1]?.rows).toEqual([]);
    });

    it("reports a query the cluster rejects as bad_query with Kusto's code and a request id", async () => {
      const failure = await failureOf(
        sut.runner.run(
          { name: "broken", text: "MonSQLSystemHealth | where no_such_column == 1", parameters: {} },
          { deadlineMs: 10_000 },
        ),
      );
      expect(failure.kind).toBe("bad_query");
      expect(failure.code).toMatch(/^[A-Z]+\d+$/);
      expect(failure.message).toContain("broken");
      expect(failure.requestId).toMatch(REQUEST_ID);
    });

    it("sends a fresh request id each time, the one it reports", async () => {
      const a = await sut.runner.run(
        { name: "a", text: "MonTenantRingCapacity | count", parameters: {} },
        { deadlineMs: 10_000 },
      );
      const b = await sut.runner.run(
        { name: "b", text: "MonTenantRingCapacity | count", parameters: {} },
        { deadlineMs: 10_000 },
      );
      expect(a.requestId).not.toBe(b.requestId);
      if (sut.seenRequestIds) expect(sut.seenRequestIds().slice(-2)).toEqual([a.requestId, b.requestId]);
    });

    describe.skipIf(!options.network)("over the network (fault settings)", () => {
      const cases: [string, ServerFaults, KustoFailure["kind"], number][] = [
        ["429 → throttled", { throttle: { retryAfterSeconds: 2 } }, "throttled", 10_000],
        ["503 → failed", { status5xx: 503 }, "failed", 10_000],
        ["500 → failed", { status5xx: 500 }, "failed", 10_000],
        ["partial failure → failed", { partialFailure: true }, "failed", 10_000],
        ["stall past the deadline → timeout", { stall: true }, "timeout", 400],
        // Bytes keep arriving, so no socket-idle timeout fires: only the runner's own deadline stops it.
        ["slow body past the deadline → timeout", { slowBodyMs: 1000 }, "timeout", 500],
      ];
      it.each(cases)("%s", async (_, faults, kind, deadlineMs) => {
        const setFaults = sut.setFaults;
        if (!setFaults) throw new Error("a network implementation must let the test set faults");
        setFaults(faults);
        try {
          const failure = await failureOf(
            sut.runner.run(
              { name: "q", text: "MonTenantRingCapacity | take 5", parameters: {} },
              { deadlineMs },
            ),
          );
          expect(failure.kind).toBe(kind);
          expect(failure.requestId).toMatch(REQUEST_ID);
        } finally {
          setFaults(null);
        }
      });
    });
  });
}
