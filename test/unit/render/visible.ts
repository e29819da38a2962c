/**
 * What a person sees, per platform, for tests that assert on it:
 * - Teams: the card rendered by the real `adaptivecards` renderer in a DOM (happy-dom), with
 *   Markdown processed by markdown-it with HTML on, as Teams does: `<server>` in a Markdown
 *   TextBlock is taken for a tag and disappears, `\#` shows as `#`, DATE/TIME functions become the
 *   reader's local time (TZ of the test process). The result is the DOM's text, one line per block.
 * - Slack: mrkdwn parsed by `slack-message-parser`, entities decoded, `<!date^…|fallback>` shown as
 *   its fallback, links as their labels, code and code blocks as their text.
 */
import { createRequire } from "node:module";
import { Window } from "happy-dom";
import MarkdownIt from "markdown-it";
import { type Node, NodeType, parse } from "slack-message-parser";
import type { SlackMessage } from "../../../src/render/block-kit/blocks.js";

type AdaptiveCardsModule = typeof import("adaptivecards");

// DATE/TIME render in the reader's time zone: the tests read them as a reader in UTC would.
process.env.TZ = "UTC";

const window = new Window();
const g = globalThis as Record<string, unknown>;
// The UMD bundle reads the DOM's globals (document, HTMLButtonElement, ...) when it renders.
const dom = window as unknown as Record<string, unknown>;
for (const name of Object.getOwnPropertyNames(dom))
  if (/^(document|navigator|getComputedStyle|Node|Element|Text|HTML\w*|SVG\w*|\w*Event)$/.test(name))
    g[name] ??= dom[name];
g.window ??= window;

const require = createRequire(import.meta.url);
const AC = require("adaptivecards/dist/adaptivecards.js") as AdaptiveCardsModule;
const markdown = new MarkdownIt({ html: true });
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdown.render(text);
  result.didProcess = true;
};

/** Block-level elements whose text starts a new line of what is seen. */
const BLOCKS = new Set(["P", "DIV", "TR", "LI", "BR", "TABLE", "H1", "H2", "H3", "PRE", "BUTTON"]);

function textOf(node: {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<unknown>;
}): string {
  if (node.nodeType === 3) return node.textContent ?? "";
  if (node.nodeName === "BR") return "\n";
  let out = "";
  for (const child of Array.from(node.childNodes) as (typeof node)[]) {
    const t = textOf(child);
    out += BLOCKS.has(child.nodeName) ? `\n${t}\n` : child.nodeName === "TD" ? `${t} | ` : t;
  }
  return out;
}

/**
 * The card as Teams shows it: every element rendered (hidden ones, "Show evidence" and "Show the
 * KQL", made visible first), as text lines with blank lines collapsed.
 */
export function teamsVisible(card: unknown): string {
  const json = JSON.parse(JSON.stringify(card, (k, v) => (k === "isVisible" ? undefined : v))) as object;
  const ac = new AC.AdaptiveCard();
  ac.parse(json);
  const element = ac.render();
  if (!element) throw new Error("the adaptivecards renderer rendered nothing");
  return textOf(element as unknown as Parameters<typeof textOf>[0])
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/, ""))
    .filter((l) => l.trim() !== "")
    .join("\n");
}

const decode = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

function mrkdwnNodes(nodes: readonly Node[]): string {
  return nodes.map(mrkdwnNode).join("");
}

function mrkdwnNode(node: Node): string {
  switch (node.type) {
    case NodeType.Text:
      return decode(node.text);
    case NodeType.Code:
    case NodeType.PreText:
      return decode(node.text).replace(/\u200b/g, "");
    case NodeType.Bold:
    case NodeType.Italic:
    case NodeType.Strike:
    case NodeType.Quote:
    case NodeType.Root:
      return mrkdwnNodes(node.children);
    case NodeType.URL:
      return node.label ? mrkdwnNodes(node.label) : node.url;
    case NodeType.Command:
      return node.label ? mrkdwnNodes(node.label) : `@${node.name}`;
    case NodeType.UserLink:
      return `@${node.userID}`;
    case NodeType.ChannelLink:
      return `#${node.channelID}`;
    case NodeType.Emoji:
      return `:${node.name}:`;
  }
}

/** One mrkdwn text as Slack shows it. */
export function mrkdwnVisible(text: string): string {
  return mrkdwnNode(parse(text));
}

/** A Block Kit message as Slack shows it: one line per block (buttons by their labels). */
export function slackVisible(message: SlackMessage): string {
  const out: string[] = [];
  for (const b of message.blocks) {
    if (b.type === "header") out.push(b.text.text);
    else if (b.type === "section") {
      if (b.text) out.push(b.text.type === "mrkdwn" ? mrkdwnVisible(b.text.text) : b.text.text);
      for (const f of b.fields ?? []) out.push(f.type === "mrkdwn" ? mrkdwnVisible(f.text) : f.text);
    } else if (b.type === "context")
      out.push(b.elements.map((e) => (e.type === "mrkdwn" ? mrkdwnVisible(e.text) : e.text)).join("  "));
    else if (b.type === "actions") out.push(b.elements.map((e) => `[${e.text.text}]`).join(" "));
  }
  return out.join("\n");
}
