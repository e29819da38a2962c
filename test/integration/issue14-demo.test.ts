/**
 * Issue 14 on the demo data: the regional MAA incident (14 servers in eastus2), the escalation
 * packet, the digest's incident row, the driver-error pastes, and the feedback tally.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../src/adapters/kusto/engine-runner.js";
import { FileFeedbackStore } from "../../src/adapters/storage/feedback-file.js";
import { type ChatActor, handleCommand } from "../../src/app/chat/handle-command.js";
import { loadQueryCatalog } from "../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../src/app/run-check.js";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { parseCommand } from "../../src/domain/command/parse-command.js";
import { tablesFromJson } from "../../src/kusto-engine/data-file.js";
import { buildDemoData, DEMO_INCIDENT, DEMO_PASTES } from "../../src/kusto-engine/demo-data.js";
import { KustoEngine } from "../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../src/kusto-engine/schema.js";
import { MemoryAuditLog } from "../../src/ports/audit.js";
import { fixedClock } from "../../src/ports/clock.js";
import { silentLogger } from "../../src/ports/log.js";

const NOW_ISO = "2026-11-24T10:00:00.000Z";
const now = Date.parse(NOW_ISO);
/** The incident's first failure: 48 minutes before now. */
const SINCE = "2026-11-24 09:12 UTC";

const engine = new KustoEngine(ATTEST_SCHEMA, tablesFromJson(buildDemoData(now), ATTEST_SCHEMA, "demo"));
const kusto = new EngineKustoRunner(engine, fixedClock(now));
const deps = {
  kusto,
  catalog: loadQueryCatalog(),
  clock: fixedClock(now),
  logger: silentLogger,
  settings: DEFAULT_CHECK_SETTINGS,
};
const check = (server: string, settings = DEFAULT_CHECK_SETTINGS) =>
  runCheck({ ...deps, settings }, { server, database: null, url: null, sinceMs: null });

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function memoryIo(
  env: Record<string, string> = {},
  stdin = "",
): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => stdin,
    env,
    stopSignal: new Promise<void>(() => {}),
    out: () => out,
    err: () => err,
  };
}

describe("check: part of a wider incident", () => {
  it("an eastus2 server says it is one of 14 failing the same way since 09:12", async () => {
    const report = await check(DEMO_INCIDENT.servers[3] as string);
    expect(report.diagnosis.verdict).toBe("maa_escalation");
    const finding = report.diagnosis.findings[0];
    expect(finding?.rule).toBe("maa-internal-error");
    expect(finding?.details[0]).toBe(
      `Part of a wider incident: 14 servers in eastus2 since ${SINCE} (Azure Attestation internal server error (0x000001f4); ${report.incident?.failures} failures; escalate once, as incident maa-internal-error@region:eastus2).`,
    );
    expect(report.incident?.servers).toEqual([...DEMO_INCIDENT.servers]);
    expect(report.incident?.providers).toContain("sharedeus2");
    expect(report.queries.map((q) => q.name)).toContain("fleet-incidents");
  });

  it("a lone MAA failure elsewhere is not part of it", async () => {
    const report = await check("sgxtestmaa500");
    expect(report.diagnosis.verdict).toBe("maa_escalation");
    expect(report.incident).toBeNull();
    expect(report.diagnosis.findings.flatMap((f) => f.details).join(" ")).not.toMatch(/wider incident/);
    const io = memoryIo();
    expect(await runCli(["escalate", "sgxtestmaa500", "--now", NOW_ISO], io)).toBe(0);
    expect(io.out()).toContain(
      "Wider incident: none seen (no other servers failing the same way in the fleet query).",
    );
  });

  it("the threshold is configurable: 15 servers needed, no incident", async () => {
    const report = await check(DEMO_INCIDENT.servers[0] as string, {
      ...DEFAULT_CHECK_SETTINGS,
      incidents: { minServers: 15, windowMs: 3 * 3_600_000 },
    });
    expect(report.incident).toBeNull();
  });

  it("the window is configurable: 30 minutes back, fewer servers have failed", async () => {
    const report = await check(DEMO_INCIDENT.servers[0] as string, {
      ...DEFAULT_CHECK_SETTINGS,
      incidents: { minServers: 14, windowMs: 1_000 },
    });
    expect(report.incident).toBeNull();
  });

  it("a customer error does not ask the fleet at all", async () => {
    const report = await check("sgxtestuksouthsrv");
    expect(report.queries.map((q) => q.name)).not.toContain("fleet-incidents");
  });
});

describe("attest escalate", () => {
  it("prints the packet the MAA owner needs", async () => {
    const io = memoryIo();
    const server = DEMO_INCIDENT.servers[0] as string;
    expect(await runCli(["escalate", server, "--now", NOW_ISO], io)).toBe(0);
    const text = io.out();
    expect(text.split("\n")[0]).toBe(
      `[MAA] ${server}: Azure Attestation internal server error (0x000001f4) (part of incident maa-internal-error@region:eastus2)`,
    );
    for (const line of [
      "To: Azure Security Engineering/Azure Attestation Service",
      `Server: ${server}`,
      "Region: eastus2",
      "Attestation provider: sharedeus2",
      "Attestation URL: https://sharedeus2.eus2.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview",
      "Error classes: maa-internal-error (",
      "Error ids: 37324; return codes: 0x000001f4",
      `First seen: ${SINCE}`,
      `Wider incident: 14 servers in eastus2 since ${SINCE}`,
      "Ruled out:",
      "- Enclave: the SGX enclave loaded on the server's nodes (37308).",
      "Kusto request ids:",
      "- attestation-failures: ",
      "KQL (attestation-failures):",
      `let server = "${server}";`,
    ])
      expect(text).toContain(line);
    expect(text).toMatch(/Failures: \d+; nodes: DB\.11/);
  });

  it("says there is nothing to escalate for a customer error (exit 1)", async () => {
    const io = memoryIo();
    expect(await runCli(["escalate", "sgxtestuksouthsrv", "--now", NOW_ISO], io)).toBe(1);
    expect(io.out()).toMatch(/^Nothing to escalate: the verdict is "Customer action needed"/);
  });

  it("a deployment issue is escalated to Azure SQL deployment, as JSON", async () => {
    const io = memoryIo();
    expect(await runCli(["escalate", "sgxtestinteldcap", "--now", NOW_ISO, "--format", "json"], io)).toBe(0);
    const json = JSON.parse(io.out()) as { escalate: boolean; title: string; owner: string; text: string };
    expect(json.escalate).toBe(true);
    expect(json.title).toMatch(/^\[Azure SQL deployment\] sgxtestinteldcap: Intel DCAP error/);
    expect(json.text).toContain(
      "Wider incident: not looked for (the fleet is asked about MAA failures only).",
    );
  });

  it("bad input exits 2 naming the field", async () => {
    const io = memoryIo();
    expect(await runCli(["escalate", "not_a_server!"], io)).toBe(2);
    expect(io.err()).toMatch(/server: got "not_a_server!"/);
  });
});

describe("attest digest: the incident is one row", () => {
  it("groups the 14 servers as one incident instead of 14 rows (JSON)", async () => {
    const io = memoryIo();
    expect(await runCli(["digest", "--now", NOW_ISO, "--format", "json"], io)).toBe(0);
    const json = JSON.parse(io.out()) as {
      servers: { server: string }[];
      incidents: { id: string; servers: string[]; scope: string }[];
    };
    expect(json.incidents).toEqual([
      expect.objectContaining({
        id: "maa-internal-error@region:eastus2",
        servers: [...DEMO_INCIDENT.servers],
        scope: `14 servers in eastus2 since ${SINCE}`,
      }),
    ]);
    const rows = json.servers.map((s) => s.server);
    for (const s of DEMO_INCIDENT.servers) expect(rows).not.toContain(s);
    expect(rows).toContain("sgxtestmaa500");
  });

  it("text: the incident row and how to escalate it once", async () => {
    const io = memoryIo();
    expect(await runCli(["digest", "--now", NOW_ISO], io)).toBe(0);
    expect(io.out()).toContain(
      `🚨 Incident: Azure Attestation internal server error (0x000001f4) — 14 servers in eastus2 since ${SINCE}`,
    );
    expect(io.out()).toContain("Escalate: attest escalate sgxtestregion01");
    expect(io.out()).toMatch(/1 fleet-wide incident \(14 servers\)/);
  });

  it("with a higher threshold the servers are listed one by one again", async () => {
    const io = memoryIo({ ATTEST_INCIDENT_MIN_SERVERS: "20" });
    expect(await runCli(["digest", "--now", NOW_ISO, "--format", "json"], io)).toBe(0);
    const json = JSON.parse(io.out()) as { servers: { server: string }[]; incidents?: unknown };
    expect(json.incidents).toBeUndefined();
    expect(json.servers.map((s) => s.server)).toContain("sgxtestregion01");
  });
});

describe("driver-error pastes of the demo servers", () => {
  it.each(DEMO_PASTES)("$source ($server) → $rule", async ({ text, rule }) => {
    const io = memoryIo({}, text);
    expect(await runCli(["explain", "--format", "json"], io)).toBe(0);
    const json = JSON.parse(io.out()) as { findings: { rule: string }[] };
    expect(json.findings.map((f) => f.rule)).toEqual([rule]);
  });

  it("the client-side signature failure server is healthy in telemetry: the paste is what tells", async () => {
    const report = await check("sgxtestclientsig");
    expect(report.diagnosis.verdict).toBe("healthy");
  });
});

describe("feedback: audit log, tally, attest stats", () => {
  it("answers are audited, tallied per rule, and attest stats shows the rule that often fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "attest-stats-"));
    dirs.push(dir);
    const audit = new MemoryAuditLog();
    const chat = {
      runCheck: () => check("sgxtest2"),
      clock: fixedClock(now),
      audit,
      logger: silentLogger,
      feedback: new FileFeedbackStore(dir),
    };
    const actor: ChatActor = { platform: "teams", userId: "u1", tenantId: "t1", conversationId: "c1" };
    const run = async (text: string) => {
      const parsed = parseCommand(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return handleCommand(chat, actor, parsed.command);
    };
    for (const answer of ["not-fixed", "not-fixed", "fixed"])
      await run(`attest feedback ${answer} maa-internal-error sgxtestmaa500`);
    const reply = await run("attest feedback fixed rbac-attestation-reader-missing sgxtestuksouthsrv");
    expect(reply).toEqual({
      kind: "notice",
      message:
        'Thanks: recorded that the mitigation for "Server identity lacks the Attestation Reader role (403, 0x00000193)" fixed it on sgxtestuksouthsrv. `attest stats` shows how often each rule\'s mitigation works.',
    });
    expect(audit.entries.map((e) => [e.command, e.outcome, e.parameters.rule])).toEqual([
      ["feedback", "not_fixed", "maa-internal-error"],
      ["feedback", "not_fixed", "maa-internal-error"],
      ["feedback", "fixed", "maa-internal-error"],
      ["feedback", "fixed", "rbac-attestation-reader-missing"],
    ]);
    const io = memoryIo({ ATTEST_DATA_DIR: dir });
    expect(await runCli(["stats"], io)).toBe(0);
    const lines = io.out().trimEnd().split("\n");
    expect(lines[1]).toMatch(/^maa-internal-error\s+1\s+2\s+33%\s+often does not fix$/);
    expect(lines[2]).toMatch(/^rbac-attestation-reader-missing\s+1\s+0\s+100%$/);
  });

  it("snooze: the server is left out of this conversation's digests", async () => {
    const dir = mkdtempSync(join(tmpdir(), "attest-snooze-"));
    dirs.push(dir);
    const store = new FileFeedbackStore(dir);
    const actor: ChatActor = { platform: "slack", userId: "U1", tenantId: "T1", conversationId: "C1" };
    const parsed = parseCommand("attest snooze sgxtestmaa500 --for 1d");
    if (!parsed.ok) throw new Error(parsed.error.message);
    const reply = await handleCommand(
      {
        runCheck: () => check("sgxtest2"),
        clock: fixedClock(now),
        audit: new MemoryAuditLog(),
        logger: silentLogger,
        feedback: store,
      },
      actor,
      parsed.command,
    );
    expect(reply).toEqual({
      kind: "notice",
      message: "sgxtestmaa500 is left out of this conversation's digests until 2026-11-25 10:00 UTC.",
    });
    expect(await store.snoozed("C1", NOW_ISO)).toEqual(["sgxtestmaa500"]);
    expect(await store.snoozed("C2", NOW_ISO)).toEqual([]);
  });
});
