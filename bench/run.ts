/**
 * `npm run bench`: engine throughput (bench/engine.ts), check and digest latency (bench/check.ts),
 * wire overhead (bench/wire.ts) and serving under load with real processes (bench/serving.ts);
 * prints a summary and writes bench/results.json. `npm run bench -- --quick` (or BENCH_QUICK=1)
 * keeps it short: fewer commands and runs in the serving bench, fewer wire iterations.
 */
import { writeFileSync } from "node:fs";
import { arch, availableParallelism, cpus, platform } from "node:os";
import { fileURLToPath } from "node:url";
import { benchCheck } from "./check.js";
import { benchEngine } from "./engine.js";
import { benchServing, servingTable } from "./serving.js";
import { benchWire } from "./wire.js";

const quick = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";

const engine = await benchEngine();
process.stdout.write(`engine: ${JSON.stringify(engine, null, 2)}\n`);

const check = await benchCheck();
process.stdout.write(`check and digest: ${JSON.stringify(check, null, 2)}\n`);

const wire = await benchWire(quick ? 60 : 300);
process.stdout.write(
  `wire: small query (${wire.rows} rows), ${wire.iterations} runs\n` +
    `  engine direct     p50 ${wire.engine.p50Ms} ms   p95 ${wire.engine.p95Ms} ms\n` +
    `  SDK over HTTP     p50 ${wire.sdkOverHttp.p50Ms} ms   p95 ${wire.sdkOverHttp.p95Ms} ms\n` +
    `  wire overhead p50 ${wire.overheadP50Ms} ms\n`,
);

const serving = await benchServing({ quick });
process.stdout.write(`${servingTable(serving)}\n`);

const results = {
  at: new Date().toISOString(),
  machine: {
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpus: cpus().length,
    availableParallelism: availableParallelism(),
  },
  engine,
  check,
  wire,
  serving,
};
const out = fileURLToPath(new URL("./results.json", import.meta.url));
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);
