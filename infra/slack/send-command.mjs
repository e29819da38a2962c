#!/usr/bin/env node
// Sends a signed `/attest` slash command to a running bot exactly as Slack would (v0 HMAC-SHA256
// over "v0:<timestamp>:<body>" with the signing secret), prints the acknowledgement, then prints
// the result the bot posts to response_url, which this script serves itself on 127.0.0.1.
//
//   SLACK_SIGNING_SECRET=dev-secret node infra/slack/send-command.mjs check sgxtestuksouthsrv
//   SLACK_SIGNING_SECRET=dev-secret node infra/slack/send-command.mjs digest subscribe --all
//   SLACK_SIGNING_SECRET=dev-secret node infra/slack/send-command.mjs digest preview
//
// BOT_URL (default http://127.0.0.1:3978/slack/events) points at another bot; WAIT_MS (default
// 60000) is how long to wait for the result. Plain Node 20, no dependencies.
import { createHmac } from "node:crypto";
import { createServer } from "node:http";

const secret = process.env.SLACK_SIGNING_SECRET;
if (!secret) {
  process.stderr.write("send-command: set SLACK_SIGNING_SECRET to the bot's signing secret\n");
  process.exit(2);
}
const botUrl = process.env.BOT_URL ?? "http://127.0.0.1:3978/slack/events";

/**
 * One shell argument as the bot's tokenizer reads it back: as is when it has no space or quote,
 * else in double quotes (single quotes when it holds a double quote). The shell already removed
 * the user's quotes, so `--cron "0 9 * * 1-5"` arrives as one argument and must be quoted again.
 */
export function quoteArg(arg) {
  if (arg !== "" && !/[\s"']/.test(arg)) return arg;
  return arg.includes('"') ? `'${arg}'` : `"${arg}"`;
}

const args = process.argv.slice(2);
// explain and policy take free text, which the bot keeps as typed: no quotes added there.
const text = (/^(explain|policy)$/i.test(args[0] ?? "") ? args : args.map(quoteArg)).join(" ") || "help";
const waitMs = Number(process.env.WAIT_MS ?? 60_000);

const fromMrkdwn = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** A Block Kit message as terminal lines. */
function show(message) {
  const lines = [];
  for (const b of message.blocks ?? []) {
    if (b.type === "header") lines.push(`# ${b.text.text}`);
    else if (b.type === "section")
      lines.push(fromMrkdwn(b.text?.text ?? "") + (b.accessory?.text ? `  [${b.accessory.text.text}]` : ""));
    else if (b.type === "context") lines.push(b.elements.map((e) => fromMrkdwn(e.text)).join("  |  "));
    else if (b.type === "divider") lines.push("-".repeat(60));
    else if (b.type === "actions") lines.push(b.elements.map((e) => `[${e.text.text}]`).join(" "));
  }
  if (lines.length === 0) lines.push(fromMrkdwn(message.text ?? ""));
  return `${lines.join("\n")}\n`;
}

const receiver = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
    process.stdout.write(
      `\n== result (via response_url) ==\n${show(JSON.parse(Buffer.concat(chunks).toString("utf8")))}`,
    );
    receiver.close();
    receiver.closeAllConnections();
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const responseUrl = `http://127.0.0.1:${receiver.address().port}/response`;

const body = new URLSearchParams({
  team_id: process.env.SLACK_TEAM_ID ?? "T0LOCAL",
  team_domain: "local",
  channel_id: process.env.SLACK_CHANNEL_ID ?? "C0LOCAL",
  channel_name: "local",
  user_id: "U0LOCAL",
  user_name: "local-user",
  command: "/attest",
  text,
  api_app_id: "A0LOCAL",
  response_url: responseUrl,
  trigger_id: "0.0.0",
}).toString();
const timestamp = Math.floor(Date.now() / 1000);
const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;

const started = performance.now();
const ack = await fetch(botUrl, {
  method: "POST",
  headers: {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature,
  },
  body,
});
const ackMs = Math.round(performance.now() - started);
const ackText = await ack.text();
process.stdout.write(`== acknowledgement: HTTP ${ack.status} in ${ackMs} ms ==\n`);
if (ack.status !== 200) {
  process.stdout.write(`${ackText}\n`);
  receiver.close();
  process.exit(1);
}
process.stdout.write(ackText ? show(JSON.parse(ackText)) : "(empty)\n");
// A check or a digest preview acknowledges first ("Checking X…", "⏳ …") and answers later.
if (!/^(Checking |⏳)/.test(JSON.parse(ackText || "{}").text ?? "")) {
  receiver.close();
} else {
  setTimeout(() => {
    process.stderr.write(`send-command: no result within ${waitMs} ms\n`);
    process.exit(1);
  }, waitMs).unref();
}
