/** `npm start`: the bot server. Stops cleanly on SIGINT/SIGTERM. */
import { pinoLogger } from "./adapters/log/pino-logger.js";
import { startBot } from "./compose/start-bot.js";
import { ConfigError } from "./config/config.js";

const logger = pinoLogger();

try {
  const bot = await startBot({ env: process.env, logger });
  const stop = () => {
    logger.info("bot.stopping", {});
    void bot.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`attest-bot: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
