/**
 * Bench children: the time each Slack request spends in this process, from its headers parsed to
 * its answer written (node:diagnostics_channel, no change to the server), so the report can tell
 * the time the bot takes to acknowledge from the time the request waits outside it (the load
 * generator, the kernel, the other processes on the same cores).
 */
import { subscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";

const started = new WeakMap<ServerResponse, number>();
let times: number[] = [];

subscribe("http.server.request.start", (m) => {
  const { request, response } = m as { request: IncomingMessage; response: ServerResponse };
  if (request.url?.startsWith("/slack/events")) started.set(response, performance.now());
});
subscribe("http.server.response.finish", (m) => {
  const { response } = m as { response: ServerResponse };
  const t = started.get(response);
  if (t !== undefined) times.push(performance.now() - t);
});

const pct = (xs: readonly number[], p: number): number =>
  Math.round((xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN) * 10) / 10;

/**
 * CPU time of this process's main thread so far (ms), from Linux's schedstat (nanoseconds); null
 * elsewhere. The main thread is the one that acknowledges: its CPU per command is what a burst
 * of commands queues behind, whatever else shares the cores.
 */
function mainThreadCpuMs(): number | null {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  } catch {
    return null;
  }
}
let cpuAtLastTake = mainThreadCpuMs();

/**
 * p50/p99/max of the in-process acknowledgement times since the last call, and the main thread's
 * CPU per request in that time (everything it did for them: acknowledging, and for the bot
 * rendering and delivering the answers), then starts again.
 */
export function takeAckTimes(): {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  n: number;
  mainThreadCpuMsPerRequest: number | null;
} {
  const s = times.sort((a, b) => a - b);
  times = [];
  const cpu = mainThreadCpuMs();
  const perRequest =
    cpu === null || cpuAtLastTake === null || s.length === 0
      ? null
      : Math.round(((cpu - cpuAtLastTake) / s.length) * 1000) / 1000;
  cpuAtLastTake = cpu;
  return {
    p50Ms: pct(s, 50),
    p99Ms: pct(s, 99),
    maxMs: pct(s, 100),
    n: s.length,
    mainThreadCpuMsPerRequest: perRequest,
  };
}
