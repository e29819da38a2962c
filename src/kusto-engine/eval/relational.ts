/**
 * join and lookup: rows of two tables matched on equal key columns, with the flavours Kusto
 * documents (innerunique is join's default; lookup is leftouter unless kind=inner).
 * Output columns are laid out by the analyser (right-side names clashing with the left get a
 * numeric suffix); this module only fills them, positionally.
 */
import { type KqlValue, KustoError, type ResultColumn } from "../types.js";
import { columnIndex, type Env, type Row, type Table, type TablePlan } from "./context.js";
import { columnsOf, elements, kindOf, type Node, textOf, unsupported } from "./syntax.js";
import { keyOf } from "./values.js";

type Operator = (input: Table) => Table;

const JOIN_KINDS = new Set([
  "innerunique",
  "inner",
  "leftouter",
  "rightouter",
  "fullouter",
  "leftanti",
  "anti",
  "leftantisemi",
  "rightanti",
  "rightantisemi",
  "leftsemi",
  "rightsemi",
]);

/** The value of `kind=...` (and a refusal for any other parameter that changes results). */
function kindParameter(op: Node, fallback: string, allowed: ReadonlySet<string>, what: string): string {
  let kind = fallback;
  for (const p of elements(op.Parameters)) {
    const name = String(p.Name?.SimpleName ?? textOf(p.Name)).toLowerCase();
    const value = textOf(p.Expression).toLowerCase();
    if (name === "kind") {
      if (!allowed.has(value)) throw unsupported(`${what} kind=${value}`);
      kind = value;
    } else if (!name.startsWith("hint.")) {
      throw unsupported(`the ${what} parameter '${textOf(p)}'`);
    }
  }
  return kind;
}

interface KeyPair {
  readonly left: string;
  readonly right: string;
}

/** `on a, $left.b == $right.c and ...`: the pairs of key column names. */
function keyPairs(clause: Node, what: string): KeyPair[] {
  if (kindOf(clause) !== "JoinOnClause")
    throw unsupported(`${what} with a where clause ('${textOf(clause)}')`);
  const pairs: KeyPair[] = [];
  const side = (e: Node): { side: string; name: string } | undefined => {
    if (kindOf(e) !== "PathExpression") return undefined;
    const owner = textOf(e.Expression).toLowerCase();
    if (owner !== "$left" && owner !== "$right") return undefined;
    return { side: owner, name: String(e.Selector?.SimpleName ?? textOf(e.Selector)) };
  };
  const visit = (e: Node): void => {
    const k = kindOf(e);
    if (k === "ParenthesizedExpression") {
      visit(e.Expression);
      return;
    }
    if (k === "NameReference") {
      const name = String(e.SimpleName);
      pairs.push({ left: name, right: name });
      return;
    }
    if (k === "AndExpression") {
      visit(e.Left);
      visit(e.Right);
      return;
    }
    if (k === "EqualExpression") {
      const a = side(e.Left);
      const b = side(e.Right);
      if (a && b && a.side !== b.side) {
        pairs.push(a.side === "$left" ? { left: a.name, right: b.name } : { left: b.name, right: a.name });
        return;
      }
    }
    throw unsupported(`the ${what} condition '${textOf(e)}' (only equality of $left and $right columns)`);
  };
  for (const e of elements(clause.Expressions)) visit(e);
  if (pairs.length === 0) throw unsupported(`${what} without key columns`);
  return pairs;
}

function indexes(columns: readonly ResultColumn[], names: readonly string[], what: string): number[] {
  return names.map((n) => {
    const i = columnIndex(columns, n);
    if (i < 0) throw unsupported(`${what} key column '${n}'`);
    return i;
  });
}

/** A string that identifies a row's key tuple; refuses null keys (their matching is not settled here). */
function keyFn(idx: readonly number[], what: string): (r: Row) => string | number | boolean {
  const refuseNull = (): never => {
    throw new KustoError(
      "unsupported",
      "UnsupportedInEmbeddedEngine",
      `A ${what} on a null key value is valid KQL but is not supported by the embedded engine (attest-bot): whether null keys match is not reproduced here; filter them out (isnotnull) or run it against a real cluster.`,
    );
  };
  if (idx.length === 1) {
    const i = idx[0]!;
    return (r) => {
      const v = r[i] ?? null;
      if (v === null) return refuseNull();
      const k = keyOf(v);
      return typeof k === "string" ? `s${k}` : (k as number | boolean);
    };
  }
  return (r) => {
    let s = "";
    for (const i of idx) {
      const v = r[i] ?? null;
      if (v === null) refuseNull();
      const k = keyOf(v);
      s += `${typeof k === "string" ? `s${k}` : String(k)}\u0000`;
    }
    return s;
  };
}

function group(rows: readonly Row[], key: (r: Row) => unknown): Map<unknown, Row[]> {
  const m = new Map<unknown, Row[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

export function compileJoin(op: Node, env: Env, leftColumns: readonly ResultColumn[]): Operator {
  const kind = kindParameter(op, "innerunique", JOIN_KINDS, "join");
  const right = env.compileTable(op.Expression);
  const rightColumns = columnsOf(op.Expression.ResultType);
  const out = columnsOf(op.ResultType);
  const pairs = keyPairs(op.ConditionClause, "join");
  const lk = keyFn(
    indexes(
      leftColumns,
      pairs.map((p) => p.left),
      "join",
    ),
    "join",
  );
  const rk = keyFn(
    indexes(
      rightColumns,
      pairs.map((p) => p.right),
      "join",
    ),
    "join",
  );
  const nl = leftColumns.length;
  const nr = rightColumns.length;
  const leftOnly = kind === "leftsemi" || kind === "leftanti" || kind === "anti" || kind === "leftantisemi";
  const rightOnly = kind === "rightsemi" || kind === "rightanti" || kind === "rightantisemi";
  const expected = leftOnly ? nl : rightOnly ? nr : nl + nr;
  if (out.length !== expected) throw unsupported(`'${textOf(op)}' (unexpected output columns)`);
  const nullsLeft: KqlValue[] = new Array(nl).fill(null);
  const nullsRight: KqlValue[] = new Array(nr).fill(null);
  const both = (l: Row, r: Row): Row => {
    const row = new Array<KqlValue>(nl + nr);
    for (let i = 0; i < nl; i++) row[i] = l[i] ?? null;
    for (let i = 0; i < nr; i++) row[nl + i] = r[i] ?? null;
    return row;
  };
  return (left) => {
    const rightTable = right();
    const rows: Row[] = [];
    switch (kind) {
      case "leftsemi":
      case "leftanti":
      case "anti":
      case "leftantisemi": {
        const keys = new Set(rightTable.rows.map(rk));
        const keep = kind === "leftsemi";
        for (const l of left.rows) if (keys.has(lk(l)) === keep) rows.push(l);
        break;
      }
      case "rightsemi":
      case "rightanti":
      case "rightantisemi": {
        const keys = new Set(left.rows.map(lk));
        const keep = kind === "rightsemi";
        for (const r of rightTable.rows) if (keys.has(rk(r)) === keep) rows.push(r);
        break;
      }
      default: {
        let leftRows = left.rows;
        if (kind === "innerunique") {
          // Left side deduplicated on the key, keeping the first row of each key.
          const seen = new Set<unknown>();
          leftRows = left.rows.filter((l) => {
            const k = lk(l);
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          });
        }
        const byKey = group(rightTable.rows, rk);
        const matchedRight = new Set<unknown>();
        for (const l of leftRows) {
          const k = lk(l);
          const matches = byKey.get(k);
          if (matches) {
            matchedRight.add(k);
            for (const r of matches) rows.push(both(l, r));
          } else if (kind === "leftouter" || kind === "fullouter") {
            rows.push(both(l, nullsRight));
          }
        }
        if (kind === "rightouter" || kind === "fullouter") {
          for (const r of rightTable.rows) if (!matchedRight.has(rk(r))) rows.push(both(nullsLeft, r));
        }
      }
    }
    return { columns: out, rows };
  };
}

const LOOKUP_KINDS = new Set(["leftouter", "inner"]);

/** lookup: like join, but the right side's key columns are not repeated in the output. */
export function compileLookup(op: Node, env: Env, leftColumns: readonly ResultColumn[]): Operator {
  const kind = kindParameter(op, "leftouter", LOOKUP_KINDS, "lookup");
  const right: TablePlan = env.compileTable(op.Expression);
  const rightColumns = columnsOf(op.Expression.ResultType);
  const out = columnsOf(op.ResultType);
  const pairs = keyPairs(op.LookupClause, "lookup");
  const rightKeyIdx = indexes(
    rightColumns,
    pairs.map((p) => p.right),
    "lookup",
  );
  const lk = keyFn(
    indexes(
      leftColumns,
      pairs.map((p) => p.left),
      "lookup",
    ),
    "lookup",
  );
  const rk = keyFn(rightKeyIdx, "lookup");
  const keyed = new Set(rightKeyIdx);
  const rightKept = rightColumns.map((_, i) => i).filter((i) => !keyed.has(i));
  const nl = leftColumns.length;
  if (out.length !== nl + rightKept.length) throw unsupported(`'${textOf(op)}' (unexpected output columns)`);
  return (left) => {
    const byKey = group(right().rows, rk);
    const rows: Row[] = [];
    for (const l of left.rows) {
      const matches = byKey.get(lk(l));
      if (!matches) {
        if (kind === "leftouter") {
          const row = new Array<KqlValue>(out.length).fill(null);
          for (let i = 0; i < nl; i++) row[i] = l[i] ?? null;
          rows.push(row);
        }
        continue;
      }
      for (const r of matches) {
        const row = new Array<KqlValue>(out.length);
        for (let i = 0; i < nl; i++) row[i] = l[i] ?? null;
        for (let j = 0; j < rightKept.length; j++) row[nl + j] = r[rightKept[j]!] ?? null;
        rows.push(row);
      }
    }
    return { columns: out, rows };
  };
}
