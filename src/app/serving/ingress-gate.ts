/**
 * Acknowledgements first: the HTTP server counts the chat requests it is still answering (a Slack
 * request is answered when it is acknowledged), and check work waits at each of its steps until
 * none is, so an acknowledgement never waits behind more than the one step already running. A step
 * waits at most `maxWaitMs` (a steady stream of requests must not starve the checks).
 */
export class IngressGate {
  readonly #maxWaitMs: number;
  #pending = 0;
  #waiters: (() => void)[] = [];

  constructor(options: { readonly maxWaitMs?: number } = {}) {
    this.#maxWaitMs = options.maxWaitMs ?? 200;
  }

  /** Requests being answered now. */
  get pending(): number {
    return this.#pending;
  }

  /** Counts one request in; the function returned counts it out (calling it again does nothing). */
  enter(): () => void {
    this.#pending++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#pending--;
      if (this.#pending === 0) for (const w of this.#waiters.splice(0)) w();
    };
  }

  /**
   * Resolves on a later turn of the event loop once no request is being answered, or after
   * `maxWaitMs` whatever happens.
   */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      const go = () => setImmediate(resolve);
      if (this.#pending === 0) return go();
      let done = false;
      const once = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        go();
      };
      const timer = setTimeout(once, this.#maxWaitMs);
      this.#waiters.push(once);
    });
  }
}
