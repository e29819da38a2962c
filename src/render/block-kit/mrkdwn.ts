/** Slack mrkdwn text: escaping, links and inline code (fenced code: limits.ts fencedCode), as https://docs.slack.dev/messaging/formatting-message-text asks. */

/**
 * Escapes the three characters Slack reserves for its own markup (also inside code), and breaks
 * up ``` (with a zero-width space) so that data cannot open a code block the message never closes.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/```/g, "`\u200b``");
}

/** `<url|label>`; a label with `|` or `>` would end the link early, so those are replaced. */
export function link(url: string, label: string): string {
  return `<${url.replace(/[<>| ]/g, encodeURIComponent)}|${escapeMrkdwn(label).replace(/\|/g, "¦")}>`;
}

/** Inline code: backticks inside would end it, so they become a look-alike. */
export function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "ˋ").replace(/\s+/g, " "))}\``;
}
