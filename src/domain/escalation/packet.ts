/**
 * The escalation packet: the incident text the owning team (the MAA owner, or Azure SQL deployment)
 * needs, built from a `check`: server, region, attestation provider and URL, error classes and
 * return codes, first/last seen, counts, nodes, Kusto request ids, the KQL and an Azure Data
 * Explorer link, what was ruled out, and the wider incident when there is one. Plain text, so it
 * can be copied from Teams, Slack and the terminal as is. Pure.
 */
import { parseMessage } from "../diagnosis/parse-message.js";
import type { Category } from "../diagnosis/types.js";
import { type Incident, incidentScopeText } from "../incident/detect.js";
import { checkAttestationUrl, providerOf } from "../url/check-attestation-url.js";
import type { DiagnosisView, FindingView } from "../view/check-view.js";
import { formatInstant } from "../view/check-view.js";

/** The categories a packet is for: the move belongs to another team. */
export const ESCALATION_CATEGORIES: readonly Category[] = ["maa_escalation", "deployment_issue"];

export interface EscalationPacket {
  readonly server: string;
  /** Whom it goes to (the owner of the leading escalated finding). */
  readonly owner: string;
  /** One line: "[MAA] sgxtestmaa500: Azure Attestation internal server error (0x000001f4)". */
  readonly title: string;
  /** The whole packet as plain text (what the copy button / code block holds). */
  readonly text: string;
  /** The incident it belongs to, when the fleet shows one. */
  readonly incidentId: string | null;
}

/** Why there is no packet: the verdict is not another team's move. */
export interface NoEscalation {
  readonly server: string;
  readonly verdict: Category;
  readonly reason: string;
}

/** What a `check` of the same failures ruled out (rules that did not fire, questions that were answered). */
function ruledOut(view: DiagnosisView): string[] {
  const fired = new Set(view.findings.map((f) => f.rule));
  const answered = (name: string) => view.queries.some((q) => q.name === name && q.status === "ok");
  const out: string[] = [];
  if (answered("database-slo") && !fired.has("slo-not-dc-series") && !fired.has("database-not-found"))
    out.push("Service objective: every database checked is DC-series (Intel SGX capable).");
  if (answered("placement") && !fired.has("vm-size-not-sgx"))
    out.push("Placement: the server's ring uses an SGX VM size.");
  if (answered("enclave-events") && !fired.has("enclave-load-not-seen") && !fired.has("enclave-load-failed"))
    out.push("Enclave: the SGX enclave loaded on the server's nodes (37308).");
  if (answered("attestation-failures")) {
    const customer = [
      ["rbac-attestation-reader-missing", "missing Attestation Reader role (403)"],
      ["policy-evaluation-failed", "attestation policy rejection (PolicyEvaluationError)"],
      ["attestation-url-unreachable", "wrong attestation URL (0x00002ee7)"],
      ["attestation-url-malformed", "malformed attestation URL"],
    ].filter(([rule]) => !fired.has(rule as string));
    if (customer.length > 0)
      out.push(`Customer configuration: no ${customer.map(([, what]) => what).join(", ")} in the window.`);
  }
  return out;
}

interface UrlFacts {
  readonly urls: readonly string[];
  readonly providers: readonly string[];
  readonly regions: readonly string[];
}

function urlFacts(findings: readonly FindingView[], fallback: string | null): UrlFacts {
  const urls = new Set<string>();
  if (fallback) urls.add(fallback);
  for (const f of findings)
    for (const e of f.evidence) for (const u of parseMessage(e.message).urls) urls.add(u);
  const providers = new Set<string>();
  const regions = new Set<string>();
  for (const u of urls) {
    const c = checkAttestationUrl(u);
    if (c.ok) {
      providers.add(c.provider);
      regions.add(c.region);
    } else {
      const p = providerOf(u);
      if (p) providers.add(p);
    }
  }
  return { urls: [...urls].sort(), providers: [...providers].sort(), regions: [...regions].sort() };
}

const list = (xs: readonly string[], none = "not known") => (xs.length > 0 ? xs.join(", ") : none);
const when = (iso: string | null) => (iso ? formatInstant(iso) : "not known");

/**
 * The packet for `view` (a `check`), or why there is none. `incident` is the fleet-wide incident
 * the server is part of (from `check`).
 */
export function escalationPacket(
  view: DiagnosisView,
  incident: Incident | null,
  /** The main query as it can be run in a Kusto client (parameters bound); default its text. */
  runnableKql: string | null = null,
): EscalationPacket | NoEscalation {
  const escalated = view.findings.filter((f) => ESCALATION_CATEGORIES.includes(f.category));
  const lead = escalated[0];
  if (view.kind !== "check" || !lead)
    return {
      server: view.subject,
      verdict: view.verdict.category,
      reason: `Nothing to escalate: the verdict is "${view.verdict.label}" (${view.verdict.whoseMove}), not a move for the MAA owner or Azure SQL deployment.`,
    };
  const urls = urlFacts(escalated, view.attestationUrl);
  const codes = [...new Set(escalated.flatMap((f) => f.evidence.flatMap((e) => (e.code ? [e.code] : []))))];
  const errorIds = [
    ...new Set(escalated.flatMap((f) => f.evidence.flatMap((e) => (e.errorId ? [String(e.errorId)] : [])))),
  ];
  const nodes = [...new Set(escalated.flatMap((f) => f.nodes))].sort();
  const firstSeen =
    escalated
      .map((f) => f.firstSeen)
      .filter((t): t is string => t !== null)
      .sort()[0] ?? null;
  const lastSeen =
    escalated
      .map((f) => f.lastSeen)
      .filter((t): t is string => t !== null)
      .sort()
      .at(-1) ?? null;
  const requestIds = view.queries.flatMap((q) => (q.requestId ? [`${q.name}: ${q.requestId}`] : []));
  const main = view.queries.find((q) => q.name === "attestation-failures");
  const team = lead.category === "maa_escalation" ? "MAA" : "Azure SQL deployment";
  const title = `[${team}] ${view.subject}: ${lead.title}${incident ? ` (part of incident ${incident.id})` : ""}`;

  const lines: string[] = [
    title,
    "",
    `To: ${lead.owner}`,
    `Server: ${view.subject}${view.database ? ` / database ${view.database}` : ""}`,
    `Region: ${incident?.scope === "region" ? incident.key : `not known from telemetry (attestation provider region: ${list(urls.regions)})`}`,
    `Attestation provider: ${list(urls.providers)}`,
    `Attestation URL: ${list(urls.urls)}`,
    `Error classes: ${escalated.map((f) => `${f.rule} (${f.count}×)`).join(", ")}`,
    `Error ids: ${list(errorIds)}; return codes: ${list(codes)}`,
    `First seen: ${when(firstSeen)}; last seen: ${when(lastSeen)}; window ${view.window ?? "not known"}`,
    `Failures: ${escalated.reduce((n, f) => n + f.count, 0)}; nodes: ${list(nodes)}`,
  ];
  if (incident)
    lines.push(
      `Wider incident: ${incidentScopeText(incident)}; ${incident.failures} failures; providers ${list(incident.providers)}; servers ${incident.servers.join(", ")}`,
    );
  else if (lead.category === "maa_escalation")
    lines.push("Wider incident: none seen (no other servers failing the same way in the fleet query).");
  else lines.push("Wider incident: not looked for (the fleet is asked about MAA failures only).");
  lines.push("", "Findings:");
  for (const f of escalated) {
    lines.push(`- ${f.title}: ${f.why}`);
    for (const d of f.details) lines.push(`  ${d}`);
  }
  const ruled = ruledOut(view);
  lines.push(
    "",
    "Ruled out:",
    ...(ruled.length > 0 ? ruled.map((r) => `- ${r}`) : ["- nothing (checks failed)"]),
  );
  lines.push(
    "",
    "Kusto request ids:",
    ...(requestIds.length > 0 ? requestIds.map((r) => `- ${r}`) : ["- none"]),
  );
  if (view.explorerUrl) lines.push("", `Azure Data Explorer: ${view.explorerUrl}`);
  if (main) lines.push("", "KQL (attestation-failures):", (runnableKql ?? main.text).trim());
  lines.push("", `Re-run: ${view.rerunCommand ?? `attest check ${view.subject}`}`);
  return {
    server: view.subject,
    owner: lead.owner,
    title,
    text: `${lines.join("\n")}\n`,
    incidentId: incident?.id ?? null,
  };
}

export const isPacket = (p: EscalationPacket | NoEscalation): p is EscalationPacket => "text" in p;
