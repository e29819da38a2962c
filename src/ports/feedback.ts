/**
 * Feedback on diagnoses and digest snoozes (issue 14): "this fixed it / this did not" per rule,
 * tallied so that a rule whose mitigation often fails shows up (`attest stats`), and servers a
 * channel asked to leave out of its digests for a while. Implemented in memory and in files.
 */
import type { FeedbackAnswer } from "../domain/command/parse-followups.js";

export interface FeedbackEntry {
  readonly rule: string;
  readonly answer: FeedbackAnswer;
  readonly server: string | null;
  readonly platform: "teams" | "slack" | "cli";
  readonly who: string;
  /** ISO-8601 UTC. */
  readonly at: string;
}

/** One rule's answers. */
export interface RuleTally {
  readonly rule: string;
  readonly fixed: number;
  readonly notFixed: number;
  /** ISO time of the latest answer. */
  readonly lastAt: string;
}

export interface Snooze {
  /** The conversation (Teams) or channel (Slack) whose digests leave the server out. */
  readonly conversation: string;
  readonly server: string;
  /** ISO-8601 UTC; the snooze ends then. */
  readonly until: string;
  readonly by: string;
}

export interface FeedbackStore {
  /** Records one answer; the tally counts it at once. */
  record(entry: FeedbackEntry): Promise<void>;
  /** Every rule with at least one answer, sorted by rule id. */
  tally(): Promise<RuleTally[]>;
  /** Sets (or replaces) the snooze of `server` in `conversation`. */
  snooze(snooze: Snooze): Promise<void>;
  /** The servers snoozed in `conversation` at `nowIso` (lowercase, sorted). */
  snoozed(conversation: string, nowIso: string): Promise<string[]>;
}

/** Adds `entry` to `tally` (pure; shared by the implementations). */
export function addToTally(tally: readonly RuleTally[], entry: FeedbackEntry): RuleTally[] {
  const old = tally.find((t) => t.rule === entry.rule) ?? {
    rule: entry.rule,
    fixed: 0,
    notFixed: 0,
    lastAt: "",
  };
  const next: RuleTally = {
    rule: entry.rule,
    fixed: old.fixed + (entry.answer === "fixed" ? 1 : 0),
    notFixed: old.notFixed + (entry.answer === "not_fixed" ? 1 : 0),
    lastAt: [entry.at, old.lastAt].sort().at(-1) ?? entry.at,
  };
  return [...tally.filter((t) => t.rule !== entry.rule), next].sort((a, b) => a.rule.localeCompare(b.rule));
}

/** Keeps everything in memory (tests, and the bot when no data directory is configured). */
export class MemoryFeedbackStore implements FeedbackStore {
  #tally: RuleTally[] = [];
  #snoozes: Snooze[] = [];
  async record(entry: FeedbackEntry): Promise<void> {
    this.#tally = addToTally(this.#tally, entry);
  }
  async tally(): Promise<RuleTally[]> {
    return [...this.#tally];
  }
  async snooze(snooze: Snooze): Promise<void> {
    this.#snoozes = [
      ...this.#snoozes.filter((s) => !(s.conversation === snooze.conversation && s.server === snooze.server)),
      snooze,
    ];
  }
  async snoozed(conversation: string, nowIso: string): Promise<string[]> {
    return activeSnoozes(this.#snoozes, conversation, nowIso);
  }
}

/** The servers of `snoozes` snoozed in `conversation` at `nowIso`. */
export function activeSnoozes(snoozes: readonly Snooze[], conversation: string, nowIso: string): string[] {
  return [
    ...new Set(
      snoozes
        .filter((s) => s.conversation === conversation && s.until > nowIso)
        .map((s) => s.server.toLowerCase()),
    ),
  ].sort();
}
