/** Logger writing one JSON object per line (to stdout in production, where the container collects it). */
import type { Logger } from "../../ports/log.js";

export function jsonLogger(write: (line: string) => void, now: () => number = Date.now): Logger {
  const emit = (level: string, event: string, fields: Readonly<Record<string, unknown>> = {}) =>
    write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...fields })}\n`);
  return {
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}
