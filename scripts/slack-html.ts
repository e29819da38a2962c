/**
 * A Slack Block Kit message as an HTML page that looks like Slack shows it (header, sections
 * with mrkdwn, fields, context, dividers, buttons), for the README's pictures. Not used by the bot.
 */
import type { Block, SlackMessage, TextObject } from "../src/render/block-kit/blocks.js";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Slack mrkdwn (already escaped &, <, > by the renderer) to HTML. */
export function mrkdwnToHtml(text: string): string {
  const blocks: string[] = [];
  // Code blocks first, so their content is not formatted.
  let out = text.replace(/```([\s\S]*?)```/g, (_m, code: string) => {
    blocks.push(`<pre>${code.replace(/^\n/, "")}</pre>`);
    return `\uE000${blocks.length - 1}\uE000`;
  });
  const inline: string[] = [];
  out = out.replace(/`([^`\n]+)`/g, (_m, code: string) => {
    inline.push(`<code>${code}</code>`);
    return `\uE001${inline.length - 1}\uE001`;
  });
  out = out
    .replace(/&lt;(https?:\/\/[^|&]+)\|([^&]+)&gt;/g, '<a href="$1">$2</a>')
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, '<a href="$1">$2</a>')
    // Slack shows `<!date^…|fallback>` in the reader's time zone; the picture shows the UTC fallback.
    .replace(/<!date\^\d+\^[^|>]*\|([^>]+)>/g, "$1")
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, "$1<b>$2</b>")
    .replace(/(^|[\s(])_([^_\n]+)_/g, "$1<i>$2</i>")
    .replace(/(^|[\s(])~([^~\n]+)~/g, "$1<s>$2</s>")
    .replace(/^&gt; ?(.*)$/gm, "<blockquote>$1</blockquote>")
    .replace(/\n/g, "<br>");
  // A code block is a block of its own: no line breaks around it.
  out = out.replace(/(?:<br>)*(\uE000\d+\uE000)(?:<br>)*/g, "$1");
  out = out.replace(/\uE001(\d+)\uE001/g, (_m, i: string) => inline[Number(i)]!);
  return out.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => blocks[Number(i)]!);
}

const textHtml = (t: TextObject) => (t.type === "mrkdwn" ? mrkdwnToHtml(t.text) : escapeHtml(t.text));

function blockHtml(block: Block): string {
  switch (block.type) {
    case "header":
      return `<div class="header">${escapeHtml(block.text.text)}</div>`;
    case "section": {
      const text = block.text ? `<div class="text">${textHtml(block.text)}</div>` : "";
      const fields = block.fields?.length
        ? `<div class="fields">${block.fields.map((f) => `<div>${textHtml(f)}</div>`).join("")}</div>`
        : "";
      return `<div class="section">${text}${fields}</div>`;
    }
    case "context":
      return `<div class="context">${block.elements.map((e) => `<span>${textHtml(e)}</span>`).join("")}</div>`;
    case "divider":
      return "<hr>";
    case "actions":
      return `<div class="actions">${block.elements
        .map((b) => `<span class="button ${b.style ?? ""}">${escapeHtml(b.text.text)}</span>`)
        .join("")}</div>`;
  }
}

export function slackMessageHtml(message: SlackMessage, title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; padding: 16px; background: #ffffff; font: 15px/1.46668 "Lato", "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #1d1c1d; }
  .message { display: flex; gap: 8px; width: 680px; }
  .avatar { width: 36px; height: 36px; border-radius: 4px; background: #1f5fad; color: #fff; font-weight: 700; display: flex; align-items: center; justify-content: center; flex: none; }
  .name { font-weight: 900; } .app { font-size: 10px; background: #e8e8e8; color: #616061; padding: 1px 3px; border-radius: 2px; margin-left: 4px; font-weight: 700; }
  .header { font-size: 18px; font-weight: 900; margin: 6px 0; }
  .section { margin: 6px 0; } .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; }
  .context { font-size: 13px; color: #616061; margin: 4px 0; } .context span + span { margin-left: 8px; }
  hr { border: 0; border-top: 1px solid #dddddd; margin: 10px 0; }
  pre { background: #f8f8f8; border: 1px solid #e0e0e0; border-radius: 4px; padding: 8px; margin: 4px 0; font: 12px/1.5 Monaco, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
  code { background: #f8f8f8; border: 1px solid #e0e0e0; border-radius: 3px; padding: 0 3px; color: #e01e5a; font: 12px Monaco, Menlo, Consolas, monospace; }
  blockquote { border-left: 4px solid #dddddd; margin: 2px 0; padding-left: 10px; }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
  .button { border: 1px solid #bbbbbb; border-radius: 4px; padding: 3px 12px; font-size: 13px; font-weight: 700; }
  .button.primary { background: #007a5a; border-color: #007a5a; color: #fff; } .button.danger { color: #e01e5a; }
  a { color: #1264a3; text-decoration: none; }
</style></head>
<body><div class="message"><div class="avatar">A</div><div class="body">
<div><span class="name">attest</span><span class="app">APP</span></div>
${message.blocks.map(blockHtml).join("\n")}
</div></div></body></html>
`;
}
