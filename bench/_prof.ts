import { fork } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startBot } from "../src/compose/start-bot.js";
import { silentLogger } from "../src/ports/log.js";
const child = fork(new URL("./serving/engine-process.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"] });
const first = await new Promise<{ url: string }>((r) => child.once("message", (m) => r(m as { url: string })));
let got = 0; let resolveAll: () => void = () => {};
const sink = createServer((req, res) => { req.resume(); req.on("end", () => { res.end("{\"ok\":true}"); if (req.url?.startsWith("/r/")) { got++; if (got === N) resolveAll(); } }); });
await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
const bot = await startBot({ env: { SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb-1", SLACK_API_URL: `${sinkUrl}/api/`, ATTEST_KUSTO_CLUSTER_URL: first.url, ATTEST_KUSTO_DATABASE: "sqlazure1", ATTEST_DATA_DIR: mkdtempSync(join(tmpdir(), "p-")), ATTEST_CHECK_QUEUE: "5000" }, logger: silentLogger, port: 0 });
const N = 300;
const h = monitorEventLoopDelay({ resolution: 1 }); h.enable();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const done = new Promise<void>((r) => { resolveAll = r; });
let i = 0;
await Promise.all(Array.from({ length: 20 }, async () => {
  while (i < N) {
    const id = i++;
    const body = new URLSearchParams({ team_id: "T1", channel_id: "C1", user_id: "U1", command: "/attest", text: `check ${["sgxtestmaa500","sgxtest2","sgxtestuksouthsrv"][id % 3]}`, response_url: `${sinkUrl}/r/${id}`, trigger_id: `t${id}` }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac("sha256", "s").update(`v0:${ts}:${body}`).digest("hex")}`;
    await (await fetch(`${bot.url}/slack/events`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(ts), "x-slack-signature": sig }, body })).text();
  }
}));
await done;
const cpu = process.cpuUsage(cpu0);
console.log("wall ms", Math.round(performance.now() - t0), "cpu ms per check (bot+driver)", ((cpu.user + cpu.system) / 1000 / N).toFixed(1), "loop p99", (h.percentile(99) / 1e6).toFixed(1), "max", (h.max / 1e6).toFixed(1));
await bot.close(); sink.close(); child.kill();
