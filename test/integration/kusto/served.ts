/** Test helpers: the real engine served over HTTP on 127.0.0.1, and the real SDK client for it. */
import { Client, KustoConnectionStringBuilder } from "azure-kusto-data";
import { tablesFromJson } from "../../../src/kusto-engine/data-file.js";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import { type KustoServer, startKustoServer } from "../../../src/kusto-engine/server/kusto-server.js";

export const DATABASE = ATTEST_SCHEMA.name;

export interface Served {
  readonly engine: KustoEngine;
  readonly server: KustoServer;
}

/** The real KustoEngine over `json` (a data file's content), served with its clock pinned at `now`. */
export async function serveData(json: unknown, now: number): Promise<Served> {
  const engine = new KustoEngine(ATTEST_SCHEMA, tablesFromJson(json, ATTEST_SCHEMA, "test data"));
  const server = await startKustoServer({ engine, now: () => now, recordRequests: true });
  return { engine, server };
}

/**
 * The azure-kusto-data client as an application would build it for a loopback cluster: a plain
 * connection string with no credential, so the SDK sends no Authorization header and needs no login.
 */
export function sdkClient(url: string): Client {
  return new Client(new KustoConnectionStringBuilder(url));
}
