/** Teams: placeholder until the Teams issue lands (routes off). */
import type { PlatformConfigResult, PlatformContext } from "../../compose/platform.js";
import type { Route } from "../../http/server.js";

export type TeamsConfig = Record<string, never>;

export function teamsConfigFrom(_env: Readonly<Record<string, string | undefined>>, _localMode: boolean): PlatformConfigResult<TeamsConfig> {
  return { value: null, problems: [] };
}

export function createTeamsRoutes(_context: PlatformContext, _config: TeamsConfig): Route[] {
  return [];
}
