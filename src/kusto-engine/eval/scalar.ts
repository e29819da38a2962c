/** Compiles scalar expressions of the official syntax tree into closures over a row. */
import type { KqlScalarType } from "../schema.js";
import { type KqlValue, KustoError } from "../types.js";
import { type Compiled, columnIndex, EMPTY_ROW, perRun, type Scope } from "./context.js";
import { callFunction } from "./functions.js";
import { parseDatetime, parseNumber, parseTimespan } from "./literals.js";
import { compileBetween, compileBinary, compileHasAnyAll, compileIn, compileLogical } from "./operators.js";
import {
  elements,
  kindOf,
  type Node,
  requireScalarType,
  symbolKindOf,
  textOf,
  unsupported,
} from "./syntax.js";

const constant = (value: KqlValue, type: KqlScalarType): Compiled => ({
  fn: () => value,
  type,
  rowFree: true,
});

/** Evaluates a row-free expression once (for literals, parameters, `ago(1h)`...). */
export function evalConstant(c: Compiled): KqlValue {
  return c.fn(EMPTY_ROW);
}

export function compileScalar(node: Node, scope: Scope): Compiled {
  const kind = kindOf(node);
  switch (kind) {
    case "ParenthesizedExpression":
      return compileScalar(node.Expression, scope);
    case "NameReference":
      return compileName(node, scope);
    case "BooleanLiteralExpression":
    case "IntLiteralExpression":
    case "LongLiteralExpression":
    case "RealLiteralExpression":
    case "DecimalLiteralExpression":
    case "DateTimeLiteralExpression":
    case "TimespanLiteralExpression":
    case "GuidLiteralExpression":
    case "StringLiteralExpression":
    case "CompoundStringLiteralExpression":
    case "NullLiteralExpression":
      return compileLiteral(node, kind);
    case "DynamicExpression":
      return constant(dynamicValue(node.Expression), "dynamic");
    case "UnaryMinusExpression":
    case "UnaryPlusExpression": {
      const inner = compileScalar(node.Expression, scope);
      if (kind === "UnaryPlusExpression") return inner;
      const f = inner.fn;
      return { fn: (r) => negate(f(r)), type: inner.type, rowFree: inner.rowFree };
    }
    case "AndExpression":
    case "OrExpression":
      return compileLogical(node, scope, kind === "AndExpression");
    case "InExpression":
    case "InCsExpression":
    case "NotInExpression":
    case "NotInCsExpression":
      return compileIn(node, scope);
    case "HasAnyExpression":
    case "HasAllExpression":
      return compileHasAnyAll(node, scope, kind === "HasAllExpression");
    case "BetweenExpression":
    case "NotBetweenExpression":
      return compileBetween(node, scope, kind === "NotBetweenExpression");
    case "FunctionCallExpression":
      return compileCall(node, scope);
    case "ElementExpression":
    case "PathExpression":
      return compileElement(node, scope, kind === "PathExpression");
    case "ToScalarExpression": {
      const plan = scope.env.compileTable(node.Expression);
      const type = requireScalarType(node);
      const value = perRun(scope.env.frame, () => {
        const t = plan();
        return t.rows[0]?.[0] ?? null;
      });
      return { fn: () => value(), type, rowFree: true };
    }
    default:
      if (node.Operator && node.Left && node.Right) return compileBinary(node, scope);
      throw unsupported(`the expression '${textOf(node)}' (${kind})`);
  }
}

function negate(v: KqlValue): KqlValue {
  return typeof v === "number" ? -v : null;
}

function compileName(node: Node, scope: Scope): Compiled {
  const symbol = node.ReferencedSymbol;
  const name = String(node.SimpleName);
  const symKind = symbol ? symbolKindOf(symbol) : "None";
  if (symKind === "Column") {
    const idx = columnIndex(scope.columns, name);
    if (idx < 0) throw new KustoError("runtime", "ColumnNotFound", `Column '${name}' is not in the input.`);
    const type = scope.columns[idx]?.type ?? requireScalarType(node);
    return { fn: (r) => r[idx] ?? null, type, rowFree: false };
  }
  if (symKind === "Variable" || symKind === "Parameter") {
    const slot = scope.env.scalarSlot(symbol);
    if (slot) return { fn: () => slot.value, type: requireScalarType(node), rowFree: true };
  }
  throw unsupported(`the name '${name}' (${symKind.toLowerCase()})`);
}

function compileLiteral(node: Node, kind: string): Compiled {
  const type = kind === "NullLiteralExpression" ? "dynamic" : requireScalarType(node);
  const info = node.LiteralValueInfo;
  const text: string = info?.ValueText ?? "";
  if (kind === "NullLiteralExpression" || /^null$/i.test(text.trim())) return constant(null, type);
  switch (kind) {
    case "StringLiteralExpression":
    case "CompoundStringLiteralExpression":
      return constant(String(info?.Value ?? ""), "string");
    case "BooleanLiteralExpression":
      return constant(/^true$/i.test(text.trim()), "bool");
    case "GuidLiteralExpression":
      return constant(text.trim().toLowerCase(), "guid");
    case "TimespanLiteralExpression": {
      const v = parseTimespan(text);
      if (v === undefined) throw unsupported(`the timespan literal '${textOf(node)}'`);
      return constant(v, "timespan");
    }
    case "DateTimeLiteralExpression": {
      const v = parseDatetime(text);
      if (v === undefined)
        throw new KustoError(
          "syntax",
          "InvalidDatetimeLiteral",
          `The datetime literal '${textOf(node)}' is not a valid date and time (Kusto rejects it rather than rolling it over).`,
        );
      return constant(v, "datetime");
    }
    default: {
      const v = parseNumber(text);
      if (v === undefined) throw unsupported(`the literal '${textOf(node)}'`);
      return constant(v, type);
    }
  }
}

/** Value of a `dynamic(...)` literal's JSON-like tree. */
function dynamicValue(node: Node): KqlValue {
  const kind = kindOf(node);
  if (kind === "JsonArrayExpression") return elements(node.Values).map((v) => dynamicValue(v)) as KqlValue;
  if (kind === "JsonObjectExpression") {
    const out: Record<string, unknown> = {};
    for (const pair of elements(node.Pairs)) {
      const key = String(pair.Name?.ValueText ?? pair.Name?.Text ?? "").replace(/^["']|["']$/g, "");
      out[key] = dynamicValue(pair.Value);
    }
    return out;
  }
  if (kind === "NullLiteralExpression") return null;
  if (kind === "UnaryMinusExpression") return negate(dynamicValue(node.Expression));
  return evalConstant(compileLiteral(node, kind));
}

function compileElement(node: Node, scope: Scope, isPath: boolean): Compiled {
  const base = compileScalar(node.Expression, scope);
  if (base.type !== "dynamic") throw unsupported(`the element access '${textOf(node)}'`);
  const selector: Compiled = isPath
    ? { fn: () => String(node.Selector.SimpleName), type: "string", rowFree: true }
    : compileScalar(node.Selector.Expression, scope);
  const b = base.fn;
  const s = selector.fn;
  return {
    fn: (row) => {
      const v = b(row);
      const k = s(row);
      if (Array.isArray(v) && typeof k === "number") {
        const item: unknown = v[k < 0 ? v.length + k : k];
        return item === undefined ? null : (item as KqlValue);
      }
      if (v !== null && typeof v === "object" && !Array.isArray(v) && typeof k === "string") {
        const item = (v as Record<string, unknown>)[k];
        return item === undefined ? null : (item as KqlValue);
      }
      return null;
    },
    type: "dynamic",
    rowFree: base.rowFree && selector.rowFree,
  };
}

function compileCall(node: Node, scope: Scope): Compiled {
  const symbol = node.ReferencedSymbol;
  const name = String(node.Name?.SimpleName ?? symbol?.Name ?? "").toLowerCase();
  if (symbol && symbolKindOf(symbol) !== "Function") {
    throw unsupported(`calling '${name}'`);
  }
  return callFunction(name, node, scope);
}
