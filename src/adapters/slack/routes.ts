/** Slack: placeholder until the Slack issue lands (routes off). */
import type { PlatformConfigResult, PlatformContext } from "../../compose/platform.js";
import type { Route } from "../../http/server.js";

export type SlackConfig = Record<string, never>;

export function slackConfigFrom(_env: Readonly<Record<string, string | undefined>>, _localMode: boolean): PlatformConfigResult<SlackConfig> {
  return { value: null, problems: [] };
}

export function createSlackRoutes(_context: PlatformContext, _config: SlackConfig): Route[] {
  return [];
}
