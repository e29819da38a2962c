/** Who may use the bot: allowed tenants and, optionally, allowed AAD object ids. */
import type { ChatActor } from "../../app/chat/handle-command.js";

export interface AccessPolicy {
  /** Lowercase tenant ids; empty = any tenant (local mode only). */
  readonly allowedTenants: readonly string[];
  /** Lowercase AAD object ids; empty = anyone in an allowed tenant. */
  readonly allowedUsers: readonly string[];
}

export type AccessDecision = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const REFUSAL_TEXT =
  "Sorry, you can't use attest here. It is limited to approved organizations and people; ask the team that runs the bot to add you if you need it.";

export function authorize(policy: AccessPolicy, actor: ChatActor): AccessDecision {
  const tenant = actor.tenantId.toLowerCase();
  if (policy.allowedTenants.length > 0 && !policy.allowedTenants.includes(tenant))
    return { ok: false, reason: tenant ? "tenant not allowed" : "no tenant on the activity" };
  if (policy.allowedUsers.length > 0 && !policy.allowedUsers.includes(actor.userId.toLowerCase()))
    return { ok: false, reason: "user not allowed" };
  return { ok: true };
}
