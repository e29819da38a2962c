/**
 * Tokens of the MAA claim rule grammar (policy text format). Never throws: a character that
 * cannot start a token becomes an `invalid` token carrying the reason, and the parser reports it.
 */

export type TokenKind = "ident" | "string" | "number" | "punct" | "eof" | "invalid";

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token ('<EOF>' at the end). */
  readonly text: string;
  /** String literal content (escapes resolved) for `string`; the reason for `invalid`. */
  readonly value: string;
  /** 1-based line and column of the first character. */
  readonly line: number;
  readonly column: number;
}

/** Longest first, so `==` wins over `=`. */
const PUNCTUATION = [
  "==",
  "!=",
  "<=",
  ">=",
  "=>",
  "&&",
  "<",
  ">",
  "=",
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  ";",
  ",",
  ":",
  ".",
] as const;

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";

/** Splits policy text into tokens; the last token is always `eof`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (offset: number) => text.charAt(offset);
  const push = (kind: TokenKind, start: number, startLine: number, startCol: number, value = "") =>
    tokens.push({ kind, text: text.slice(start, i), value, line: startLine, column: startCol });
  const newline = (offset: number) => {
    line += 1;
    lineStart = offset + 1;
  };

  while (i < text.length) {
    const c = at(i);
    if (c === "\n") {
      newline(i);
      i += 1;
      continue;
    }
    // U+FEFF: a byte order mark pasted from an editor is whitespace here.
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v" || c === "\uFEFF") {
      i += 1;
      continue;
    }
    const startLine = line;
    const startCol = i - lineStart + 1;
    const start = i;
    if (c === "/" && at(i + 1) === "/") {
      while (i < text.length && at(i) !== "\n") i += 1;
      continue;
    }
    if (c === "/" && at(i + 1) === "*") {
      i += 2;
      let closed = false;
      while (i < text.length) {
        if (at(i) === "*" && at(i + 1) === "/") {
          i += 2;
          closed = true;
          break;
        }
        if (at(i) === "\n") newline(i);
        i += 1;
      }
      if (!closed) push("invalid", start, startLine, startCol, "unterminated comment: '/*' without '*/'");
      continue;
    }
    if (c === '"') {
      i += 1;
      let value = "";
      let closed = false;
      while (i < text.length) {
        const d = at(i);
        if (d === '"') {
          i += 1;
          closed = true;
          break;
        }
        if (d === "\n") break;
        if (d === "\\" && i + 1 < text.length && at(i + 1) !== "\n") {
          value += at(i + 1);
          i += 2;
          continue;
        }
        value += d;
        i += 1;
      }
      if (closed) push("string", start, startLine, startCol, value);
      else push("invalid", start, startLine, startCol, "unterminated string: a '\"' is missing");
      continue;
    }
    if (isDigit(c) || (c === "-" && isDigit(at(i + 1)))) {
      i += 1;
      while (isDigit(at(i))) i += 1;
      if (at(i) === "." && isDigit(at(i + 1))) {
        i += 1;
        while (isDigit(at(i))) i += 1;
      }
      push("number", start, startLine, startCol);
      continue;
    }
    if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(at(i))) i += 1;
      push("ident", start, startLine, startCol);
      continue;
    }
    const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
    if (punct) {
      i += punct.length;
      push("punct", start, startLine, startCol);
      continue;
    }
    // One code point, so a pasted emoji is reported whole.
    const cp = text.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
    const bad = text.slice(start, i);
    const hint = /[\u201c\u201d\u2018\u2019\u00ab\u00bb]/.test(bad)
      ? ' (a typographic quote: policy strings use straight double quotes ", which chat apps and word processors often replace)'
      : "";
    push("invalid", start, startLine, startCol, `token recognition error at: '${bad}'${hint}`);
  }
  tokens.push({ kind: "eof", text: "<EOF>", value: "", line, column: i - lineStart + 1 });
  return tokens;
}
