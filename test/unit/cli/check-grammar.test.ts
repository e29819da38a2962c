/**
 * Issue 12: one command grammar in Teams, Slack and the CLI. What chat accepts for `check`
 * (`check <server> [database] [--url URL] [--since 6h]`) the CLI accepts too, with the same
 * server and database; what chat refuses, the CLI refuses (exit 2, naming what is wrong).
 */
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/io.js";
import { runCli } from "../../../src/cli/main.js";
import { parseCommand } from "../../../src/domain/command/parse-command.js";
import { tokenize } from "../../../src/domain/command/tokenize.js";

function io() {
  const out = { stdout: "", stderr: "" };
  const cli: CliIo = {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    readStdin: async () => "",
    env: {},
    stopSignal: new Promise(() => {}),
  };
  return { out, cli };
}

const NOW = "2026-11-24T10:00:00Z";

describe("check: the CLI takes the chat grammar", () => {
  it.each([
    "check sgxtest2 contosoDB",
    "check sgxtest2 contosoDB --since 6h",
    "check sgxtest2 --database contosoDB",
    "check sgxtest2.database.windows.net contosoDB --url https://x.weu.attest.azure.net/attest/SgxEnclave",
  ])("%s: same server and database in chat and in the CLI", async (text) => {
    const chat = parseCommand(text);
    expect(chat.ok).toBe(true);
    if (!chat.ok || chat.command.kind !== "check") return;
    const { out, cli } = io();
    const code = await runCli([...tokenize(text), "--now", NOW, "--format", "json"], cli);
    expect(out.stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(out.stdout) as { server: string; database: string | null };
    expect({ server: report.server, database: report.database }).toEqual({
      server: chat.command.server,
      database: chat.command.database,
    });
  });

  it.each([
    ["check sgxtest2 db1 extra", "server"],
    ["check sgxtest2 db1 --database db2", "database"],
    ["check", "server"],
  ])("%s: refused by chat and by the CLI (exit 2, names %s)", async (text, field) => {
    expect(parseCommand(text).ok).toBe(false);
    const { out, cli } = io();
    expect(await runCli([...tokenize(text), "--now", NOW], cli)).toBe(2);
    expect(out.stderr).toContain(`${field}:`);
    expect(out.stderr).toContain("attest check <server> [database]");
  });
});

describe("the command the Teams card and Slack name for the full KQL exists and prints it", () => {
  it("`attest check <server> --since 3h --format json` has every query's KQL in queries[].kql", async () => {
    const { out, cli } = io();
    expect(
      await runCli(["check", "sgxtestuksouthsrv", "--since", "3h", "--format", "json", "--now", NOW], cli),
    ).toBe(0);
    const report = JSON.parse(out.stdout) as { queries: { name: string; kql: string }[] };
    expect(report.queries.length).toBeGreaterThan(0);
    for (const q of report.queries) expect(q.kql).toMatch(/^declare query_parameters|MonSQLSystemHealth|\|/m);
  });
});
