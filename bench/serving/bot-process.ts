/**
 * Bench child: the bot as `npm start` runs it (startBot, the real HTTP server and Slack SDK),
 * plus an event-loop delay histogram (perf_hooks.monitorEventLoopDelay) and RSS, read by the
 * parent over IPC ("stats", "reset"), and its in-process acknowledgement times ("acks").
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startBot } from "../../src/compose/start-bot.js";
import { silentLogger } from "../../src/ports/log.js";
import { takeAckTimes } from "./ack-timer.js";

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let maxRss = process.memoryUsage.rss();
setInterval(() => {
  maxRss = Math.max(maxRss, process.memoryUsage.rss());
}, 50).unref();

const bot = await startBot({ env: process.env, logger: silentLogger });
const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
process.on("message", (m: unknown) => {
  if (m === "acks") {
    process.send?.(takeAckTimes());
  } else if (m === "reset") {
    histogram.reset();
    maxRss = process.memoryUsage.rss();
    process.send?.({ ok: true });
  } else if (m === "stats") {
    process.send?.({
      loopP50Ms: ms(histogram.percentile(50)),
      loopP99Ms: ms(histogram.percentile(99)),
      loopMaxMs: ms(histogram.max),
      rssMb: Math.round(process.memoryUsage.rss() / 1e5) / 10,
      maxRssMb: Math.round(maxRss / 1e5) / 10,
    });
  }
});
process.send?.({ url: bot.url, startupMs: bot.startupMs });
