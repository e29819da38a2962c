/** The KustoRunner contract against the in-process engine and against the SDK over the served engine. */
import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../src/adapters/kusto/engine-runner.js";
import { RetryingKustoRunner } from "../../src/adapters/kusto/retrying-runner.js";
import { SdkKustoRunner } from "../../src/adapters/kusto/sdk-runner.js";
import { SharingKustoRunner } from "../../src/adapters/kusto/sharing-runner.js";
import { loadQueryCatalog } from "../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, planCheck } from "../../src/app/run-check.js";
import { tablesFromJson } from "../../src/kusto-engine/data-file.js";
import { KustoEngine } from "../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../src/kusto-engine/schema.js";
import { fixedClock } from "../../src/ports/clock.js";
import { silentLogger } from "../../src/ports/log.js";
import { GUIDE_SERVER, scenarioData } from "../integration/kusto/scenarios.js";
import { serveData } from "../integration/kusto/served.js";
import { type ContractFixture, kustoRunnerContract, REQUEST_ID } from "./kusto-runner.contract.js";

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);

const fixture: ContractFixture = {
  now: NOW,
  server: GUIDE_SERVER,
  expectedRows: {
    // totals, then the 4 failures in 3h (the 5h-old one and the prefix-sharing server excluded),
    // then their 3 classes (403, [Filtered Args], 0x2ee7)
    "attestation-failures": [1, 4, 3],
    // latest per node and error id: DB.23/37308, and the enclave failures DB.23/37324, DB.24/37324
    "enclave-events": [3],
    "database-slo": [1],
    // rings seen, then their capacity rows, then the (ring, node) pairs that logged in the window (DB.23, DB.24)
    placement: [1, 1, 2],
  },
};

const engineRunner = () =>
  new EngineKustoRunner(
    new KustoEngine(ATTEST_SCHEMA, tablesFromJson(scenarioData(NOW), ATTEST_SCHEMA, "contract data")),
    fixedClock(NOW),
  );

kustoRunnerContract(
  "EngineKustoRunner (in process)",
  fixture,
  async () => ({ runner: engineRunner(), close: async () => {} }),
  { network: false },
);

async function sdkOverServedEngine() {
  const { server } = await serveData(scenarioData(NOW), NOW);
  const runner = new SdkKustoRunner({
    clusterUrl: server.url,
    database: ATTEST_SCHEMA.name,
    credential: null,
    logger: silentLogger,
    embedded: true,
  });
  return {
    runner,
    setFaults: (f: Parameters<typeof server.setFaults>[0]) => server.setFaults(f),
    seenRequestIds: () =>
      server.requests.filter((r) => r.path === "/v2/rest/query").map((r) => r.clientRequestId),
    close: async () => {
      runner.close();
      await server.close();
    },
  };
}

kustoRunnerContract("SdkKustoRunner over the served engine", fixture, sdkOverServedEngine, { network: true });

// The decorators the bot composes (sharing + cache + concurrency limit; retries over the network)
// keep the contract of the runner they wrap.
kustoRunnerContract(
  "SharingKustoRunner over EngineKustoRunner",
  fixture,
  async () => ({
    runner: new SharingKustoRunner(engineRunner(), { cacheTtlMs: 60_000, maxConcurrent: 2 }),
    close: async () => {},
  }),
  { network: false },
);

kustoRunnerContract(
  "SharingKustoRunner over RetryingKustoRunner over SdkKustoRunner (served engine)",
  fixture,
  async () => {
    const sdk = await sdkOverServedEngine();
    return {
      ...sdk,
      runner: new SharingKustoRunner(
        new RetryingKustoRunner(sdk.runner, {
          maxRetries: 1,
          baseDelayMs: 50,
          maxDelayMs: 100,
          minAttemptMs: 100,
        }),
        { cacheTtlMs: 60_000, maxConcurrent: 2 },
      ),
    };
  },
  { network: true },
);

describe("SdkKustoRunner when nothing listens", () => {
  it("reports unreachable with a request id", async () => {
    const { server } = await serveData(scenarioData(NOW), NOW);
    const url = server.url;
    await server.close();
    const runner = new SdkKustoRunner({
      clusterUrl: url,
      database: ATTEST_SCHEMA.name,
      credential: null,
      logger: silentLogger,
    });
    try {
      await expect(
        runner.run(
          { name: "q", text: "MonTenantRingCapacity | count", parameters: {} },
          { deadlineMs: 5000 },
        ),
      ).rejects.toMatchObject({
        name: "KustoFailure",
        kind: "unreachable",
        requestId: expect.stringMatching(REQUEST_ID),
      });
    } finally {
      runner.close();
    }
  });
});

describe("both implementations give the same tables", () => {
  it("for every catalog question", async () => {
    const catalog = loadQueryCatalog();
    const plan = planCheck(
      { server: GUIDE_SERVER, database: null, url: null, sinceMs: null },
      NOW,
      DEFAULT_CHECK_SETTINGS,
    );
    const local = engineRunner();
    const remote = await sdkOverServedEngine();
    try {
      for (const [name, parameters] of Object.entries(plan.params)) {
        const text = catalog[name as keyof typeof plan.params].text;
        const a = await local.run({ name, text, parameters }, { deadlineMs: 10_000 });
        const b = await remote.runner.run({ name, text, parameters }, { deadlineMs: 10_000 });
        expect(b.tables, name).toEqual(a.tables);
      }
    } finally {
      await remote.close();
    }
  });
});
