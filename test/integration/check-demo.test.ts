import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../src/adapters/kusto/engine-runner.js";
import { loadQueryCatalog } from "../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../src/app/run-check.js";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { tablesFromJson } from "../../src/kusto-engine/data-file.js";
import { buildDemoData, DEMO_SCENARIOS } from "../../src/kusto-engine/demo-data.js";
import { KustoEngine } from "../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../src/kusto-engine/schema.js";
import { fixedClock } from "../../src/ports/clock.js";
import { silentLogger } from "../../src/ports/log.js";

const NOW_ISO = "2026-11-24T09:00:00.000Z";
const now = Date.parse(NOW_ISO);

function demoRunner() {
  const engine = new KustoEngine(ATTEST_SCHEMA, tablesFromJson(buildDemoData(now), ATTEST_SCHEMA, "demo"));
  return new EngineKustoRunner(engine, fixedClock(now));
}

const deps = {
  kusto: demoRunner(),
  catalog: loadQueryCatalog(),
  clock: fixedClock(now),
  logger: silentLogger,
  settings: DEFAULT_CHECK_SETTINGS,
};

describe("demo data", () => {
  it("is deterministic and of realistic size", () => {
    const a = buildDemoData(now);
    expect(JSON.stringify(buildDemoData(now))).toBe(JSON.stringify(a));
    const rows = Object.values(a).reduce((n, t) => n + t.length, 0);
    expect(rows).toBeGreaterThan(2000);
    expect(rows).toBeLessThan(10_000);
  });

  it("has a scenario per server present, and the no-telemetry server is absent", () => {
    const servers = new Set(buildDemoData(now).MonSQLSystemHealth?.map((r) => r.LogicalServerName));
    for (const s of DEMO_SCENARIOS) expect(servers.has(s.server)).toBe(s.scenario !== "no-telemetry");
  });
});

describe("check over the demo data (embedded engine)", () => {
  it.each(DEMO_SCENARIOS)("$server ($scenario) → $expectedVerdict $expectedRules", async (s) => {
    const report = await runCheck(deps, { server: s.server, database: null, url: null, sinceMs: null });
    expect(report.queries.filter((q) => q.failure !== null)).toEqual([]);
    expect(report.diagnosis.verdict).toBe(s.expectedVerdict);
    expect(report.diagnosis.findings.map((f) => f.rule)).toEqual(s.expectedRules);
  });

  it("sgxtestuksouthsrv: the RBAC finding has the guide's node, app and the role command with the server name", async () => {
    const report = await runCheck(deps, {
      server: "sgxtestuksouthsrv",
      database: null,
      url: null,
      sinceMs: null,
    });
    const [f] = report.diagnosis.findings;
    expect(f?.count).toBeGreaterThanOrEqual(25);
    expect(f?.nodes).toEqual(["DB.23", "DB.24"]);
    expect(f?.mitigation.commands[0]).toContain('-RoleDefinitionName "Attestation Reader"');
    expect(f?.mitigation.commands.join("\n")).toContain("-ServerName sgxtestuksouthsrv");
    expect(f?.evidence[0]?.code).toBe("0x00000193");
  });

  it("sgxtestuksouthsrv2 (its name starts with the 403 server's name) gets none of its rows", async () => {
    const report = await runCheck(deps, {
      server: "sgxtestuksouthsrv2",
      database: null,
      url: null,
      sinceMs: null,
    });
    expect(report.diagnosis.findings.flatMap((f) => f.evidence)).toEqual([]);
  });

  it("a malformed --url on a healthy server is a customer error", async () => {
    const report = await runCheck(deps, {
      server: "sgxtest2",
      database: null,
      url: "http://sgxattest.eus.attest.azure.net/attest/SgxEnclave",
      sinceMs: null,
    });
    expect(report.diagnosis.verdict).toBe("customer_error");
    expect(report.diagnosis.findings.map((f) => f.rule)).toEqual(["attestation-url-malformed"]);
  });

  it("--database narrows the SLO question; an unknown one is needs_info", async () => {
    const one = await runCheck(deps, { server: "sgxtest2", database: "contosoDB", url: null, sinceMs: null });
    expect(one.diagnosis.verdict).toBe("healthy");
    const none = await runCheck(deps, { server: "sgxtest2", database: "nosuchdb", url: null, sinceMs: null });
    expect(none.diagnosis.findings.map((f) => f.rule)).toEqual(["database-not-found"]);
  });
});

function memoryIo(): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => "",
    env: {},
    stopSignal: new Promise<void>(() => {}),
    out: () => out,
    err: () => err,
  };
}

describe("attest check <demo server> --format json", () => {
  it.each(DEMO_SCENARIOS)("$server → exit 0 and the issue's JSON shape", async (s) => {
    const io = memoryIo();
    const code = await runCli(["check", s.server, "--now", NOW_ISO, "--format", "json"], io);
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    const json = JSON.parse(io.out()) as Record<string, unknown>;
    expect(json).toMatchObject({
      server: s.server,
      window: { from: "2026-11-24T06:00:00.000Z", to: NOW_ISO },
      verdict: s.expectedVerdict,
    });
    const findings = json.findings as Record<string, unknown>[];
    expect(findings.map((f) => f.rule)).toEqual(s.expectedRules);
    for (const f of findings) {
      for (const key of [
        "rule",
        "category",
        "title",
        "why",
        "mitigation",
        "owner",
        "count",
        "firstSeen",
        "lastSeen",
        "evidence",
      ])
        expect(f).toHaveProperty(key);
    }
  });

  it("text output reads as a report", async () => {
    const io = memoryIo();
    expect(await runCli(["check", "sgxattest5pr", "--now", NOW_ISO], io)).toBe(0);
    expect(io.out()).toMatch(/CUSTOMER ACTION NEEDED: Attestation policy rejected the enclave/);
    expect(io.out()).toContain('[ type=="x-ms-sgx-product-id", value==4639 ]');
  });
});

describe("attest explain (stdin) uses the same rules", () => {
  it("classifies the guide's 4.4 message as an MAA escalation, as JSON", async () => {
    const io = {
      ...memoryIo(),
      readStdin: async () =>
        "Attestation service returned Error code: 'InternalServerError'. Error message: 'An internal server error has occurred'. Attestation URL: 'https://sgxattest5pr.eus.attest.azure.net/attest/SgxEnclave'. Return code: '0x000001f4'.",
    };
    let out = "";
    const code = await runCli(["explain", "--format", "json"], { ...io, stdout: (t) => (out += t) });
    expect(code).toBe(0);
    const json = JSON.parse(out) as { verdict: string; findings: { rule: string; owner: string }[] };
    expect(json.verdict).toBe("maa_escalation");
    expect(json.findings.map((f) => [f.rule, f.owner])).toEqual([
      ["maa-internal-error", "Azure Security Engineering/Azure Attestation Service"],
    ]);
  });
});
