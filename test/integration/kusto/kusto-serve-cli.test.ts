/**
 * `attest kusto serve` as a user runs it (a child process), queried with the real SDK, stopped
 * with SIGTERM; and the `kusto` command in process (bad data files, `kusto query`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLoopbackHost } from "../../../src/cli/commands/kusto.js";
import { runCli } from "../../../src/cli/main.js";
import { DEMO_SCENARIOS } from "../../../src/kusto-engine/demo-data.js";
import { scenarioData } from "./scenarios.js";
import { DATABASE, sdkClient } from "./served.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TSX_CLI = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const dir = mkdtempSync(join(tmpdir(), "attest-serve-"));
const dataFile = join(dir, "data.json");
const badFile = join(dir, "bad.json");
writeFileSync(dataFile, JSON.stringify(scenarioData(Date.now())));
writeFileSync(badFile, JSON.stringify({ MonSQLSystemHealth: [{ error_id: "37324" }] }));

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) {
    if (child.pid === undefined) continue;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // the group is already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function memoryIo(stop: Promise<void> = new Promise(() => {})) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
      readStdin: async () => "",
      env: {},
      stopSignal: stop,
    },
  };
}

describe("kusto serve as a child process", () => {
  let child: ChildProcess;
  let url: string;
  let stderr = "";
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  beforeAll(async () => {
    // `npx tsx src/cli/main.ts ...` minus npx: npm's wrapper dies on SIGTERM without passing it on
    // (leaving the server orphaned), so the test talks to tsx, which relays signals and exit codes.
    child = spawn(
      process.execPath,
      [TSX_CLI, "src/cli/main.ts", "kusto", "serve", "--port", "0", "--data", dataFile],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
        // Own process group, so afterAll can kill tsx and its node child together by PID.
        detached: true,
      },
    );
    children.push(child);
    exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    url = await new Promise<string>((ok, fail) => {
      let stdout = "";
      child.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/m.exec(stdout);
        if (m?.[1]) ok(m[1]);
      });
      child.on("exit", (code) => fail(new Error(`kusto serve exited (${code}) before listening: ${stderr}`)));
    });
  });

  it("prints exactly `listening on http://127.0.0.1:N` and answers the real SDK", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    const client = sdkClient(url);
    try {
      const count = await client.execute(DATABASE, "MonTenantRingCapacity | count");
      expect([...(count.primaryResults[0]?.rows() ?? [])].map((r) => r.raw)).toEqual([[3]]);
      const tables = await client.execute(DATABASE, ".show tables");
      expect(tables.primaryResults[0]?._rows).toHaveLength(3);
    } finally {
      client.close();
    }
  });

  it("closes cleanly on SIGTERM", async () => {
    child.kill("SIGTERM");
    const { code, signal } = await exited;
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: "" });
  });
});

describe("kusto command in process", () => {
  it("serve: runs until the stop signal, then closes and exits 0", async () => {
    let stop = () => {};
    const { out, io } = memoryIo(new Promise<void>((r) => (stop = r)));
    const running = runCli(["kusto", "serve", "--data", dataFile], io);
    for (let i = 0; i < 200 && !out.stdout; i++) await new Promise((r) => setTimeout(r, 25));
    const url = /^listening on (\S+)\n$/.exec(out.stdout)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/v2/rest/query`, {
      method: "POST",
      body: JSON.stringify({ db: DATABASE, csl: "MonAnalyticsDBSnapshot | count" }),
    });
    expect(res.status).toBe(200);
    stop();
    expect(await running).toBe(0);
    await expect(fetch(`${url}/v1/rest/auth/metadata`)).rejects.toThrow();
  });

  it("serve: without --data serves the demo data", async () => {
    let stop = () => {};
    const { out, io } = memoryIo(new Promise<void>((r) => (stop = r)));
    const running = runCli(["kusto", "serve", "--port", "0"], io);
    for (let i = 0; i < 200 && !out.stdout; i++) await new Promise((r) => setTimeout(r, 25));
    const url = /^listening on (\S+)\n$/.exec(out.stdout)?.[1] ?? "";
    const client = sdkClient(url);
    try {
      const response = await client.execute(
        DATABASE,
        "MonSQLSystemHealth | summarize dcount(LogicalServerName)",
      );
      expect(Number([...(response.primaryResults[0]?.rows() ?? [])][0]?.raw[0])).toBeGreaterThanOrEqual(
        DEMO_SCENARIOS.length - 1,
      );
    } finally {
      client.close();
      stop();
    }
    expect(await running).toBe(0);
  });

  it("serve: a bad data file exits 2 with the data-file error", async () => {
    const { out, io } = memoryIo();
    expect(await runCli(["kusto", "serve", "--data", badFile], io)).toBe(2);
    expect(out.stderr).toBe(
      `attest kusto serve: ${badFile}: table MonSQLSystemHealth, row 0, column error_id: got string "37324"; expected long: an integer or null\n`,
    );
    expect(out.stdout).toBe("");
  });

  it.each([
    [["serve", "--port", "99999"], /--port: got "99999"; expected a port number/],
    [["serve", "extra"], /arguments: got "extra"/],
    [["frobnicate"], /subcommand: got "frobnicate"; expected serve or query/],
    [["query", "T", "--param", "=x"], /--param: got "=x"/],
  ])("rejects %j with exit 2", async (argv, message) => {
    const { out, io } = memoryIo();
    expect(await runCli(["kusto", ...argv], io)).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it.each([
    ["0.0.0.0"],
    ["::"],
    ["[::]"],
    ["10.0.0.5"],
    ["192.168.1.20"],
    ["128.0.0.1"],
    ["example.com"],
    [""],
  ])(
    "serve --host %j: exits 2 before listening; the engine has no authentication and is loopback-only",
    async (host) => {
      const { out, io } = memoryIo();
      expect(await runCli(["kusto", "serve", "--host", host, "--port", "0"], io)).toBe(2);
      expect(out.stderr).toContain(`--host: got ${JSON.stringify(host)}`);
      expect(out.stderr).toContain(
        "the embedded engine has no authentication and is served on loopback only",
      );
      expect(out.stdout).toBe("");
    },
  );

  it.each([
    [undefined, "127.0.0.1"],
    ["127.0.0.1", "127.0.0.1"],
    ["127.0.0.2", "127.0.0.2"],
    ["127.255.255.254", "127.255.255.254"],
    ["::1", "::1"],
    ["[::1]", "::1"],
    ["0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:1"],
    ["localhost", "localhost"],
    ["LocalHost", "LocalHost"],
  ])("--host %j is a loopback address (listens on %j)", (host, expected) => {
    expect(parseLoopbackHost(host)).toBe(expected);
  });

  it("serve --host 127.0.0.2: listens there and answers", async () => {
    let stop = () => {};
    const { out, io } = memoryIo(new Promise<void>((r) => (stop = r)));
    const running = runCli(["kusto", "serve", "--host", "127.0.0.2", "--data", dataFile], io);
    for (let i = 0; i < 200 && !out.stdout; i++) await new Promise((r) => setTimeout(r, 25));
    const url = /^listening on (\S+)\n$/.exec(out.stdout)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    const res = await fetch(`${url}/v2/rest/query`, {
      method: "POST",
      body: JSON.stringify({ db: DATABASE, csl: "MonAnalyticsDBSnapshot | count" }),
    });
    expect(res.status).toBe(200);
    stop();
    expect(await running).toBe(0);
  });

  it.each([
    [
      "print d = datetime(2026-02-30)",
      /^attest kusto query: InvalidDatetimeLiteral: .*datetime\(2026-02-30\)/,
    ],
    [
      'MonSQLSystemHealth | where error_id == "37324" | count',
      /^attest kusto query: CannotCompareTypes: Cannot compare values of types long and string/,
    ],
  ])("query %j exits 2 naming the problem", async (text, message) => {
    const { out, io } = memoryIo();
    expect(await runCli(["kusto", "query", text, "--data", dataFile], io)).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stdout).toBe("");
  });

  it("query --format json: real infinities and NaN as Kusto's strings, not null", async () => {
    const { out, io } = memoryIo();
    expect(await runCli(["kusto", "query", "print a = 1.0/0, b = 0.0/0", "--format", "json"], io)).toBe(0);
    expect(JSON.parse(out.stdout)[0].rows).toEqual([["Infinity", "NaN"]]);
  });

  it("query: prints a table", async () => {
    const { out, io } = memoryIo();
    const code = await runCli(
      [
        "kusto",
        "query",
        "declare query_parameters(size:string); MonTenantRingCapacity | where vm_size == size | project tenant_ring_name, vm_size",
        "--data",
        dataFile,
        "--param",
        "size=SQLGen5_8",
      ],
      io,
    );
    expect(out.stderr).toBe("");
    expect(code).toBe(0);
    expect(out.stdout.split("\n")).toEqual([
      "tenant_ring_name                              vm_size",
      "--------------------------------------------  ---------",
      "tr3000.eastus1-a.worker.database.windows.net  SQLGen5_8",
      "(1 row)",
      "",
    ]);
  });

  it("query: a rejected query exits 2 with Kusto's code", async () => {
    const { out, io } = memoryIo();
    expect(
      await runCli(["kusto", "query", "MonTenantRingCapacity | where nope == 1", "--data", dataFile], io),
    ).toBe(2);
    expect(out.stderr).toMatch(/^attest kusto query: KS\d+: .*nope/);
  });
});
