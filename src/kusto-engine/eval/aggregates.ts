/** Aggregation functions of `summarize`: one state per group, fed row by row. */
import type { KqlValue } from "../types.js";
import { type Compiled, columnIndex, type Row, type Scope } from "./context.js";
import { compileScalar, evalConstant } from "./scalar.js";
import { columnsOf, elements, kindOf, type Node, textOf, unsupported } from "./syntax.js";
import { compareValues, isEmptyValue, keyOf, toDynamicElement } from "./values.js";

export interface AggState {
  add(row: Row): void;
  /** Writes this aggregate's output columns into `out` starting at `offset`. */
  write(out: KqlValue[], offset: number): void;
}

export interface Aggregate {
  /** Number of output columns (arg_max and friends produce several). */
  readonly width: number;
  create(): AggState;
}

const MAX_SET = 1_048_576;

/** Kusto documents make_set flattening an array column but not what make_list does with one. */
const LIST_OF_ARRAYS = (name: string) =>
  `the aggregation ${name}() over dynamic arrays (whether Kusto keeps or flattens them is not documented; wrap the value, e.g. bag_pack('v', x))`;

function args(call: Node, scope: Scope): { nodes: Node[]; compiled: (i: number) => Compiled } {
  const nodes = elements(call.ArgumentList?.Expressions);
  return { nodes, compiled: (i) => compileScalar(nodes[i], scope) };
}

function single(create: () => AggState): Aggregate {
  return { width: 1, create };
}

/** Compiles one aggregate expression of summarize (`count()`, `n = dcount(x)`, `arg_max(t, *)`...). */
export function compileAggregate(expr: Node, scope: Scope): Aggregate {
  let call = expr;
  const k = kindOf(expr);
  if (k === "SimpleNamedExpression" || k === "CompoundNamedExpression") call = expr.Expression;
  if (kindOf(call) !== "FunctionCallExpression") {
    throw unsupported(
      `the summarize expression '${textOf(expr)}' (only direct aggregation calls are supported)`,
    );
  }
  const name = String(call.Name?.SimpleName ?? "").toLowerCase();
  const a = args(call, scope);
  switch (name) {
    case "count":
      if (a.nodes.length > 0) return compileAggregateAs("countif", a.compiled(0).fn);
      return single(() => {
        let n = 0;
        return {
          add: () => {
            n++;
          },
          write: (o, i) => {
            o[i] = n;
          },
        };
      });
    case "countif": {
      const p = a.compiled(0).fn;
      return single(() => {
        let n = 0;
        return {
          add: (r) => {
            if (p(r) === true) n++;
          },
          write: (o, i) => {
            o[i] = n;
          },
        };
      });
    }
    case "dcount":
    case "dcountif": {
      const f = a.compiled(0).fn;
      const p = name === "dcountif" ? a.compiled(1).fn : undefined;
      return single(() => {
        const seen = new Set<unknown>();
        return {
          add: (r) => {
            if (p && p(r) !== true) return;
            const v = f(r);
            if (v !== null) seen.add(keyOf(v));
          },
          write: (o, i) => {
            o[i] = seen.size;
          },
        };
      });
    }
    case "min":
    case "max": {
      const f = a.compiled(0).fn;
      const sign = name === "max" ? 1 : -1;
      return single(() => {
        let best: KqlValue = null;
        return {
          add: (r) => {
            const v = f(r);
            if (v === null || (typeof v === "number" && Number.isNaN(v))) return;
            if (best === null || compareValues(v, best) * sign > 0) best = v;
          },
          write: (o, i) => {
            o[i] = best;
          },
        };
      });
    }
    case "sum":
    case "sumif":
    case "avg": {
      const f = a.compiled(0).fn;
      const p = name === "sumif" ? a.compiled(1).fn : undefined;
      const isAvg = name === "avg";
      return single(() => {
        let total = 0;
        let n = 0;
        return {
          add: (r) => {
            if (p && p(r) !== true) return;
            const v = f(r);
            if (typeof v === "number") {
              total += v;
              n++;
            }
          },
          write: (o, i) => {
            o[i] = isAvg ? (n === 0 ? null : total / n) : n === 0 ? null : total;
          },
        };
      });
    }
    case "take_any":
    case "any": {
      let fns: ((r: Row) => KqlValue)[];
      if (a.nodes.some((n) => kindOf(n) === "StarExpression")) {
        if (a.nodes.length !== 1) throw unsupported("take_any mixing '*' with other columns");
        // take_any(*): every input column except the by keys, as the analyser lists them.
        fns = columnsOf(call.ResultType).map((c) => {
          const idx = columnIndex(scope.columns, c.name);
          if (idx < 0) throw unsupported(`take_any(*) output column '${c.name}'`);
          return (r: Row) => r[idx] ?? null;
        });
      } else {
        fns = a.nodes.map((_, i) => a.compiled(i).fn);
      }
      const first = fns[0]!;
      // With a single column, Kusto tries to return a non-null, non-empty value when there is one.
      const preferNonEmpty = fns.length === 1;
      return {
        width: fns.length,
        create: () => {
          let chosen: Row | undefined;
          let nonEmpty = false;
          return {
            add: (r) => {
              if (nonEmpty) return;
              if (!chosen) chosen = r;
              if (!preferNonEmpty) nonEmpty = true;
              else if (!isEmptyValue(first(r))) {
                chosen = r;
                nonEmpty = true;
              }
            },
            write: (o, i) => {
              for (let j = 0; j < fns.length; j++) o[i + j] = chosen ? fns[j]!(chosen) : null;
            },
          };
        },
      };
    }
    case "arg_max":
    case "arg_min":
      return argExtreme(call, scope, name === "arg_max" ? 1 : -1);
    case "make_set":
    case "make_list":
    case "make_set_if":
    case "make_list_if": {
      const arg = a.compiled(0);
      const f = arg.fn;
      const conditional = name.endsWith("_if");
      const p = conditional ? a.compiled(1).fn : undefined;
      const limitIndex = conditional ? 2 : 1;
      const limit = a.nodes[limitIndex] ? Number(evalConstant(a.compiled(limitIndex))) : MAX_SET;
      const isSet = name.startsWith("make_set");
      // make_set flattens a dynamic array into its elements (Kusto documents the set of an array column).
      const flatten = isSet && arg.type === "dynamic";
      return single(() => {
        const seen = new Set<unknown>();
        const out: KqlValue[] = [];
        const push = (v: KqlValue) => {
          if (v === null || out.length >= limit) return;
          if (isSet) {
            const key = keyOf(v);
            if (seen.has(key)) return;
            seen.add(key);
          }
          out.push(v);
        };
        return {
          add: (r) => {
            if (out.length >= limit) return;
            if (p && p(r) !== true) return;
            const v = toDynamicElement(f(r), arg.type);
            if (flatten && Array.isArray(v)) for (const x of v as KqlValue[]) push(x);
            else if (!isSet && Array.isArray(v)) throw unsupported(LIST_OF_ARRAYS(name));
            else push(v);
          },
          write: (o, i) => {
            o[i] = out.slice();
          },
        };
      });
    }
    case "percentile":
    case "percentiles":
      return percentiles(call, scope);
    default:
      throw unsupported(`the aggregation function '${name}()'`);
  }
}

/** arg_max / arg_min: the row with the extreme value of the first argument, then the listed columns. */
function argExtreme(call: Node, scope: Scope, sign: number): Aggregate {
  const nodes = elements(call.ArgumentList?.Expressions);
  const key = compileScalar(nodes[0], scope).fn;
  const tuple = columnsOf(call.ResultType);
  const rest = nodes.slice(1);
  let outputs: ((r: Row) => KqlValue)[];
  if (rest.some((n) => kindOf(n) === "StarExpression")) {
    if (rest.length !== 1) throw unsupported("arg_max/arg_min mixing '*' with other columns");
    outputs = [key];
    for (const col of tuple.slice(1)) {
      const idx = columnIndex(scope.columns, col.name);
      if (idx < 0) throw unsupported(`arg_max/arg_min output column '${col.name}'`);
      outputs.push((r) => r[idx] ?? null);
    }
  } else {
    outputs = [key, ...rest.map((n) => compileScalar(n, scope).fn)];
  }
  if (outputs.length !== tuple.length) {
    throw unsupported(`'${textOf(call)}' (unexpected output columns)`);
  }
  return {
    width: outputs.length,
    create: () => {
      let best: Row | undefined;
      let bestValue: KqlValue = null;
      // When the key is null on every row of the group, Kusto still returns one of its rows.
      let anyRow: Row | undefined;
      return {
        add: (r) => {
          anyRow ??= r;
          const v = key(r);
          if (v === null) return;
          if (best === undefined || compareValues(v, bestValue) * sign > 0) {
            best = r;
            bestValue = v;
          }
        },
        write: (o, i) => {
          const row = best ?? anyRow;
          for (let j = 0; j < outputs.length; j++) o[i + j] = row ? outputs[j]!(row) : null;
        },
      };
    },
  };
}

/** count(predicate): the rows where the predicate is true, as countif. */
function compileAggregateAs(_name: "countif", predicate: (r: Row) => KqlValue): Aggregate {
  return single(() => {
    let n = 0;
    return {
      add: (r) => {
        if (predicate(r) === true) n++;
      },
      write: (o, i) => {
        o[i] = n;
      },
    };
  });
}

/**
 * percentile(x, p) / percentiles(x, p1, p2, ...): the nearest-rank percentile (the smallest value
 * with at least p% of the values at or below it; p = 0 is the minimum), computed exactly. Kusto
 * documents an estimate of the same nearest-rank percentile; on small groups they agree.
 */
function percentiles(call: Node, scope: Scope): Aggregate {
  const nodes = elements(call.ArgumentList?.Expressions);
  const value = compileScalar(nodes[0], scope);
  const ps = nodes.slice(1).map((n) => {
    if (kindOf(n) === "DynamicExpression")
      throw unsupported(`percentiles with a dynamic list ('${textOf(call)}')`);
    const c = compileScalar(n, scope);
    if (!c.rowFree) throw unsupported(`a percentile that is not a constant ('${textOf(n)}')`);
    return c;
  });
  const width = columnsOf(call.ResultType).length || 1;
  if (width !== ps.length) throw unsupported(`'${textOf(call)}' (unexpected output columns)`);
  const f = value.fn;
  return {
    width,
    create: () => {
      const values: number[] = [];
      return {
        add: (r) => {
          const v = f(r);
          if (typeof v === "number" && !Number.isNaN(v)) values.push(v);
        },
        write: (o, i) => {
          const sorted = values.slice().sort((x, y) => x - y);
          ps.forEach((c, j) => {
            const p = evalConstant(c);
            if (sorted.length === 0 || typeof p !== "number" || p < 0 || p > 100) {
              o[i + j] = null;
              return;
            }
            const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
            o[i + j] = sorted[rank - 1] ?? null;
          });
        },
      };
    },
  };
}
