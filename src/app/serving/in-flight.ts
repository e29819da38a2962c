/**
 * Acknowledged work that still owes the user an answer (a check whose result goes to a
 * response_url, a progress card to replace). On shutdown `drain` waits up to the grace period for
 * it to finish, then tells each user still waiting that their command was cut short.
 */
import type { Logger } from "../../ports/log.js";

interface Entry {
  readonly label: string;
  readonly done: Promise<unknown>;
  readonly cutShort: () => Promise<void>;
}

export interface DrainResult {
  /** Finished (answered) within the grace period. */
  readonly finished: number;
  /** Told they were cut short. */
  readonly cutShort: number;
  /** The cut-short message itself could not be sent. */
  readonly unanswered: number;
}

export class InFlight {
  readonly #entries = new Set<Entry>();
  /** Settled since the drain began. */
  #finishedWhileDraining = 0;
  #draining = false;

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Tracks `work` until it settles; `cutShort` tells the user the command was cut short (called
   * at most once, only when `work` has not finished by the end of the grace period).
   */
  track<T>(label: string, work: Promise<T>, cutShort: () => Promise<void>): Promise<T> {
    const entry: Entry = { label, done: work.catch(() => undefined), cutShort };
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
    const left = [...this.#entries];
    this.#entries.clear();
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
