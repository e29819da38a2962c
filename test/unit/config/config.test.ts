import { describe, expect, it } from "vitest";
import { ConfigError, loadCoreConfig } from "../../../src/config/config.js";

const problemsFor = (env: Record<string, string>): readonly string[] => {
  try {
    loadCoreConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("core configuration", () => {
  it("defaults to the embedded engine with the guide's windows", () => {
    const config = loadCoreConfig({});
    expect(config.kusto).toEqual({ mode: "embedded", dataFile: null });
    expect(config.defaultWindowMs).toBe(3 * 3_600_000);
    expect(config.loadWindowMs).toBe(7 * 86_400_000);
    expect(config.queryTimeoutMs).toBe(10_000);
    expect(config.sgxVmSizes).toEqual(["SQLDCGen6_2"]);
  });

  it("uses a cluster when URL and database are set, with an optional managed identity", () => {
    const config = loadCoreConfig({
      ATTEST_KUSTO_CLUSTER_URL: "https://mycluster.westeurope.kusto.windows.net",
      ATTEST_KUSTO_DATABASE: "sqlazure1",
      ATTEST_KUSTO_MANAGED_IDENTITY_CLIENT_ID: "00000000-0000-0000-0000-000000000001",
    });
    expect(config.kusto).toEqual({
      mode: "cluster",
      clusterUrl: "https://mycluster.westeurope.kusto.windows.net",
      database: "sqlazure1",
      managedIdentityClientId: "00000000-0000-0000-0000-000000000001",
    });
  });

  it("reads a list of SGX VM sizes and durations", () => {
    const config = loadCoreConfig({
      ATTEST_SGX_VM_SIZES: "SQLDCGen6_2, SQLDCGen7_4 ",
      ATTEST_DEFAULT_WINDOW: "6h",
      ATTEST_QUERY_TIMEOUT: "30s",
    });
    expect(config.sgxVmSizes).toEqual(["SQLDCGen6_2", "SQLDCGen7_4"]);
    expect(config.defaultWindowMs).toBe(6 * 3_600_000);
    expect(config.queryTimeoutMs).toBe(30_000);
  });

  it("lists every problem at once, naming each variable", () => {
    const problems = problemsFor({
      ATTEST_KUSTO_CLUSTER_URL: "not a url",
      ATTEST_DEFAULT_WINDOW: "soon",
      ATTEST_QUERY_TIMEOUT: "-1s",
    });
    expect(problems.some((p) => p.startsWith("ATTEST_KUSTO_CLUSTER_URL:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("ATTEST_DEFAULT_WINDOW:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("ATTEST_QUERY_TIMEOUT:"))).toBe(true);
  });

  it("requires the database with a cluster, and refuses a data file with a cluster", () => {
    const problems = problemsFor({
      ATTEST_KUSTO_CLUSTER_URL: "https://c.kusto.windows.net",
      ATTEST_DATA: "demo.json",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^ATTEST_KUSTO_DATABASE: .*required/),
      expect.stringMatching(/^ATTEST_DATA: .*exclude each other/),
    ]);
  });
});
