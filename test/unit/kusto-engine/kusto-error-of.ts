/** Test helper: the KustoError a query raises on `engine` (fails the test when it raises none). */
import type { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { KustoError } from "../../../src/kusto-engine/types.js";

export function kustoErrorOf(
  engine: KustoEngine,
  now: number,
  query: string,
  parameters?: Record<string, string>,
): KustoError {
  try {
    engine.execute(query, { now, parameters });
  } catch (e) {
    if (e instanceof KustoError) return e;
    throw e;
  }
  throw new Error(`expected a KustoError from: ${query}`);
}
