/**
 * Thin typed helpers over the official parser's Bridge.NET syntax tree: node kinds by name,
 * list access, semantic result types. The evaluator reads the tree only through these.
 */
import { type BridgeObject, kustoLanguage } from "../language.js";
import type { KqlScalarType } from "../schema.js";
import { KustoError, type ResultColumn } from "../types.js";

export type Node = BridgeObject;

let kindNames: Record<number, string> | undefined;
let symbolKinds: Record<string, number> | undefined;

function loadKinds(): void {
  if (kindNames) return;
  const { Kusto } = kustoLanguage();
  const sk = Kusto.Language.Syntax.SyntaxKind as Record<string, unknown>;
  const names: Record<number, string> = {};
  for (const [name, value] of Object.entries(sk)) if (typeof value === "number") names[value] = name;
  kindNames = names;
  const symk = Kusto.Language.Symbols.SymbolKind as Record<string, unknown>;
  const kinds: Record<string, number> = {};
  for (const [name, value] of Object.entries(symk)) if (typeof value === "number") kinds[name] = value;
  symbolKinds = kinds;
}

/** The SyntaxKind name of a node, e.g. "FilterOperator", "EqualTildeExpression". */
export function kindOf(node: Node): string {
  loadKinds();
  return kindNames?.[node.Kind as number] ?? `Kind${String(node.Kind)}`;
}

/** The SymbolKind name of a symbol, e.g. "Column", "Variable", "Table", "Function". */
export function symbolKindOf(symbol: Node): string {
  loadKinds();
  for (const [name, value] of Object.entries(symbolKinds ?? {})) if (value === symbol.Kind) return name;
  return "Unknown";
}

/** The elements of a SyntaxList / SeparatedSyntaxList (unwrapping SeparatedElement). */
export function elements(list: Node): Node[] {
  const out: Node[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) {
    const item = list.getItem(i);
    out.push(item && item.Element !== undefined ? item.Element : item);
  }
  return out;
}

/** IncludeTrivia.Interior: the node's source text with its inner spacing, without leading/trailing trivia. */
const INCLUDE_INTERIOR_TRIVIA = 1;

/** Source text of a node (for error messages). */
export function textOf(node: Node): string {
  return String(node?.ToString?.(INCLUDE_INTERIOR_TRIVIA) ?? "").trim();
}

/** The first token's text: the operator keyword for query operators ("mv-expand", "join"). */
export function keywordOf(node: Node): string {
  return String(node?.GetFirstToken?.()?.Text ?? kindOf(node));
}

export function unsupported(what: string): KustoError {
  return new KustoError(
    "unsupported",
    "UnsupportedInEmbeddedEngine",
    `${what.charAt(0).toUpperCase()}${what.slice(1)} is valid KQL but is not supported by the embedded engine (attest-bot); run it against a real cluster.`,
  );
}

const SCALAR_NAMES: Readonly<Record<string, KqlScalarType>> = {
  bool: "bool",
  boolean: "bool",
  datetime: "datetime",
  date: "datetime",
  dynamic: "dynamic",
  guid: "guid",
  uniqueid: "guid",
  int: "int",
  long: "long",
  real: "real",
  double: "real",
  string: "string",
  timespan: "timespan",
  time: "timespan",
  decimal: "decimal",
};

/** Our scalar type for a parser type symbol (`ResultType`), or undefined for tables/tuples/unknown. */
export function scalarTypeOf(type: Node): KqlScalarType | undefined {
  if (!type) return undefined;
  const name = String(type.Name ?? "");
  return SCALAR_NAMES[name];
}

/** Scalar type of an expression node, or an error naming the expression. */
export function requireScalarType(node: Node): KqlScalarType {
  const t = scalarTypeOf(node.ResultType);
  if (!t) throw unsupported(`an expression of type '${String(node.ResultType?.Name)}' (${textOf(node)})`);
  return t;
}

export function isTabular(node: Node): boolean {
  const rt = node?.ResultType;
  return !!rt && symbolKindOf(rt) === "Table";
}

/** Columns of a table or tuple type symbol, with our scalar types. */
export function columnsOf(type: Node): ResultColumn[] {
  const out: ResultColumn[] = [];
  const cols = type?.Columns;
  if (!cols) return out;
  for (let i = 0; i < cols.Count; i++) {
    const c = cols.getItem(i);
    const t = scalarTypeOf(c.Type);
    if (!t) throw unsupported(`column '${String(c.Name)}' of type '${String(c.Type?.Name)}'`);
    out.push({ name: String(c.Name), type: t });
  }
  return out;
}
