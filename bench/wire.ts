/**
 * Wire overhead: wall time of a small query through the real azure-kusto-data client over HTTP
 * against the served engine, versus the same query on the engine directly (p50/p95).
 */
import { Client, ClientRequestProperties, KustoConnectionStringBuilder } from "azure-kusto-data";
import { tablesFromJson } from "../src/kusto-engine/data-file.js";
import { KustoEngine } from "../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../src/kusto-engine/schema.js";
import { startKustoServer } from "../src/kusto-engine/server/kusto-server.js";

export interface Percentiles {
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface WireBenchResult {
  readonly query: string;
  readonly rows: number;
  readonly iterations: number;
  readonly engine: Percentiles;
  readonly sdkOverHttp: Percentiles;
  /** sdkOverHttp.p50Ms - engine.p50Ms */
  readonly overheadP50Ms: number;
}

const QUERY = `declare query_parameters(server:string);
MonSQLSystemHealth
| where TIMESTAMP > ago(3h)
| where LogicalServerName =~ server
| where error_id in (37324, 37303)
| project TIMESTAMP, NodeName, error_id, message
| order by TIMESTAMP desc
| take 20`;

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { p50Ms: round(at(0.5)), p95Ms: round(at(0.95)) };
}

/** A few thousand health rows over 20 servers, the last 6 hours before `now`. */
function smallData(now: number) {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 4000; i++) {
    rows.push({
      TIMESTAMP: new Date(now - ((i * 5399) % (6 * 3_600_000))).toISOString(),
      LogicalServerName: `srv-${i % 20}`,
      NodeName: `DB.${i % 7}`,
      error_id: [37324, 37303, 37308, 18456][Math.floor(i / 20) % 4],
      message: `event ${i}`,
    });
  }
  return { MonSQLSystemHealth: rows };
}

export async function benchWire(iterations = 300): Promise<WireBenchResult> {
  const now = Date.now();
  const engine = new KustoEngine(ATTEST_SCHEMA, tablesFromJson(smallData(now), ATTEST_SCHEMA, "bench data"));
  const parameters = { server: "srv-3" };
  const server = await startKustoServer({ engine, now: () => now });
  const client = new Client(new KustoConnectionStringBuilder(server.url));
  try {
    const props = new ClientRequestProperties();
    props.setParameter("server", parameters.server);
    const direct: number[] = [];
    const wire: number[] = [];
    let rows = 0;
    // Warm up both paths (parser load, plan cache, keep-alive connection).
    for (let i = 0; i < 20; i++) {
      engine.execute(QUERY, { now, parameters });
      await client.execute(ATTEST_SCHEMA.name, QUERY, props);
    }
    for (let i = 0; i < iterations; i++) {
      let t = performance.now();
      rows = engine.execute(QUERY, { now, parameters })[0]?.rows.length ?? 0;
      direct.push(performance.now() - t);
      t = performance.now();
      await client.execute(ATTEST_SCHEMA.name, QUERY, props);
      wire.push(performance.now() - t);
    }
    const e = percentiles(direct);
    const w = percentiles(wire);
    return {
      query: QUERY,
      rows,
      iterations,
      engine: e,
      sdkOverHttp: w,
      overheadP50Ms: Math.round((w.p50Ms - e.p50Ms) * 1000) / 1000,
    };
  } finally {
    client.close();
    await server.close();
  }
}
