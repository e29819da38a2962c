/**
 * Acknowledgements first. The HTTP server counts the chat requests it is still answering (a Slack
 * request is answered when it is acknowledged), and check work waits at each of its steps:
 *  - until none is being answered, or at most `maxWaitMs` (a steady stream of requests must not
 *    starve the checks);
 *  - and then for its own turn of the event loop: one waiting step goes per turn, in the order
 *    they came. Node accepts one new connection per turn of the loop, so a turn that ran every
 *    waiting step at once (each a millisecond or more of rendering and delivery) would keep a
 *    burst of new connections waiting for many milliseconds each.
 */
interface Waiter {
  readonly resolve: () => void;
  readonly since: number;
}

export class IngressGate {
  readonly #maxWaitMs: number;
  #pending = 0;
  readonly #waiters: Waiter[] = [];
  #scheduled = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: { readonly maxWaitMs?: number } = {}) {
    this.#maxWaitMs = options.maxWaitMs ?? 200;
  }

  /** Requests being answered now. */
  get pending(): number {
    return this.#pending;
  }

  /** Steps waiting for their turn. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Counts one request in; the function returned counts it out (calling it again does nothing). */
  enter(): () => void {
    this.#pending++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#pending--;
      if (this.#pending === 0) this.#pump();
    };
  }

  /**
   * Resolves on a later turn of the event loop, once no request is being answered (or after
   * `maxWaitMs` whatever happens), and never in the same turn as another waiting step.
   */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push({ resolve, since: performance.now() });
      this.#pump();
    });
  }

  /** Lets the first waiting step go on the next turn, if it may go now. */
  #pump(): void {
    if (this.#scheduled || this.#waiters.length === 0) return;
    const head = this.#waiters[0] as Waiter;
    const waited = performance.now() - head.since;
    if (this.#pending > 0 && waited < this.#maxWaitMs) {
      // Woken when the last request is answered (enter's leave), or when the head has waited enough.
      this.#timer ??= setTimeout(
        () => {
          this.#timer = null;
          this.#pump();
        },
        Math.max(1, Math.ceil(this.#maxWaitMs - waited)),
      );
      return;
    }
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#waiters.shift()?.resolve();
      // Scheduled from the check phase, the next step's setImmediate runs on the next turn.
      this.#pump();
    });
  }
}
