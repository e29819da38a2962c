/**
 * The check-execution queue: at most `concurrency` checks run at once, at most `maxPending` wait;
 * one more is refused at once with CheckQueueFull ("busy, try again in a minute") rather than
 * queued behind minutes of work. Work starts on a later turn of the event loop (setImmediate), so
 * acknowledgements and other I/O already waiting go out first. On shutdown `close()` refuses new
 * checks with ShuttingDown while the queued ones still run; `cancelPending()` (the grace period is
 * over) refuses those that never started.
 */

/** The queue is full: the caller says "busy, try again in a minute". */
export class CheckQueueFull extends Error {
  constructor(pending: number) {
    super(`${pending} checks are already waiting`);
    this.name = "CheckQueueFull";
  }
}

/** The bot is stopping: the check never started. */
export class ShuttingDown extends Error {
  constructor() {
    super("the bot is shutting down; the check was not started");
    this.name = "ShuttingDown";
  }
}

/** Lets the event loop run whatever I/O is waiting (an ack, a new request) before going on. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Waiting {
  readonly start: () => void;
  readonly refuse: (error: Error) => void;
}

export class CheckQueue {
  readonly #concurrency: number;
  readonly #maxPending: number;
  readonly #waiting: Waiting[] = [];
  #running = 0;
  #closed = false;

  readonly #pause: () => Promise<void>;

  /** `pause` runs before each check starts; default: the next turn of the event loop. */
  constructor(options: {
    readonly concurrency: number;
    readonly maxPending: number;
    readonly pause?: () => Promise<void>;
  }) {
    this.#concurrency = Math.max(1, options.concurrency);
    this.#maxPending = Math.max(0, options.maxPending);
    this.#pause = options.pause ?? yieldToLoop;
  }

  /** True when one more `run` would be refused (full, or closed). */
  get full(): boolean {
    return this.#closed || (this.#running >= this.#concurrency && this.#waiting.length >= this.#maxPending);
  }

  get stats(): { readonly running: number; readonly pending: number } {
    return { running: this.#running, pending: this.#waiting.length };
  }

  /** Runs `work` when a slot is free; rejects with CheckQueueFull or ShuttingDown without running it. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new ShuttingDown());
    if (this.#running >= this.#concurrency && this.#waiting.length >= this.#maxPending)
      return Promise.reject(new CheckQueueFull(this.#waiting.length));
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#running++;
        this.#pause()
          .then(work)
          .then(resolve, reject)
          .finally(() => {
            this.#running--;
            this.#next();
          });
      };
      if (this.#running < this.#concurrency) start();
      else this.#waiting.push({ start, refuse: reject });
    });
  }

  #next(): void {
    if (this.#running >= this.#concurrency) return;
    this.#waiting.shift()?.start();
  }

  /** Refuses every later check with ShuttingDown; the queued ones still run. */
  close(): void {
    this.#closed = true;
  }

  /** Refuses every queued check that has not started with ShuttingDown. */
  cancelPending(): void {
    for (const w of this.#waiting.splice(0)) w.refuse(new ShuttingDown());
  }
}
