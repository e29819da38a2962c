/**
 * Recursive-descent parser for MAA attestation policy text. Never throws: the first syntax error
 * is returned with its line, column and a message in the style MAA's policy parser uses
 * ("mismatched input '[' expecting ';'").
 */
import {
  ACTIONS,
  type Action,
  type ActionName,
  type Argument,
  CLAIM_PROPERTIES,
  type ClaimProperty,
  type Condition,
  type Expr,
  OPERATORS,
  type Operator,
  type Policy,
  type PolicyError,
  type PropertyCondition,
  type Rule,
  SECTION_KINDS,
  type Section,
  type SectionKind,
} from "./ast.js";
import { type Token, tokenize } from "./lexer.js";

export const SUPPORTED_VERSIONS = ["1.0", "1.1", "1.2"] as const;

export type ParseResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly error: PolicyError };

/** Thrown inside the parser only; parsePolicy turns it into a result. */
class SyntaxFailure extends Error {
  readonly error: PolicyError;
  constructor(error: PolicyError) {
    super(error.message);
    this.error = error;
  }
}

const quote = (t: Token) => (t.kind === "eof" ? "<EOF>" : `'${t.text}'`);
const expectingText = (expected: readonly string[]) =>
  expected.length === 1 ? (expected[0] ?? "") : `{${expected.join(", ")}}`;

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  /** The grammar rule being parsed, for messages ("policy > versionInfo"). */
  private readonly ruleStack: string[] = ["policy"];

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  private peek(ahead = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    return this.tokens[this.index + ahead] ?? (last as Token);
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.index += 1;
    return t;
  }

  private fail(token: Token, message: string): never {
    throw new SyntaxFailure({
      line: token.line,
      column: token.column,
      message: `${message} (in ${this.ruleStack.join(" > ")})`,
    });
  }

  /** Fails on `token` with MAA's wording: mismatched input, what was expected. */
  private mismatch(token: Token, expected: readonly string[]): never {
    if (token.kind === "invalid") this.fail(token, token.value);
    this.fail(token, `mismatched input ${quote(token)} expecting ${expectingText(expected)}`);
  }

  private isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "punct" && t.text === text;
  }

  private isIdent(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "ident" && t.text === text;
  }

  private expectPunct(text: string): Token {
    if (!this.isPunct(text)) this.mismatch(this.peek(), [`'${text}'`]);
    return this.next();
  }

  private within<T>(rule: string, body: () => T): T {
    this.ruleStack.push(rule);
    const result = body();
    this.ruleStack.pop();
    return result;
  }

  parsePolicy(): Policy {
    const version = this.within("versionInfo", () => this.parseVersion());
    const sections: Section[] = [];
    let implicitAuthorization = false;
    if (this.startsRule()) {
      implicitAuthorization = true;
      const first = this.peek();
      const rules = this.within("rules", () => this.parseRules(null));
      sections.push({ kind: "authorizationrules", rules, line: first.line, column: first.column });
    }
    // Sections come in grammar order; configurationrules only from version 1.1.
    let allowed: SectionKind[] = [...SECTION_KINDS];
    if (version === "1.0") allowed = allowed.filter((k) => k !== "configurationrules");
    if (implicitAuthorization) allowed = allowed.filter((k) => k === "issuancerules");
    while (this.peek().kind !== "eof") {
      const t = this.peek();
      const kind = allowed.find((k) => t.kind === "ident" && t.text === k);
      if (!kind) {
        if (t.kind === "ident" && t.text === "configurationrules" && version === "1.0")
          this.fail(
            t,
            `configurationrules needs policy version 1.1 or later; this policy says version=${version}`,
          );
        this.mismatch(t, [...allowed.map((k) => `'${k}'`), "<EOF>"]);
      }
      sections.push(this.within(kind, () => this.parseSection(kind)));
      allowed = allowed.slice(allowed.indexOf(kind) + 1);
    }
    return { version, sections, implicitAuthorization };
  }

  private parseVersion(): string {
    const t = this.peek();
    if (!this.isIdent("version")) this.mismatch(t, ["'version'"]);
    this.next();
    this.expectPunct("=");
    const v = this.peek();
    if (v.kind !== "number") this.mismatch(v, ["a version number like 1.0"]);
    this.next();
    const version = /^\d+$/.test(v.text) ? `${v.text}.0` : v.text;
    if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version))
      this.fail(v, `unsupported policy version '${v.text}'; expected 1.0, 1.1 or 1.2`);
    this.expectPunct(";");
    return version;
  }

  /** A rule starts with `[`, `name:[` or `=>`. */
  private startsRule(): boolean {
    return this.isPunct("[") || this.isPunct("=>") || (this.peek().kind === "ident" && this.isPunct(":", 1));
  }

  private parseSection(kind: SectionKind): Section {
    const head = this.next();
    this.expectPunct("{");
    const rules = this.parseRules("}");
    this.expectPunct("}");
    this.expectPunct(";");
    return { kind, rules, line: head.line, column: head.column };
  }

  /** Rules until `close` ('}' or end of input when null). */
  private parseRules(close: string | null): Rule[] {
    const rules: Rule[] = [];
    for (;;) {
      const t = this.peek();
      if (close !== null && this.isPunct(close)) return rules;
      if (close === null && (t.kind === "eof" || SECTION_KINDS.some((k) => this.isIdent(k)))) return rules;
      if (!this.startsRule())
        this.mismatch(t, [
          "'['",
          "'=>'",
          "an identifier followed by ':'",
          close === null ? "<EOF>" : `'${close}'`,
        ]);
      rules.push(this.within("rule", () => this.parseRule()));
    }
  }

  private parseRule(): Rule {
    const first = this.peek();
    const conditions: Condition[] = [];
    if (!this.isPunct("=>")) {
      conditions.push(this.parseCondition());
      while (this.isPunct("&&")) {
        this.next();
        conditions.push(this.parseCondition());
      }
      if (!this.isPunct("=>")) this.mismatch(this.peek(), ["'&&'", "'=>'"]);
    }
    this.next();
    const action = this.within("action", () => this.parseAction());
    this.expectPunct(";");
    return { conditions, action, line: first.line, column: first.column };
  }

  private parseCondition(): Condition {
    const first = this.peek();
    let binding: string | null = null;
    if (first.kind === "ident") {
      binding = this.next().text;
      this.expectPunct(":");
    }
    if (!this.isPunct("[")) this.mismatch(this.peek(), binding === null ? ["'['", "an identifier"] : ["'['"]);
    this.next();
    const properties: PropertyCondition[] = [];
    for (;;) {
      properties.push(this.parsePropertyCondition());
      if (this.isPunct(",")) {
        this.next();
        continue;
      }
      if (this.isPunct("]")) break;
      this.mismatch(this.peek(), ["','", "']'"]);
    }
    this.next();
    return { binding, properties, line: first.line, column: first.column };
  }

  private claimProperty(t: Token): ClaimProperty {
    const property = CLAIM_PROPERTIES.find((p) => t.kind === "ident" && p === t.text);
    if (!property) {
      if (t.kind === "ident")
        this.fail(t, `unknown claim property '${t.text}'; expected type, value, valueType or issuer`);
      this.mismatch(
        t,
        CLAIM_PROPERTIES.map((p) => `'${p}'`),
      );
    }
    return property;
  }

  private parsePropertyCondition(): PropertyCondition {
    const property = this.claimProperty(this.next());
    const opToken = this.peek();
    const operator = OPERATORS.find((o) => opToken.kind === "punct" && opToken.text === o);
    if (!operator) {
      if (opToken.kind === "punct" && opToken.text === "=")
        this.fail(opToken, `mismatched input '=' expecting '==' (a condition compares with ==, not =)`);
      this.mismatch(
        opToken,
        OPERATORS.map((o) => `'${o}'`),
      );
    }
    this.next();
    return { property, operator: operator as Operator, value: this.parseExpr(false) };
  }

  private parseExpr(allowClaim: boolean): Expr {
    const t = this.peek();
    if (t.kind === "string") {
      this.next();
      return { kind: "string", value: t.value };
    }
    if (t.kind === "number") {
      this.next();
      return { kind: "number", value: Number(t.text), text: t.text };
    }
    if (t.kind === "ident" && (t.text === "true" || t.text === "false")) {
      this.next();
      return { kind: "bool", value: t.text === "true" };
    }
    if (t.kind === "ident") {
      this.next();
      if (this.isPunct(".")) {
        this.next();
        return { kind: "ref", binding: t.text, property: this.claimProperty(this.next()) };
      }
      if (allowClaim) return { kind: "claim", binding: t.text };
      this.mismatch(this.peek(), ["'.'"]);
    }
    this.mismatch(t, ["a string", "a number", "true", "false", "a claim reference like c.value"]);
  }

  private parseAction(): Action {
    const t = this.peek();
    const name = ACTIONS.find((a) => t.kind === "ident" && a === t.text);
    if (!name) {
      if (t.kind === "ident")
        this.fail(
          t,
          `unknown action '${t.text}'; expected permit(), deny(), issue(...) or issueproperty(...)`,
        );
      this.mismatch(
        t,
        ACTIONS.map((a) => `'${a}'`),
      );
    }
    this.next();
    this.expectPunct("(");
    const args: Argument[] = [];
    if (!this.isPunct(")")) {
      for (;;) {
        args.push(this.parseArgument());
        if (this.isPunct(",")) {
          this.next();
          continue;
        }
        if (this.isPunct(")")) break;
        this.mismatch(this.peek(), ["','", "')'"]);
      }
    }
    this.next();
    if ((name === "permit" || name === "deny") && args.length > 0)
      this.fail(t, `${name}() takes no arguments`);
    if ((name === "issue" || name === "issueproperty") && args.length === 0)
      this.fail(t, `${name}(...) needs arguments, like ${name}(type="name", value=c.value)`);
    return { name: name as ActionName, args, line: t.line, column: t.column };
  }

  private parseArgument(): Argument {
    if (this.peek().kind === "ident" && this.isPunct("=", 1)) {
      const name = this.next().text;
      this.next();
      return { name, value: this.parseExpr(true) };
    }
    return { name: null, value: this.parseExpr(true) };
  }
}

/** Parses policy text. Never throws. */
export function parsePolicy(text: string): ParseResult {
  try {
    return { ok: true, policy: new Parser(text).parsePolicy() };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: error.error };
    // A bug here must not take the caller down: report it as a parse error at the start.
    return {
      ok: false,
      error: { line: 1, column: 1, message: `internal parser error: ${String(error)}` },
    };
  }
}
