/**
 * Engine throughput on 1M MonSQLSystemHealth rows: a typical bot query (time window, server `=~`,
 * error_id in (...), summarize), the fast-path shape beside a plain JS loop over the same
 * rows as objects and beside the general evaluator, and the memory of the columnar store.
 * Run standalone: `npx tsx bench/engine.ts`.
 */
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { KustoEngine } from "../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA, MonSQLSystemHealth } from "../src/kusto-engine/schema.js";
import type { KqlValue } from "../src/kusto-engine/types.js";

const ROWS = 1_000_000;
const NOW = Date.parse("2021-01-05T00:00:00Z");
const SPAN_MS = 7 * 24 * 3_600_000;

const QUERY = `declare query_parameters(server:string, windowStart:datetime, windowEnd:datetime);
MonSQLSystemHealth
| where TIMESTAMP >= windowStart and TIMESTAMP <= windowEnd
| where LogicalServerName =~ server
| where error_id in (37324, 37303, 37325, 37309)
| summarize failures = count(), firstSeen = min(TIMESTAMP), lastSeen = max(TIMESTAMP), nodes = dcount(NodeName) by error_id, bin(TIMESTAMP, 1h)`;

const MESSAGES = [
  "Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Return code: '0x00000193'.",
  "Internal error occurred while obtaining an authentication token. status: 0x00002ee7",
  "Loaded SGX enclave for Always Encrypted.",
  "Login failed for user 'app'.",
  "Database 'x' is recovering.",
];
const ERRORS = [37324, 37303, 37308, 18456, 3414, 37325, 37309, 17806];

/** Deterministic rows: 2,000 servers, 40 nodes, a week of timestamps. */
export function buildRows(n: number): KqlValue[][] {
  let seed = 42;
  // mulberry32: small, fast, deterministic.
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const servers = Array.from({ length: 2000 }, (_, i) => `server-${i}`);
  const nodes = Array.from({ length: 40 }, (_, i) => `DB.${i}`);
  const rows: KqlValue[][] = new Array(n);
  const width = MonSQLSystemHealth.columns.length;
  for (let i = 0; i < n; i++) {
    const ts = NOW - Math.floor(rand() * SPAN_MS);
    const row: KqlValue[] = new Array(width);
    row[0] = ts;
    row[1] = ts;
    row[2] = `tr${i % 50}.uksouth1-a.worker.database.windows.net`;
    row[3] = nodes[i % nodes.length]!;
    row[4] = "db6df7be41cd";
    row[5] = "Worker.ISO";
    row[6] = servers[Math.floor(rand() * servers.length)]!;
    row[7] = "79967fe5-dcfe-46a7-9b1c-2b6a4f0e8d11";
    row[8] = "contosoDB";
    row[9] = ERRORS[Math.floor(rand() * ERRORS.length)]!;
    row[10] = 16;
    row[11] = 1;
    row[12] = MESSAGES[i % MESSAGES.length]!;
    rows[i] = row;
  }
  return rows;
}

/**
 * The shape (#13 item 3): a datetime range, a case-sensitive string equality and an `in`,
 * then count/min/max/dcount by two keys. The columnar fast path takes it whole.
 */
const SHAPE_QUERY = `declare query_parameters(server:string, windowStart:datetime, windowEnd:datetime);
MonSQLSystemHealth
| where TIMESTAMP between (windowStart .. windowEnd) and LogicalServerName == server and error_id in (37324, 37303, 37325, 37309)
| summarize failures = count(), firstSeen = min(TIMESTAMP), lastSeen = max(TIMESTAMP), nodes = dcount(NodeName) by error_id, ClusterName`;

const SHAPE_ERRORS = new Set([37324, 37303, 37325, 37309]);

type HealthObject = Record<string, KqlValue>;

/** The shape as a hand-written loop over an array of row objects (the figure to beat). */
function plainLoop(objects: readonly HealthObject[], server: string, lo: number, hi: number): number {
  const groups = new Map<string, { n: number; min: number; max: number; nodes: Set<KqlValue> }>();
  for (const r of objects) {
    const ts = r.TIMESTAMP;
    if (typeof ts !== "number" || ts < lo || ts > hi) continue;
    if (r.LogicalServerName !== server) continue;
    const e = r.error_id;
    if (typeof e !== "number" || !SHAPE_ERRORS.has(e)) continue;
    const key = `${e}\u0000${String(r.ClusterName)}`;
    let g = groups.get(key);
    if (!g) {
      g = { n: 0, min: ts, max: ts, nodes: new Set() };
      groups.set(key, g);
    }
    g.n++;
    if (ts < g.min) g.min = ts;
    if (ts > g.max) g.max = ts;
    g.nodes.add(r.NodeName ?? null);
  }
  return groups.size;
}

/** Median and best of `runs` timings (ms) of `f` after one warm-up; the machine is shared, so both. */
function time(runs: number, f: () => void): { median: number; best: number } {
  f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, best: times[0]! };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const perSecond = (ms: number) => Math.round(ROWS / (ms / 1000));

/** A forced full GC (the flag is set at run time, so `npm run bench` needs no node option). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (() => void) | undefined;
  return () => gc?.();
}

/** Heap plus ArrayBuffer memory (typed-array contents live outside the JS heap), in MB. */
function memoryMb(gc: () => void): { heap: number; total: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 1_048_576, total: (m.heapUsed + m.arrayBuffers) / 1_048_576 };
}

/** The engine over 1M fresh rows; the rows die with this frame (only the columns stay). */
function buildEngine(gc: () => void) {
  const buildStart = performance.now();
  const rows = buildRows(ROWS);
  const afterRows = memoryMb(gc);
  const storeStart = performance.now();
  const engine = new KustoEngine(ATTEST_SCHEMA, new Map([["MonSQLSystemHealth", { rows }]]));
  const storeMs = performance.now() - storeStart;
  return { engine, afterRows, buildMs: performance.now() - buildStart, storeMs };
}

export async function benchEngine(): Promise<Record<string, number>> {
  const gc = collector();
  const before = memoryMb(gc);
  const { engine, afterRows, buildMs, storeMs } = buildEngine(gc);
  // The engine keeps only its columns: what is left once the source rows are gone is its store.
  const afterEngine = memoryMb(gc);
  const parameters = {
    server: "SERVER-7",
    windowStart: new Date(NOW - 3 * 24 * 3_600_000).toISOString(),
    windowEnd: new Date(NOW).toISOString(),
  };
  // Load the official parser outside the measurement (a one-off ~0.3-3 s per process).
  engine.execute("print 1", { now: NOW });
  const firstStart = performance.now();
  const first = engine.execute(QUERY, { now: NOW, parameters });
  const firstMs = performance.now() - firstStart;
  const typical = time(5, () => engine.execute(QUERY, { now: NOW, parameters }));

  const shapeParameters = { ...parameters, server: "server-7" };
  const shapeResult = engine.execute(SHAPE_QUERY, { now: NOW, parameters: shapeParameters });
  const shape = time(7, () => engine.execute(SHAPE_QUERY, { now: NOW, parameters: shapeParameters }));

  const heapAfterQueries = process.memoryUsage().heapUsed;

  // The same query on the general evaluator (rows built from the columns on demand), for reference,
  // and a plain loop over the same rows as objects.
  const again = buildRows(ROWS);
  const general = new KustoEngine(ATTEST_SCHEMA, new Map([["MonSQLSystemHealth", { rows: again }]]), {
    fastPath: false,
  });
  const generalShape = time(3, () => general.execute(SHAPE_QUERY, { now: NOW, parameters: shapeParameters }));

  const names = MonSQLSystemHealth.columns.map((c) => c.name);
  const objects = again.map(
    (r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])) as HealthObject,
  );
  const lo = Date.parse(parameters.windowStart);
  const hi = Date.parse(parameters.windowEnd);
  let plainGroups = 0;
  const plain = time(7, () => {
    plainGroups = plainLoop(objects, "server-7", lo, hi);
  });
  if (plainGroups !== (shapeResult[0]?.rows.length ?? -1))
    throw new Error(`plain loop found ${plainGroups} groups, the engine ${shapeResult[0]?.rows.length}`);

  return {
    engine_rows: ROWS,
    engine_build_ms: Math.round(buildMs),
    engine_store_ms: Math.round(storeMs),
    engine_first_query_ms: Math.round(firstMs),
    engine_query_ms: round1(typical.median),
    engine_rows_per_s: perSecond(typical.median),
    engine_result_rows: first[0]?.rows.length ?? 0,
    shape_result_rows: shapeResult[0]?.rows.length ?? 0,
    shape_query_ms: round1(shape.median),
    shape_rows_per_s: perSecond(shape.median),
    shape_best_rows_per_s: perSecond(shape.best),
    shape_general_rows_per_s: perSecond(generalShape.median),
    plain_js_loop_rows_per_s: perSecond(plain.median),
    plain_js_loop_best_rows_per_s: perSecond(plain.best),
    // Per 1M rows of MonSQLSystemHealth: the engine's columns (JS heap, and heap + ArrayBuffers),
    // against the same rows as arrays (what the row store kept).
    store_heap_mb_per_1m: Math.round(((afterEngine.heap - before.heap) * 1_000_000) / ROWS),
    store_total_mb_per_1m: Math.round(((afterEngine.total - before.total) * 1_000_000) / ROWS),
    row_arrays_mb_per_1m: Math.round(((afterRows.total - before.total) * 1_000_000) / ROWS),
    // The whole process (parser loaded, plans cached) after the fast-path queries.
    engine_heap_mb: Math.round(heapAfterQueries / 1_048_576),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchEngine().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
