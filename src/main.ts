/**
 * `npm start`: the bot server. On SIGTERM or SIGINT it drains (see RunningBot.shutdown): stops
 * accepting, answers or cuts short every acknowledged command within ATTEST_SHUTDOWN_GRACE,
 * flushes the log (the audit trail included) and exits 0. A second signal exits at once.
 */
import { pinoLogger } from "./adapters/log/pino-logger.js";
import { startBot } from "./compose/start-bot.js";
import { ConfigError } from "./config/config.js";

const logger = pinoLogger();

/** Resolves once everything written to stdout so far has been handed to the OS. */
const flushStdout = () => new Promise<void>((resolve) => process.stdout.write("", () => resolve()));

try {
  const bot = await startBot({ env: process.env, logger });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn("bot.stop_forced", { signal });
      void flushStdout().then(() => process.exit(1));
      return;
    }
    stopping = true;
    logger.info("bot.stopping", { signal });
    bot
      .shutdown()
      .then(
        () => 0,
        (error: unknown) => {
          logger.error("bot.shutdown_failed", {
            error: error instanceof Error ? error.message : String(error),
          });
          return 1;
        },
      )
      .then(async (code) => {
        logger.info("bot.stopped", { code });
        await flushStdout();
        process.exit(code);
      });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`attest-bot: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
