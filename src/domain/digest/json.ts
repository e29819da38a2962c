/**
 * The digest as JSON for the CLI: `{window, totals, servers: [{server, verdict, failures, byRule,
 * trend, new}]}`, plus `unseen: [server]` when servers were named: those that sent no telemetry
 * in the window (left out for the whole fleet, so its shape is the issue's).
 */
import type { DigestView } from "./types.js";

export interface DigestJson {
  readonly window: { readonly from: string; readonly to: string };
  readonly totals: Readonly<Record<string, number>>;
  readonly servers: readonly {
    readonly server: string;
    readonly verdict: string;
    readonly failures: number;
    readonly byRule: Readonly<Record<string, number>>;
    readonly trend: {
      readonly previous: number;
      readonly direction: string;
      readonly sparkline: string;
    };
    readonly new: boolean;
  }[];
  readonly unseen?: readonly string[];
  readonly incidents?: readonly {
    readonly id: string;
    readonly rule: string;
    readonly scope: string;
    readonly servers: readonly string[];
    readonly failures: number;
    readonly firstSeen: string;
  }[];
  readonly snoozed?: readonly string[];
}

export function digestJson(view: DigestView): DigestJson {
  return {
    window: { from: view.window.from, to: view.window.to },
    totals: { ...view.totals },
    servers: view.servers.map((s) => ({
      server: s.server,
      verdict: s.verdict,
      failures: s.failures,
      byRule: { ...s.byRule },
      trend: { previous: s.trend.previous, direction: s.trend.direction, sparkline: s.trend.sparkline },
      new: s.new,
    })),
    ...(view.unseen === null ? {} : { unseen: [...view.unseen] }),
    ...(view.incidents && view.incidents.length > 0
      ? {
          incidents: view.incidents.map((i) => ({
            id: i.id,
            rule: i.rule,
            scope: i.scope,
            servers: [...i.servers],
            failures: i.failures,
            firstSeen: i.firstSeen,
          })),
        }
      : {}),
    ...(view.snoozed && view.snoozed.length > 0 ? { snoozed: [...view.snoozed] } : {}),
  };
}
