/**
 * `npm run bench`: engine throughput (bench/engine.ts, when present) and wire overhead
 * (bench/wire.ts); prints a summary and writes bench/results.json.
 */
import { writeFileSync } from "node:fs";
import { arch, cpus, platform } from "node:os";
import { fileURLToPath } from "node:url";
import { benchWire } from "./wire.js";

async function engineBench(): Promise<{ result: unknown } | { skipped: string }> {
  try {
    // Written separately; imported by path so this file runs (and skips) without it.
    const path = "./engine.js";
    const mod = (await import(path)) as { benchEngine?: () => Promise<unknown> | unknown };
    if (typeof mod.benchEngine !== "function") return { skipped: "bench/engine.ts has no benchEngine()" };
    return { result: await mod.benchEngine() };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND") return { skipped: "bench/engine.ts is missing" };
    throw error;
  }
}

const engine = await engineBench();
if ("skipped" in engine) process.stdout.write(`engine: skipped (${engine.skipped})\n`);
else process.stdout.write(`engine: ${JSON.stringify(engine.result, null, 2)}\n`);

const wire = await benchWire();
process.stdout.write(
  `wire: small query (${wire.rows} rows), ${wire.iterations} runs\n` +
    `  engine direct     p50 ${wire.engine.p50Ms} ms   p95 ${wire.engine.p95Ms} ms\n` +
    `  SDK over HTTP     p50 ${wire.sdkOverHttp.p50Ms} ms   p95 ${wire.sdkOverHttp.p95Ms} ms\n` +
    `  wire overhead p50 ${wire.overheadP50Ms} ms\n`,
);

const results = {
  at: new Date().toISOString(),
  machine: { node: process.version, platform: platform(), arch: arch(), cpus: cpus().length },
  engine: "skipped" in engine ? { skipped: engine.skipped } : engine.result,
  wire,
};
const out = fileURLToPath(new URL("./results.json", import.meta.url));
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);
