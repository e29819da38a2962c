/**
 * The follow-up commands of a diagnosis (issue 14): `escalate <server> [--since 6h]` (the
 * incident text for the owner), `feedback fixed|not-fixed <rule> [server]` (did the mitigation
 * work) and `snooze <server> [--for 1d]` (leave a server out of this channel's digests).
 */
import { RULES_BY_ID } from "../diagnosis/rules/catalog.js";
import { durationSchema, InputError, parseField, serverNameSchema } from "./fields.js";

export interface EscalateCommand {
  readonly kind: "escalate";
  readonly server: string;
  /** Window length in ms; null = the default. */
  readonly sinceMs: number | null;
}
export const FEEDBACK_ANSWERS = ["fixed", "not_fixed"] as const;
export type FeedbackAnswer = (typeof FEEDBACK_ANSWERS)[number];
export interface FeedbackCommand {
  readonly kind: "feedback";
  readonly answer: FeedbackAnswer;
  readonly rule: string;
  readonly server: string | null;
}
export interface SnoozeCommand {
  readonly kind: "snooze";
  readonly server: string;
  readonly forMs: number;
}
export type FollowUpCommand = EscalateCommand | FeedbackCommand | SnoozeCommand;

export const FOLLOW_UP_EXAMPLES = {
  escalate: "attest escalate sgxtestmaa500 --since 6h",
  feedback: "attest feedback fixed rbac-attestation-reader-missing sgxtestuksouthsrv",
  snooze: "attest snooze sgxtestuksouthsrv --for 1d",
} as const;

export const DEFAULT_SNOOZE_MS = 86_400_000;

/** Splits `--name value` / `--name=value` options from positional words. */
function split(
  words: readonly string[],
  allowed: readonly string[],
): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    const option = /^--?([a-z-]+)(?:=(.*))?$/i.exec(w);
    if (!option || /^-\d/.test(w)) {
      positional.push(w);
      continue;
    }
    const name = (option[1] ?? "").toLowerCase();
    if (!allowed.includes(name))
      throw new InputError(
        `--${name}`,
        w,
        allowed.length > 0 ? allowed.map((a) => `--${a}`).join(" or ") : "no options",
      );
    const value = option[2] ?? words[++i];
    if (value === undefined) throw new InputError(`--${name}`, "", "a value after it");
    options.set(name, value);
  }
  return { positional, options };
}

function oneServer(positional: readonly string[], verb: string): string {
  const [serverText, ...extra] = positional;
  if (serverText === undefined) throw new InputError("server", "", `a server name after ${verb}`);
  if (extra.length > 0) throw new InputError("server", positional.join(" "), "one server name");
  return parseField(serverNameSchema, "server", serverText);
}

export function parseEscalate(words: readonly string[]): EscalateCommand {
  const { positional, options } = split(words, ["since"]);
  const since = options.get("since");
  return {
    kind: "escalate",
    server: oneServer(positional, "escalate"),
    sinceMs: since === undefined ? null : parseField(durationSchema, "--since", since),
  };
}

export function parseSnooze(words: readonly string[]): SnoozeCommand {
  const { positional, options } = split(words, ["for"]);
  const forText = options.get("for");
  return {
    kind: "snooze",
    server: oneServer(positional, "snooze"),
    forMs: forText === undefined ? DEFAULT_SNOOZE_MS : parseField(durationSchema, "--for", forText),
  };
}

export function parseFeedback(words: readonly string[]): FeedbackCommand {
  const { positional } = split(words, []);
  const [answerText, ruleText, serverText, ...extra] = positional;
  const answer = answerText?.toLowerCase().replace(/-/g, "_");
  if (answer !== "fixed" && answer !== "not_fixed")
    throw new InputError("answer", answerText ?? "", "fixed or not-fixed");
  if (ruleText === undefined) throw new InputError("rule", "", "the rule id the finding names");
  const rule = ruleText.toLowerCase();
  if (!RULES_BY_ID.has(rule))
    throw new InputError("rule", ruleText, "a rule id as a finding names it (e.g. maa-internal-error)");
  if (extra.length > 0) throw new InputError("server", positional.slice(2).join(" "), "one server name");
  return {
    kind: "feedback",
    answer,
    rule,
    server: serverText === undefined ? null : parseField(serverNameSchema, "server", serverText),
  };
}
