import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACTIONS,
  CLAIM_PROPERTIES,
  type Condition,
  type Expr,
  OPERATORS,
  type Policy,
  type Rule,
  type Section,
} from "../../../src/domain/policy/ast.js";
import { lintPolicy } from "../../../src/domain/policy/lint.js";
import { parsePolicy } from "../../../src/domain/policy/parser.js";
import { printPolicy } from "../../../src/domain/policy/print.js";
import { recommendedPolicyText } from "../../../src/domain/policy/recommended.js";
import { fixture } from "./helpers.js";

/** Words and symbols of the grammar, so random soups get deep into the parser. */
const TOKENS = [
  "version",
  "=",
  "1.0",
  "1.2",
  ";",
  "authorizationrules",
  "issuancerules",
  "configurationrules",
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  "c",
  ":",
  ".",
  ",",
  "&&",
  "=>",
  "permit",
  "deny",
  "issue",
  "type",
  "value",
  "==",
  ">=",
  '"x-ms-sgx-svn"',
  "2",
  "true",
  '"',
  "//",
  "/*",
  "\n",
  "@",
];

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/).filter((s) => !["true", "false"].includes(s));

const literal: fc.Arbitrary<Expr> = fc.oneof(
  fc
    .string({ maxLength: 12 })
    .filter((s) => !/[\n]/.test(s))
    .map((value) => ({ kind: "string" as const, value })),
  fc
    .integer({ min: -1000, max: 100000 })
    .map((n) => ({ kind: "number" as const, value: n, text: String(n) })),
  fc.boolean().map((value) => ({ kind: "bool" as const, value })),
  fc
    .tuple(ident, fc.constantFrom(...CLAIM_PROPERTIES))
    .map(([binding, property]) => ({ kind: "ref" as const, binding, property })),
);

const condition: fc.Arbitrary<Condition> = fc.record({
  binding: fc.option(ident, { nil: null }),
  properties: fc.array(
    fc.record({
      property: fc.constantFrom(...CLAIM_PROPERTIES),
      operator: fc.constantFrom(...OPERATORS),
      value: literal,
    }),
    { minLength: 1, maxLength: 3 },
  ),
  line: fc.constant(0),
  column: fc.constant(0),
});

const rule: fc.Arbitrary<Rule> = fc
  .record({
    conditions: fc.array(condition, { maxLength: 3 }),
    name: fc.constantFrom(...ACTIONS),
    args: fc.array(
      fc.record({
        name: fc.option(ident, { nil: null }),
        value: fc.oneof(
          literal,
          ident.map((binding) => ({ kind: "claim" as const, binding })),
        ),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  })
  .map(({ conditions, name, args }) => ({
    conditions,
    action: { name, args: name === "permit" || name === "deny" ? [] : args, line: 0, column: 0 },
    line: 0,
    column: 0,
  }));

const section = (kind: Section["kind"]) =>
  fc.array(rule, { maxLength: 3 }).map((rules) => ({ kind, rules, line: 0, column: 0 }));

const policy: fc.Arbitrary<Policy> = fc
  .record({
    version: fc.constantFrom("1.0", "1.1", "1.2"),
    config: fc.option(section("configurationrules"), { nil: undefined }),
    auth: fc.option(section("authorizationrules"), { nil: undefined }),
    issuance: fc.option(section("issuancerules"), { nil: undefined }),
  })
  .map(({ version, config, auth, issuance }) => ({
    version,
    sections: [version === "1.0" ? undefined : config, auth, issuance].filter((s) => s !== undefined),
    implicitAuthorization: false,
  }));

/** Drops positions, which the printer does not keep. */
function shape(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === "line" || k === "column" ? undefined : v)));
}

describe("parser properties", () => {
  it("never throws on arbitrary text and always answers", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        const r = parsePolicy(text);
        expect(typeof r.ok).toBe("boolean");
        if (!r.ok) {
          expect(r.error.line).toBeGreaterThanOrEqual(1);
          expect(r.error.column).toBeGreaterThanOrEqual(1);
          expect(r.error.message).not.toContain("internal parser error");
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on soups of grammar tokens, nor does lintPolicy", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (parts) => {
        const text = parts.join(" ");
        const r = parsePolicy(text);
        if (!r.ok) expect(r.error.message).not.toContain("internal parser error");
        const lint = lintPolicy(text);
        expect(lint.valid).toBe(r.ok);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on mutations of real policies", () => {
    const seeds = [recommendedPolicyText(), fixture("default-sgx.txt"), fixture("sample-svn0.txt")];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.nat(),
        fc.nat({ max: 5 }),
        fc.string({ maxLength: 3 }),
        (seed, at, cut, insert) => {
          const i = at % (seed.length + 1);
          const text = seed.slice(0, i) + insert + seed.slice(i + cut);
          const lint = lintPolicy(text);
          expect(lint.valid).toBe(parsePolicy(text).ok);
          if (!lint.valid) expect(lint.errors).toHaveLength(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("print then parse gives the same policy back", () => {
    fc.assert(
      fc.property(policy, (p) => {
        const text = printPolicy(p);
        const r = parsePolicy(text);
        if (!r.ok) throw new Error(`${text}\n${r.error.line}:${r.error.column} ${r.error.message}`);
        expect(shape(r.policy)).toEqual(shape(p));
      }),
      { numRuns: 300 },
    );
  });

  it("finishes on very long and deeply repetitive input", () => {
    const long = `version=1.0; authorizationrules { ${'[type=="a"] && '.repeat(20000)}[type=="b"] => permit(); };`;
    expect(parsePolicy(long).ok).toBe(true);
    expect(lintPolicy(long).permits).toBe(false);
    expect(parsePolicy("[".repeat(100000)).ok).toBe(false);
    // Conditions that all match: the search goes 6,000 deep without overflowing the stack.
    for (const c of ['[type!="zzz"]', 'c:[type!="zzz"]']) {
      const deep = `version=1.0; authorizationrules { ${`${c} && `.repeat(6000)}[type!="zzz"] => permit(); };`;
      expect(lintPolicy(deep).permits).toBe(true);
    }
  });
});
