/** A failure row whose error_id is missing (null or 0) still counts in the digest, as in `check`. */
import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { DEFAULT_DIGEST_SETTINGS, runDigest } from "../../../src/app/digest/run-digest.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { ruleClassifier } from "../../../src/domain/digest/classify.js";
import { tablesFromJson } from "../../../src/kusto-engine/data-file.js";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import { fixedClock } from "../../../src/ports/clock.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const FORBIDDEN =
  "2026-11-25 11:00:00.00 spid90 Error: 37324, Severity: 16, State: 57. Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Error message: 'Access to /attest/SgxEnclave is denied'. Attestation URL: 'https://p1.uks.attest.azure.net/attest/SgxEnclave'. Return code: '0x00000193'.";

const row = (minutesAgo: number, errorId: number | null, message: string) => ({
  TIMESTAMP: new Date(NOW - minutesAgo * 60_000).toISOString(),
  LogicalServerName: "srv1",
  NodeName: "DB.1",
  ClusterName: "tr1.uks1-a.worker.database.windows.net",
  error_id: errorId,
  message,
});

describe("digest: failure rows without an error id", () => {
  it("counts rows whose error_id is null or 0 when the errorlog text names the error, and nothing else", async () => {
    const tables = tablesFromJson(
      {
        MonSQLSystemHealth: [
          row(60, null, FORBIDDEN),
          row(50, 0, FORBIDDEN),
          // Not a failure: no error id and no attestation error in the text.
          row(40, null, "2026-11-25 11:20:00.00 spid90 Error: 18456, Severity: 14, State: 8. Login failed."),
        ],
      },
      ATTEST_SCHEMA,
      "test",
    );
    const kusto = new EngineKustoRunner(new KustoEngine(ATTEST_SCHEMA, tables), fixedClock(NOW));
    const { view } = await runDigest(
      {
        kusto,
        query: loadQueryCatalog()["fleet-summary"],
        classify: ruleClassifier,
        settings: DEFAULT_DIGEST_SETTINGS,
      },
      { servers: ["srv1"], fromMs: NOW - 86_400_000, toMs: NOW, minFailures: 1 },
    );
    expect(view.servers.map((s) => [s.server, s.failures, s.verdict])).toEqual([
      ["srv1", 2, "customer_error"],
    ]);
  });
});
