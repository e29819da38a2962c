/**
 * Runs the one AuditLog contract against MemoryAuditLog and against LoggerAuditLog writing JSON
 * lines through the real pino logger (read back by parsing the lines it wrote).
 */
import { describe, expect, it } from "vitest";
import { LoggerAuditLog } from "../../src/adapters/log/audit-log.js";
import { pinoLogger } from "../../src/adapters/log/pino-logger.js";
import { MemoryAuditLog } from "../../src/ports/audit.js";
import { AUDIT_ENTRIES, auditLogContract } from "./audit-log.contract.js";

const NOW = Date.parse("2026-11-24T09:00:00.000Z");

auditLogContract(
  "MemoryAuditLog",
  () => {
    const log = new MemoryAuditLog();
    return { log, recorded: () => log.entries };
  },
  { writesStream: false },
);

function jsonLines() {
  const writes: string[] = [];
  const log = new LoggerAuditLog(
    pinoLogger({
      destination: {
        write: (line: string) => {
          writes.push(line);
        },
      },
      now: () => NOW,
    }),
  );
  const output = () => writes.join("");
  return {
    log,
    output,
    writes,
    /** Each line parsed, without the logger's envelope (time, level, event). */
    recorded: () =>
      output()
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => {
          const {
            time: _time,
            level: _level,
            event: _event,
            ...fields
          } = JSON.parse(line) as Record<string, unknown>;
          return fields;
        }),
  };
}

auditLogContract("LoggerAuditLog (JSON lines)", jsonLines, { writesStream: true });

describe("LoggerAuditLog specifics", () => {
  it("writes each record in one write, stamped with the logger's clock at level info", () => {
    const sut = jsonLines();
    sut.log.record(AUDIT_ENTRIES[0]!);
    expect(sut.writes).toHaveLength(1);
    expect(JSON.parse(sut.writes[0]!)).toMatchObject({
      time: "2026-11-24T09:00:00.000Z",
      level: "info",
      event: "audit",
    });
  });
});
