/**
 * Chat text to a command, for Teams and Slack alike (the adapter strips the @mention or the
 * `/attest` slash). `attest check <server> [database] [--url URL] [--since 6h]`, `attest explain
 * <text>`, `attest help`; the leading `attest` is optional. Case-insensitive keywords.
 */
import {
  attestationUrlInputSchema,
  databaseNameSchema,
  durationSchema,
  InputError,
  parseField,
  serverNameSchema,
} from "./fields.js";
import {
  FOLLOW_UP_EXAMPLES,
  type FollowUpCommand,
  parseEscalate,
  parseFeedback,
  parseSnooze,
} from "./parse-followups.js";
import { tokenize } from "./tokenize.js";

export interface CheckCommand {
  readonly kind: "check";
  readonly server: string;
  readonly database: string | null;
  readonly url: string | null;
  /** Window length in ms; null = the default. */
  readonly sinceMs: number | null;
}
export interface ExplainCommand {
  readonly kind: "explain";
  readonly text: string;
}
export interface PolicyCommand {
  readonly kind: "policy";
  readonly text: string;
}
export interface HelpCommand {
  readonly kind: "help";
}
export type Command = CheckCommand | ExplainCommand | PolicyCommand | HelpCommand | FollowUpCommand;

export interface CommandError {
  /** What was wrong, e.g. `server: got "a_b"; expected ...`. */
  readonly message: string;
  /** A correct example for the command the user tried. */
  readonly example: string;
}

export type ParseResult =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly error: CommandError };

export const EXAMPLES = {
  check: "attest check sgxtestuksouthsrv --since 6h",
  explain: "attest explain Msg 37324, Level 16, State 57 ... Return code: '0x00000193' ...",
  policy: "attest policy version= 1.0; authorizationrules { ... };",
  help: "attest help",
  ...FOLLOW_UP_EXAMPLES,
} as const;

const fail = (message: string, example: string): ParseResult => ({ ok: false, error: { message, example } });

function parseCheck(words: readonly string[]): ParseResult {
  const positional: string[] = [];
  let url: string | null = null;
  let since: number | null = null;
  let database: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    const option = /^--?([a-z-]+)(?:=(.*))?$/i.exec(w);
    if (option && !/^-\d/.test(w)) {
      const name = (option[1] ?? "").toLowerCase();
      const value = option[2] ?? words[++i];
      if (!["url", "since", "database", "db"].includes(name))
        return fail(`unknown option --${name}; expected --url, --since or --database`, EXAMPLES.check);
      if (value === undefined) return fail(`--${name} needs a value`, EXAMPLES.check);
      if (name === "url") url = parseField(attestationUrlInputSchema, "--url", value);
      else if (name === "since") since = parseField(durationSchema, "--since", value);
      else database = parseField(databaseNameSchema, "database", value);
    } else positional.push(w);
  }
  const [serverText, databaseText, ...extra] = positional;
  if (serverText === undefined) return fail("check needs a server name", EXAMPLES.check);
  const server = parseField(serverNameSchema, "server", serverText);
  if (extra.length > 0)
    return fail(`unexpected words after the database name: ${extra.join(" ")}`, EXAMPLES.check);
  if (databaseText !== undefined) {
    if (database !== null)
      return fail("the database is given twice (positional and --database)", EXAMPLES.check);
    database = parseField(databaseNameSchema, "database", databaseText);
  }
  return { ok: true, command: { kind: "check", server, database, url, sinceMs: since } };
}

/** Parses one chat message. Never throws. */
export function parseCommand(text: string): ParseResult {
  const trimmed = text.trim();
  // Keep the raw remainder for commands that take free text (explain, policy): line breaks matter.
  const head = /^(?:\/?attest\s+)?(\S+)([\s\S]*)$/i.exec(trimmed);
  if (!head?.[1]) return { ok: true, command: { kind: "help" } };
  const verb = head[1].toLowerCase();
  const rest = head[2] ?? "";
  try {
    switch (verb) {
      case "help":
      case "?":
        return { ok: true, command: { kind: "help" } };
      case "attest":
        return { ok: true, command: { kind: "help" } };
      case "check":
        return parseCheck(tokenize(rest));
      case "explain":
        if (rest.trim() === "")
          return fail("explain needs the error text, pasted after the word explain", EXAMPLES.explain);
        return { ok: true, command: { kind: "explain", text: rest.trim() } };
      case "policy":
        if (rest.trim() === "")
          return fail("policy needs the policy text, pasted after the word policy", EXAMPLES.policy);
        return { ok: true, command: { kind: "policy", text: rest.trim() } };
      case "escalate":
        return { ok: true, command: parseEscalate(tokenize(rest)) };
      case "feedback":
        return { ok: true, command: parseFeedback(tokenize(rest)) };
      case "snooze":
        return { ok: true, command: parseSnooze(tokenize(rest)) };
      default:
        return fail(
          `unknown command "${head[1]}"; expected check, explain, policy, digest, escalate, feedback, snooze or help`,
          EXAMPLES.check,
        );
    }
  } catch (error) {
    if (error instanceof InputError)
      return fail(error.message, EXAMPLES[verb as keyof typeof EXAMPLES] ?? EXAMPLES.check);
    throw error;
  }
}
