/**
 * `attest digest ...` subcommands, for chat and the CLI: subscribe, list, unsubscribe, preview.
 * `rest` is the text after the word `digest`. Never throws.
 */
import { InputError, parseField, serverNameSchema } from "../command/fields.js";
import { tokenize } from "../command/tokenize.js";

export const DEFAULT_CRON = "0 9 * * 1-5";
export const DEFAULT_TIME_ZONE = "UTC";
export const MAX_SUBSCRIBED_SERVERS = 200;
/** `--min-failures`: servers with fewer failures in the window are left out. */
export const MAX_MIN_FAILURES = 999_999;

export interface SubscribeCommand {
  readonly kind: "subscribe";
  /** Empty = the whole fleet (`--all` or no `--servers`). */
  readonly servers: readonly string[];
  readonly cron: string;
  readonly timeZone: string;
  readonly minFailures: number;
  readonly quietWhenClear: boolean;
}
export type DigestCommand =
  | SubscribeCommand
  | { readonly kind: "list" }
  | { readonly kind: "unsubscribe"; readonly id: string }
  | { readonly kind: "preview" };

export type DigestParseResult =
  | { readonly ok: true; readonly command: DigestCommand }
  | { readonly ok: false; readonly error: { readonly message: string; readonly example: string } };

export const DIGEST_EXAMPLES = {
  subscribe: 'attest digest subscribe --servers srv-a,srv-b --cron "0 9 * * 1-5" --tz Europe/London',
  list: "attest digest list",
  unsubscribe: "attest digest unsubscribe d-3f9a1c",
  preview: "attest digest preview",
} as const;

const fail = (message: string, example: string): DigestParseResult => ({
  ok: false,
  error: { message, example },
});

const CRON_FIELD = /^[0-9*,/\-A-Za-z?LW#]+$/;

/** Five fields (minute hour day month weekday), each of digits, names and `* , - /`. */
export function isCronShape(pattern: string): boolean {
  const fields = pattern.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => CRON_FIELD.test(f));
}

/** An IANA time zone the runtime knows, e.g. Europe/London. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function parseSubscribe(words: readonly string[]): DigestParseResult {
  const ex = DIGEST_EXAMPLES.subscribe;
  let servers: string[] | null = null;
  let all = false;
  let cron = DEFAULT_CRON;
  let timeZone = DEFAULT_TIME_ZONE;
  let minFailures = 1;
  let quietWhenClear = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    const m = /^--([a-z-]+)(?:=(.*))?$/i.exec(w);
    if (!m) return fail(`unexpected word "${w}"; options start with --`, ex);
    const name = (m[1] ?? "").toLowerCase();
    if (name === "all") {
      all = true;
      continue;
    }
    if (name === "quiet-when-clear") {
      quietWhenClear = true;
      continue;
    }
    if (!["servers", "cron", "tz", "min-failures"].includes(name))
      return fail(
        `unknown option --${name}; expected --servers, --all, --cron, --tz, --min-failures or --quiet-when-clear`,
        ex,
      );
    const value = m[2] ?? words[++i];
    if (value === undefined) return fail(`--${name} needs a value`, ex);
    if (name === "servers") {
      const names = value.split(",").filter((s) => s.trim() !== "");
      if (names.length === 0) return fail("--servers needs at least one server name", ex);
      if (names.length > MAX_SUBSCRIBED_SERVERS)
        return fail(`--servers lists ${names.length} servers; at most ${MAX_SUBSCRIBED_SERVERS}`, ex);
      servers = [...new Set(names.map((s) => parseField(serverNameSchema, "--servers", s)))];
    } else if (name === "cron") {
      if (!isCronShape(value))
        throw new InputError("--cron", value, 'a five-field cron pattern like "0 9 * * 1-5"');
      cron = value.trim().replace(/\s+/g, " ");
    } else if (name === "tz") {
      if (!isTimeZone(value)) throw new InputError("--tz", value, "an IANA time zone like Europe/London");
      timeZone = value;
    } else {
      if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > MAX_MIN_FAILURES)
        throw new InputError("--min-failures", value, `a whole number from 1 to ${MAX_MIN_FAILURES}`);
      minFailures = Number(value);
    }
  }
  if (all && servers !== null) return fail("give either --servers or --all, not both", ex);
  return {
    ok: true,
    command: { kind: "subscribe", servers: servers ?? [], cron, timeZone, minFailures, quietWhenClear },
  };
}

export function parseDigestCommand(rest: string): DigestParseResult {
  const words = tokenize(rest);
  const verb = (words[0] ?? "").toLowerCase();
  const args = words.slice(1);
  try {
    switch (verb) {
      case "subscribe":
        return parseSubscribe(args);
      case "list":
      case "preview":
        if (args.length > 0) return fail(`digest ${verb} takes no arguments`, DIGEST_EXAMPLES[verb]);
        return { ok: true, command: { kind: verb } };
      case "unsubscribe": {
        const id = args[0];
        if (id === undefined || args.length > 1 || !/^[a-z0-9-]{1,40}$/i.test(id))
          return fail(
            "digest unsubscribe needs one subscription id (see digest list)",
            DIGEST_EXAMPLES.unsubscribe,
          );
        return { ok: true, command: { kind: "unsubscribe", id: id.toLowerCase() } };
      }
      default:
        return fail(
          verb === ""
            ? "digest needs a subcommand: subscribe, list, unsubscribe or preview"
            : `unknown digest subcommand "${words[0]}"; expected subscribe, list, unsubscribe or preview`,
          DIGEST_EXAMPLES.subscribe,
        );
    }
  } catch (error) {
    if (error instanceof InputError)
      return fail(
        error.message,
        DIGEST_EXAMPLES[verb as keyof typeof DIGEST_EXAMPLES] ?? DIGEST_EXAMPLES.subscribe,
      );
    throw error;
  }
}
