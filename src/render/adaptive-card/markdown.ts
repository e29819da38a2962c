/**
 * Adaptive Card TextBlocks and FactSet values are Markdown in Teams: `[text](url)` becomes a
 * link, `*`/`_` emphasis, backticks code, `- ` or `1. ` at a line start a list. Text that comes
 * from telemetry or from the user (node names, error messages, server names, pasted policies) is
 * escaped with backslashes (CommonMark escapes, which Teams honours), so a log line cannot forge a
 * link or change the card's formatting. Text we write as Markdown on purpose is not passed here.
 */

/**
 * Inline characters with a Markdown meaning in Teams (emphasis, links, code, strikethrough,
 * escape), and `<`/`>`: Teams reads `<server>` as an HTML tag and drops it.
 */
const INLINE = /[\\`*_[\]~<>]/g;

/** `text` with its Markdown escaped: it shows literally. Pure; idempotent only on plain text. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(INLINE, (c) => `\\${c}`)
      // A line starting "- ", "+ " or "12. " would become a list item.
      .replace(/^(\s*)([-+])(?=\s|$)/gm, "$1\\$2")
      .replace(/^(\s*\d+)\.(?=\s|$)/gm, "$1\\.")
      // "# " headings and "> " quotes are rendered by some Teams clients.
      .replace(/^(\s*)([#>])/gm, "$1\\$2")
  );
}

/**
 * Prose we write, with `code spans` (a command to run: "run `attest explain` on it"). Teams has no
 * inline code in Adaptive Cards, so a span is shown in bold, its text escaped (a `<placeholder>`
 * stays visible); the rest is escaped as usual.
 */
export function escapeProse(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) =>
      part.length > 2 && part.startsWith("`") && part.endsWith("`")
        ? `**${escapeMarkdown(part.slice(1, -1))}**`
        : escapeMarkdown(part),
    )
    .join("");
}
