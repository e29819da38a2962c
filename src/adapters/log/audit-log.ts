/** The audit trail as structured log lines (`event: "audit"`). */
import type { AuditEntry, AuditLog } from "../../ports/audit.js";
import type { Logger } from "../../ports/log.js";

export class LoggerAuditLog implements AuditLog {
  readonly #logger: Logger;
  constructor(logger: Logger) {
    this.#logger = logger;
  }
  record(entry: AuditEntry): void {
    this.#logger.info("audit", { ...entry });
  }
}
