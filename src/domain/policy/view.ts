/**
 * The platform-neutral view of a policy check, for the chat card (Teams, Slack) and the CLI text.
 * `policyReply(text)` is what the chat `policy` command calls.
 */
import type { Tone } from "../view/labels.js";
import { type LintOptions, type LintResult, lintFails, lintPolicy, type Severity } from "./lint.js";
import { recommendedPolicyText, SQL_ENCLAVE } from "./recommended.js";

export interface PolicyFindingView {
  readonly severity: Severity;
  readonly tone: Tone;
  readonly icon: string;
  readonly message: string;
  readonly fix: string;
}

export interface PolicyView {
  readonly kind: "policy";
  readonly verdict: { readonly tone: Tone; readonly icon: string; readonly headline: string };
  /** "Parses: yes (version 1.0)" style facts, in display order. */
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  readonly errors: readonly { readonly line: number; readonly column: number; readonly message: string }[];
  readonly findings: readonly PolicyFindingView[];
  /** Shown when the policy is weaker than, or refuses what, the recommended policy accepts. */
  readonly recommendedPolicy: string | null;
  /** The lint result as the CLI's `--format json` prints it. */
  readonly result: LintResult;
}

const SEVERITY_VIEW: Readonly<Record<Severity, { tone: Tone; icon: string }>> = {
  error: { tone: "attention", icon: "⛔" },
  warning: { tone: "warning", icon: "⚠️" },
  info: { tone: "accent", icon: "ℹ️" },
};

function headline(r: LintResult, svn: number): string {
  if (!r.valid) return "The policy does not parse: MAA would reject it (PolicyParsingError).";
  if (r.permits === false)
    return `The policy refuses the Azure SQL enclave (svn ${svn}): attestation would fail.`;
  if (r.permits === null)
    return `Whether the policy lets the Azure SQL enclave (svn ${svn}) through cannot be told: it depends on the hash of the enclave build (x-ms-sgx-mrenclave), which is not published.`;
  const weak = r.findings.filter((f) => f.severity === "error" || f.severity === "warning").length;
  if (weak > 0)
    return `The policy lets the Azure SQL enclave through but is weaker than the recommended policy (${weak} finding${weak === 1 ? "" : "s"}).`;
  return "The policy lets the Azure SQL enclave through and is as strict as the recommended policy.";
}

export function policyView(result: LintResult, options: LintOptions = {}): PolicyView {
  const svn = options.svn ?? SQL_ENCLAVE.defaultSvn;
  const fails = lintFails(result);
  // The headline is as severe as the worst thing below it (issue 12): a parse error or a refused
  // enclave is an error, an undecidable enclave a warning, then each finding's own severity.
  const severities: Severity[] = [
    ...(result.valid ? [] : ["error" as const]),
    ...(result.permits === false ? ["error" as const] : result.permits === null ? ["warning" as const] : []),
    ...result.findings.map((f) => f.severity),
  ];
  const worst = severities.includes("error") ? "error" : "warning";
  const verdict = !fails
    ? { tone: "good" as const, icon: "✅" }
    : { tone: SEVERITY_VIEW[worst].tone, icon: SEVERITY_VIEW[worst].icon };
  return {
    kind: "policy",
    verdict: { ...verdict, headline: headline(result, svn) },
    facts: [
      { label: "Parses", value: result.valid ? "yes" : "no" },
      {
        label: `Permits the Azure SQL enclave (svn ${svn})`,
        value: result.permits === null ? "unknown" : result.permits ? "yes" : "no",
      },
      ...(result.failingCondition ? [{ label: "Failing condition", value: result.failingCondition }] : []),
    ],
    errors: result.errors,
    findings: result.findings.map((f) => ({ ...SEVERITY_VIEW[f.severity], ...f })),
    recommendedPolicy: fails ? recommendedPolicyText(svn) : null,
    result,
  };
}

/** Lints `text` (policy text or a policy JWT) and builds the reply view. Never throws. */
export function policyReply(text: string, options: LintOptions = {}): PolicyView {
  return policyView(lintPolicy(text, options), options);
}

/** Plain text rendering (CLI and any text-only chat surface). */
export function renderPolicyText(view: PolicyView): string {
  const lines = [`${view.verdict.icon} ${view.verdict.headline}`, ""];
  for (const f of view.facts) lines.push(`${f.label}: ${f.value}`);
  for (const e of view.errors)
    lines.push(`${SEVERITY_VIEW.error.icon} Error at line ${e.line}, column ${e.column}: ${e.message}`);
  if (view.findings.length > 0) lines.push("", "Findings:");
  for (const f of view.findings) {
    lines.push(`${f.icon} [${f.severity}] ${f.message}`);
    lines.push(...`Fix: ${f.fix}`.split("\n").map((l) => `    ${l}`));
  }
  return `${lines.join("\n")}\n`;
}
