/**
 * Acknowledgements first. Node accepts one new connection per turn of the event loop, so during a
 * burst of new connections (twenty engineers running the same command at once) every long turn
 * keeps a connection waiting in the kernel, and its acknowledgement with it. The gate keeps turns
 * short:
 *  - chat requests are admitted one per turn (`admit`), in the order they came: a turn that read
 *    twenty requests does not also answer all twenty before the next connection is accepted;
 *  - the HTTP server counts the chat requests it is still answering (a Slack request is answered
 *    when it is acknowledged), and check work waits at each of its steps (`whenIdle`) until none
 *    is being answered, or at most `maxWaitMs` (a steady stream of requests must not starve the
 *    checks), and then for its own turn: one waiting step goes per turn, in the order they came.
 * Measured with `npm run bench` (2 cores, 50 concurrent signed commands on new connections):
 * admitting one request per turn took the acknowledgement p99 from about 1.5x bare Bolt to
 * about 0.7x, with the same CPU per command.
 */
import { AsyncResource } from "node:async_hooks";

interface Waiter {
  readonly resolve: () => void;
  readonly since: number;
}

/**
 * A queue whose items run one per turn of the event loop, in order, each once `mayGo(head)` says
 * so (`kick` asks again). Each is run from a setImmediate callback, and the next one's
 * setImmediate, scheduled from that callback (the check phase), runs on the next turn.
 */
class OnePerTurn<T> {
  readonly #items: T[] = [];
  #scheduled = false;
  readonly #run: (item: T) => void;
  readonly #mayGo: (head: T) => boolean;

  constructor(run: (item: T) => void, mayGo: (head: T) => boolean = () => true) {
    this.#run = run;
    this.#mayGo = mayGo;
  }

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
    this.kick();
  }

  kick(): void {
    const head = this.#items[0];
    if (this.#scheduled || head === undefined || !this.#mayGo(head)) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const item = this.#items.shift();
      if (item !== undefined) this.#run(item);
      this.kick();
    });
  }
}

export class IngressGate {
  readonly #maxWaitMs: number;
  #pending = 0;
  #timer: NodeJS.Timeout | null = null;
  readonly #admissions = new OnePerTurn<() => void>((start) => start());
  readonly #steps = new OnePerTurn<Waiter>(
    (w) => w.resolve(),
    (head) => this.#stepMayGo(head),
  );

  constructor(options: { readonly maxWaitMs?: number } = {}) {
    this.#maxWaitMs = options.maxWaitMs ?? 200;
  }

  /** Requests being answered now. */
  get pending(): number {
    return this.#pending;
  }

  /** Steps waiting for their turn. */
  get waiting(): number {
    return this.#steps.size;
  }

  /** Requests admitted and not yet started. */
  get admitting(): number {
    return this.#admissions.size;
  }

  /** Counts one request in; the function returned counts it out (calling it again does nothing). */
  enter(): () => void {
    this.#pending++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#pending--;
      if (this.#pending === 0) this.#steps.kick();
    };
  }

  /**
   * Runs `handle` on a later turn of the event loop, never in the same turn as another admitted
   * request, in the order they came; resolves or rejects as it does. One that throws does not
   * hold up the others.
   */
  admit<T>(handle: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Bound to the caller's async context: the request's log lines keep its request id.
      this.#admissions.push(
        AsyncResource.bind(() => {
          try {
            handle().then(resolve, reject);
          } catch (error) {
            reject(error);
          }
        }),
      );
    });
  }

  /**
   * Resolves on a later turn of the event loop, once no request is being answered (or after
   * `maxWaitMs` whatever happens), and never in the same turn as another waiting step.
   */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => this.#steps.push({ resolve, since: performance.now() }));
  }

  /** Whether the first waiting step may go now; if not, it is looked at again when it has waited enough. */
  #stepMayGo(head: Waiter): boolean {
    const waited = performance.now() - head.since;
    if (this.#pending > 0 && waited < this.#maxWaitMs) {
      // Woken when the last request is answered (enter's leave), or when the head has waited enough.
      this.#timer ??= setTimeout(
        () => {
          this.#timer = null;
          this.#steps.kick();
        },
        Math.max(1, Math.ceil(this.#maxWaitMs - waited)),
      );
      return false;
    }
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    return true;
  }
}
