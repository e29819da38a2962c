/**
 * Evaluates the authorization rules of a policy against a claim set, as MAA does: every rule is
 * tried in order; a Deny claim fails authorization, otherwise at least one Permit claim is needed.
 */
import type { ClaimProperty, Condition, Expr, Operator, Policy, PropertyCondition, Rule } from "./ast.js";
import { printCondition, printRule } from "./print.js";

export type ClaimValue = string | number | boolean;

/** An incoming claim (issuer defaults to AttestationService, as for claims MAA derives from the quote). */
export interface Claim {
  readonly type: string;
  readonly value: ClaimValue;
  readonly issuer?: string;
}

export interface Evaluation {
  readonly permits: boolean;
  /** MAA's wording for a refusal; null when permitted. */
  readonly reason: string | null;
  /**
   * The condition that stopped the permit rule that came closest, or the deny rule that fired;
   * null when permitted or when no permit rule exists.
   */
  readonly failingCondition: string | null;
}

export const NO_PERMIT =
  "No Permit claim was issued in the authorizationrules section, authorization failed.";
export const DENY_ISSUED = "A Deny claim was issued, authorization failed.";

const valueType = (v: ClaimValue) =>
  typeof v === "number" ? "Integer" : typeof v === "boolean" ? "Boolean" : "String";

function propertyOf(claim: Claim, property: ClaimProperty): ClaimValue {
  switch (property) {
    case "type":
      return claim.type;
    case "value":
      return claim.value;
    case "valueType":
      return valueType(claim.value);
    case "issuer":
      return claim.issuer ?? "AttestationService";
  }
}

/** Same-typed comparison; ordering only between numbers. A type mismatch never matches. */
function compare(left: ClaimValue, operator: Operator, right: ClaimValue): boolean {
  if (typeof left !== typeof right) return operator === "!=";
  switch (operator) {
    case "==":
      return left === right;
    case "!=":
      return left !== right;
    default:
      if (typeof left !== "number" || typeof right !== "number") return false;
      if (operator === "<") return left < right;
      if (operator === "<=") return left <= right;
      if (operator === ">") return left > right;
      return left >= right;
  }
}

/** Claims bound by earlier conditions: a persistent list, so deep rules cost no copying. */
interface Bindings {
  readonly name: string;
  readonly claim: Claim;
  readonly parent: Bindings | null;
}

function lookup(bindings: Bindings | null, name: string): Claim | undefined {
  for (let b = bindings; b !== null; b = b.parent) if (b.name === name) return b.claim;
  return undefined;
}

function resolve(e: Expr, bindings: Bindings | null): ClaimValue | undefined {
  switch (e.kind) {
    case "string":
    case "number":
    case "bool":
      return e.value;
    case "ref": {
      const claim = lookup(bindings, e.binding);
      return claim === undefined ? undefined : propertyOf(claim, e.property);
    }
    case "claim":
      return undefined;
  }
}

function matches(claim: Claim, p: PropertyCondition, bindings: Bindings | null): boolean {
  const right = resolve(p.value, bindings);
  return right !== undefined && compare(propertyOf(claim, p.property), p.operator, right);
}

/** Counts the search steps evaluations take, so a caller running many can bound its total work. */
export interface Meter {
  steps: number;
}

/** Bound conditions can make the search branch; the budget keeps hostile policies from hanging it. */
const SEARCH_BUDGET = 200_000;

/**
 * Finds claims satisfying every condition (later conditions may refer to earlier bindings), by
 * backtracking with an explicit stack (no recursion, so a long rule cannot overflow the stack).
 * Returns -1 when all hold, else the index of the furthest condition that could not be met.
 */
function firstUnmet(conditions: readonly Condition[], claims: readonly Claim[], meter?: Meter): number {
  let furthest = 0;
  let budget = SEARCH_BUDGET;
  const stack: { index: number; bindings: Bindings | null; next: number }[] = [
    { index: 0, bindings: null, next: 0 },
  ];
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    furthest = Math.max(furthest, frame.index);
    const condition = conditions[frame.index];
    if (condition === undefined) return -1;
    let advanced = false;
    while (frame.next < claims.length) {
      budget -= 1;
      if (meter) meter.steps += 1;
      if (budget < 0) return furthest;
      const claim = claims[frame.next] as Claim;
      frame.next += 1;
      if (!condition.properties.every((p) => matches(claim, p, frame.bindings))) continue;
      // An unbound condition only needs one matching claim: the choice cannot matter later.
      if (condition.binding === null) frame.next = claims.length;
      const bindings =
        condition.binding === null
          ? frame.bindings
          : { name: condition.binding, claim, parent: frame.bindings };
      stack.push({ index: frame.index + 1, bindings, next: 0 });
      advanced = true;
      break;
    }
    if (!advanced) stack.pop();
  }
  return furthest;
}

/** The authorization rules MAA would apply (none means every request is refused). */
export function authorizationRules(policy: Policy): readonly Rule[] {
  return policy.sections.find((s) => s.kind === "authorizationrules")?.rules ?? [];
}

export function evaluateAuthorization(policy: Policy, claims: readonly Claim[], meter?: Meter): Evaluation {
  let permitted = false;
  let closest: { condition: Condition; met: number } | null = null;
  for (const rule of authorizationRules(policy)) {
    const unmet = firstUnmet(rule.conditions, claims, meter);
    if (unmet === -1) {
      if (rule.action.name === "deny")
        return { permits: false, reason: DENY_ISSUED, failingCondition: printRule(rule) };
      if (rule.action.name === "permit") permitted = true;
      continue;
    }
    const condition = rule.conditions[unmet];
    if (rule.action.name === "permit" && condition && (closest === null || unmet > closest.met))
      closest = { condition, met: unmet };
  }
  if (permitted) return { permits: true, reason: null, failingCondition: null };
  return {
    permits: false,
    reason: NO_PERMIT,
    failingCondition: closest === null ? null : printCondition(closest.condition),
  };
}
