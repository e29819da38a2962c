/**
 * `npm run playground`: the bot (`node dist/main.js`, local mode, embedded demo data) and Microsoft
 * 365 Agents Playground (npm @microsoft/m365agentsplayground), which plays Teams in a browser page:
 * type `attest check sgxtestuksouthsrv` there and the card comes back. Both on 127.0.0.1, the
 * playground's telemetry off and no browser opened; its log and config files go to a temporary
 * directory, not the working copy. PORT (default 3978) and PLAYGROUND_PORT (default 56150).
 *
 * The playground listens on every interface and has no option to choose one:
 * scripts/loopback-only.cjs, preloaded into it, binds it to 127.0.0.1.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(REPO, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
const LOOPBACK = join(REPO, "scripts", "loopback-only.cjs");

export interface Playground {
  /** The playground's page and API, e.g. http://127.0.0.1:56150 */
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the playground against `appEndpoint` (the bot's /api/messages); resolves once it listens. */
export function startPlayground(options: {
  readonly appEndpoint: string;
  readonly port: number;
  /** Where its log and config files go (a temporary directory). */
  readonly workDir: string;
}): Promise<Playground> {
  const child = spawn(
    process.execPath,
    [
      "--require",
      LOOPBACK,
      CLI,
      "--app-endpoint",
      options.appEndpoint,
      "--channel-id",
      "msteams",
      "--port",
      String(options.port),
      "--disable-telemetry",
    ],
    {
      cwd: options.workDir,
      env: {
        PATH: process.env.PATH,
        HOME: options.workDir,
        TEAMSAPPTESTER_BROWSER: "none",
        M365_AGENTS_PLAYGROUND_LOGFILE: join(options.workDir, "playground.log"),
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: join(options.workDir, ".m365agentsplayground.yml"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return new Promise((resolvePlayground, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Listening on (\d+)/.exec(output)?.[1];
      if (!port) return;
      child.stdout?.off("data", onData);
      resolvePlayground({
        url: `http://127.0.0.1:${port}`,
        child,
        stop: async () => {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`Agents Playground exited (${code}) before listening:\n${output}`)),
    );
  });
}

async function main(): Promise<void> {
  const botPort = Number(process.env.PORT ?? 3978);
  const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? 56150);
  const build = spawnSync(process.execPath, [join(REPO, "scripts", "build.mjs"), "--if-stale"], {
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // The bot in local mode (no MicrosoftAppId): 127.0.0.1 only, any tenant, replies without a token.
  const { MicrosoftAppId: _ignored, ...env } = process.env;
  const bot = spawn(process.execPath, [join(REPO, "dist", "main.js")], {
    env: { ...env, PORT: String(botPort) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const workDir = mkdtempSync(join(tmpdir(), "attest-playground-"));
  const playground = await startPlayground({
    appEndpoint: `http://127.0.0.1:${botPort}/api/messages`,
    port: playgroundPort,
    workDir,
  });
  process.stdout.write(
    `\nMicrosoft 365 Agents Playground: open ${playground.url} and type "attest check sgxtestuksouthsrv"\n` +
      `(its log: ${resolve(workDir, "playground.log")}). Ctrl-C stops both.\n\n`,
  );
  const stop = () => {
    bot.kill("SIGTERM");
    void playground.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  bot.once("exit", (code) => {
    process.stderr.write(`the bot exited (${code}); stopping the playground\n`);
    void playground.stop().then(() => process.exit(code ?? 1));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
