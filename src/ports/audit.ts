/** The audit trail: one structured line per chat command, whatever the platform or outcome. */
export interface AuditEntry {
  readonly platform: "teams" | "slack" | "cli";
  /** User id (AAD object id, Slack user id). */
  readonly who: string;
  /** Tenant id (Teams) or workspace/team id (Slack). */
  readonly tenant: string;
  /** Conversation id (Teams) or channel id (Slack). */
  readonly conversation: string;
  readonly command: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** "refused", "bad_input", "unavailable", "error", or the verdict category. */
  readonly outcome: string;
  readonly durationMs: number;
  readonly kustoRequestIds: readonly string[];
}

export interface AuditLog {
  record(entry: AuditEntry): void;
}

/** Keeps entries in memory (tests). */
export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  record(entry: AuditEntry): void {
    this.entries.push(entry);
  }
}
