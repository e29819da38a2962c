/**
 * Acknowledged work that still owes the user an answer (a check whose result goes to a
 * response_url, a progress card to replace). On shutdown `drain` waits up to the grace period for
 * it to finish, then tells each user still waiting that their command was cut short.
 */
import type { Logger } from "../../ports/log.js";

interface Entry {
  readonly label: string;
  done: Promise<unknown>;
  readonly cutShort: () => Promise<void>;
  /** Who gives the one answer: the work itself, or the drain's "cut short"; null: not decided yet. */
  answeredBy: "work" | "cut" | null;
}

export interface DrainResult {
  /** Finished (answered) within the grace period. */
  readonly finished: number;
  /** Told they were cut short. */
  readonly cutShort: number;
  /** The cut-short message itself could not be sent. */
  readonly unanswered: number;
}

/**
 * Asked by the work just before it answers: true, the work gives the answer; false, the user was
 * already told the command was cut short, and must get no second answer.
 */
export type MayAnswer = () => boolean;

/** For work that nothing tracks: it may always answer. */
export const alwaysAnswer: MayAnswer = () => true;

export class InFlight {
  readonly #entries = new Set<Entry>();
  /** Settled since the drain began. */
  #finishedWhileDraining = 0;
  #draining = false;

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Tracks the work `run` starts until it settles. Each command gets one answer: the work asks
   * `mayAnswer()` before it answers, and `cutShort` (which tells the user the command was cut
   * short) is called at most once, only when the work has neither finished nor begun to answer by
   * the end of the grace period.
   */
  track<T>(
    label: string,
    run: (mayAnswer: MayAnswer) => Promise<T>,
    cutShort: () => Promise<void>,
  ): Promise<T> {
    const entry: Entry = { label, done: Promise.resolve(), cutShort, answeredBy: null };
    const work = run(() => {
      if (entry.answeredBy === "cut") return false;
      entry.answeredBy = "work";
      return true;
    });
    entry.done = work.catch(() => undefined);
    this.#entries.add(entry);
    void entry.done.then(() => {
      if (this.#entries.delete(entry) && this.#draining) this.#finishedWhileDraining++;
    });
    return work;
  }

  /**
   * Waits up to `graceMs` for everything tracked (work tracked meanwhile too), then cuts short
   * what is left, giving each cut-short message `cutShortTimeoutMs`.
   */
  async drain(graceMs: number, logger: Logger, cutShortTimeoutMs = 5000): Promise<DrainResult> {
    this.#draining = true;
    const deadline = Date.now() + graceMs;
    while (this.#entries.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.race([...this.#entries].map((e) => e.done)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deadline - Date.now());
        }),
      ]);
      clearTimeout(timer);
      // Let the settled entry remove itself before looking again.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Work that has begun to answer is left to finish its answer; the rest is cut short.
    const left = [...this.#entries].filter((e) => e.answeredBy === null);
    for (const e of left) {
      e.answeredBy = "cut";
      this.#entries.delete(e);
    }
    let unanswered = 0;
    await Promise.all(
      left.map(async (e) => {
        let t: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            e.cutShort(),
            new Promise((_, reject) => {
              t = setTimeout(() => reject(new Error("timed out")), cutShortTimeoutMs);
            }),
          ]);
        } catch (error) {
          unanswered++;
          logger.error("shutdown.cut_short_failed", {
            work: e.label,
            error: error instanceof Error ? error.message : String(error),
          });
        } finally {
          clearTimeout(t);
        }
      }),
    );
    return { finished: this.#finishedWhileDraining, cutShort: left.length - unanswered, unanswered };
  }
}
