/**
 * RE2 (Kusto's regular expression dialect) translated to an equivalent JS RegExp (always with the
 * `u` flag, so that classes and `.` work on code points as RE2 does on UTF-8). Everything RE2
 * means is spelled out where JS differs: `.` excludes only `\n`, `\s` is `[\t\n\f\r ]`, `\z`/`\A`
 * are the ends of the text, `^`/`$` under `(?m)` see only `\n`, `(?U)` swaps greediness,
 * `[[:digit:]]` classes, `\Q...\E`, `\x{41}`, octal escapes, `\pL`/`\p{Greek}`.
 * RE2 constructs JS cannot express exactly fail with kind "unsupported" naming the construct;
 * patterns RE2 itself rejects (look-around, backreferences, unbalanced parentheses) fail with
 * kind "runtime", code InvalidRegex.
 * Known nuance: under `(?i)`, JS `\b` also treats U+017F and U+212A (which fold to s and k) as
 * word characters; RE2's `\b` is ASCII-only.
 */
import { KustoError } from "../types.js";
import { unsupported } from "./syntax.js";

type Range = readonly [number, number];

const MAX_CODE_POINT = 0x10ffff;

const DIGIT: readonly Range[] = [[0x30, 0x39]];
const WORD: readonly Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
/** RE2's `\s`: tab, newline, form feed, carriage return, space (no \v, no Unicode spaces). */
const PERL_SPACE: readonly Range[] = [
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
];

/** RE2's ASCII classes `[:name:]`. */
const POSIX: Readonly<Record<string, readonly Range[]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

/** RE2's general categories other than C (whose RE2 meaning excludes unassigned code points). */
const CATEGORIES = new Set(
  "L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs Cc Cf Co Cs".split(
    " ",
  ),
);
/** RE2's `\pC`: the assigned "other" code points (Cc, Cf, Co, Cs); JS's \p{C} also has Cn. */
const RE2_C = "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}";

const hex = (cp: number) => `\\u{${cp.toString(16)}}`;

/** Printable ASCII that means itself both inside and outside a JS class (with the u flag). */
const PLAIN_ASCII = /^[A-Za-z0-9 !"#%&',:;<=>@_`~]$/;

/** A code point as a literal, valid inside or outside a class: plain characters as they are. */
function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (PLAIN_ASCII.test(ch)) return ch;
  if (cp > 0x7f && cp !== 0x2028 && cp !== 0x2029) return ch;
  return hex(cp);
}

function rangesText(ranges: readonly Range[]): string {
  return ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join("");
}

/** Code points outside ASCII that case-fold onto ASCII letters: U+017F (to s), U+212A (to k). */
const FOLDS_INTO_ASCII: readonly Range[] = [
  [0x17f, 0x17f],
  [0x212a, 0x212a],
];

/**
 * The code points not in `ranges`. Under (?i) RE2 negates the case-folded set, so the non-ASCII
 * letters that fold onto an ASCII letter of the set are excluded too (JS would fold them back in).
 */
function complement(ranges: readonly Range[], fold = false): Range[] {
  const hasLetters = ranges.some(([lo, hi]) => (lo <= 0x73 && hi >= 0x61) || (lo <= 0x53 && hi >= 0x41));
  const set = fold && hasLetters ? [...ranges, ...FOLDS_INTO_ASCII].sort((a, b) => a[0] - b[0]) : ranges;
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

function invalid(pattern: string, why: string): KustoError {
  return new KustoError(
    "runtime",
    "InvalidRegex",
    `The regular expression '${pattern}' is not valid RE2: ${why}.`,
  );
}

/** RE2's Perl classes; the upper-case letter is the complement. */
const PERL_CLASSES: Readonly<Record<string, readonly Range[]>> = { d: DIGIT, s: PERL_SPACE, w: WORD };

/** Escapes RE2 rejects, named for the error. */
const REJECTED_ESCAPES: Readonly<Record<string, string>> = {
  Z: "\\Z (end of text before a final newline)",
  G: "\\G",
  K: "\\K",
  R: "\\R",
  X: "\\X",
  N: "\\N{...}",
  b: "\\b inside a class (backspace)",
  c: "\\cX (control characters)",
  e: "\\e (escape)",
  g: "\\g (backreferences)",
  k: "\\k (named backreferences)",
  h: "\\h",
  H: "\\H",
  V: "\\V",
  l: "\\l",
  L: "\\L",
  u: "\\u",
  U: "\\U",
  E: "\\E without \\Q",
};

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

/** Translates RE2 source to JS source + flags. Throws KustoError for what cannot be expressed. */
export function translateRe2(pattern: string): { source: string; flags: string } {
  let pos = 0;
  let out = "";
  const global = { i: false };
  let flags: Flags = { i: false, m: false, s: false, U: false };
  const stack: Flags[] = [];
  const at = (k = 0) => pattern.charAt(pos + k);

  const lead = /^\(\?([imsU]*)(?:-([imsU]*))?\)/.exec(pattern);
  if (lead && (lead[1] || lead[2] !== undefined)) {
    flags = applyFlags(flags, lead[1] ?? "", lead[2] ?? "");
    global.i = flags.i;
    pos = lead[0].length;
  }

  /** `\p{..}`/`\pX` (after the backslash and p/P). Returns the class body text and whether negated. */
  const property = (negatedByP: boolean): { body: string; negated: boolean } => {
    let name: string;
    if (at() === "{") {
      const end = pattern.indexOf("}", pos);
      if (end < 0) throw invalid(pattern, "missing } in \\p{...}");
      name = pattern.slice(pos + 1, end);
      pos = end + 1;
    } else {
      name = at();
      pos += name.length;
      if (!name) throw invalid(pattern, "\\p at the end of the pattern");
    }
    let negated = negatedByP;
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const shown = `\\p{${name}}`;
    if (name === "Any") return { body: "\\p{Any}", negated };
    if (name === "C") return { body: RE2_C, negated };
    if (CATEGORIES.has(name)) return { body: `\\p{${name}}`, negated };
    // One-letter names are general categories only; scripts have longer names.
    if (name.length < 2 || !/^[A-Za-z_]+$/.test(name))
      throw invalid(pattern, `unknown Unicode class ${shown}`);
    try {
      new RegExp(`\\p{Script=${name}}`, "u");
    } catch {
      throw unsupported(`the RE2 Unicode class ${shown} (not a script name this JS engine knows)`);
    }
    return { body: `\\p{Script=${name}}`, negated };
  };

  /** An escape after `\` (pos at the escaped char). Returns class-body text (inClass) or a pattern piece. */
  const readEscape = (inClass: boolean): { body: string; negated: boolean; single: boolean } => {
    const c = at();
    if (!c) throw invalid(pattern, "trailing backslash");
    pos++;
    const one = (cp: number) => ({ body: literal(cp), negated: false, single: true });
    // JS's \d \D \w \W with the u flag are RE2's (ASCII; under (?i) both fold U+017F and U+212A
    // into \w). \s and \S differ (JS's include \v and Unicode spaces): spelled out.
    if (c === "d" || c === "D" || c === "w" || c === "W")
      return { body: `\\${c}`, negated: false, single: false };
    const perl = PERL_CLASSES[c.toLowerCase()];
    if (perl) {
      const ranges = c === c.toLowerCase() ? perl : complement(perl, global.i);
      return { body: rangesText(ranges), negated: false, single: false };
    }
    if (c === "p" || c === "P") return { ...property(c === "P"), single: false };
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return one(simple);
    if (c === "x") {
      if (at() === "{") {
        const end = pattern.indexOf("}", pos);
        const digits = end < 0 ? "" : pattern.slice(pos + 1, end);
        if (!/^[0-9A-Fa-f]{1,6}$/.test(digits) || Number.parseInt(digits, 16) > MAX_CODE_POINT)
          throw invalid(pattern, "bad \\x{...} escape");
        pos = end + 1;
        return one(Number.parseInt(digits, 16));
      }
      const digits = pattern.slice(pos, pos + 2);
      if (!/^[0-9A-Fa-f]{2}$/.test(digits)) throw invalid(pattern, "\\x needs exactly two hex digits");
      pos += 2;
      return one(Number.parseInt(digits, 16));
    }
    if (/[0-7]/.test(c) && (c === "0" || /[0-7]/.test(at()))) {
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(at())) digits += pattern.charAt(pos++);
      return one(Number.parseInt(digits, 8));
    }
    if (/[1-9]/.test(c)) throw invalid(pattern, `backreference \\${c} is not supported by RE2`);
    if (c === "C") throw unsupported("the RE2 escape \\C (a single byte)");
    if (!inClass && (c === "A" || c === "z" || c === "b" || c === "B"))
      return { body: c, negated: false, single: false };
    const rejected = REJECTED_ESCAPES[c];
    if (rejected) throw invalid(pattern, `${rejected} is not supported by RE2`);
    const cp = c.codePointAt(0) ?? 0;
    if (cp < 0x80 && !/[A-Za-z0-9]/.test(c)) return one(cp);
    throw invalid(pattern, `unknown escape \\${c}`);
  };

  const characterClass = () => {
    // pos is just after '['
    let negated = false;
    if (at() === "^") {
      negated = true;
      pos++;
    }
    let body = "";
    let first = true;
    for (;;) {
      const c = at();
      if (!c) throw invalid(pattern, "missing ] at the end of a character class");
      if (c === "]" && !first) {
        pos++;
        break;
      }
      first = false;
      if (c === "[" && at(1) === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(pos));
        const ranges = m ? POSIX[m[2] ?? ""] : undefined;
        if (m && ranges) {
          body += rangesText(m[1] ? complement(ranges, global.i) : ranges);
          pos += m[0].length;
          continue;
        }
        if (m) throw invalid(pattern, `unknown class [:${m[2]}:]`);
      }
      if (c === "-" && body !== "" && at(1) !== "]") {
        body += "-";
        pos++;
        continue;
      }
      if (c === "\\") {
        pos++;
        if (at() === "Q") throw unsupported("the RE2 quoting \\Q...\\E inside a character class");
        const e = readEscape(true);
        if (e.negated) {
          if (e.body.includes("\\p{")) {
            if (e.body === RE2_C) throw unsupported("the RE2 class \\PC inside a character class");
            body += e.body.replace(/\\p\{/g, "\\P{");
          } else body += e.body;
        } else body += e.body;
        continue;
      }
      const cp = pattern.codePointAt(pos) ?? 0;
      pos += cp > 0xffff ? 2 : 1;
      body += literal(cp);
    }
    return `[${negated ? "^" : ""}${body}]`;
  };

  while (pos < pattern.length) {
    const c = at();
    switch (c) {
      case "\\": {
        pos++;
        if (at() === "Q") {
          const end = pattern.indexOf("\\E", pos + 1);
          const text = end < 0 ? pattern.slice(pos + 1) : pattern.slice(pos + 1, end);
          for (const ch of text) out += literal(ch.codePointAt(0) ?? 0);
          pos = end < 0 ? pattern.length : end + 2;
          break;
        }
        const e = readEscape(false);
        if (e.single) out += e.body;
        else if (e.body === "A") out += "(?<![\\s\\S])";
        else if (e.body === "z") out += "(?![\\s\\S])";
        else if (e.body === "b" || e.body === "B") out += `\\${e.body}`;
        else if (/^\\[dDwW]$/.test(e.body)) out += e.body;
        else if (e.body === RE2_C) out += `[${e.negated ? "^" : ""}${RE2_C}]`;
        else if (e.body.startsWith("\\p{")) out += e.negated ? e.body.replace("\\p{", "\\P{") : e.body;
        else out += `[${e.negated ? "^" : ""}${e.body}]`;
        break;
      }
      case "[":
        pos++;
        out += characterClass();
        break;
      case ".":
        pos++;
        out += flags.s ? "[\\s\\S]" : "[^\\n]";
        break;
      case "^":
        pos++;
        out += flags.m ? "(?<![^\\n])" : "^";
        break;
      case "$":
        pos++;
        out += flags.m ? "(?![^\\n])" : "$";
        break;
      case "(": {
        pos++;
        stack.push(flags);
        if (at() !== "?") {
          out += "(";
          break;
        }
        const rest = pattern.slice(pos);
        const named = /^\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
        if (named) {
          out += `(?<${named[1]}>`;
          pos += named[0].length;
          break;
        }
        if (rest.startsWith("?:")) {
          out += "(?:";
          pos += 2;
          break;
        }
        const set = /^\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
        if (set && (set[1] || set[2] !== undefined)) {
          const next = applyFlags(flags, set[1] ?? "", set[2] ?? "");
          if (next.i !== global.i)
            throw unsupported(
              `the RE2 flag group '(${rest.slice(0, set[0].length)}' changing case sensitivity inside the pattern`,
            );
          pos += set[0].length;
          if (set[3] === ")") {
            stack.pop();
            flags = next;
          } else {
            out += "(?:";
            flags = next;
          }
          break;
        }
        const construct = /^\?(<=|<!|=|!|>|#|\||P=|P>|&|R|\(|[0-9+-])?/.exec(rest)?.[0] ?? "?";
        throw invalid(pattern, `(${construct} is not supported by RE2`);
      }
      case ")": {
        pos++;
        const outer = stack.pop();
        if (!outer) throw invalid(pattern, "unexpected )");
        flags = outer;
        out += ")";
        break;
      }
      case "*":
      case "+":
      case "?":
        pos++;
        out += c + laziness();
        break;
      case "{": {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(pos));
        if (m) {
          if (Number(m[1]) > 1000 || Number(m[3] || 0) > 1000)
            throw invalid(pattern, `repetition ${m[0]} above 1000`);
          pos += m[0].length;
          out += m[0] + laziness();
        } else {
          pos++;
          out += "\\{";
        }
        break;
      }
      default: {
        const cp = pattern.codePointAt(pos) ?? 0;
        pos += cp > 0xffff ? 2 : 1;
        out += c === "|" ? "|" : literal(cp);
      }
    }
  }
  if (stack.length > 0) throw invalid(pattern, "missing )");
  return { source: out, flags: global.i ? "iu" : "u" };

  /** `?` after a quantifier makes it lazy; under (?U) the meanings swap. Consumes the `?`. */
  function laziness(): string {
    let lazy = false;
    if (at() === "?") {
      lazy = true;
      pos++;
    }
    if (at() === "+" || at() === "*") throw invalid(pattern, "bad repetition operator");
    return lazy !== flags.U ? "?" : "";
  }
}

function applyFlags(flags: Flags, on: string, off: string): Flags {
  const next = { ...flags };
  for (const f of on) next[f as keyof Flags] = true;
  for (const f of off) next[f as keyof Flags] = false;
  return next;
}

const cache = new Map<string, RegExp>();
const CACHE_SIZE = 256;

/** The JS RegExp equivalent to an RE2 pattern (cached). Throws KustoError (syntax/unsupported). */
export function re2ToRegExp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  const { source, flags } = translateRe2(pattern);
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (e) {
    throw invalid(pattern, e instanceof Error ? e.message : String(e));
  }
  cache.set(pattern, regex);
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return regex;
}
