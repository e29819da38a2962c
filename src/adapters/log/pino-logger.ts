/**
 * The Logger port on pino: one JSON object per line on stdout (the container collects it), with
 * `level` as a word, `time` as ISO-8601, the event name in `event`, and the current request's
 * `httpRequestId` (see request-context.ts). Secrets are never passed in fields (the Logger contract), so
 * nothing is rewritten: the audit trail keeps parameters exactly as given.
 */
import { type DestinationStream, pino, stdTimeFunctions } from "pino";
import type { Logger } from "../../ports/log.js";
import { requestContext } from "./request-context.js";

export interface PinoLoggerOptions {
  /** Where lines go; default stdout (synchronous, so nothing is lost at exit). */
  readonly destination?: DestinationStream;
  /** Lowest level written: info (default), warn or error. */
  readonly level?: "info" | "warn" | "error";
  /** The clock stamped on each line (tests); default Date.now. */
  readonly now?: () => number;
}

export function pinoLogger(options: PinoLoggerOptions = {}): Logger {
  const log = pino(
    {
      level: options.level ?? "info",
      base: null,
      messageKey: "event",
      timestamp: options.now
        ? () => `,"time":"${new Date(options.now!()).toISOString()}"`
        : stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...requestContext.getStore() }),
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return {
    info: (event, fields = {}) => log.info({ ...fields }, event),
    warn: (event, fields = {}) => log.warn({ ...fields }, event),
    error: (event, fields = {}) => log.error({ ...fields }, event),
  };
}
