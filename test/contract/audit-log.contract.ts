/**
 * The AuditLog contract, run against every implementation (in memory, JSON log lines): each record
 * can be read back with every field as recorded, in order, one per call; parameters are kept as
 * given (nothing is special-cased, secret-looking names included). Implementations that write a
 * stream also show it: one JSON line per record, `"event":"audit"`, the entry's fields at top level.
 */
import { describe, expect, it } from "vitest";
import type { AuditEntry, AuditLog } from "../../src/ports/audit.js";

export interface AuditLogUnderTest {
  readonly log: AuditLog;
  /** Every entry recorded so far, read back the implementation's way (kept, or parsed from its lines). */
  readonly recorded: () => readonly unknown[];
  /** The raw stream written so far (for implementations registered with `writesStream`). */
  readonly output?: () => string;
}

export const AUDIT_ENTRIES: readonly AuditEntry[] = [
  {
    platform: "teams",
    who: "8f0e5c1a-aad-object-id",
    tenant: "72f988bf-tenant",
    conversation: "19:abc@thread.tacv2",
    command: "check",
    parameters: {
      server: 'srv-ünïcødé "quoted" and\na newline',
      database: null,
      sinceMs: 3_600_000,
      url: "https://portal.azure.com/#@x/resource/sub?x=1&y=2",
    },
    outcome: "customer_error",
    durationMs: 1234.5,
    kustoRequestIds: ["attest-bot;0b6f1a2e-1111-4222-8333-944455556666", "attest-bot;second"],
  },
  {
    platform: "slack",
    who: "U012ABCDEF",
    tenant: "T0123456",
    conversation: "C0123456",
    command: "digest subscribe",
    parameters: {
      servers: ["srv-a", "srv-b"],
      schedule: { cron: "0 9 * * 1-5", timeZone: "Europe/London" },
      quietWhenClear: true,
      token: "xoxb-1234-5678-notreallysecret",
      password: "hunter2",
      authorization: "Bearer eyJhbGciOiJub25lIn0.e30.",
    },
    outcome: "bad_input",
    durationMs: 7,
    kustoRequestIds: [],
  },
  {
    platform: "cli",
    who: "",
    tenant: "",
    conversation: "",
    command: "help",
    parameters: {},
    outcome: "refused",
    durationMs: 0,
    kustoRequestIds: [],
  },
];

const FIELDS = Object.keys(AUDIT_ENTRIES[0]!) as (keyof AuditEntry)[];

/** Registers the contract's tests for one implementation; `make` returns a fresh, empty log. */
export function auditLogContract(
  name: string,
  make: () => AuditLogUnderTest,
  options: { readonly writesStream: boolean },
): void {
  describe(`AuditLog contract: ${name}`, () => {
    it("starts empty", () => {
      expect(make().recorded()).toEqual([]);
    });

    it.each(AUDIT_ENTRIES.map((e) => [e.platform, e] as const))(
      "reads back a %s entry with every field as recorded",
      (_, entry) => {
        const sut = make();
        sut.log.record(entry);
        const recorded = sut.recorded();
        expect(recorded).toHaveLength(1);
        expect(recorded[0]).toEqual(entry);
        for (const field of FIELDS) expect(recorded[0]).toHaveProperty([field], entry[field]);
      },
    );

    it("keeps one record per call, in the order recorded, repeats included", () => {
      const sut = make();
      const calls = [...AUDIT_ENTRIES, AUDIT_ENTRIES[0]!];
      for (const entry of calls) sut.log.record(entry);
      expect(sut.recorded()).toEqual(calls);
    });

    it("keeps secret-looking parameters exactly as given (no special case)", () => {
      const sut = make();
      const entry = AUDIT_ENTRIES[1]!;
      sut.log.record(entry);
      const parameters = (sut.recorded()[0] as AuditEntry).parameters;
      expect(parameters).toEqual(entry.parameters);
      expect(parameters.token).toBe("xoxb-1234-5678-notreallysecret");
      expect(parameters.password).toBe("hunter2");
    });

    if (!options.writesStream) return;
    it("writes one JSON line per record: event audit, every field at top level", () => {
      const sut = make();
      for (const entry of AUDIT_ENTRIES) sut.log.record(entry);
      const text = sut.output!();
      expect(text.endsWith("\n")).toBe(true);
      const lines = text.slice(0, -1).split("\n");
      expect(lines).toHaveLength(AUDIT_ENTRIES.length);
      lines.forEach((line, i) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        expect(parsed.event).toBe("audit");
        expect(line).toContain('"event":"audit"');
        const entry = AUDIT_ENTRIES[i]!;
        for (const field of FIELDS) expect(parsed[field]).toEqual(entry[field]);
      });
    });
  });
}
