/**
 * Observability through the real composition root: after a Teams check, GET /metrics answers
 * Prometheus text with the command, verdict and Kusto counters; every log line written while
 * handling the request (the audit line included) carries the request's id, echoed as x-request-id.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pinoLogger } from "../../../src/adapters/log/pino-logger.js";
import { type RunningBot, startBot } from "../../../src/compose/start-bot.js";
import { type ConnectorStub, startConnectorStub } from "../teams/connector-stub.js";

const SAMPLE = JSON.parse(
  readFileSync(new URL("../../../infra/teams/sample-activity.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

describe("/metrics and request-scoped logs after a check", () => {
  let connector: ConnectorStub;
  let bot: RunningBot;
  let dataDir = "";
  const lines: string[] = [];
  beforeAll(async () => {
    connector = await startConnectorStub();
    dataDir = await mkdtemp(join(tmpdir(), "attest-metrics-"));
    const logger = pinoLogger({
      destination: {
        write: (line: string) => {
          lines.push(line);
        },
      },
    });
    bot = await startBot({ env: { ATTEST_DATA_DIR: dataDir }, logger, port: 0 });
    const res = await fetch(`${bot.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-check-1" },
      body: JSON.stringify({ ...SAMPLE, id: "metrics-1", serviceUrl: connector.url }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-check-1");
    await connector.waitFor((c) => c.body.type === "message");
  });
  afterAll(async () => {
    await bot?.close();
    await connector?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("GET /metrics returns Prometheus text with the command, verdict and Kusto counters", async () => {
    const res = await fetch(`${bot.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain("# TYPE attest_commands_total counter");
    expect(text).toContain(
      'attest_commands_total{platform="teams",command="check",outcome="customer_error"} 1',
    );
    expect(text).toContain('attest_verdicts_total{platform="teams",verdict="customer_error"} 1');
    expect(text).toMatch(/attest_kusto_queries_total\{query="[\w-]+",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/attest_kusto_query_duration_seconds_count\{query="[\w-]+",outcome="ok"\} [1-9]/);
    expect(text).toContain('attest_command_duration_seconds_count{platform="teams",command="check"} 1');
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("the audit line is JSON from pino with the request id, command, verdict and duration", () => {
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const audit = entries.find((e) => e.event === "audit");
    expect(audit).toMatchObject({
      level: "info",
      httpRequestId: "req-check-1",
      command: "check",
      outcome: "customer_error",
    });
    expect(typeof audit?.durationMs).toBe("number");
    expect(audit?.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    const started = entries.find((e) => e.event === "bot.started");
    expect(started?.httpRequestId).toBeUndefined();
    // Kusto query lines keep their own requestId (Kusto's client request id) next to the HTTP one.
    expect(audit?.kustoRequestIds).toEqual(expect.arrayContaining([expect.stringMatching(/^attest-bot;/)]));
    expect(started?.routes).toContain("GET /metrics");
  });

  it("the check ran in a worker thread, and the worker's lines carry the request id too", () => {
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const started = entries.find((e) => e.event === "bot.started");
    expect(started?.checkWorkers).toMatchObject({ size: 1 });
    expect(entries.find((e) => e.event === "check_worker.ready")).toBeDefined();
    // check.done is written by runCheck, which ran in the worker.
    expect(entries.find((e) => e.event === "check.done")).toMatchObject({
      httpRequestId: "req-check-1",
      server: "sgxtestuksouthsrv",
    });
  });
});
