/**
 * Bench children: the time each Slack request spends in this process, from its headers parsed to
 * its answer written (node:diagnostics_channel, no change to the server), so the report can tell
 * the time the bot takes to acknowledge from the time the request waits outside it (the load
 * generator, the kernel, the other processes on the same cores).
 */
import { subscribe } from "node:diagnostics_channel";
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

/** p50/p99/max of the in-process acknowledgement times since the last call, then starts again. */
export function takeAckTimes(): { p50Ms: number; p99Ms: number; maxMs: number; n: number } {
  const s = times.sort((a, b) => a - b);
  times = [];
  return { p50Ms: pct(s, 50), p99Ms: pct(s, 99), maxMs: pct(s, 100), n: s.length };
}
