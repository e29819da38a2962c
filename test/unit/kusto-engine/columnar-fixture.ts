/**
 * Test helper for the columnar fast path: a deterministic MonSQLSystemHealth table full of the
 * values that break naive loops (null and NaN numbers, -0, strings that differ only in case,
 * strings whose lower case changes length, a NUL character, "" and more than 256 distinct GUIDs),
 * and a pair of engines over the same data: one with the fast path, one forced to the general
 * evaluator.
 */
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA, MonSQLSystemHealth } from "../../../src/kusto-engine/schema.js";
import {
  type KqlValue,
  KustoError,
  type ResultTable,
  type TableData,
} from "../../../src/kusto-engine/types.js";

export const T0 = Date.parse("2021-01-04T00:00:00Z");
export const H = 3_600_000;
export const NOW = T0 + 72 * H;

export const SERVERS = [
  "sgxtest2",
  "SGXtest2",
  "SgxTest2 ",
  "other",
  "",
  "İstanbul",
  "i̇stanbul",
  "straße",
  "a\u0000sb",
];
export const NODES = ["DB.1", "DB.2", "db.2", "DB.10", "a"];
export const CLUSTERS = ["tr1.uksouth", "tr2.uksouth", "TR1.uksouth", "a\u0000sb"];
const ERRORS: KqlValue[] = [37324, 37303, 37308, 37325, 0, -0, null, 18456];
const MESSAGES = [
  "Enclave attestation failed. Error: 37324, Return code: '0x00000193'.",
  "Error: 37303, status: 0x00002ee7",
  "Loaded SGX enclave for Always Encrypted.",
  "Login failed for user 'app'.",
  "",
];

function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `n` rows in MonSQLSystemHealth's column order. */
export function healthRows(n: number, seed = 7): KqlValue[][] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const rows: KqlValue[][] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    // Whole hours now and then, so that bounds meet values exactly.
    const ts = r < 0.03 ? null : T0 + (r < 0.2 ? Math.floor(rand() * 72) * H : Math.floor(rand() * 72 * H));
    const precise = r > 0.97 ? Number.NaN : r > 0.94 ? null : ts === null ? T0 : ts - 1_000;
    rows.push([
      ts,
      precise,
      pick(CLUSTERS),
      pick(NODES),
      pick(["app1", "App1", "app2"]),
      "Worker.ISO",
      pick(SERVERS),
      `79967fe5-dcfe-46a7-9b1c-${String(Math.floor(rand() * 400)).padStart(12, "0")}`,
      pick(["contosoDB", "master"]),
      pick(ERRORS),
      pick([16, 20, null, Number.NaN]),
      pick([1, 0, -0, null, 2.5]),
      pick(MESSAGES),
    ]);
  }
  return rows;
}

export const HEALTH_WIDTH = MonSQLSystemHealth.columns.length;

export interface EnginePair {
  readonly fast: KustoEngine;
  readonly general: KustoEngine;
  /** Texts the fast path compiled, in order. */
  readonly taken: string[];
}

export function enginePair(tables: ReadonlyMap<string, TableData>): EnginePair {
  const taken: string[] = [];
  return {
    fast: new KustoEngine(ATTEST_SCHEMA, tables, { onFastPath: (t) => taken.push(t) }),
    general: new KustoEngine(ATTEST_SCHEMA, tables, { fastPath: false }),
    taken,
  };
}

export type Outcome = { readonly tables: ResultTable[] } | { readonly error: string };

/** The result, or the KustoError's kind, code and message. */
export function outcome(
  engine: KustoEngine,
  query: string,
  parameters: Record<string, string> = {},
  now = NOW,
): Outcome {
  try {
    return { tables: engine.execute(query, { now, parameters }) };
  } catch (e) {
    if (e instanceof KustoError) return { error: `${e.kind} ${e.code} ${e.message}` };
    throw e;
  }
}
