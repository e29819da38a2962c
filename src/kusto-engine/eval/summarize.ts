/** summarize: groups rows by the `by` keys and feeds each group's aggregate states. */
import type { KqlValue, ResultColumn } from "../types.js";
import { compileAggregate } from "./aggregates.js";
import type { Row, Scope, Table } from "./context.js";
import { compileScalar } from "./scalar.js";
import { elements, kindOf, type Node, textOf, unsupported } from "./syntax.js";
import { keyOf } from "./values.js";

export function compileSummarize(
  op: Node,
  scope: Scope,
  out: readonly ResultColumn[],
): (input: Table) => Table {
  const byExprs = op.ByClause ? elements(op.ByClause.Expressions) : [];
  const keyFns = byExprs.map((e) => byKey(e, scope));
  const aggs = elements(op.Aggregates).map((e) => compileAggregate(e, scope));
  const width = keyFns.length + aggs.reduce((s, a) => s + a.width, 0);
  if (width !== out.length) throw unsupported(`'${textOf(op)}' (unexpected output columns)`);
  const nk = keyFns.length;
  const stringCols = out.map((c, i) => (c.type === "string" ? i : -1)).filter((i) => i >= 0);
  const finish = (keys: KqlValue[], states: ReturnType<(typeof aggs)[number]["create"]>[]): Row => {
    const row = new Array<KqlValue>(width);
    for (let i = 0; i < nk; i++) row[i] = keys[i] ?? null;
    let offset = nk;
    for (let a = 0; a < aggs.length; a++) {
      states[a]!.write(row, offset);
      offset += aggs[a]!.width;
    }
    for (const i of stringCols) if (row[i] === null) row[i] = "";
    return row;
  };
  return (t) => {
    type Group = { keys: KqlValue[]; states: ReturnType<(typeof aggs)[number]["create"]>[] };
    const groups = new Map<unknown, Group>();
    const keyValues = new Array<KqlValue>(nk);
    for (const r of t.rows) {
      let mapKey: unknown;
      if (nk === 0) mapKey = 0;
      else if (nk === 1) {
        keyValues[0] = keyFns[0]!(r);
        mapKey = keyOf(keyValues[0] ?? null);
      } else {
        let s = "";
        for (let i = 0; i < nk; i++) {
          const v = keyFns[i]!(r);
          keyValues[i] = v;
          const k = keyOf(v);
          s += `${typeof k === "string" ? `s${k}` : String(k)}\u0000`;
        }
        mapKey = s;
      }
      let g = groups.get(mapKey);
      if (!g) {
        g = { keys: keyValues.slice(), states: aggs.map((a) => a.create()) };
        groups.set(mapKey, g);
      }
      for (const s of g.states) s.add(r);
    }
    if (nk === 0 && groups.size === 0) {
      return {
        columns: out,
        rows: [
          finish(
            [],
            aggs.map((a) => a.create()),
          ),
        ],
      };
    }
    const rows: Row[] = [];
    for (const g of groups.values()) rows.push(finish(g.keys, g.states));
    return { columns: out, rows };
  };
}

/** The value part of a `by` key (`name = expr` or `expr`). */
function byKey(e: Node, scope: Scope): (r: Row) => KqlValue {
  const k = kindOf(e);
  if (k === "SimpleNamedExpression") return compileScalar(e.Expression, scope).fn;
  if (k === "CompoundNamedExpression") throw unsupported(`the tuple assignment '${textOf(e)}'`);
  return compileScalar(e, scope).fn;
}
