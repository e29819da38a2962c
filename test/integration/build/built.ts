/**
 * A production build in a temporary directory, laid out as the container image is: dist/ compiled
 * by `tsc -p tsconfig.build.json`, with package.json, queries/, cards/ and node_modules beside it
 * (linked, not copied). Tests never build into the working copy.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Generous limits: these tests compile the project and start node processes, which on a shared
 * two-core machine under load take many times their usual few seconds (no timing is asserted).
 */
export const BUILD_TIMEOUT_MS = 240_000;
export const PROCESS_TIMEOUT_MS = 180_000;

export interface Built {
  /** The directory holding dist/ (the image's WORKDIR). */
  readonly dir: string;
  /** `node --import` this file to make loading an Azure SDK package throw. */
  readonly forbidAzure: string;
  remove(): void;
}

export function buildToTemp(): Built {
  const dir = mkdtempSync(join(tmpdir(), "attest-built-"));
  for (const name of ["node_modules", "queries", "cards"]) symlinkSync(join(REPO, name), join(dir, name));
  copyFileSync(join(REPO, "package.json"), join(dir, "package.json"));
  const tsc = join(REPO, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(
    process.execPath,
    [tsc, "-p", join(REPO, "tsconfig.build.json"), "--outDir", join(dir, "dist")],
    { encoding: "utf8" },
  );
  if (result.status !== 0)
    throw new Error(`tsc -p tsconfig.build.json failed:\n${result.stdout}${result.stderr}`);
  const forbidAzure = join(dir, "forbid-azure.mjs");
  writeFileSync(
    join(dir, "forbid-azure-hooks.mjs"),
    [
      "const FORBIDDEN = /^(azure-kusto-data|@azure\\/identity|@azure\\/storage-blob)(\\/|$)/;",
      "export async function resolve(specifier, context, next) {",
      '  if (FORBIDDEN.test(specifier)) throw new Error("forbidden import: " + specifier);',
      "  return next(specifier, context);",
      "}",
    ].join("\n"),
  );
  writeFileSync(
    forbidAzure,
    'import { register } from "node:module";\nregister("./forbid-azure-hooks.mjs", import.meta.url);\n',
  );
  return { dir, forbidAzure, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <args>` in `cwd` to completion. */
export function runNode(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Server {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` (the bot) in `cwd` and resolves once its `bot.started` log line names the
 * port; rejects with the output when the process exits first.
 */
export function startNodeServer(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Server> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const port = startedPort(out);
      if (port !== null) {
        child.stdout.off("data", onData);
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
        });
        resolve({
          url: `http://127.0.0.1:${port}`,
          output: () => out,
          stop: async () => {
            if (child.exitCode === null) child.kill("SIGTERM");
            await exited;
          },
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.once("exit", (code) =>
      reject(new Error(`the bot exited (${code}) before it was listening:\n${out}`)),
    );
  });
}

/** The port in the `bot.started` log line (one JSON object per line), or null before it. */
function startedPort(output: string): number | null {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{") || !line.includes("bot.started")) continue;
    try {
      const entry = JSON.parse(line) as { event?: string; msg?: string; listening?: string };
      const port = /:(\d+)/.exec(entry.listening ?? "")?.[1];
      if ((entry.event ?? entry.msg) === "bot.started" && port) return Number(port);
    } catch {
      // a partial line: wait for the rest
    }
  }
  return null;
}
