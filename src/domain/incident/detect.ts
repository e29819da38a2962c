/**
 * Fleet-wide incidents: when many servers fail with the same MAA error class in one region (or
 * on one attestation provider) in the same window, that is one incident for the MAA owner, not
 * one escalation per server. Input: per-server failure classes (`queries/fleet-incidents.kql`, or
 * the digest's fleet-summary rows); output: the incidents, largest first. Pure.
 */
import { parseMessage } from "../diagnosis/parse-message.js";
import type { Category } from "../diagnosis/types.js";
import { checkAttestationUrl, providerOf } from "../url/check-attestation-url.js";

/** Failures of one server in one class (error id + return code) in the window. */
export interface IncidentRow {
  /** Lowercase logical server name. */
  readonly server: string;
  readonly errorId: number;
  readonly code: string | null;
  readonly failures: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** One message of the class (names the attestation URL, hence the provider). */
  readonly sample: string;
  /** The server's Azure region (from its tenant ring), or null when not known. */
  readonly region: string | null;
}

/** Which rule a sample message matches (the same rules as `check`). */
export type IncidentClassifier = (
  sample: string,
  errorId: number,
) => { readonly rule: string; readonly category: Category; readonly title?: string };

export interface IncidentSettings {
  /** This many servers or more failing with the same MAA class in one region/provider = an incident. */
  readonly minServers: number;
  /** The window the servers must fail in together (ms). */
  readonly windowMs: number;
}

export const DEFAULT_INCIDENT_SETTINGS: IncidentSettings = { minServers: 5, windowMs: 3 * 3_600_000 };

export interface Incident {
  /** Stable id: `<rule>@<scope>:<key>`, e.g. `maa-internal-error@region:eastus2`. */
  readonly id: string;
  readonly rule: string;
  readonly title: string;
  readonly category: Category;
  readonly scope: "region" | "provider";
  /** The region (`eastus2`) or the attestation provider (`sharedeus2`). */
  readonly key: string;
  /** Affected servers, sorted. */
  readonly servers: readonly string[];
  readonly failures: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Attestation providers the affected servers use, sorted. */
  readonly providers: readonly string[];
  /** Return codes seen, sorted. */
  readonly codes: readonly string[];
  readonly errorIds: readonly number[];
}

/** The categories an incident is made of: failures the MAA owner must act on. */
const INCIDENT_CATEGORIES: readonly Category[] = ["maa_escalation"];

interface Classified extends IncidentRow {
  readonly rule: string;
  readonly title: string;
  readonly category: Category;
  readonly provider: string | null;
}

function providerIn(sample: string): string | null {
  for (const url of parseMessage(sample).urls) {
    const checked = checkAttestationUrl(url);
    const provider = checked.ok ? checked.provider : providerOf(url);
    if (provider) return provider.toLowerCase();
  }
  return null;
}

function group(rows: readonly Classified[], scope: Incident["scope"], key: string): Incident {
  const servers = [...new Set(rows.map((r) => r.server))].sort();
  const first = rows[0] as Classified;
  return {
    id: `${first.rule}@${scope}:${key}`,
    rule: first.rule,
    title: first.title,
    category: first.category,
    scope,
    key,
    servers,
    failures: rows.reduce((n, r) => n + r.failures, 0),
    firstSeen: rows.map((r) => r.firstSeen).sort()[0] ?? first.firstSeen,
    lastSeen:
      rows
        .map((r) => r.lastSeen)
        .sort()
        .at(-1) ?? first.lastSeen,
    providers: [...new Set(rows.flatMap((r) => (r.provider ? [r.provider] : [])))].sort(),
    codes: [...new Set(rows.flatMap((r) => (r.code ? [r.code] : [])))].sort(),
    errorIds: [...new Set(rows.map((r) => r.errorId))].sort((a, b) => a - b),
  };
}

function bucket(rows: readonly Classified[], keyOf: (r: Classified) => string | null) {
  const out = new Map<string, Classified[]>();
  for (const r of rows) {
    const key = keyOf(r);
    if (key === null) continue;
    const id = `${r.rule}\u0000${key}`;
    out.set(id, [...(out.get(id) ?? []), r]);
  }
  return out;
}

/**
 * The incidents among `rows`: per MAA rule, each region with at least `minServers` failing
 * servers, then each provider with that many that is not already inside a region incident of
 * the same rule. Largest first (servers, then failures), then by id.
 */
export function detectIncidents(
  rows: readonly IncidentRow[],
  classify: IncidentClassifier,
  settings: Pick<IncidentSettings, "minServers">,
): Incident[] {
  if (!(Number.isInteger(settings.minServers) && settings.minServers >= 2))
    throw new RangeError(`minServers must be an integer of at least 2, got ${settings.minServers}`);
  const memo = new Map<string, ReturnType<IncidentClassifier>>();
  const classified: Classified[] = [];
  for (const row of rows) {
    const memoKey = `${row.errorId}\u0000${row.sample}`;
    let hit = memo.get(memoKey);
    if (!hit) {
      hit = classify(row.sample, row.errorId);
      memo.set(memoKey, hit);
    }
    if (!INCIDENT_CATEGORIES.includes(hit.category)) continue;
    classified.push({
      ...row,
      rule: hit.rule,
      title: hit.title ?? hit.rule,
      category: hit.category,
      provider: providerIn(row.sample),
    });
  }
  const big = (g: Classified[]) => new Set(g.map((r) => r.server)).size >= settings.minServers;
  const incidents: Incident[] = [];
  for (const [id, g] of bucket(classified, (r) => r.region?.toLowerCase() ?? null))
    if (big(g)) incidents.push(group(g, "region", id.split("\u0000")[1] ?? ""));
  for (const [id, g] of bucket(classified, (r) => r.provider)) {
    if (!big(g)) continue;
    const servers = new Set(g.map((r) => r.server));
    const inside = incidents.some(
      (i) => i.rule === g[0]?.rule && [...servers].every((s) => i.servers.includes(s)),
    );
    if (!inside) incidents.push(group(g, "provider", id.split("\u0000")[1] ?? ""));
  }
  return incidents.sort(
    (a, b) => b.servers.length - a.servers.length || b.failures - a.failures || a.id.localeCompare(b.id),
  );
}

const pad = (n: number) => String(n).padStart(2, "0");
/** "2026-11-24 09:12 UTC": the view's instant format, which each renderer shows in its platform's own. */
const instant = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
};

/** "14 servers in eastus2 since 2026-11-24 09:12 UTC" / "6 servers on provider sharedeus2 since …". */
export function incidentScopeText(incident: Incident): string {
  const where = incident.scope === "region" ? `in ${incident.key}` : `on provider ${incident.key}`;
  return `${incident.servers.length} servers ${where} since ${instant(incident.firstSeen)}`;
}

/** The sentence `check` adds: "Part of a wider incident: 14 servers in eastus2 since 09:12 UTC (...)". */
export function incidentSentence(incident: Incident): string {
  return `Part of a wider incident: ${incidentScopeText(incident)} (${incident.title}; ${incident.failures} failures; escalate once, as incident ${incident.id}).`;
}

/** The incident `server` is part of, for its failures of `rule`; null when none. */
export function incidentOf(incidents: readonly Incident[], server: string, rule: string): Incident | null {
  const s = server.toLowerCase();
  return incidents.find((i) => i.rule === rule && i.servers.includes(s)) ?? null;
}

/** The incident classifier of `check` and digests: the message rules, as for telemetry rows. */
export function ruleIncidentClassifier(
  classify: (sample: string, errorId: number) => { meta: { id: string; category: Category; title: string } },
): IncidentClassifier {
  return (sample, errorId) => {
    const { meta } = classify(sample, errorId);
    return { rule: meta.id, category: meta.category, title: meta.title };
  };
}
