/**
 * Slack settings from the environment. Both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN set: Slack
 * is on; neither: off (not an error); one without the other, a bad URL or a missing allow-list
 * outside local mode: a problem naming the variable (values of secrets are never echoed).
 */
import type { PlatformConfigResult } from "../../compose/platform.js";

/** "all" when the allow-list is empty (local mode only) or `*`. */
export type AllowList = readonly string[] | "all";

export interface SlackConfig {
  readonly signingSecret: string;
  readonly botToken: string;
  /** Web API base URL ending in "/", e.g. https://slack.com/api/ (SLACK_API_URL overrides it). */
  readonly apiUrl: string;
  readonly allowedTeams: AllowList;
  readonly allowedChannels: AllowList;
  /** Request bodies larger than this are refused before they are read. */
  readonly bodyLimitBytes: number;
  /**
   * Hosts a response_url may point at. Slack's own are https://hooks.slack.com/...; in local mode
   * or with SLACK_API_URL set (a stub), any URL is accepted so a local receiver can stand in.
   */
  readonly responseUrls: "slack" | "any";
}

export const DEFAULT_SLACK_API_URL = "https://slack.com/api/";
/**
 * Slash commands are a few hundred bytes; interaction payloads carry the message they came from
 * (up to 50 blocks of 3000 characters, JSON in a form field), so the limit leaves room for that.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 512 * 1024;

function allowList(name: string, raw: string | undefined, localMode: boolean, problems: string[]): AllowList {
  const items = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.includes("*")) return "all";
  if (items.length > 0) {
    const bad = items.filter((s) => !/^[A-Z0-9]{2,32}$/.test(s));
    if (bad.length > 0)
      problems.push(
        `${name}: expected comma-separated Slack ids like T0123ABCD (or * for all), got ${bad.map((b) => JSON.stringify(b)).join(", ")}`,
      );
    return items;
  }
  if (!localMode)
    problems.push(
      `${name}: required outside local mode (comma-separated Slack ids, or * to allow all on purpose)`,
    );
  return "all";
}

export function slackConfigFrom(
  env: Readonly<Record<string, string | undefined>>,
  localMode: boolean,
): PlatformConfigResult<SlackConfig> {
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() ?? "";
  const botToken = env.SLACK_BOT_TOKEN?.trim() ?? "";
  if (signingSecret === "" && botToken === "") return { value: null, problems: [] };
  const problems: string[] = [];
  if (signingSecret === "")
    problems.push("SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (Basic Information > Signing Secret)");
  if (botToken === "")
    problems.push(
      "SLACK_BOT_TOKEN: required with SLACK_SIGNING_SECRET (OAuth & Permissions > Bot User OAuth Token)",
    );
  else if (!botToken.startsWith("xoxb-"))
    problems.push("SLACK_BOT_TOKEN: expected a bot token starting with xoxb- (value not shown)");
  let apiUrl = DEFAULT_SLACK_API_URL;
  const rawApi = env.SLACK_API_URL?.trim();
  if (rawApi) {
    try {
      const u = new URL(rawApi);
      if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error("scheme");
      apiUrl = u.href.endsWith("/") ? u.href : `${u.href}/`;
    } catch {
      problems.push(
        `SLACK_API_URL: expected an http(s) URL like https://slack.com/api/, got ${JSON.stringify(rawApi)}`,
      );
    }
  }
  const allowedTeams = allowList(
    "ATTEST_SLACK_ALLOWED_TEAMS",
    env.ATTEST_SLACK_ALLOWED_TEAMS,
    localMode,
    problems,
  );
  const allowedChannels = allowList(
    "ATTEST_SLACK_ALLOWED_CHANNELS",
    env.ATTEST_SLACK_ALLOWED_CHANNELS,
    localMode,
    problems,
  );
  if (problems.length > 0) return { value: null, problems };
  return {
    value: {
      signingSecret,
      botToken,
      apiUrl,
      allowedTeams,
      allowedChannels,
      bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
      responseUrls: localMode || rawApi ? "any" : "slack",
    },
    problems: [],
  };
}

/** Why `team`/`channel` may not use the bot, or null when both are allowed. */
export function refusalOf(
  config: SlackConfig,
  team: string,
  channel: string,
): "workspace" | "channel" | null {
  if (config.allowedTeams !== "all" && !config.allowedTeams.includes(team)) return "workspace";
  if (config.allowedChannels !== "all" && !config.allowedChannels.includes(channel)) return "channel";
  return null;
}
