/**
 * Issue 12: the local dev tools show what the bot really does. `infra/slack/send-command.mjs`
 * sends the command with the user's shell quoting intact (the bot's tokenizer reads back the same
 * words), and `infra/teams/dev-connector.ts` prints plain-text replies, not only cards. Both run
 * as child processes against servers on 127.0.0.1.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { tokenize } from "../../../src/domain/command/tokenize.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const children: ChildProcess[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
  children.push(child);
  let stdout = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
  });
  child.stderr.resume();
  return {
    child,
    stdout: () => stdout,
    waitFor: (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const m = stdout.match(pattern);
          if (m) resolve(m);
        };
        child.stdout.on("data", check);
        child.on("exit", () => {
          const m = stdout.match(pattern);
          m ? resolve(m) : reject(new Error(`exited without ${pattern}: ${stdout}`));
        });
        check();
      }),
  };
}

describe("infra/slack/send-command.mjs", () => {
  async function sent(args: string[]): Promise<string> {
    const texts: string[] = [];
    const bot = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        texts.push(new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("text") ?? "");
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ text: "ok", blocks: [] }));
      });
    });
    servers.push(bot);
    await new Promise<void>((r) => bot.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(bot.address() as AddressInfo).port}/slack/events`;
    const p = run(process.execPath, ["infra/slack/send-command.mjs", ...args], {
      SLACK_SIGNING_SECRET: "dev-secret",
      BOT_URL: url,
    });
    await new Promise((r) => p.child.on("exit", r));
    expect(texts).toHaveLength(1);
    return texts[0] ?? "";
  }

  it('keeps an argument with spaces as one word: --cron "0 9 * * 1-5"', async () => {
    const args = ["digest", "subscribe", "--all", "--cron", "0 9 * * 1-5", "--tz", "Europe/London"];
    const text = await sent(args);
    expect(tokenize(text)).toEqual(args);
  });

  it("keeps a quoted URL and a double quote inside an argument", async () => {
    const args = ["check", "sgxtest2", "--url", 'https://x.weu.attest.azure.net/attest/SgxEnclave?a="b c"'];
    expect(tokenize(await sent(args))).toEqual(args);
  });

  it("passes pasted text for explain as typed", async () => {
    expect(await sent(["explain", "Msg 37324, Level 16 'x'"])).toBe("explain Msg 37324, Level 16 'x'");
  });
});

describe("infra/teams/dev-connector.ts", () => {
  it("prints a plain-text reply's text, and a card's JSON", async () => {
    const p = run(process.execPath, ["--import", "tsx", "infra/teams/dev-connector.ts", "0"]);
    const [, port] = await p.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
    const post = (body: object) =>
      fetch(`http://127.0.0.1:${port}/v3/conversations/c1/activities`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post({ type: "message", text: "Kusto is unavailable: timeout after 30 s" })).status).toBe(
      200,
    );
    await p.waitFor(/Kusto is unavailable: timeout after 30 s/);
    await post({
      type: "message",
      attachments: [
        { contentType: "application/vnd.microsoft.card.adaptive", content: { type: "AdaptiveCard" } },
      ],
    });
    await p.waitFor(/"type": "AdaptiveCard"/);
  });
});
