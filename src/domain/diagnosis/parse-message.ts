/**
 * Parses one error text — an errorlog line from MonSQLSystemHealth, what SSMS or an application
 * printed, or an MAA / PowerShell error — into the parts the rules read. Tolerant of line wraps
 * (even inside words), extra whitespace, casing, `Msg 37324, Level 16, State 57, ...` framing and
 * the errorlog prefix (`2021-01-04 23:23:46.94 spid90 Error: 37324, Severity: 16, State: 57.`).
 * Pure.
 */

/** MAA error codes ("code" in the MAA error response), as they appear in messages. */
export const MAA_ERROR_CODES = [
  "PolicyEvaluationError",
  "PolicyParsingError",
  "InternalServerError",
  "InvalidParameter",
  "InvalidOperation",
  "Unauthorized",
  "Forbidden",
  "NotFound",
  "BadRequest",
  "TooManyRequests",
] as const;

export interface ParsedMessage {
  /** The text as given. */
  readonly raw: string;
  /** Whitespace runs (line wraps included) collapsed to one space, trimmed. */
  readonly text: string;
  /** Lowercase with all whitespace removed: phrase tests survive a wrap anywhere. */
  readonly compact: string;
  /**
   * SQL error number: the one given in the context (a telemetry row's error_id), else from
   * `Msg N, Level` or `Error: N, Severity` in the text; null when neither.
   */
  readonly errorId: number | null;
  readonly severity: number | null;
  readonly state: number | null;
  /** Errorlog time prefix (`2021-01-04 23:23:46.94`) as an ISO string; null when absent. */
  readonly loggedAt: string | null;
  /** Return code or status, normalised to `0x` + 8 lowercase hex digits (e.g. `0x00000193`). */
  readonly code: string | null;
  /** The HTTP status the code encodes (0x193 → 403) when it is one (100..599). */
  readonly httpStatus: number | null;
  /** The MAA error code word (`Forbidden`, `PolicyEvaluationError`, ...) in its canonical casing. */
  readonly maaCode: string | null;
  /** Attestation URLs quoted in the text, exactly as quoted (placeholders such as `%3` left out). */
  readonly urls: readonly string[];
  /** True when the message was logged with `[Filtered Args]` / `%1`..`%4` placeholders. */
  readonly filtered: boolean;
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

/** True when `phrase` occurs in the message, ignoring case, whitespace and line wraps. */
export function mentions(m: ParsedMessage, phrase: string): boolean {
  return m.compact.includes(phrase.replace(/\s+/g, "").toLowerCase());
}

function firstInt(re: RegExp, s: string): number | null {
  const v = re.exec(s)?.[1];
  return v === undefined ? null : Number(v);
}

function parseCode(compact: string, text: string): string | null {
  // The compact form survives a wrap inside the code; the spaced form one after it, where the
  // next pasted line would otherwise be glued to the code (`0x00002ee7 2021-01-05 ...`).
  // A code ends at a non-code character, or at the errorlog time / header of a message pasted
  // right after it (a wrap glues them in the compact form).
  const end = String.raw`(?![0-9a-z%])|(?=\d{4}-\d\d-\d\d\d\d:|msg\d|error:\d)`;
  const lower = text.toLowerCase();
  const m =
    new RegExp(`returncode:['"]?0x([0-9a-f]{1,8})(?:${end})`).exec(compact) ??
    new RegExp(`status(?:code)?:['"]?0x([0-9a-f]{1,8})(?:${end})`).exec(compact) ??
    /return\s?code:\s?['"]?0x([0-9a-f]{1,8})(?![0-9a-z%])/.exec(lower) ??
    /status(?:\s?code)?:\s?['"]?0x([0-9a-f]{1,8})(?![0-9a-z%])/.exec(lower);
  return m?.[1] ? `0x${m[1].padStart(8, "0")}` : null;
}

const canonical = (word: string) => MAA_ERROR_CODES.find((c) => c.toLowerCase() === word.toLowerCase());

/**
 * The MAA error code the text states as one (`Error code: 'Forbidden'`, PowerShell `Code: X`),
 * in canonical casing; null when none is stated (a code word merely mentioned does not count).
 */
export function statedMaaCode(text: string, compact = text.replace(/\s+/g, "").toLowerCase()): string | null {
  const quoted = /error\s*code:?\s*['"]?([a-z]+)['"]?/i.exec(text)?.[1];
  const fromQuoted = quoted ? canonical(quoted) : undefined;
  if (fromQuoted) return fromQuoted;
  // Wrapped inside the word (`'InternalServer\nError'`): the quoted word on the compact text.
  const wrapped = /errorcode:?['"]([a-z]+)['"]/.exec(compact)?.[1];
  const fromWrapped = wrapped ? canonical(wrapped) : undefined;
  if (fromWrapped) return fromWrapped;
  const ps = /\bcode:\s*([a-z]+)\b/i.exec(text)?.[1];
  return (ps ? canonical(ps) : undefined) ?? null;
}

function parseMaaCode(text: string, compact: string): string | null {
  const stated = statedMaaCode(text, compact);
  if (stated) return stated;
  // A bare code word anywhere (wraps tolerated): the earliest one wins.
  let best: { code: string; at: number } | null = null;
  for (const c of MAA_ERROR_CODES) {
    const at = compact.indexOf(c.toLowerCase());
    if (at >= 0 && (best === null || at < best.at)) best = { code: c, at };
  }
  return best?.code ?? null;
}

const PLACEHOLDER = /^%\d$/;

/** Strips one pair of enclosing quotes and the `<...>` a Markdown autolink adds. */
function unquote(s: string): string {
  let v = s;
  const pair = /^(['"])([\s\S]*)\1$/.exec(v);
  if (pair?.[2] !== undefined) v = pair[2];
  const angle = /^\s*<([\s\S]*)>\s*$/.exec(v);
  if (angle?.[1] !== undefined) v = angle[1];
  return v;
}

const CLOSER: Readonly<Record<string, string>> = { "'": "'", '"': '"', "<": ">" };

/**
 * The URL inside an `Attestation URL:` value. SQL prints it quoted (`'%3'`), so a quoted value
 * ends at the first matching closing quote that is followed by punctuation or the end — the
 * sentence may go on (`'...'. Verify the attestation policy`) or stop right after it (`'...'.`).
 * Without such a closing quote the value is returned whole, stray characters and all, for the
 * URL check to report.
 */
function urlInValue(value: string): string {
  const open = value[0];
  const close = open === undefined ? undefined : CLOSER[open];
  if (close !== undefined) {
    for (let i = value.indexOf(close, 1); i > 0; i = value.indexOf(close, i + 1)) {
      if (/^\s*(?:[.,;]|$)/.test(value.slice(i + 1))) return unquote(value.slice(0, i + 1));
    }
  }
  return unquote(value);
}

function parseUrls(raw: string): string[] {
  // Line breaks are the terminal's or the mail client's, not the customer's: join the lines
  // (a wrap inside the URL or inside "Return code" must not cut it). Other whitespace is kept,
  // so a stray space typed in the URL is still seen by the URL check.
  const joined = raw.replace(/[ \t]*\r?\n[ \t]*/g, "");
  const out: string[] = [];
  const re = /attestation\s*url\s*:\s*([\s\S]*?)\s*(?:\.\s*return\s*code\b|$)/gi;
  for (const m of joined.matchAll(re)) {
    const url = urlInValue((m[1] ?? "").trim());
    if (url !== "" && !PLACEHOLDER.test(url.trim())) out.push(url);
  }
  if (out.length === 0) {
    // A bare attestation URL pasted on its own (e.g. `attest explain` with just the URL), also
    // when the slashes after the scheme are wrong (`https:/`, `https:\\`, `https:host`).
    for (const m of raw.matchAll(/\b(?:https?|ftp):[/\\]*[^\s'"<>]*attest[^\s'"<>]*/gi)) out.push(m[0]);
  }
  return [...new Set(out)];
}

function parseLoggedAt(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?\s/.exec(text);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ""}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** What is known about a message besides its text. */
export interface MessageContext {
  /**
   * The error number given alongside the text (a telemetry row's `error_id` column). It is
   * authoritative: it wins over a number printed in the text, and stands in when none is printed.
   * Null, 0 or anything not a positive integer (an empty Kusto cell) counts as not given.
   */
  readonly errorId?: number | null;
}

/** The given error id when it is one (a positive integer), else null. */
export function knownErrorId(errorId: number | null | undefined): number | null {
  return typeof errorId === "number" && Number.isInteger(errorId) && errorId > 0 ? errorId : null;
}

export function parseMessage(raw: string, context: MessageContext = {}): ParsedMessage {
  const text = collapse(raw);
  const compact = raw.replace(/\s+/g, "").toLowerCase();
  const code = parseCode(compact, text);
  const codeValue = code === null ? null : Number.parseInt(code.slice(2), 16);
  return {
    raw,
    text,
    compact,
    // On the compact form, so that a wrap inside "Msg 37324" or "Error: 37324" does not lose it.
    errorId:
      knownErrorId(context.errorId) ??
      firstInt(/(?:^|[^a-z])msg(\d{3,6}),level/, compact) ??
      firstInt(/(?:^|[^a-z])error:(\d{3,6}),severity/, compact),
    severity: firstInt(/\b(?:level|severity)\s*:?\s*(\d{1,2})\b/i, text),
    state: firstInt(/\bstate\s*:?\s*(\d{1,3})\b/i, text),
    loggedAt: parseLoggedAt(text),
    code,
    httpStatus: codeValue !== null && codeValue >= 100 && codeValue <= 599 ? codeValue : null,
    maaCode: parseMaaCode(text, compact),
    urls: parseUrls(raw),
    filtered: compact.includes("[filteredargs]") || /'%[1-4]'|0x%4/.test(compact),
  };
}
