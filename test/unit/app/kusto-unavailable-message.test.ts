/**
 * Issue 12: when Kusto is unreachable, every question fails for the same reason; the reply says
 * that reason once (it used to repeat it once per question), and still names each distinct cause.
 */
import { describe, expect, it } from "vitest";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, KustoUnavailable, runCheck } from "../../../src/app/run-check.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { KustoFailure, type KustoRunner } from "../../../src/ports/kusto.js";
import { silentLogger } from "../../../src/ports/log.js";

/** A KustoRunner (the port) whose cluster cannot be reached: each question fails with `message(name)`. */
const unreachable = (message: (name: string) => string): KustoRunner => ({
  target: { clusterUrl: "https://127.0.0.1:9", database: "Telemetry", embedded: false },
  run: async (request) => {
    throw new KustoFailure("unreachable", message(request.name), { requestId: "r" });
  },
});

async function failure(kusto: KustoRunner): Promise<KustoUnavailable> {
  const clock = fixedClock(Date.parse("2026-11-24T10:00:00Z"));
  const error = await runCheck(
    { kusto, catalog: loadQueryCatalog(), clock, logger: silentLogger, settings: DEFAULT_CHECK_SETTINGS },
    { server: "sgxtest2", database: null, url: null, sinceMs: null },
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(KustoUnavailable);
  return error as KustoUnavailable;
}

describe("Kusto unavailable: the message", () => {
  it("says one shared cause once, with how many questions failed", async () => {
    const e = await failure(unreachable(() => "connect ECONNREFUSED 127.0.0.1:9"));
    expect(e.failures.length).toBeGreaterThan(1);
    expect(e.message.match(/ECONNREFUSED/g)).toHaveLength(1);
    expect(e.message).toBe(
      `Kusto could not answer any of the ${e.failures.length} questions: connect ECONNREFUSED 127.0.0.1:9`,
    );
  });

  it("keeps every distinct cause", async () => {
    const e = await failure(unreachable((name) => `${name} failed`));
    for (const f of e.failures) expect(e.message).toContain(f.message);
  });
});
