/**
 * SIGTERM with acknowledged checks in flight, on the real bot process (`src/main.ts` spawned):
 * signed Slack slash commands in, results out to a loopback Slack sink through response_url, the
 * embedded engine served on 127.0.0.1 (slowed, or stalled) as the Kusto cluster. Every
 * acknowledged command gets an answer (the result, or "cut short" once the grace period is over),
 * the audit lines are written, and the process exits 0.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import { type KustoServer, startKustoServer } from "../../../src/kusto-engine/server/kusto-server.js";
import { systemClock } from "../../../src/ports/clock.js";
import { SECRET, SlackSink, sendSigned, slashBody, TOKEN } from "../slack/helpers.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

interface Bot {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  /** Parsed JSON log lines so far. */
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

async function spawnBot(env: Record<string, string>): Promise<Bot> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let buffered = "";
  const started = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      buffered += c.toString("utf8");
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf("\n");
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          lines.push(parsed);
          if (parsed.event === "bot.started") resolve(String(parsed.listening));
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((code) => reject(new Error(`bot exited (${code}) before start: ${stderr}`)));
  });
  const listening = await started;
  return { child, url: `http://${listening}`, lines, exited };
}

const sink = new SlackSink();
let kusto: KustoServer;
let dataDir = "";

beforeAll(async () => {
  await sink.start();
  kusto = await startKustoServer({ engine: createEmbeddedEngine(null, systemClock) });
  dataDir = await mkdtemp(join(tmpdir(), "attest-shutdown-"));
});
afterAll(async () => {
  await kusto.close();
  await sink.close();
  await rm(dataDir, { recursive: true, force: true });
});

const env = (grace: string) => ({
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_BOT_TOKEN: TOKEN,
  SLACK_API_URL: `${sink.url}/api/`,
  ATTEST_KUSTO_CLUSTER_URL: kusto.url,
  ATTEST_KUSTO_DATABASE: "sqlazure1",
  ATTEST_DATA_DIR: dataDir,
  ATTEST_SHUTDOWN_GRACE: grace,
  ATTEST_CHECK_CONCURRENCY: "4",
  PORT: "0",
});

/** Sends 10 signed checks, each acknowledged with "Checking…"; returns their response_url names. */
async function tenChecks(bot: Bot, tag: string): Promise<string[]> {
  const names = Array.from({ length: 10 }, (_, i) => `${tag}-${i}`);
  await Promise.all(
    names.map(async (name) => {
      const res = await sendSigned(
        `${bot.url}/slack/events`,
        slashBody("check sgxtestuksouthsrv", { response_url: sink.responseUrl(name) }),
      );
      expect(res.status).toBe(200);
      expect(((await res.json()) as { text: string }).text).toBe("Checking sgxtestuksouthsrv…");
    }),
  );
  return names;
}

const answersTo = (names: readonly string[]) =>
  names.map((n) => sink.calls.filter((c) => c.path === `/response/${n}`));

describe("SIGTERM with acknowledged checks in flight", () => {
  it("answers every one with its result within the grace period, writes the audit lines, exits 0", async () => {
    // Kusto answers each query after a second: the checks are still running at SIGTERM.
    kusto.setFaults({ latencyMs: 1000 });
    const bot = await spawnBot(env("30s"));
    const names = await tenChecks(bot, "drain");
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
    const answers = answersTo(names);
    for (const a of answers) {
      expect(a).toHaveLength(1);
      expect(JSON.stringify(a[0]?.body)).toContain("sgxtestuksouthsrv");
      expect(JSON.stringify(a[0]?.body)).not.toMatch(/cut short|did not run/);
    }
    const audits = bot.lines.filter((l) => l.event === "audit" && l.command === "check");
    expect(audits).toHaveLength(10);
    expect(bot.lines.find((l) => l.event === "bot.drained")).toMatchObject({ cutShort: 0, unanswered: 0 });
    expect(bot.lines.at(-1)).toMatchObject({ event: "bot.stopped", code: 0 });
    // Start-up to ready is measured and logged.
    const started = bot.lines.find((l) => l.event === "bot.started");
    expect(started?.startupMs).toEqual(expect.any(Number));
    expect(started?.processReadyMs).toEqual(expect.any(Number));
  }, 60_000);

  it("tells each user their check was cut short when Kusto outlasts the grace period, and exits 0", async () => {
    kusto.setFaults({ stall: true });
    const bot = await spawnBot(env("1s"));
    try {
      const names = await tenChecks(bot, "cut");
      bot.child.kill("SIGTERM");
      expect(await bot.exited).toBe(0);
      for (const a of answersTo(names)) {
        expect(a).toHaveLength(1);
        expect(JSON.stringify(a[0]?.body)).toMatch(/cut short|did not run/);
      }
      expect(bot.lines.find((l) => l.event === "bot.drained")).toMatchObject({ unanswered: 0 });
      expect(bot.lines.at(-1)).toMatchObject({ event: "bot.stopped", code: 0 });
    } finally {
      kusto.setFaults(null);
    }
  }, 60_000);
});
