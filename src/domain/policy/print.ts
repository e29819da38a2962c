/** Prints a policy tree back to canonical policy text (parsePolicy(printPolicy(p)) gives p back). */
import type { Action, Condition, Expr, Policy, PropertyCondition, Rule } from "./ast.js";

const escapeString = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "string":
      return `"${escapeString(e.value)}"`;
    case "number":
      return e.text;
    case "bool":
      return String(e.value);
    case "ref":
      return `${e.binding}.${e.property}`;
    case "claim":
      return e.binding;
  }
}

const printProperty = (p: PropertyCondition) => `${p.property}${p.operator}${printExpr(p.value)}`;

/** `c:[type=="x-ms-sgx-svn", value>=2]`. */
export function printCondition(c: Condition): string {
  return `${c.binding === null ? "" : `${c.binding}:`}[${c.properties.map(printProperty).join(", ")}]`;
}

export function printAction(a: Action): string {
  return `${a.name}(${a.args.map((x) => (x.name === null ? "" : `${x.name}=`) + printExpr(x.value)).join(", ")})`;
}

/** One rule on one line: `[...] && [...] => permit();`. */
export function printRule(r: Rule): string {
  const conditions = r.conditions.map(printCondition).join(" && ");
  return `${conditions}${conditions === "" ? "" : " "}=> ${printAction(r.action)};`;
}

export function printPolicy(p: Policy): string {
  const lines = [`version=${p.version};`];
  for (const section of p.sections) {
    if (p.implicitAuthorization && section.kind === "authorizationrules") {
      lines.push(...section.rules.map(printRule));
      continue;
    }
    lines.push(section.kind, "{", ...section.rules.map((r) => `  ${printRule(r)}`), "};");
  }
  return `${lines.join("\n")}\n`;
}
