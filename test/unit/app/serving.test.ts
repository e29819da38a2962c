/** The check queue (bounded, busy when full, closed on shutdown) and the in-flight drain. */
import { describe, expect, it } from "vitest";
import { BUSY_MESSAGE, handleCommand, RESTARTING_MESSAGE } from "../../../src/app/chat/handle-command.js";
import { CheckQueue, CheckQueueFull, ShuttingDown } from "../../../src/app/serving/check-queue.js";
import { InFlight } from "../../../src/app/serving/in-flight.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { systemClock } from "../../../src/ports/clock.js";
import { MemoryLogger } from "../../../src/ports/log.js";

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("CheckQueue", () => {
  it("runs at most `concurrency` at once, queues up to `maxPending`, refuses one more as full", async () => {
    const q = new CheckQueue({ concurrency: 2, maxPending: 1 });
    const g = gate();
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await g.promise;
      running--;
      return "done";
    };
    const accepted = [q.run(work), q.run(work), q.run(work)];
    expect(q.full).toBe(true);
    await expect(q.run(work)).rejects.toBeInstanceOf(CheckQueueFull);
    await expect.poll(() => running).toBe(2);
    g.open();
    expect(await Promise.all(accepted)).toEqual(["done", "done", "done"]);
    expect(most).toBe(2);
    expect(q.full).toBe(false);
  });

  it("on close refuses new checks, still runs the queued ones; cancelPending refuses those not started", async () => {
    const q = new CheckQueue({ concurrency: 1, maxPending: 5 });
    const g = gate();
    const first = q.run(() => g.promise.then(() => 1));
    const second = q.run(async () => 2);
    q.close();
    await expect(q.run(async () => 3)).rejects.toBeInstanceOf(ShuttingDown);
    g.open();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    const g2 = gate();
    const q2 = new CheckQueue({ concurrency: 1, maxPending: 5 });
    const running = q2.run(() => g2.promise.then(() => "ran"));
    const waiting = q2.run(async () => "never");
    q2.cancelPending();
    await expect(waiting).rejects.toBeInstanceOf(ShuttingDown);
    g2.open();
    expect(await running).toBe("ran");
  });
});

describe("handleCommand when the queue refuses", () => {
  const actor = { platform: "teams", userId: "u", tenantId: "t", conversationId: "c" } as const;
  const check = { kind: "check", server: "srv", database: null, url: null, sinceMs: null } as const;
  it.each([
    [new CheckQueueFull(3), BUSY_MESSAGE, "busy"],
    [new ShuttingDown(), RESTARTING_MESSAGE, "shutting_down"],
  ])("answers %s with a clear message and audits it", async (error, message, outcome) => {
    const audit = new MemoryAuditLog();
    const reply = await handleCommand(
      { runCheck: () => Promise.reject(error), clock: systemClock, audit, logger: new MemoryLogger() },
      actor,
      check,
    );
    expect(reply).toEqual({ kind: "unavailable", message });
    expect(audit.entries[0]?.outcome).toBe(outcome);
  });
});

describe("InFlight.drain", () => {
  it("waits for work that finishes within the grace period and cuts short the rest", async () => {
    const inFlight = new InFlight();
    const quick = gate();
    const cut: string[] = [];
    void inFlight.track(
      "quick",
      () => quick.promise,
      async () => {
        cut.push("quick");
      },
    );
    void inFlight.track(
      "stuck",
      () => new Promise(() => undefined),
      async () => {
        cut.push("stuck");
      },
    );
    void inFlight.track(
      "unreachable",
      () => new Promise(() => undefined),
      () => Promise.reject(new Error("gone")),
    );
    setTimeout(quick.open, 10);
    const logger = new MemoryLogger();
    const result = await inFlight.drain(200, logger);
    expect(result).toEqual({ finished: 1, cutShort: 1, unanswered: 1 });
    expect(cut).toEqual(["stuck"]);
    expect(logger.events.find((e) => e.event === "shutdown.cut_short_failed")?.fields.work).toBe(
      "unreachable",
    );
    expect(inFlight.size).toBe(0);
  });

  it("gives each command one answer: work that ends after its cut short does not answer again", async () => {
    const inFlight = new InFlight();
    const late = gate();
    const answers: string[] = [];
    const work = inFlight.track(
      "late",
      async (mayAnswer) => {
        await late.promise;
        if (mayAnswer()) answers.push("result");
      },
      async () => {
        answers.push("cut short");
      },
    );
    expect(await inFlight.drain(20, new MemoryLogger())).toMatchObject({ cutShort: 1 });
    late.open();
    await work;
    expect(answers).toEqual(["cut short"]);
  });

  it("work that has begun to answer when the grace period ends is not cut short", async () => {
    const inFlight = new InFlight();
    const delivery = gate();
    const answers: string[] = [];
    const work = inFlight.track(
      "answering",
      async (mayAnswer) => {
        if (mayAnswer()) {
          await delivery.promise; // a slow post of the result
          answers.push("result");
        }
      },
      async () => {
        answers.push("cut short");
      },
    );
    expect(await inFlight.drain(20, new MemoryLogger())).toMatchObject({ cutShort: 0 });
    delivery.open();
    await work;
    expect(answers).toEqual(["result"]);
  });
});
