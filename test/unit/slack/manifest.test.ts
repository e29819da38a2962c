import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { HANDLED_EVENTS } from "../../../src/adapters/slack/mention.js";
import { SLACK_EVENTS_PATH } from "../../../src/adapters/slack/routes.js";
import { SLASH_COMMAND } from "../../../src/adapters/slack/slash-command.js";

const manifestSchema = z.object({
  display_information: z.object({ name: z.string().min(1).max(35), description: z.string().max(140) }),
  features: z.object({
    app_home: z.object({
      home_tab_enabled: z.boolean(),
      messages_tab_enabled: z.boolean(),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    bot_user: z.object({ display_name: z.string().min(1) }),
    slash_commands: z
      .array(z.object({ command: z.string(), url: z.url(), description: z.string(), usage_hint: z.string() }))
      .min(1),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.url(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true), request_url: z.url() }),
    socket_mode_enabled: z.literal(false),
  }),
});

const manifest = manifestSchema.parse(
  parse(readFileSync(join(import.meta.dirname, "../../../infra/slack/manifest.yaml"), "utf8")),
);

describe("infra/slack/manifest.yaml", () => {
  it("declares the slash command the code listens for, on the events URL", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.slash_commands[0]?.usage_hint).toMatch(/^check <server>/);
  });

  it("the usage hint names every command, within Slack's 1,000 characters", () => {
    const hint = manifest.features.slash_commands[0]?.usage_hint ?? "";
    for (const word of [
      "check",
      "explain",
      "policy",
      "digest subscribe",
      "list",
      "unsubscribe",
      "preview",
      "help",
    ])
      expect(hint).toContain(word);
    expect(hint.length).toBeLessThanOrEqual(1000);
  });

  it("keeps the Messages tab on (read-only) for the policy result's DM fallback", () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: false,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
  });

  it("sends slash commands, events and interactivity to the one path the bot serves", () => {
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
  });

  it("subscribes to exactly the events the code handles", () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...HANDLED_EVENTS].sort());
  });

  it("asks for the scopes the code uses, and no others", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ["app_mentions:read", "chat:write", "chat:write.public", "commands"].sort(),
    );
  });
});
