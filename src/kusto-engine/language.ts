/**
 * Loads the official Kusto parser (`@kusto/language-service-next`, Kusto.Language compiled to
 * JavaScript with Bridge.NET) and analyses query text against our schema. It is the single
 * source of truth for what a real cluster would accept: the engine evaluates the syntax tree
 * this returns and never parses KQL by itself.
 */
import { createRequire } from "node:module";
import type { DatabaseSchema } from "./schema.js";

// biome-ignore lint/suspicious/noExplicitAny: Bridge.NET objects are untyped at this boundary; src/kusto-engine/eval/syntax.ts wraps them.
export type BridgeObject = any;

export interface KqlDiagnostic {
  /** Kusto's diagnostic code, e.g. KS142 (unknown name), KS204 (unknown table). */
  readonly code: string;
  readonly message: string;
  readonly severity: "Error" | "Warning" | "Suggestion" | "Information";
  /** Character offset and length of the offending text in the query. */
  readonly start: number;
  readonly length: number;
}

export interface AnalysedQuery {
  readonly text: string;
  /** Kusto.Language.KustoCode: `.Syntax` is the root of the tree, every node carries its semantic info. */
  readonly code: BridgeObject;
  readonly diagnostics: readonly KqlDiagnostic[];
}

interface KustoGlobals {
  Kusto: BridgeObject;
  Bridge: BridgeObject;
}

let loaded: KustoGlobals | undefined;

/** The Kusto.Language namespace and the Bridge runtime (loaded once; ~0.3 s). */
export function kustoLanguage(): KustoGlobals {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    require("@kusto/language-service-next/bridge.min.js");
    require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
    const g = globalThis as unknown as KustoGlobals;
    loaded = { Kusto: g.Kusto, Bridge: g.Bridge };
  }
  return loaded;
}

const globalsBySchema = new WeakMap<DatabaseSchema, BridgeObject>();

/** The parser's GlobalState with `schema` as the default database. */
export function globalStateFor(schema: DatabaseSchema): BridgeObject {
  const cached = globalsBySchema.get(schema);
  if (cached) return cached;
  const { Kusto } = kustoLanguage();
  const S = Kusto.Language.Symbols;
  const tables = schema.tables.map(
    (t) =>
      new S.TableSymbol.$ctor7(
        t.name,
        `(${t.columns.map((c) => `['${c.name}']:${c.type}`).join(", ")})`,
        t.docString,
      ),
  );
  const db = new S.DatabaseSymbol.ctor(schema.name, tables);
  const state = Kusto.Language.GlobalState.Default.WithDatabase(db);
  globalsBySchema.set(schema, state);
  return state;
}

/** Parses and semantically analyses `text` against `schema`, returning Kusto's own diagnostics. */
export function analyse(text: string, schema: DatabaseSchema): AnalysedQuery {
  const { Kusto } = kustoLanguage();
  const code = Kusto.Language.KustoCode.ParseAndAnalyze(text, globalStateFor(schema));
  const list = code.GetDiagnostics();
  const diagnostics: KqlDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    diagnostics.push({
      code: d.Code,
      message: d.Message,
      severity: d.Severity,
      start: d.Start,
      length: d.Length,
    });
  }
  return { text, code, diagnostics };
}
