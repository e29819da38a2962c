/**
 * Results behind the buttons of a message ("Show evidence", "Post to channel", ...), kept in memory
 * for a day. A ref only opens in the workspace and channel it was made for; a miss (expired, or the
 * bot restarted) makes the button run the command again from the value it carries.
 */
import { randomUUID } from "node:crypto";
import type { DiagnosisView } from "../../domain/view/check-view.js";
import type { Clock } from "../../ports/clock.js";

interface Entry {
  readonly view: DiagnosisView;
  readonly team: string;
  readonly channel: string;
  readonly at: number;
}

export class ResultStore {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: Clock;
  readonly #max: number;
  readonly #ttlMs: number;

  constructor(clock: Clock, max = 200, ttlMs = 86_400_000) {
    this.#clock = clock;
    this.#max = max;
    this.#ttlMs = ttlMs;
  }

  /** Stores `view` and returns its ref. */
  put(view: DiagnosisView, team: string, channel: string): string {
    const ref = randomUUID();
    this.#entries.set(ref, { view, team, channel, at: this.#clock.now() });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return ref;
  }

  /** The view for `ref` if it is still kept and was made in this team and channel. */
  get(ref: string, team: string, channel: string): DiagnosisView | null {
    const e = this.#entries.get(ref);
    if (!e || e.team !== team || e.channel !== channel) return null;
    if (this.#clock.now() - e.at > this.#ttlMs) {
      this.#entries.delete(ref);
      return null;
    }
    return e.view;
  }
}
