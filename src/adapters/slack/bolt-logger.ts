/** Bolt's logger interface over our structured logger (Bolt's debug chatter is dropped). */
import type { Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../ports/log.js";

const text = (parts: unknown[]) =>
  parts
    .map((p) => (p instanceof Error ? p.message : typeof p === "string" ? p : JSON.stringify(p)))
    .join(" ");

export function boltLogger(logger: Logger): BoltLogger {
  let level = "info" as LogLevel;
  return {
    debug: () => {},
    info: (...parts: unknown[]) => logger.info("slack.bolt", { message: text(parts) }),
    warn: (...parts: unknown[]) => logger.warn("slack.bolt", { message: text(parts) }),
    error: (...parts: unknown[]) => logger.error("slack.bolt", { message: text(parts) }),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
