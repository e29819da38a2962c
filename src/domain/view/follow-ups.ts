/**
 * The follow-up buttons of a diagnosis (issue 14), platform-neutral: "This fixed it" / "This did
 * not" for the leading finding's rule, and "Escalation packet" when the move belongs to another
 * team (MAA owner, Azure SQL deployment). Each carries the command it runs, so a click goes
 * through the same parsing and validation as typed text.
 */
import { ESCALATION_CATEGORIES } from "../escalation/packet.js";
import type { DiagnosisView } from "./check-view.js";

export interface FollowUp {
  readonly name: "fixed" | "not_fixed" | "escalate";
  readonly title: string;
  readonly command: string;
}

/** Rules whose finding says there is nothing to fix (feedback makes no sense). */
const NOTHING_TO_FIX = new Set(["no-attestation-failures"]);

export function followUps(view: DiagnosisView): FollowUp[] {
  const lead = view.findings[0];
  const server = view.kind === "check" ? ` ${view.subject}` : "";
  const out: FollowUp[] = [];
  if (lead && !NOTHING_TO_FIX.has(lead.rule)) {
    out.push({
      name: "fixed",
      title: "This fixed it",
      command: `attest feedback fixed ${lead.rule}${server}`,
    });
    out.push({
      name: "not_fixed",
      title: "This did not",
      command: `attest feedback not-fixed ${lead.rule}${server}`,
    });
  }
  if (view.kind === "check" && view.findings.some((f) => ESCALATION_CATEGORIES.includes(f.category))) {
    const ms = view.windowRange ? Date.parse(view.windowRange.to) - Date.parse(view.windowRange.from) : NaN;
    const since = Number.isFinite(ms) && ms > 0 && ms % 60_000 === 0 ? ` --since ${ms / 60_000}m` : "";
    out.push({
      name: "escalate",
      title: "Escalation packet",
      command: `attest escalate ${view.subject}${since}`,
    });
  }
  return out;
}
