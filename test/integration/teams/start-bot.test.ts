/**
 * As a new user would: the real composition root (`startBot`, what `npm start` runs) in local
 * mode with the embedded engine and demo data, the README's sample activity POSTed to
 * /api/messages, and the card arriving at the activity's serviceUrl (a connector stub).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../../../src/compose/start-bot.js";
import { ConfigError } from "../../../src/config/config.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { cardText, checkCard } from "../../unit/teams/card-validation.js";
import { type ConnectorStub, startConnectorStub } from "./connector-stub.js";

const SAMPLE = JSON.parse(
  readFileSync(new URL("../../../infra/teams/sample-activity.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

describe("npm start, local mode, README sample activity", () => {
  let connector: ConnectorStub;
  let bot: RunningBot;
  const logger = new MemoryLogger();
  let dataDir = "";
  beforeAll(async () => {
    connector = await startConnectorStub();
    // Digests start with the bot (file store): keep their data out of the working directory.
    dataDir = await mkdtemp(join(tmpdir(), "attest-start-bot-"));
    bot = await startBot({ env: { ATTEST_DATA_DIR: dataDir }, logger, port: 0 });
  });
  afterAll(async () => {
    await bot?.close();
    await connector?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("listens on 127.0.0.1 only and says so in its start-up log", () => {
    expect(bot.localMode).toBe(true);
    expect(bot.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const started = logger.events.find((e) => e.event === "bot.started");
    expect(String(started?.fields.mode)).toMatch(/local/);
    expect(started?.fields.routes).toContain("POST /api/messages");
  });

  it("the sample activity produces the diagnosis card at the serviceUrl", async () => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...SAMPLE, serviceUrl: connector.url }),
    });
    expect(res.status).toBe(200);
    const message = await connector.waitFor((c) => c.body.type === "message");
    expect(connector.calls[0]?.body.type).toBe("typing");
    const card = (message.body.attachments as { content: unknown }[])[0]?.content;
    expect(checkCard(card).problems).toEqual([]);
    // sgxtestuksouthsrv in the demo data: the server identity lacks the Attestation Reader role.
    expect(cardText(card)).toContain("Customer action needed");
    expect(logger.events.find((e) => e.event === "audit")?.fields).toMatchObject({
      platform: "teams",
      command: "check",
      outcome: "customer_error",
      tenant: "11111111-1111-1111-1111-111111111111",
    });
  });
});

describe("start-up with an invalid Teams configuration", () => {
  it("stops with every problem listed and the secret redacted", async () => {
    const secret = "p@ssw0rd-that-must-not-appear";
    const error = await startBot({
      env: {
        MicrosoftAppId: "not-a-guid",
        MicrosoftAppPassword: secret,
        ATTEST_TEAMS_ALLOWED_USERS: "someone",
      },
      logger: new MemoryLogger(),
      port: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain("MicrosoftAppId");
    expect(message).toContain("ATTEST_TEAMS_ALLOWED_USERS");
    expect(message).not.toContain(secret);
  });
});
