/**
 * The in-process version of the Kusto port: the embedded engine called directly (no HTTP). Used
 * when no cluster is configured, and as the in-memory side of the Kusto runner contract suite.
 */
import { randomUUID } from "node:crypto";
import type { KustoEngine } from "../../kusto-engine/engine.js";
import { formatKustoDatetime } from "../../kusto-engine/format.js";
import { KustoError } from "../../kusto-engine/types.js";
import type { Clock } from "../../ports/clock.js";
import {
  KustoFailure,
  type KustoQueryRequest,
  type KustoQueryResult,
  type KustoRunner,
} from "../../ports/kusto.js";

export class EngineKustoRunner implements KustoRunner {
  readonly target = { clusterUrl: "embedded://demo", database: "sqlazure1", embedded: true } as const;
  readonly #engine: KustoEngine;
  readonly #clock: Clock;

  constructor(engine: KustoEngine, clock: Clock) {
    this.#engine = engine;
    this.#clock = clock;
  }

  async run(
    request: KustoQueryRequest,
    _options: { readonly deadlineMs: number },
  ): Promise<KustoQueryResult> {
    const requestId = `attest-bot;${randomUUID()}`;
    // The engine runs synchronously: let pending I/O (a chat ack, a typing indicator) go out first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const tables = this.#engine.execute(request.text, {
        now: this.#clock.now(),
        parameters: request.parameters,
      });
      return {
        requestId,
        tables: tables.map((t) => ({
          columns: t.columns,
          rows: t.rows.map((row) =>
            row.map((v, i) =>
              t.columns[i]?.type === "datetime" && typeof v === "number" ? formatKustoDatetime(v) : v,
            ),
          ),
        })),
      };
    } catch (error) {
      if (error instanceof KustoError) {
        const kind = error.kind === "runtime" ? "failed" : "bad_query";
        throw new KustoFailure(kind, `${request.name}: ${error.code}: ${error.message}`, {
          requestId,
          code: error.code,
          cause: error,
        });
      }
      throw new KustoFailure("failed", `${request.name}: ${String(error)}`, { requestId, cause: error });
    }
  }
}
