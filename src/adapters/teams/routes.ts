/**
 * Teams on the shared HTTP server: `POST /api/messages` handled by botbuilder's CloudAdapter.
 * With a bot identity every request's JWT is verified by the adapter (401 otherwise); without one
 * (local mode) the adapter runs unauthenticated and the server listens on 127.0.0.1 only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext } from "botbuilder";
import type { PlatformConfigResult, PlatformContext } from "../../compose/platform.js";
import { BodyTooLarge, type Route, readBody } from "../../http/server.js";
import { actorOf } from "./activity.js";
import { createTeamsBot, type TeamsBot } from "./bot.js";
import { parseTeamsConfig, type TeamsConfig } from "./config.js";
import { botRequest, botResponse } from "./node-http.js";
import { proactiveTurn } from "./proactive.js";
import { RecentActivities } from "./recent-activities.js";

export type { TeamsConfig } from "./config.js";

/** The audience of outbound Bot Framework tokens (AuthenticationConstants.ToChannelFromBotOAuthScope). */
const BOT_FRAMEWORK_AUDIENCE = "https://api.botframework.com";

/** Bot Framework activities are small; Teams caps messages at about 40 KB. */
const BODY_LIMIT = 256 * 1024;

/**
 * Teams settings: every problem listed; secrets never echoed. On in local mode and whenever
 * MicrosoftAppId is set.
 */
export function teamsConfigFrom(
  env: Readonly<Record<string, string | undefined>>,
  localMode: boolean,
): PlatformConfigResult<TeamsConfig> {
  return parseTeamsConfig(env, localMode);
}

export interface TeamsAppOptions {
  /**
   * Extra botbuilder authentication settings, e.g. ToBotFromChannelOpenIdMetadataUrl and
   * ToBotFromChannelTokenIssuer (sovereign clouds; a local token issuer in tests).
   */
  readonly authSettings?: Readonly<Record<string, string>>;
  /** An adapter made by `createCloudAdapter` and shared with the digest poster (proactive posts). */
  readonly adapter?: CloudAdapter;
}

/** The CloudAdapter for `config`: JWT validation and outbound tokens when there is a bot identity. */
export function createCloudAdapter(config: TeamsConfig, options: TeamsAppOptions = {}): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    ...options.authSettings,
    MicrosoftAppId: config.appId ?? "",
    MicrosoftAppPassword: config.appPassword ?? "",
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.appTenantId ?? "",
  });
  return new CloudAdapter(auth);
}

export interface TeamsApp {
  readonly routes: Route[];
  readonly bot: TeamsBot;
  readonly adapter: CloudAdapter;
}

export function createTeamsApp(
  context: PlatformContext,
  config: TeamsConfig,
  options: TeamsAppOptions = {},
): TeamsApp {
  const { logger } = context;
  const adapter = options.adapter ?? createCloudAdapter(config, options);
  // Inbound turns: log, the HTTP request is answered anyway. Proactive turns (progress-card update,
  // 1:1 chat, digests) go through proactiveTurn, so their errors reach the caller instead.
  adapter.onTurnError = async (turn, error) => {
    logger.error("teams.turn_error", {
      activityType: turn.activity.type,
      conversation: turn.activity.conversation?.id,
      error: error instanceof Error ? error.message : String(error),
    });
  };
  const bot = createTeamsBot({
    chat: context.chat,
    digest: context.digest,
    access: { allowedTenants: config.allowedTenants, allowedUsers: config.allowedUsers },
    recent: new RecentActivities(context.chat.clock),
    logger,
    progressAfterMs: config.progressAfterMs,
    continueConversation: (reference, logic) =>
      proactiveTurn(
        (inner) => adapter.continueConversationAsync(config.appId ?? "", reference, inner),
        logic,
      ),
    openPersonalChat: (turn, logic) => {
      const activity = turn.activity;
      const { tenantId } = actorOf(activity);
      const reference = TurnContext.getConversationReference(activity);
      return proactiveTurn(
        (inner) =>
          adapter.createConversationAsync(
            config.appId ?? "",
            activity.channelId ?? "msteams",
            activity.serviceUrl ?? "",
            BOT_FRAMEWORK_AUDIENCE,
            {
              isGroup: false,
              bot: reference.bot,
              members: activity.from ? [activity.from] : [],
              tenantId,
              channelData: { tenant: { id: tenantId } },
            } as Parameters<CloudAdapter["createConversationAsync"]>[4],
            inner,
          ),
        logic,
      );
    },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, BODY_LIMIT)).toString("utf8"));
    } catch (error) {
      const tooLarge = error instanceof BodyTooLarge;
      res.writeHead(tooLarge ? 413 : 400, { "content-type": "text/plain; charset=utf-8" });
      res.end(tooLarge ? "activity too large" : "body is not JSON");
      return;
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("body is not an activity");
      return;
    }
    // What botbuilder needs before it can even authenticate the activity; without it, a 400 saying so.
    const activity = body as Record<string, unknown>;
    const missing = ["type", "serviceUrl", "conversation"].filter(
      (k) => activity[k] === undefined || activity[k] === null || activity[k] === "",
    );
    if (missing.length > 0) {
      res
        .writeHead(400, { "content-type": "text/plain; charset=utf-8" })
        .end(`not a Bot Framework activity: missing ${missing.join(", ")}`);
      return;
    }
    await adapter.process(botRequest(req, body as Record<string, unknown>), botResponse(res), (turn) =>
      bot.onTurn(turn),
    );
    if (res.statusCode === 401) logger.warn("teams.unauthorized", { remote: req.socket.remoteAddress });
  };

  return { routes: [{ method: "POST", path: "/api/messages", handle }], bot, adapter };
}

export function createTeamsRoutes(
  context: PlatformContext,
  config: TeamsConfig,
  options: TeamsAppOptions = {},
): Route[] {
  return createTeamsApp(context, config, options).routes;
}
