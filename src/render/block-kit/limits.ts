/**
 * Slack's Block Kit limits, enforced rather than hoped for: text is cut with a note of how much
 * was left out, whole items (findings, rows) are dropped with a count, and `messageProblems`
 * lists anything Slack would reject (tests and golden files run it on every message).
 * https://docs.slack.dev/reference/block-kit/blocks
 */
import type { Block, SlackMessage, TextObject } from "./blocks.js";
import { context } from "./blocks.js";
import { escapeMrkdwn } from "./mrkdwn.js";

export const LIMITS = {
  /** Blocks per message. */
  blocks: 50,
  /** Text of a section, or of a context element. */
  text: 3000,
  /** Header text (plain_text). */
  header: 150,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  /** Elements per actions block: Slack allows 25; we keep to 10 so a row stays readable. */
  actions: 10,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  /** Top-level fallback `text` (Slack truncates at 40,000; a notification needs far less). */
  fallback: 3000,
} as const;

const noteFor = (n: number) => `… (${n} more characters not shown)`;

/** Cuts at `at` without splitting a surrogate pair or an `&amp;`-style entity. */
function safeCut(text: string, at: number): string {
  let kept = text.slice(0, Math.max(0, at));
  const last = kept.charCodeAt(kept.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept = kept.slice(0, -1);
  return kept.replace(/&[a-z]{0,4}$/, "");
}

/** `text` if it fits in `max` characters, else its start and a note of how many characters were cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = safeCut(text, max - noteFor(text.length).length);
  return `${kept}${noteFor(text.length - kept.length)}`;
}

/** A fenced code block of `code` (escaped) in at most `max` characters; the note goes after the fence. */
export function fencedCode(code: string, max: number): string {
  const body = escapeMrkdwn(code.replace(/```/g, "`\u200b``"));
  const whole = `\`\`\`${body}\`\`\``;
  if (whole.length <= max) return whole;
  const note = (n: number) => `\n_${noteFor(n)}_`;
  const kept = safeCut(body, max - 6 - note(body.length).length);
  return `\`\`\`${kept}\`\`\`${note(body.length - kept.length)}`;
}

/**
 * Joins `parts` with `separator` into at most `max` characters: whole parts while they fit, then a
 * note of how many were left out (`noun` is plural, e.g. "rows"). A first part that alone is too
 * long is truncated.
 */
export function joinWithin(parts: readonly string[], max: number, noun: string, separator = "\n"): string {
  const full = parts.join(separator);
  if (full.length <= max) return full;
  const note = (n: number) => `_… ${n} more ${noun} not shown_`;
  const reserve = separator.length + note(parts.length).length;
  const out: string[] = [];
  let length = 0;
  for (const part of parts) {
    const add = (out.length > 0 ? separator.length : 0) + part.length;
    if (length + add + reserve > max) break;
    out.push(part);
    length += add;
  }
  if (out.length === 0) out.push(truncate(parts[0] ?? "", max - reserve));
  const left = parts.length - out.length;
  if (left > 0) out.push(note(left));
  return out.join(separator);
}

/**
 * Head blocks, then as many whole groups (e.g. one finding each) as fit in `max` blocks with the
 * tail, then the tail. Dropped groups are counted in a context line ("… 3 more findings …").
 */
export function fitGroups(
  head: readonly Block[],
  groups: readonly (readonly Block[])[],
  tail: readonly Block[],
  noun: string,
  hint: string,
  max: number = LIMITS.blocks,
): Block[] {
  const out = [...head];
  const room = max - head.length - tail.length;
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (total <= room) return [...out, ...groups.flat(), ...tail];
  let used = 0;
  let shown = 0;
  for (const g of groups) {
    if (used + g.length > room - 1) break;
    out.push(...g);
    used += g.length;
    shown++;
  }
  out.push(context(`_… ${groups.length - shown} more ${noun} not shown. ${hint}_`));
  return [...out, ...tail];
}

function textProblems(where: string, t: TextObject | undefined, max: number): string[] {
  if (!t) return [];
  const problems: string[] = [];
  if (t.text.length === 0) problems.push(`${where}: empty text`);
  if (t.text.length > max) problems.push(`${where}: ${t.text.length} characters > ${max}`);
  if (t.type === "mrkdwn" && (t.text.match(/```/g) ?? []).length % 2 !== 0)
    problems.push(`${where}: unbalanced code fence`);
  return problems;
}

/** Everything in `message` that Slack would reject or that breaks our own rules; [] when it fits. */
export function messageProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  if (message.text.length === 0) problems.push("text: empty fallback text");
  if (message.text.length > LIMITS.fallback)
    problems.push(`text: ${message.text.length} characters > ${LIMITS.fallback}`);
  if (message.blocks.length > LIMITS.blocks)
    problems.push(`blocks: ${message.blocks.length} > ${LIMITS.blocks}`);
  const actionIds = new Set<string>();
  message.blocks.forEach((b, i) => {
    const at = `blocks[${i}] (${b.type})`;
    switch (b.type) {
      case "header":
        problems.push(...textProblems(at, b.text, LIMITS.header));
        if (b.text.type !== "plain_text") problems.push(`${at}: header text must be plain_text`);
        break;
      case "section":
        if (!b.text && !b.fields) problems.push(`${at}: neither text nor fields`);
        problems.push(...textProblems(at, b.text, LIMITS.text));
        if ((b.fields?.length ?? 0) > LIMITS.fields)
          problems.push(`${at}: more than ${LIMITS.fields} fields`);
        for (const f of b.fields ?? []) problems.push(...textProblems(`${at} field`, f, LIMITS.fieldText));
        break;
      case "context":
        if (b.elements.length === 0 || b.elements.length > LIMITS.contextElements)
          problems.push(`${at}: ${b.elements.length} elements, expected 1-${LIMITS.contextElements}`);
        for (const e of b.elements) problems.push(...textProblems(`${at} element`, e, LIMITS.text));
        break;
      case "actions":
        if (b.elements.length === 0 || b.elements.length > LIMITS.actions)
          problems.push(`${at}: ${b.elements.length} elements, expected 1-${LIMITS.actions}`);
        for (const e of b.elements) {
          problems.push(...textProblems(`${at} button`, e.text, LIMITS.buttonText));
          if (e.action_id.length > LIMITS.actionId) problems.push(`${at}: action_id too long`);
          if (actionIds.has(e.action_id)) problems.push(`${at}: duplicate action_id ${e.action_id}`);
          actionIds.add(e.action_id);
          if ((e.value?.length ?? 0) > LIMITS.buttonValue) problems.push(`${at}: button value too long`);
          if ((e.url?.length ?? 0) > LIMITS.buttonUrl) problems.push(`${at}: button url too long`);
        }
        break;
      case "divider":
        break;
    }
  });
  return problems;
}
