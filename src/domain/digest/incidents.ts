/**
 * Digest follow-ups (issue 14): fleet-wide incidents shown as one row instead of a row per server,
 * and servers a channel snoozed left out. Totals are not changed: they count every failure. Pure.
 */
import { type Incident, incidentScopeText } from "../incident/detect.js";
import type { DigestView } from "./types.js";

/** One incident in a digest: the servers it stands for, and the words for it. */
export interface DigestIncident {
  readonly id: string;
  readonly rule: string;
  readonly title: string;
  /** "14 servers in eastus2 since 09:12 UTC". */
  readonly scope: string;
  /** Every affected server in the fleet, sorted. */
  readonly servers: readonly string[];
  readonly failures: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

/**
 * `view` with `incidents` as incident rows: a server whose failures in the window are all of the
 * incident's rule is shown only in the incident row; a server with other failures keeps its row.
 */
export function foldIncidents(view: DigestView, incidents: readonly Incident[]): DigestView {
  if (incidents.length === 0) return view;
  const folded = new Set<string>();
  for (const incident of incidents)
    for (const s of view.servers)
      if (incident.servers.includes(s.server) && Object.keys(s.byRule).every((r) => r === incident.rule))
        folded.add(s.server);
  return {
    ...view,
    servers: view.servers.filter((s) => !folded.has(s.server)),
    incidents: incidents.map((i) => ({
      id: i.id,
      rule: i.rule,
      title: i.title,
      scope: incidentScopeText(i),
      servers: i.servers,
      failures: i.failures,
      firstSeen: i.firstSeen,
      lastSeen: i.lastSeen,
    })),
  };
}

/** `view` without the servers snoozed in this conversation (named in `snoozed` instead). */
export function applySnoozes(view: DigestView, snoozed: readonly string[]): DigestView {
  if (snoozed.length === 0) return view;
  const set = new Set(snoozed.map((s) => s.toLowerCase()));
  const hidden = view.servers.filter((s) => set.has(s.server)).map((s) => s.server);
  if (hidden.length === 0) return view;
  return { ...view, servers: view.servers.filter((s) => !set.has(s.server)), snoozed: hidden.sort() };
}
