/**
 * Teams settings from the environment: each variable validated by one zod schema, then the
 * combinations (password, tenant id, allowed tenants), all reported in one go. Bot Framework
 * settings keep botbuilder's conventional names. Problems name the variable and never echo a value.
 */
import { z } from "zod";
import { parseDuration } from "../../domain/command/fields.js";

export const MICROSOFT_APP_TYPES = ["MultiTenant", "SingleTenant", "UserAssignedMSI"] as const;
export type MicrosoftAppType = (typeof MICROSOFT_APP_TYPES)[number];

export interface TeamsConfig {
  /** Bot identity; null in local mode (no JWT validation, no outbound token). */
  readonly appId: string | null;
  readonly appPassword: string | null;
  readonly appType: MicrosoftAppType;
  readonly appTenantId: string | null;
  /** Allowed tenant ids (lowercase); empty = any tenant (local mode only). */
  readonly allowedTenants: readonly string[];
  /** Allowed AAD object ids (lowercase); empty = anyone in an allowed tenant. */
  readonly allowedUsers: readonly string[];
  /** How long a command may take before the "running N checks…" card is posted and updated later. */
  readonly progressAfterMs: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? s.trim() : null));

const guidList = (name: string, what: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const items = (s ?? "")
        .split(",")
        .map((x) => x.trim().toLowerCase())
        .filter((x) => x !== "");
      const bad = items.filter((x) => !GUID.test(x));
      if (bad.length > 0)
        ctx.addIssue({
          code: "custom",
          message: `${name} must be a comma-separated list of ${what} (GUIDs); ${bad.length} entr${bad.length === 1 ? "y is" : "ies are"} not a GUID`,
        });
      return items;
    });

export const teamsEnvSchema = z.object({
  MicrosoftAppId: text.pipe(
    z
      .string()
      .regex(GUID, "MicrosoftAppId must be the bot's Microsoft App ID (a GUID) from its Azure Bot resource")
      .nullable(),
  ),
  MicrosoftAppPassword: text,
  MicrosoftAppType: text.pipe(
    z
      .enum(MICROSOFT_APP_TYPES, {
        message: `MicrosoftAppType must be one of ${MICROSOFT_APP_TYPES.join(", ")}`,
      })
      .nullable(),
  ),
  MicrosoftAppTenantId: text.pipe(
    z.string().regex(GUID, "MicrosoftAppTenantId must be a tenant id (a GUID)").nullable(),
  ),
  ATTEST_TEAMS_ALLOWED_TENANTS: guidList("ATTEST_TEAMS_ALLOWED_TENANTS", "tenant ids"),
  ATTEST_TEAMS_ALLOWED_USERS: guidList("ATTEST_TEAMS_ALLOWED_USERS", "AAD object ids"),
  ATTEST_TEAMS_PROGRESS_AFTER: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const ms = parseDuration(s?.trim() || "3s");
      if (ms === null || ms < 0 || ms > 12_000) {
        ctx.addIssue({
          code: "custom",
          message:
            "ATTEST_TEAMS_PROGRESS_AFTER must be a duration from 0s to 12s (Teams waits at most 15s for a reply)",
        });
        return z.NEVER;
      }
      return ms;
    }),
});

/** A variable's trimmed value; null when unset or blank. */
function given(env: Readonly<Record<string, string | undefined>>, name: string): string | null {
  return env[name]?.trim() || null;
}

/**
 * Problems that involve several variables, judged on the raw values so that they are reported
 * together with every single-variable problem (review item 8: no second start to learn the next
 * one). An invalid MicrosoftAppId still counts as "set".
 */
function crossProblems(env: Readonly<Record<string, string | undefined>>, localMode: boolean): string[] {
  const appId = given(env, "MicrosoftAppId");
  if (!appId) return [];
  const problems: string[] = [];
  const rawType = given(env, "MicrosoftAppType") ?? "MultiTenant";
  const type = (MICROSOFT_APP_TYPES as readonly string[]).includes(rawType) ? rawType : null;
  if (type !== "UserAssignedMSI" && !given(env, "MicrosoftAppPassword"))
    problems.push(
      `MicrosoftAppPassword: MicrosoftAppPassword is required with MicrosoftAppId for a ${type ?? "MultiTenant or SingleTenant"} bot (the client secret of the app registration)`,
    );
  if ((type === "SingleTenant" || type === "UserAssignedMSI") && !given(env, "MicrosoftAppTenantId"))
    problems.push(`MicrosoftAppTenantId: MicrosoftAppTenantId is required when MicrosoftAppType is ${type}`);
  const tenants = (env.ATTEST_TEAMS_ALLOWED_TENANTS ?? "").split(",").filter((t) => t.trim() !== "");
  if (!localMode && tenants.length === 0)
    problems.push(
      "ATTEST_TEAMS_ALLOWED_TENANTS: required outside local mode: the comma-separated tenant ids whose users may use the bot",
    );
  return problems;
}

/**
 * Parses the Teams settings; `localMode` relaxes the tenant allow-list (it may be empty). Outside
 * local mode without MicrosoftAppId, Teams is off (null, no problem).
 */
export function parseTeamsConfig(
  env: Readonly<Record<string, string | undefined>>,
  localMode: boolean,
): { value: TeamsConfig | null; problems: string[] } {
  const r = teamsEnvSchema.safeParse(env);
  // Every problem at once: each variable on its own (zod checks every field), then the
  // combinations, whatever the single-variable results.
  const problems = [
    // Messages are ours and never contain values; the path names the variable.
    ...(r.success ? [] : r.error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`)),
    ...crossProblems(env, localMode),
  ];
  if (problems.length > 0 || !r.success) return { value: null, problems };
  const e = r.data;
  // Public (ATTEST_PUBLIC=true) without a bot identity: requests could not be authenticated, so
  // Teams stays off (a Slack-only deployment).
  if (!localMode && !e.MicrosoftAppId) return { value: null, problems: [] };
  return {
    value: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType: e.MicrosoftAppType ?? "MultiTenant",
      appTenantId: e.MicrosoftAppTenantId,
      allowedTenants: e.ATTEST_TEAMS_ALLOWED_TENANTS,
      allowedUsers: e.ATTEST_TEAMS_ALLOWED_USERS,
      progressAfterMs: e.ATTEST_TEAMS_PROGRESS_AFTER,
    },
    problems: [],
  };
}
