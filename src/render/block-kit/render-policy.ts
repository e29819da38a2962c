/**
 * PolicyView -> Block Kit message (`/attest policy`, the policy modal's result): a header with the
 * verdict, the facts as fields, parse errors with line and column, one section per finding with
 * its fix, and the recommended policy in a code block when the view carries it. Reads only the
 * view model (the Teams card reads the same one); keeps to LIMITS.
 */
import type { PolicyFindingView, PolicyView } from "../../domain/policy/view.js";
import { type Block, context, divider, mrkdwn, plain, type SlackMessage, section } from "./blocks.js";
import { fencedCode, fitGroups, joinWithin, LIMITS, truncate } from "./limits.js";
import { escapeMrkdwn } from "./mrkdwn.js";

/** Longest line of a finding before the section as a whole is fitted. */
const LINE_MAX = 1200;
/**
 * Caps that keep the fixed parts of the message (verdict, facts, parse errors, recommended policy)
 * well inside LIMITS.totalText, so at least one finding always has room; real policies stay far
 * below them. Findings beyond the total are dropped with a count (fitGroups).
 */
export const POLICY_TEXT = {
  headline: 500,
  /** All facts together; each gets an equal share. */
  facts: 1800,
  errors: 1500,
  /** Policy text in a finding's fix. */
  fixCode: 1500,
  recommended: 2500,
} as const;

/** A fix is one line of advice, optionally followed by policy text (shown as code). */
function splitFix(fix: string): { advice: string; code: string | null } {
  const at = fix.indexOf("\n");
  if (at < 0) return { advice: fix, code: null };
  const code = fix.slice(at + 1).trim();
  return { advice: fix.slice(0, at), code: code === "" ? null : code };
}

/** One finding; a fix that is the recommended policy itself points at it instead of repeating it. */
function findingBlocks(f: PolicyFindingView, recommended: string | null): Block[] {
  const split = splitFix(f.fix);
  const same = split.code !== null && recommended !== null && split.code.trim() === recommended.trim();
  const advice = same ? `${split.advice.replace(/:\s*$/, "")} (below).` : split.advice;
  const code = same ? null : split.code;
  const lines = [
    `${f.icon} *${escapeMrkdwn(f.severity)}:* ${escapeMrkdwn(f.message)}`,
    `*Fix:* ${escapeMrkdwn(advice)}`,
  ];
  const blocks = [
    section(
      joinWithin(
        lines.map((l) => truncate(l, LINE_MAX)),
        LIMITS.text,
        "lines",
      ),
    ),
  ];
  if (code !== null) blocks.push(section(fencedCode(code, POLICY_TEXT.fixCode)));
  return blocks;
}

function headBlocks(view: PolicyView): Block[] {
  const v = view.verdict;
  const blocks: Block[] = [
    { type: "header", text: plain(truncate(`${v.icon} Attestation policy check`, LIMITS.header)) },
    section(truncate(`*${escapeMrkdwn(v.headline)}*`, POLICY_TEXT.headline)),
  ];
  const shown = view.facts.slice(0, LIMITS.fields);
  const factMax = Math.min(LIMITS.fieldText, Math.floor(POLICY_TEXT.facts / Math.max(1, shown.length)));
  const facts = shown.map((f) =>
    mrkdwn(truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, factMax)),
  );
  if (facts.length > 0) blocks.push({ type: "section", fields: facts });
  if (view.errors.length > 0) {
    const lines = view.errors.map((e) =>
      truncate(`⛔ Line ${e.line}, column ${e.column}: ${escapeMrkdwn(e.message)}`, LINE_MAX),
    );
    blocks.push(
      section(joinWithin([`*Parse errors (${view.errors.length})*`, ...lines], POLICY_TEXT.errors, "errors")),
    );
  }
  blocks.push(divider);
  return blocks;
}

function tailBlocks(view: PolicyView): Block[] {
  const blocks: Block[] = [];
  if (view.recommendedPolicy !== null) {
    blocks.push(divider, section("*Recommended policy* (Microsoft's, for the Azure SQL enclave):"));
    blocks.push(section(fencedCode(view.recommendedPolicy.trimEnd(), POLICY_TEXT.recommended)));
  }
  blocks.push(context("📋 From pasted policy text; nothing was sent to Azure Attestation."));
  return blocks;
}

/** The fallback text (notifications, screen readers). */
export function policySummary(view: PolicyView): string {
  return truncate(escapeMrkdwn(`${view.verdict.icon} ${view.verdict.headline}`), LIMITS.fallback);
}

export function renderPolicy(view: PolicyView): SlackMessage {
  const groups =
    view.findings.length > 0
      ? view.findings.map((f) => findingBlocks(f, view.recommendedPolicy))
      : [[section("_No findings._")]];
  return {
    text: policySummary(view),
    blocks: fitGroups(
      headBlocks(view),
      groups,
      tailBlocks(view),
      "findings",
      "Run `npm run -s attest -- policy` in the CLI for all of them.",
    ),
  };
}
