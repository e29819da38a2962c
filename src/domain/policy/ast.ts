/** The syntax tree of an MAA attestation policy (claim rule grammar, versions 1.0 to 1.2). */

export const SECTION_KINDS = ["configurationrules", "authorizationrules", "issuancerules"] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export const OPERATORS = ["==", "!=", "<", "<=", ">", ">="] as const;
export type Operator = (typeof OPERATORS)[number];

export const CLAIM_PROPERTIES = ["type", "value", "valueType", "issuer"] as const;
export type ClaimProperty = (typeof CLAIM_PROPERTIES)[number];

export const ACTIONS = ["permit", "deny", "issue", "issueproperty"] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A value in a condition or an action argument. */
export type Expr =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number; readonly text: string }
  | { readonly kind: "bool"; readonly value: boolean }
  /** `c.value`: a property of the claim bound by an earlier condition. */
  | { readonly kind: "ref"; readonly binding: string; readonly property: ClaimProperty }
  /** `c`: the whole bound claim, as in `issue(claim=c)`. */
  | { readonly kind: "claim"; readonly binding: string };

/** `value >= 2` inside `[...]`. */
export interface PropertyCondition {
  readonly property: ClaimProperty;
  readonly operator: Operator;
  readonly value: Expr;
}

/** `c:[type=="x", value==true]`: there is a claim matching every property condition. */
export interface Condition extends Position {
  readonly binding: string | null;
  readonly properties: readonly PropertyCondition[];
}

export interface Argument {
  /** `type` in `issue(type="x", value=c.value)`; null for a bare argument. */
  readonly name: string | null;
  readonly value: Expr;
}

export interface Action extends Position {
  readonly name: ActionName;
  readonly args: readonly Argument[];
}

/** `conditions => action;`: with no condition the action always runs. */
export interface Rule extends Position {
  readonly conditions: readonly Condition[];
  readonly action: Action;
}

export interface Section extends Position {
  readonly kind: SectionKind;
  readonly rules: readonly Rule[];
}

export interface Policy {
  /** "1.0", "1.1" or "1.2". */
  readonly version: string;
  readonly sections: readonly Section[];
  /**
   * True when rules follow the version line with no `authorizationrules { ... };` around them
   * (how the recommended policy is often copied from the docs); they are read as authorization rules.
   */
  readonly implicitAuthorization: boolean;
}

/** One parse error, as MAA reports it: where, and what was expected. */
export interface PolicyError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}
