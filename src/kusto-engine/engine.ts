/**
 * The embedded Kusto engine: every query is analysed by the official parser against the schema
 * (so it is rejected exactly as a cluster would reject it), then its syntax tree is compiled to
 * closures and run over in-memory tables. Valid KQL the engine cannot evaluate fails loudly
 * (kind "unsupported"), never with a silent wrong answer. What Kusto rejects and the language
 * service lets through is rejected here too: datetimes that do not exist (`datetime(2026-02-30)`,
 * hour 24), comparisons of unrelated types (`long == string`), invalid RE2 patterns.
 *
 * Tables are stored column-wise (columnar/table.ts: typed arrays, dictionary-encoded strings, rows
 * built on demand for the general evaluator). A stored table piped into `where`s and optionally a
 * `summarize` or `count` of the shapes columnar/fast-path.ts evaluates exactly runs as loops over
 * those columns; everything else (and `fastPath: false`) goes through the general evaluator.
 *
 * Known limit: int, long and decimal values are JS numbers (float64), exact only up to 2^53.
 * Larger long literals and results are rounded (`print 10000000000000001 == 10000000000000000`
 * is true here, false on a cluster; `9223372036854775807 + 1` does not wrap around). The
 * telemetry this engine serves (error ids, counts, epoch milliseconds) stays far below 2^53.
 */

import { columnarFastPath } from "./columnar/fast-path.js";
import { type ColumnarTable, columnarTable } from "./columnar/table.js";
import type { FastTabular, Table } from "./eval/context.js";
import { CompiledQuery } from "./eval/query.js";
import { analyse } from "./language.js";
import type { DatabaseSchema } from "./schema.js";
import { KustoError, type ResultTable, type TableData } from "./types.js";

export interface ExecuteOptions {
  /** now() and ago() reference, epoch ms. */
  readonly now: number;
  /** Values for `declare query_parameters`, as strings: string params verbatim; datetime as
   *  ISO-8601 or `datetime(...)` literal; timespan as KQL literal (`3h`, `1d`, `00:30:00`,
   *  `timespan(1h)`); long/int/real as numbers in text; bool `true`/`false`. */
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface EngineOptions {
  /** The columnar fast path (src/kusto-engine/columnar); false: every query by the general evaluator (tests compare both). */
  readonly fastPath?: boolean;
  /** Told the text of each tabular expression the fast path compiled (tests check which shapes it takes). */
  readonly onFastPath?: (text: string) => void;
}

/** How many distinct query texts keep their compiled plan. */
const PLAN_CACHE_SIZE = 200;

export class KustoEngine {
  readonly #schema: DatabaseSchema;
  readonly #tables = new Map<string, ColumnarTable>();
  readonly #plans = new Map<string, CompiledQuery>();
  readonly #fast: FastTabular | undefined;

  constructor(schema: DatabaseSchema, tables: ReadonlyMap<string, TableData>, options: EngineOptions = {}) {
    this.#schema = schema;
    for (const t of schema.tables) this.#tables.set(t.name, columnarTable(t, tables.get(t.name)?.rows ?? []));
    this.#fast =
      options.fastPath === false
        ? undefined
        : columnarFastPath((name) => this.#tables.get(name), options.onFastPath);
  }

  /** Analyse with the official parser, then evaluate. One ResultTable per tabular statement
   *  (name "PrimaryResult"), column names/types as Kusto would give them. Throws KustoError. */
  execute(text: string, options: ExecuteOptions): ResultTable[] {
    const plan = this.#plan(text);
    try {
      return plan.run(options);
    } catch (error) {
      throw asKustoError(error);
    }
  }

  #plan(text: string): CompiledQuery {
    const cached = this.#plans.get(text);
    if (cached) {
      this.#plans.delete(text);
      this.#plans.set(text, cached);
      return cached;
    }
    let analysed: ReturnType<typeof analyse>;
    try {
      analysed = analyse(text, this.#schema);
    } catch (e) {
      // The official parser itself failed (a bug or a stack overflow on deep nesting): still a clean refusal.
      throw asKustoError(e, "syntax");
    }
    const error = analysed.diagnostics.find((d) => d.severity === "Error");
    if (error) throw new KustoError("syntax", error.code, error.message);
    let plan: CompiledQuery;
    try {
      plan = new CompiledQuery(analysed.code.Syntax, (name) => this.#table(name), this.#fast);
    } catch (e) {
      throw asKustoError(e);
    }
    this.#plans.set(text, plan);
    if (this.#plans.size > PLAN_CACHE_SIZE) {
      const oldest = this.#plans.keys().next().value;
      if (oldest !== undefined) this.#plans.delete(oldest);
    }
    return plan;
  }

  #table(name: string): Table {
    const t = this.#tables.get(name);
    if (!t)
      throw new KustoError("runtime", "TableNotFound", `Table '${name}' has no data in the embedded engine.`);
    return t;
  }
}

/**
 * Any exception as a Kusto-shaped error. An unexpected one (a TypeError, a stack overflow, a
 * Bridge.NET exception from the parser) is a refusal of the query (HTTP 400 with a code), never an
 * internal error: its message names the failure, without a stack trace.
 */
function asKustoError(error: unknown, kind: "syntax" | "unsupported" = "unsupported"): KustoError {
  if (error instanceof KustoError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const message = (raw.split("\n")[0] ?? "").slice(0, 300);
  return new KustoError(
    kind,
    "EmbeddedEngineFailure",
    `The embedded engine (attest-bot) could not ${kind === "syntax" ? "parse" : "evaluate"} this query (${message || "unknown failure"}); it is refused rather than answered wrongly. Run it against a real cluster.`,
    { cause: error },
  );
}
