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
  /**
   * Characters of text in all blocks of one message together (`blockTextLength`). Undocumented:
   * chat.postMessage and chat.postEphemeral answer `msg_blocks_too_long` near 12,000-13,300
   * characters even when every block is within its own limit (slackapi/bolt-js#2509, #2867), so
   * we keep a margin below that.
   */
  totalText: 11_000,
} as const;

const noteFor = (n: number) => `… (${n} more characters not shown)`;

/** Cuts at `at` without splitting a surrogate pair or an `&amp;`-style entity. */
function safeCut(text: string, at: number): string {
  let kept = text.slice(0, Math.max(0, at));
  const last = kept.charCodeAt(kept.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept = kept.slice(0, -1);
  return kept.replace(/&[a-z]{0,4}$/, "");
}

/**
 * Characters of text in `blocks` as counted against `LIMITS.totalText`: header, section text and
 * fields, context elements, and each button's text, value and url (counted to be safe).
 */
export function blockTextLength(blocks: readonly Block[]): number {
  let n = 0;
  for (const b of blocks) {
    switch (b.type) {
      case "header":
        n += b.text.text.length;
        break;
      case "section":
        n += b.text?.text.length ?? 0;
        for (const f of b.fields ?? []) n += f.text.length;
        break;
      case "context":
        for (const e of b.elements) n += e.text.length;
        break;
      case "actions":
        for (const e of b.elements) n += e.text.text.length + (e.value?.length ?? 0) + (e.url?.length ?? 0);
        break;
      case "divider":
        break;
    }
  }
  return n;
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
 * `truncate` for mrkdwn: a code fence left open by the cut is closed before the note, and a cut
 * fence (one or two backticks at the end) is dropped, so the result stays balanced.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = safeCut(text, max - noteFor(text.length).length - 4).replace(/`{1,2}$/, "");
  const open = (kept.match(/```/g) ?? []).length % 2 !== 0;
  if (open) kept = kept.replace(/\n$/, "");
  return `${kept}${open ? "```" : ""}${noteFor(text.length - kept.length)}`;
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
 * Head blocks, then as many whole groups (e.g. one finding each) as fit in `max` blocks and
 * `maxText` characters of text (`blockTextLength`) with the tail, then the tail. Dropped groups are
 * counted in a context line ("… 3 more findings …"). Should head and tail alone be too long, their
 * longest texts are cut (`fitText`), so the result always keeps within both.
 */
export function fitGroups(
  head: readonly Block[],
  groups: readonly (readonly Block[])[],
  tail: readonly Block[],
  noun: string,
  hint: string,
  max: number = LIMITS.blocks,
  maxText: number = LIMITS.totalText,
): Block[] {
  const out = [...head];
  const room = max - head.length - tail.length;
  const textRoom = maxText - blockTextLength(head) - blockTextLength(tail);
  const total = groups.reduce((n, g) => n + g.length, 0);
  const totalText = groups.reduce((n, g) => n + blockTextLength(g), 0);
  if (total <= room && totalText <= textRoom) return fitText([...out, ...groups.flat(), ...tail], maxText);
  const note = (left: number) => context(`_… ${left} more ${noun} not shown. ${hint}_`);
  const noteText = blockTextLength([note(groups.length)]);
  let used = 0;
  let usedText = 0;
  let shown = 0;
  for (const g of groups) {
    const text = blockTextLength(g);
    if (used + g.length > room - 1 || usedText + text > textRoom - noteText) break;
    out.push(...g);
    used += g.length;
    usedText += text;
    shown++;
  }
  out.push(note(groups.length - shown));
  return fitText([...out, ...tail], maxText);
}

/**
 * The last resort for `LIMITS.totalText`: while `blocks` hold more than `maxText` characters, the
 * longest section text, field or context element is cut (with a count of what was cut). Renderers
 * drop and shorten their least important content first; this only catches what is left.
 */
export function fitText(blocks: readonly Block[], maxText: number = LIMITS.totalText): Block[] {
  const out = [...blocks];
  for (let excess = blockTextLength(out) - maxText; excess > 0; excess = blockTextLength(out) - maxText) {
    let best: { at: number; field: number; length: number } | null = null;
    out.forEach((b, at) => {
      const texts =
        b.type === "section" ? [b.text, ...(b.fields ?? [])] : b.type === "context" ? [...b.elements] : [];
      texts.forEach((t, i) => {
        const field = b.type === "section" ? i - 1 : i;
        if (t && (best === null || t.text.length > best.length)) best = { at, field, length: t.text.length };
      });
    });
    const found = best as { at: number; field: number; length: number } | null;
    // Below this a cut would leave only the note: nothing sensible is left to shorten.
    if (found === null || found.length < 200) break;
    const cut = <T extends TextObject>(t: T): T => ({
      ...t,
      text:
        t.type === "mrkdwn"
          ? truncateMrkdwn(t.text, Math.max(100, t.text.length - excess))
          : truncate(t.text, Math.max(100, t.text.length - excess)),
    });
    const b = out[found.at];
    if (b?.type === "section")
      out[found.at] =
        found.field < 0 && b.text
          ? { ...b, text: cut(b.text) }
          : { ...b, fields: (b.fields ?? []).map((f, i) => (i === found.field ? cut(f) : f)) };
    else if (b?.type === "context")
      out[found.at] = { ...b, elements: b.elements.map((e, i) => (i === found.field ? cut(e) : e)) };
  }
  return out;
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
  const total = blockTextLength(message.blocks);
  if (total > LIMITS.totalText)
    problems.push(`blocks: ${total} characters of text in total > ${LIMITS.totalText}`);
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
