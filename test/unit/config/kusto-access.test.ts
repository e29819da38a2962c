/** ATTEST_KUSTO_CACHE_SECONDS and ATTEST_KUSTO_MAX_CONCURRENT: defaults, 0 = no cache, clear errors. */
import { describe, expect, it } from "vitest";
import { coreConfigProblems, loadCoreConfig } from "../../../src/config/config.js";

describe("Kusto access settings", () => {
  it("default to a 60 s cache and 8 concurrent queries", () => {
    expect(loadCoreConfig({}).kustoAccess).toEqual({ cacheTtlMs: 60_000, maxConcurrent: 8 });
  });

  it("take whole numbers; 0 seconds turns the cache off", () => {
    expect(
      loadCoreConfig({ ATTEST_KUSTO_CACHE_SECONDS: "0", ATTEST_KUSTO_MAX_CONCURRENT: "2" }).kustoAccess,
    ).toEqual({ cacheTtlMs: 0, maxConcurrent: 2 });
  });

  it("name the variable, what was given and what is expected", () => {
    const problems = coreConfigProblems({
      ATTEST_KUSTO_CACHE_SECONDS: "1m",
      ATTEST_KUSTO_MAX_CONCURRENT: "0",
    });
    expect(problems).toContain(
      'ATTEST_KUSTO_CACHE_SECONDS: must be 0 (no cache) or more seconds, e.g. 60, got "1m"',
    );
    expect(problems).toContain(
      'ATTEST_KUSTO_MAX_CONCURRENT: must be a whole number of 1 or more, e.g. 8, got "0"',
    );
  });
});
