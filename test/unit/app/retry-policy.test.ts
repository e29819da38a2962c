/**
 * The retry decorator's waits and deadline (its behaviour against the served engine's faults is in
 * test/integration/kusto/kusto-faults.test.ts): Retry-After honoured and never shortened, backoff
 * jittered and capped, no wait that would end past the deadline, and `Retry-After` parsed.
 */
import { describe, expect, it } from "vitest";
import { RetryingKustoRunner } from "../../../src/adapters/kusto/retrying-runner.js";
import { retryAfterMs } from "../../../src/adapters/kusto/sdk-runner.js";
import { KustoFailure, type KustoRunner } from "../../../src/ports/kusto.js";

const POLICY = { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 1000, minAttemptMs: 100 };

/** A runner that fails every run with `failure` (counting the runs); waits are recorded, not slept. */
function failing(failure: () => KustoFailure) {
  let runs = 0;
  const inner: KustoRunner = {
    target: { clusterUrl: "https://x.kusto.windows.net", database: "d", embedded: false },
    run: async () => {
      runs += 1;
      throw failure();
    },
  };
  let now = 0;
  const waits: number[] = [];
  const timers = (random: number) => ({
    random: () => random,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  });
  return { inner, waits, timers, runs: () => runs };
}

const throttled = (retryAfter: number | null) => () =>
  new KustoFailure("throttled", "q: Kusto is throttling requests (429)", {
    requestId: "attest-bot;t",
    transient: true,
    retryAfterMs: retryAfter,
  });

describe("waits", () => {
  it("Retry-After is waited in full, plus at most 10% jitter", () => {
    const f = throttled(2000)();
    const { inner, timers } = failing(throttled(2000));
    expect(new RetryingKustoRunner(inner, POLICY, timers(0)).delayMs(f, 1)).toBe(2000);
    expect(new RetryingKustoRunner(inner, POLICY, timers(0.999)).delayMs(f, 1)).toBe(2200);
  });

  it("without Retry-After: exponential backoff between half and all of the cap, capped at maxDelayMs", () => {
    const f = throttled(null)();
    const { inner, timers } = failing(throttled(null));
    const low = new RetryingKustoRunner(inner, POLICY, timers(0));
    const high = new RetryingKustoRunner(inner, POLICY, timers(1));
    expect([1, 2, 3, 4, 5].map((n) => low.delayMs(f, n))).toEqual([100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5].map((n) => high.delayMs(f, n))).toEqual([200, 400, 800, 1000, 1000]);
  });
});

describe("within the deadline", () => {
  it("stops retrying when the next wait would end past the deadline", async () => {
    const t = failing(throttled(1000));
    const runner = new RetryingKustoRunner(t.inner, POLICY, t.timers(0));
    await expect(
      runner.run({ name: "q", text: "x", parameters: {} }, { deadlineMs: 2000 }),
    ).rejects.toMatchObject({
      kind: "throttled",
      retries: 1,
      message:
        "q: Kusto is throttling requests (429) — retried 1 time (Retry-After 1 s is past the deadline)",
    });
    expect(t.waits).toEqual([1000]);
    expect(t.runs()).toBe(2);
  });

  it("at most maxRetries retries", async () => {
    const t = failing(throttled(null));
    const runner = new RetryingKustoRunner(t.inner, POLICY, t.timers(0));
    await expect(
      runner.run({ name: "q", text: "x", parameters: {} }, { deadlineMs: 60_000 }),
    ).rejects.toMatchObject({ retries: 3 });
    expect(t.runs()).toBe(4);
  });

  it("a permanent failure is final at once", async () => {
    const t = failing(
      () => new KustoFailure("failed", "q: Kusto refused access (403): no", { requestId: "attest-bot;p" }),
    );
    const runner = new RetryingKustoRunner(t.inner, POLICY, t.timers(0));
    await expect(
      runner.run({ name: "q", text: "x", parameters: {} }, { deadlineMs: 60_000 }),
    ).rejects.toMatchObject({ retries: 0, message: "q: Kusto refused access (403): no" });
    expect(t.runs()).toBe(1);
  });
});

describe("Retry-After", () => {
  it("reads seconds and HTTP dates; anything else is no hint", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(" 0.5 ")).toBe(500);
    expect(retryAfterMs("Thu, 03 Dec 2026 08:00:10 GMT", Date.parse("2026-12-03T08:00:00Z"))).toBe(10_000);
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
  });
});
