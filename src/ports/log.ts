/** Structured logging: one JSON object per event. Secrets never go in `fields`. */
export interface Logger {
  info(event: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(event: string, fields?: Readonly<Record<string, unknown>>): void;
  error(event: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Discards everything (CLI default, tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Keeps every event in memory: for tests that assert on what was logged. */
export class MemoryLogger implements Logger {
  readonly events: { level: "info" | "warn" | "error"; event: string; fields: Record<string, unknown> }[] =
    [];
  info(event: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.events.push({ level: "info", event, fields: { ...fields } });
  }
  warn(event: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.events.push({ level: "warn", event, fields: { ...fields } });
  }
  error(event: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.events.push({ level: "error", event, fields: { ...fields } });
  }
}
