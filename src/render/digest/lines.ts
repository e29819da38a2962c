/** Shared phrasing for the digest renderers: the same words on every platform. */
import { topServers } from "../../domain/digest/aggregate.js";
import type { DigestView, ServerDigest } from "../../domain/digest/types.js";
import { CATEGORY_VIEW } from "../../domain/view/labels.js";
import type { DigestPost } from "../../ports/chat-poster.js";

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-11-24 09:00" (UTC). */
export function instant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * "2026-11-24 09:00 UTC → 2026-11-25 09:00 UTC". Every instant in these lines is written
 * `YYYY-MM-DD HH:MM UTC`, so each renderer can show it in its platform's own format
 * (`localizeTimes`: DATE/TIME in Teams, `<!date^…>` in Slack, as is in text).
 */
export const windowLine = (view: DigestView): string =>
  `${instant(view.window.from)} UTC → ${instant(view.window.to)} UTC`;

const servers = (n: number): string => `${n} server${n === 1 ? "" : "s"}`;

/**
 * "👤 Customer action needed: 13 · 🚨 Escalate to the MAA owner: 2"; the all-clear only when every
 * named server sent telemetry (a silent server is never "no failures").
 */
export function totalsLine(view: DigestView): string {
  const parts = Object.entries(view.totals).map(([category, n]) => {
    const c = CATEGORY_VIEW[category as keyof typeof CATEGORY_VIEW];
    return `${c.icon} ${c.label}: ${n}`;
  });
  if (parts.length > 0) return parts.join(" · ");
  const unseen = view.unseen?.length ?? 0;
  if (unseen > 0)
    return `⚠ No failures from the servers that sent telemetry, but ${servers(unseen)} sent none`;
  return "✅ No attestation failures in this window";
}

/** "3 servers failing (1 new) · 1 server with no telemetry · 2 cleared since the previous window". */
export function summaryLine(view: DigestView): string {
  const n = view.servers.length;
  const fresh = view.servers.filter((s) => s.new).length;
  const parts = [`${servers(n)} failing${fresh > 0 ? ` (${fresh} new)` : ""}`];
  const incidents = view.incidents ?? [];
  if (incidents.length > 0)
    parts.push(
      `${incidents.length} fleet-wide incident${incidents.length === 1 ? "" : "s"} (${servers(incidents.reduce((k, i) => k + i.servers.length, 0))})`,
    );
  if (view.unseen?.length) parts.push(`${servers(view.unseen.length)} with no telemetry`);
  if (view.cleared.length > 0) parts.push(`${view.cleared.length} cleared since the previous window`);
  if (view.truncated) parts.push("⚠ row cap reached: counts may be low");
  return parts.join(" · ");
}

/**
 * "The digest for 2026-06-02 08:00 UTC may not have arrived …", or null when none is in doubt.
 */
export function missedLine(view: DigestView): string | null {
  const missed = view.missed ?? [];
  if (missed.length === 0) return null;
  const which = missed.map((m) => `${instant(m)} UTC`).join(", ");
  const one = missed.length === 1;
  return `The digest${one ? "" : "s"} for ${which} may not have arrived (the bot stopped while posting ${one ? "it" : "them"}); ${one ? "it is" : "they are"} not posted again, and this one starts where ${one ? "it" : "they"} ended.`;
}

/** How many unseen servers are named in full; the rest are counted. */
export const UNSEEN_NAMED_MAX = 20;

/**
 * "No telemetry in this window: a, b — check the name or run `attest check <server>`", or null
 * when every named server sent telemetry.
 */
export function unseenLine(view: DigestView): string | null {
  const u = view.unseen ?? [];
  if (u.length === 0) return null;
  const names = u.slice(0, UNSEEN_NAMED_MAX).join(", ");
  const rest = u.length > UNSEEN_NAMED_MAX ? ` and ${u.length - UNSEEN_NAMED_MAX} more` : "";
  const length = Date.parse(view.window.to) - Date.parse(view.window.from);
  const since = new Date(Date.parse(view.window.to) - view.periods * length).toISOString();
  return `No telemetry at all since ${instant(since)} UTC: ${names}${rest} — check the name or run \`attest check <server>\``;
}

export const verdictLabel = (s: ServerDigest): string =>
  `${CATEGORY_VIEW[s.verdict].icon} ${CATEGORY_VIEW[s.verdict].label}`;

/** "12 ↑ (was 4) ▁▃▁▄█ · new". */
export const trendLine = (s: ServerDigest): string =>
  `${s.failures} ${s.trend.arrow} (was ${s.trend.previous}) ${s.trend.sparkline} · ${s.new ? "new" : "recurring"}`;

/** "rbac-missing 10, maa-500 2" — the first `max` rules, then "+N more rules". */
export function rulesLine(s: ServerDigest, max = 3): string {
  const entries = Object.entries(s.byRule);
  const shown = entries.slice(0, max).map(([rule, n]) => `${rule} ${n}`);
  if (entries.length > max) shown.push(`+${entries.length - max} more rules`);
  return shown.join(", ");
}

export const seenLine = (s: ServerDigest): string =>
  `first ${instant(s.firstSeen)} UTC, last ${instant(s.lastSeen)} UTC`;

export const moreLine = (more: number): string => `and ${more} more server${more === 1 ? "" : "s"}`;

/** The chat command a Run-check button sends. */
export const checkCommand = (server: string): string => `check ${server}`;

export function pick(post: DigestPost, cap: number): ReturnType<typeof topServers> {
  return topServers(post.view, Math.min(post.topN, cap));
}

/** Cuts `text` to `max` characters, ending with "…" when cut. */
export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;

/** Servers named in an incident row before "and N more". */
export const INCIDENT_SERVERS_SHOWN = 8;

/** One incident row (issue 14): what it is, where and since when, the servers, and its escalate command. */
export interface IncidentLine {
  readonly headline: string;
  readonly servers: string;
  readonly escalate: string;
}

/**
 * "🚨 Incident: Azure Attestation internal server error (0x000001f4) — 14 servers in eastus2 since
 * 09:12 UTC · 110 failures", the servers, and the command that escalates it once.
 */
export function incidentLines(view: DigestView): IncidentLine[] {
  return (view.incidents ?? []).map((i) => {
    const shown = i.servers.slice(0, INCIDENT_SERVERS_SHOWN).join(", ");
    const rest =
      i.servers.length > INCIDENT_SERVERS_SHOWN
        ? ` and ${i.servers.length - INCIDENT_SERVERS_SHOWN} more`
        : "";
    return {
      headline: `🚨 Incident: ${i.title} — ${i.scope} · ${i.failures} failures`,
      servers: `Servers: ${shown}${rest} (one incident: escalate once)`,
      escalate: `attest escalate ${i.servers[0] ?? ""}`.trim(),
    };
  });
}

/** "Snoozed here: a, b (attest snooze <server> --for 0s … ends it)" or null. */
export function snoozedLine(view: DigestView): string | null {
  const s = view.snoozed ?? [];
  return s.length === 0 ? null : `Snoozed in this conversation: ${s.join(", ")}`;
}

/**
 * The snooze command a digest of named servers offers when exactly one server fails in it
 * ("leave it out for a day"), or null.
 */
export function snoozeCommand(view: DigestView): string | null {
  const only = view.servers.length === 1 && view.unseen !== null ? view.servers[0] : undefined;
  return only ? `attest snooze ${only.server} --for 1d` : null;
}
