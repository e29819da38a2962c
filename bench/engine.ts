/**
 * Engine throughput on 1M MonSQLSystemHealth rows: a typical bot query (time window, server `=~`,
 * error_id in (...), summarize). Run standalone: `npx tsx bench/engine.ts`.
 */
import { pathToFileURL } from "node:url";
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

export async function benchEngine(): Promise<Record<string, number>> {
  const buildStart = performance.now();
  const rows = buildRows(ROWS);
  const engine = new KustoEngine(ATTEST_SCHEMA, new Map([["MonSQLSystemHealth", { rows }]]));
  const buildMs = performance.now() - buildStart;
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
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    engine.execute(QUERY, { now: NOW, parameters });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const heapMb = process.memoryUsage().heapUsed / 1_048_576;
  return {
    engine_rows: ROWS,
    engine_build_ms: Math.round(buildMs),
    engine_first_query_ms: Math.round(firstMs),
    engine_query_ms: Math.round(median * 10) / 10,
    engine_rows_per_s: Math.round(ROWS / (median / 1000)),
    engine_result_rows: first[0]?.rows.length ?? 0,
    engine_heap_mb: Math.round(heapMb),
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
