/**
 * End to end through Microsoft 365 Agents Playground (offline, on 127.0.0.1): the bot (startBot,
 * local mode, demo data) behind the playground; a user's message sent through the playground's
 * conversation API; the bot's Adaptive Card arriving on the playground's conversation stream.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type Playground, startPlayground } from "../../infra/teams/playground.js";
import { type RunningBot, startBot } from "../../src/compose/start-bot.js";
import { MemoryLogger } from "../../src/ports/log.js";

interface StreamEvent {
  action: string;
  message?: { from: { id: string }; attachments?: { contentType: string; content: unknown }[] };
}

describe("the bot in Microsoft 365 Agents Playground", () => {
  let bot: RunningBot;
  let playground: Playground;
  const workDir = mkdtempSync(join(tmpdir(), "attest-playground-test-"));
  beforeAll(async () => {
    bot = await startBot({
      env: { ATTEST_DATA_DIR: join(workDir, "data") },
      logger: new MemoryLogger(),
      port: 0,
    });
    playground = await startPlayground({ appEndpoint: `${bot.url}/api/messages`, port: 0, workDir });
    // Starting a bot and the playground (a 5 MB bundle) is slow on a loaded two-core machine.
  }, 180_000);
  afterAll(async () => {
    await playground?.stop();
    await bot?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("listens on 127.0.0.1 only", () => {
    expect(playground.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("a check typed in the personal chat gets the diagnosis card back", async () => {
    const { config } = (await (await fetch(`${playground.url}/_internal/v1/config`)).json()) as {
      config: { currentUser: { id: string }; personalChat: { id: string }; bot: { id: string } };
    };
    const stream = new WebSocket(
      `${playground.url.replace("http", "ws")}/_ws_conversation/v1/conversations/stream`,
    );
    const card = new Promise<StreamEvent>((resolve, reject) => {
      stream.on("message", (data) => {
        const event = JSON.parse(String(data)) as StreamEvent;
        if (event.action === "createMessage" && event.message?.attachments?.length) resolve(event);
      });
      stream.on("error", reject);
    });
    await new Promise((resolve, reject) => stream.once("open", resolve).once("error", reject));
    try {
      const res = await fetch(
        `${playground.url}/_conversation/v1/conversations/${config.personalChat.id}/messages`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            from: { id: config.currentUser.id },
            text: "attest check sgxtestuksouthsrv",
            textFormat: "plain",
          }),
        },
      );
      expect(res.status).toBe(200);
      const event = await card;
      expect(event.message?.from.id).toBe(config.bot.id);
      const attachment = event.message?.attachments?.[0];
      expect(attachment?.contentType).toBe("application/vnd.microsoft.card.adaptive");
      const text = JSON.stringify(attachment?.content);
      expect(text).toContain("Customer action needed");
      expect(text).toContain("Attestation Reader");
    } finally {
      stream.close();
    }
  }, 120_000);
});
