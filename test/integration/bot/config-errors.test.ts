import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startBot } from "../../../src/compose/start-bot.js";
import { ConfigError, type SECRET_VARIABLES } from "../../../src/config/config.js";
import { MemoryLogger } from "../../../src/ports/log.js";

const SECRET_VALUES: Record<(typeof SECRET_VARIABLES)[number], string> = {
  MicrosoftAppPassword: "s3cr3t-bot-password-value",
  SLACK_SIGNING_SECRET: "s3cr3t-slack-signing-value",
  SLACK_BOT_TOKEN: "not-a-bot-token-s3cr3t",
  ATTEST_BLOB_CONNECTION_STRING: "AccountKey=s3cr3t-blob-key",
};

async function startupError(env: Record<string, string>, logger = new MemoryLogger()): Promise<ConfigError> {
  const error = await startBot({ env, logger, port: 0 }).then(
    async (bot) => {
      await bot.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("an invalid configuration stops start-up", () => {
  it("lists every problem at once, naming each variable, and never prints a secret", async () => {
    const error = await startupError({
      ...SECRET_VALUES,
      PORT: "eighty",
      ATTEST_DEFAULT_WINDOW: "soon",
      ATTEST_KUSTO_CLUSTER_URL: "https://c.kusto.windows.net",
      MicrosoftAppId: "00000000-0000-0000-0000-000000000001",
      MicrosoftAppType: "Sometimes",
      ATTEST_DIGEST_STORE: "floppy",
    });
    const named = error.problems.map((p) => p.split(":")[0]);
    for (const variable of [
      "PORT",
      "ATTEST_DEFAULT_WINDOW",
      "ATTEST_KUSTO_DATABASE",
      "MicrosoftAppType",
      "ATTEST_DIGEST_STORE",
    ])
      expect(named, `${variable} is reported`).toContain(variable);
    const everything = `${error.message}\n${error.problems.join("\n")}`;
    for (const [variable, value] of Object.entries(SECRET_VALUES))
      expect(everything, `${variable}'s value is not printed`).not.toContain(value);
  });

  it("an unreadable data file is listed with the other problems", async () => {
    const error = await startupError({ PORT: "99999", ATTEST_DATA: "/nonexistent/attest-demo.json" });
    expect(error.problems).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^ATTEST_DATA: .*\/nonexistent\/attest-demo\.json.*cannot read/),
    ]);
  });

  it("a digest store that cannot be opened stops start-up, naming the setting, without the secret", async () => {
    const logger = new MemoryLogger();
    const error = await startupError(
      {
        ATTEST_DIGEST_STORE: "blob",
        ATTEST_BLOB_CONNECTION_STRING: "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=SECRETKEY==;",
      },
      logger,
    );
    // Stopped before any check worker was started (none is left running behind the error).
    expect(logger.events.map((e) => e.event)).not.toContain("check_worker.ready");
    expect(error.problems).toEqual([
      expect.stringMatching(/^ATTEST_DIGEST_STORE: the digest store could not be opened/),
    ]);
    expect(error.message).not.toContain("SECRETKEY");
  });

  it("starts in local mode on 127.0.0.1 when nothing is configured", async () => {
    const logger = new MemoryLogger();
    const dataDir = join(tmpdir(), `attest-bot-test-${process.pid}`);
    const bot = await startBot({ env: { ATTEST_DATA_DIR: dataDir }, logger, port: 0 });
    try {
      expect(bot.localMode).toBe(true);
      expect(bot.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ready = await fetch(`${bot.url}/readyz`);
      expect(ready.status).toBe(200);
      const started = logger.events.find((e) => e.event === "bot.started");
      expect(String(started?.fields.mode)).toContain("127.0.0.1 only");
    } finally {
      await bot.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("is not ready while the digest store is unusable (ATTEST_DATA_DIR is a file)", async () => {
    const file = join(tmpdir(), `attest-bot-not-a-dir-${process.pid}`);
    writeFileSync(file, "not a directory");
    const bot = await startBot({ env: { ATTEST_DATA_DIR: file }, logger: new MemoryLogger(), port: 0 });
    try {
      const res = await fetch(`${bot.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { checks: Record<string, { ok: boolean; detail: string }> };
      expect(body.checks.kusto?.ok).toBe(true);
      expect(body.checks.digestStore?.ok).toBe(false);
      expect(body.checks.digestStore?.detail).toContain(file);
    } finally {
      await bot.close();
      rmSync(file, { force: true });
    }
  });

  it("a port already in use is a configuration problem naming PORT, and nothing is delivered", async () => {
    const first = await startBot({
      env: { ATTEST_DATA_DIR: join(tmpdir(), `attest-port-${process.pid}`) },
      logger: new MemoryLogger(),
      port: 0,
    });
    const logger = new MemoryLogger();
    try {
      const error = await startBot({
        env: { ATTEST_DATA_DIR: join(tmpdir(), `attest-port2-${process.pid}`) },
        logger,
        port: first.port,
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        expect.stringMatching(/^PORT: cannot listen on .*EADDRINUSE/),
      ]);
      // The scheduler of a bot that failed to start never ran.
      expect(logger.events.some((e) => e.event === "digest.started")).toBe(false);
    } finally {
      await first.close();
      rmSync(join(tmpdir(), `attest-port-${process.pid}`), { recursive: true, force: true });
      rmSync(join(tmpdir(), `attest-port2-${process.pid}`), { recursive: true, force: true });
    }
  });
});
