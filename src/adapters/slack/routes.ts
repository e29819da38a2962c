/**
 * Slack on the shared HTTP server: one URL, `POST /slack/events`, for slash commands, events and
 * interactivity. A Bolt App runs behind our RouteReceiver; it authorizes with the configured bot
 * token and never calls Slack at start-up (no auth.test), so the bot starts offline.
 */
import { App } from "@slack/bolt";
import type { PlatformContext } from "../../compose/platform.js";
import type { Route } from "../../http/server.js";
import { boltLogger } from "./bolt-logger.js";
import { registerButtons } from "./buttons.js";
import type { SlackConfig } from "./config.js";
import { registerMention } from "./mention.js";
import { registerPolicyModal } from "./policy-modal.js";
import { RouteReceiver } from "./receiver.js";
import { ResultStore } from "./result-store.js";
import { registerSlashCommand } from "./slash-command.js";

export { type SlackConfig, slackConfigFrom } from "./config.js";

export const SLACK_EVENTS_PATH = "/slack/events";

export function createSlackRoutes(context: PlatformContext, config: SlackConfig): Route[] {
  const { logger, chat, digest } = context;
  const bolt = boltLogger(logger);
  const receiver = new RouteReceiver({
    signingSecret: config.signingSecret,
    bodyLimitBytes: config.bodyLimitBytes,
    clock: chat.clock,
    logger,
    boltLogger: bolt,
  });
  const app = new App({
    receiver,
    // A single workspace install: the token is known, so no OAuth store and no auth.test call.
    authorize: async () => ({ botToken: config.botToken }),
    clientOptions: {
      slackApiUrl: config.apiUrl,
      retryConfig: { retries: 2, factor: 2 },
      timeout: 10_000,
      // respond() (response_url) and the Web API both use it: made by a check worker when there is one.
      ...(context.fetch ? { fetch: context.fetch } : {}),
    },
    logger: bolt,
    // ignoreSelf needs the bot's ids (an auth.test call); mentions from bots are skipped in the listener.
    ignoreSelf: false,
    // No conversation state is used; Bolt's default in-memory store would only grow.
    convoStore: false,
  });
  app.error(async (error) => {
    logger.error("slack.listener_failed", { error: error.message, code: (error as { code?: string }).code });
  });
  const deps = { chat, digest, logger, config, store: new ResultStore(chat.clock) };
  registerSlashCommand(app, deps);
  registerMention(app, deps);
  registerButtons(app, deps);
  registerPolicyModal(app, deps);
  logger.info("slack.on", {
    path: SLACK_EVENTS_PATH,
    apiUrl: config.apiUrl,
    allowedTeams: config.allowedTeams === "all" ? "all" : config.allowedTeams.length,
    allowedChannels: config.allowedChannels === "all" ? "all" : config.allowedChannels.length,
    digests: digest ? "on" : "off",
  });
  return [{ method: "POST", path: SLACK_EVENTS_PATH, handle: (req, res) => receiver.handle(req, res) }];
}
