/**
 * RE2 (Kusto's regex dialect) through `extract` and `matches regex`: what JS can express is
 * translated exactly; the rest fails loudly naming the construct, never a silently different match.
 */
import { describe, expect, it } from "vitest";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import type { KustoError } from "../../../src/kusto-engine/types.js";
import { kustoErrorOf } from "./kusto-error-of.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const engine = new KustoEngine(ATTEST_SCHEMA, new Map());

/** KQL string literal for any text (JSON escapes are valid in KQL double-quoted strings). */
const lit = (s: string) => JSON.stringify(s);

const extract = (pattern: string, input: string, group = 0) =>
  engine.execute(`print r = extract(${lit(pattern)}, ${group}, ${lit(input)})`, { now: NOW })[0]
    ?.rows[0]?.[0];
const matches = (pattern: string, input: string) =>
  engine.execute(`print r = ${lit(input)} matches regex ${lit(pattern)}`, { now: NOW })[0]?.rows[0]?.[0];

const failure = (query: string, parameters?: Record<string, string>): KustoError =>
  kustoErrorOf(engine, NOW, query, parameters);

describe("RE2 constructs are translated exactly", () => {
  it.each([
    // \z and \A: the very end / start of the text, whatever the flags.
    ["abc\\z", "abcz", ""],
    ["abc\\z", "xabc", "abc"],
    ["(?m)abc\\z", "abc\nx", ""],
    ["\\Aabc", "xabc", ""],
    ["(?m)\\Ab", "a\nb", ""],
    // POSIX classes, plain and negated.
    ["[[:digit:]]+", "ab123c", "123"],
    ["[[:alpha:]]+", "12abC3", "abC"],
    ["[[:^alpha:]]+", "ab12-c", "12-"],
    ["[[:xdigit:][:space:]]+", "zz0a F\tg", "0a F\t"],
    ["[[:punct:]]+", "ab!?c", "!?"],
    // (?U): greediness swapped.
    ["(?U)a+", "aaa", "a"],
    ["(?U)a+?", "aaa", "aaa"],
    ["(?U)<.*>", "<a><b>", "<a>"],
    // \Q...\E: literal text.
    ["\\Q.*+?\\E", "x.*+?y", ".*+?"],
    ["a\\Q(b\\E", "a(b", "a(b"],
    // Hex, octal and control escapes.
    ["\\x{41}+", "xAAB", "AA"],
    ["\\x{1F600}", "a\u{1F600}b", "\u{1F600}"],
    ["\\x41", "A", "A"],
    ["\\101\\0", "A\0", "A\0"],
    ["\\a", "x\u0007", "\u0007"],
    // Perl classes are ASCII in RE2: \d is [0-9], \s is [\t\n\f\r ] (no \v, no NBSP).
    ["\\d+", "\u0661\u06623", "3"],
    ["\\s+", "a\u000b\u00a0\t b", "\t "],
    ["[^\\S]+", "a\u000b\t b", "\t "],
    ["\\w+", "\u00e9t\u00e9", "t"],
    // `.` excludes only \n (JS's also excludes \r); (?s) lets it match \n.
    ["a.c", "a\rc", "a\rc"],
    ["a.c", "a\nc", ""],
    ["(?s)a.c", "a\nc", "a\nc"],
    ["a(?s:.)b", "a\nb", "a\nb"],
    // (?m): ^ and $ at \n only (not \r).
    ["(?m)^b$", "a\nb\nc", "b"],
    ["(?m)^b$", "a\rb", ""],
    ["^b$", "a\nb", ""],
    // Unicode classes.
    ["\\pL+", "1h\u00e9llo2", "h\u00e9llo"],
    ["\\p{Greek}+", "a\u03b1\u03b2b", "\u03b1\u03b2"],
    ["\\PL+", "ab12c", "12"],
    ["\\p{^L}+", "ab12c", "12"],
    ["[\\pN\\s]+", "x1 2y", "1 2"],
    ["\\pN+", "a\u0661\u0662b", "\u0661\u0662"],
    // Named groups, literal braces and brackets RE2 reads as text.
    ["(?P<n>\\d+)", "ab12", "12"],
    ["a{,3}", "a{,3}", "a{,3}"],
    ["[]a]+", "x]a]", "]a]"],
    ["[a-]+", "xa-a", "a-a"],
    ["a]b}", "a]b}", "a]b}"],
    // Case-insensitive flag and the guide's return-code pattern.
    ["(?i)return", "RETURN", "RETURN"],
    ["Return code: '(0x[0-9a-fA-F]{8})'", "Return code: '0x00000193'.", "Return code: '0x00000193'"],
  ])("extract(%j, 0, %j) -> %j", (pattern, input, expected) => {
    expect(extract(pattern, input)).toBe(expected);
  });

  it.each([
    ["\\pL", "a", true],
    ["\\pL", "1", false],
    ["^\\d+\\z", "123", true],
    ["^\\d+\\z", "123\n", false],
    ["(?i)\\W", "k", false],
    ["(?i)\\W", "\u212a", false],
  ])("%j matches regex on %j -> %s", (pattern, input, expected) => {
    expect(matches(pattern, input)).toBe(expected);
  });
});

describe("RE2 constructs JS cannot express exactly fail as unsupported, naming them", () => {
  it.each([
    ["\\C", "\\C"],
    ["a(?i)b", "(?i)"],
    ["(?i:a)b", "(?i:"],
    ["[\\Qab\\E]", "\\Q...\\E inside a character class"],
    ["\\p{NoSuchScript}", "\\p{NoSuchScript}"],
  ])("%j", (pattern, named) => {
    const e = failure(`print r = ${lit("x")} matches regex ${lit(pattern)}`);
    expect(e.kind).toBe("unsupported");
    expect(e.code).toBe("UnsupportedInEmbeddedEngine");
    expect(e.message).toContain(named);
  });
});

describe("patterns RE2 itself rejects fail as invalid regular expressions", () => {
  it.each([
    ["(?=a)", "(?="],
    ["(?<!a)b", "(?<!"],
    ["(a)\\1", "backreference \\1"],
    ["\\Z", "\\Z"],
    ["(a", "missing )"],
    ["a{1001}", "above 1000"],
    ["a**", "bad repetition"],
    ["\\pX", "\\p{X}"],
  ])("%j", (pattern, named) => {
    const e = failure(`print r = extract(${lit(pattern)}, 0, "x")`);
    expect(e.kind).toBe("runtime");
    expect(e.code).toBe("InvalidRegex");
    expect(e.message).toContain(named);
  });
});
