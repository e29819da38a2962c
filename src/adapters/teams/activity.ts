/** Reading a Teams activity: who sent it, and the command text (typed, or from a card button). */
import { type Activity, TurnContext } from "botbuilder";
import type { ChatActor } from "../../app/chat/handle-command.js";
import { POLICY_INPUT_ID, RUN_VERB } from "../../render/adaptive-card/actions.js";

/** The verb of the cards' Action.Execute buttons; the data carries the command text. */
export { RUN_VERB };

export function actorOf(activity: Partial<Activity>): ChatActor {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return {
    platform: "teams",
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? "",
    tenantId: activity.conversation?.tenantId ?? channelData?.tenant?.id ?? "",
    conversationId: activity.conversation?.id ?? "",
  };
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** HTML tags Teams puts in message text (rich paste, code blocks); anything else is left as typed. */
const BLOCK_TAG =
  /<\/?(?:p|div|pre|codeblock|blockquote|li|ul|ol|h[1-6]|tr|table)(?:\s[^<>]*)?>|<br\s*\/?>/gi;
const INLINE_TAG = /<\/?(?:span|code|strong|b|em|i|u|s|font|a|img|at|emoji)(?:\s[^<>]*)?\/?>/gi;

function decodeEntity(match: string, name: string): string {
  if (name.startsWith("#")) {
    const code =
      name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  }
  return ENTITIES[name.toLowerCase()] ?? match;
}

/**
 * Message text as plain text: Teams may send HTML (`<p>`, `<br>`, `<pre>`, `&quot;`) for pasted or
 * formatted text. Block tags become line breaks, inline tags are dropped, entities decoded (after
 * the tags, so an escaped `&lt;p&gt;` stays literal text), non-breaking spaces become spaces.
 */
export function plainText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(BLOCK_TAG, "\n")
    .replace(INLINE_TAG, "")
    .replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});/g, decodeEntity)
    .replace(/\u00a0/g, " ")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n");
}

/** Message text with the bot's @mention (and any other <at> tag) removed, as plain text. */
export function typedText(activity: Partial<Activity>): string {
  const withoutBot = activity.entities ? TurnContext.removeRecipientMention(activity) : (activity.text ?? "");
  return plainText((withoutBot ?? "").replace(/<at>[^<]*<\/at>/gi, " ")).trim();
}

/**
 * The command a card button carries: Action.Submit puts its data in `value`, Action.Execute in
 * `value.action.data`. `{attestCommand}` (Re-run, Check another policy), plus the pasted policy of
 * the policy input card; `{attest: {command: "check", server}}` from the digest card's Run-check
 * buttons. The result is command text: it goes through the same parsing and validation as typed
 * text (a server with spaces or options stays one quoted word, which the server-name check refuses).
 */
export function buttonCommand(value: unknown): string | null {
  if (!value || typeof value !== "object") return null;
  const v = value as { action?: { data?: unknown } };
  const data = (v.action ? v.action.data : value) as
    | { attestCommand?: unknown; attest?: { command?: unknown; server?: unknown }; [k: string]: unknown }
    | undefined;
  if (!data || typeof data !== "object") return null;
  const command = data.attestCommand;
  if (typeof command === "string") {
    const pasted = data[POLICY_INPUT_ID];
    if (/^\s*(?:attest\s+)?policy\s*$/i.test(command) && typeof pasted === "string")
      return `${command.trim()}\n${pasted}`;
    return command;
  }
  const attest = data.attest;
  if (attest && typeof attest === "object" && attest.command === "check" && typeof attest.server === "string")
    return `check ${JSON.stringify(attest.server.replace(/"/g, ""))}`;
  return null;
}
