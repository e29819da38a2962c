/**
 * Block Kit for the policy check (`/attest policy`): the seeds' policies and variations rendered
 * from the real lint (policyReply), checked against Slack's limits and golden files
 * (test/golden/slack/policy-*.json, UPDATE_GOLDEN=1 rewrites them); an oversized view still fits.
 */
import { describe, expect, it } from "vitest";
import { digestArguments } from "../../../src/adapters/slack/digest.js";
import { type PolicyView, policyReply } from "../../../src/domain/policy/view.js";
import type { Block, SlackMessage } from "../../../src/render/block-kit/blocks.js";
import { LIMITS, messageProblems } from "../../../src/render/block-kit/limits.js";
import { POLICY_MODAL, policyModal } from "../../../src/render/block-kit/policy-modal.js";
import { renderText, renderUsage } from "../../../src/render/block-kit/render-messages.js";
import { renderPolicy } from "../../../src/render/block-kit/render-policy.js";
import { COND, fixture, permitWhen, policyJwt, RECOMMENDED_CONDITIONS } from "../policy/helpers.js";
import { golden } from "./golden.js";

const text = (m: SlackMessage) => JSON.stringify(m);
const sectionTexts = (m: SlackMessage) =>
  m.blocks.flatMap((b: Block) => (b.type === "section" && b.text ? [b.text.text] : []));

const POLICIES: Record<string, string> = {
  recommended: permitWhen(RECOMMENDED_CONDITIONS),
  "recommended-docs": fixture("recommended-docs.txt"),
  "sample-svn0": fixture("sample-svn0.txt"),
  "missing-semicolon": fixture("missing-semicolon.txt"),
  "default-sgx": fixture("default-sgx.txt"),
  "refuses-enclave": permitWhen([COND.debuggable, COND.svn(7)]),
  "debuggable-allowed": permitWhen([COND.productId, COND.svn(2), COND.mrsigner]),
  "jwt-bad-base64": "eyJhbGciOiJub25lIn0.eyJBdHRlc3RhdGlvblBvbGljeSI6I*bad*.",
  "jwt-wrapped-recommended": policyJwt(permitWhen(RECOMMENDED_CONDITIONS)),
};

describe("renderPolicy on the real policy check", () => {
  for (const [name, policy] of Object.entries(POLICIES)) {
    it(`${name}: within Slack's limits and equal to its golden file`, () => {
      const m = renderPolicy(policyReply(policy));
      expect(messageProblems(m)).toEqual([]);
      expect(m).toEqual(golden(`policy-${name}`, m));
    });
  }

  it("the recommended policy: a good verdict, no findings, and no recommended policy block", () => {
    const m = renderPolicy(policyReply(POLICIES.recommended!));
    expect(m.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "✅ Attestation policy check", emoji: true },
    });
    expect(m.text).toContain("as strict as the recommended policy");
    expect(text(m)).toContain("_No findings._");
    expect(text(m)).not.toContain("Recommended policy");
  });

  it("a parse error is shown with its line and column", () => {
    const m = renderPolicy(policyReply(POLICIES["missing-semicolon"]!));
    expect(m.text).toContain("does not parse");
    expect(sectionTexts(m).join("\n")).toContain("⛔ Line 2, column 1: mismatched input '[' expecting ';'");
    const facts = m.blocks.find((b) => b.type === "section" && b.fields);
    expect(JSON.stringify(facts)).toContain("*Parses*\\nno");
  });

  it("a weaker policy: each finding with its fix, and the recommended policy in a code block", () => {
    const m = renderPolicy(policyReply(POLICIES["debuggable-allowed"]!));
    const all = sectionTexts(m).join("\n");
    expect(all).toMatch(/⛔ \*error:\* .*debug/i);
    expect(all).toContain('*Fix:* Add the condition [ type=="x-ms-sgx-is-debuggable", value==false ]');
    const code = sectionTexts(m).find((t) => t.startsWith("```") && t.includes("authorizationrules"));
    expect(code).toContain('value=="e31c9e505f37a58de09335075fc8591254313eb20bb1a27e5443cc450b6e33e5"');
    expect(code?.endsWith("```")).toBe(true);
  });

  it("a fix that is the recommended policy points at it instead of repeating it", () => {
    const m = renderPolicy(policyReply(POLICIES["default-sgx"]!));
    expect(
      sectionTexts(m).filter((t) => t.startsWith("```") && t.includes("authorizationrules")),
    ).toHaveLength(1);
    expect(sectionTexts(m).join("\n")).toContain("*Fix:* Replace it with the recommended policy (below).");
  });

  it("a refused enclave names the failing condition", () => {
    const m = renderPolicy(policyReply(POLICIES["refuses-enclave"]!));
    expect(m.blocks[0]).toMatchObject({ text: { text: "⛔ Attestation policy check" } });
    expect(text(m)).toContain("Failing condition");
  });

  it("an oversized view (200 long findings, 100 errors, a huge recommended policy) stays within the limits", () => {
    const base = policyReply(POLICIES["sample-svn0"]!);
    const long = "x".repeat(5000);
    const view: PolicyView = {
      ...base,
      verdict: { ...base.verdict, headline: long },
      facts: Array.from({ length: 14 }, (_, i) => ({ label: `fact ${i} ${long}`, value: long })),
      errors: Array.from({ length: 100 }, (_, i) => ({ line: i + 1, column: 3, message: long })),
      findings: Array.from({ length: 200 }, () => ({
        severity: "warning" as const,
        tone: "warning" as const,
        icon: "⚠️",
        message: `<b>&${long}`,
        fix: `Do this\n${"```"}${long}`,
      })),
      recommendedPolicy: `${long}\n${long}`,
    };
    const m = renderPolicy(view);
    expect(messageProblems(m)).toEqual([]);
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(text(m)).toMatch(/more findings not shown/);
    expect(text(m)).toContain("&lt;b&gt;&amp;");
    expect(text(m)).toContain("Recommended policy");
  });
});

describe("the policy modal", () => {
  it("has a multi-line input within Slack's limits and keeps where to answer in private_metadata", () => {
    const v = policyModal(JSON.stringify({ team: "T1", channel: "C1" }));
    expect(v).toMatchObject({ type: "modal", callback_id: POLICY_MODAL.callbackId });
    expect(JSON.parse(v.private_metadata)).toEqual({ team: "T1", channel: "C1" });
    for (const t of [v.title, v.submit, v.close]) expect(t.text.length).toBeLessThanOrEqual(24);
    const input = v.blocks.find((b) => b.type === "input");
    expect(input).toMatchObject({
      block_id: POLICY_MODAL.blockId,
      element: {
        type: "plain_text_input",
        action_id: POLICY_MODAL.actionId,
        multiline: true,
        max_length: 3000,
      },
    });
    expect(() => policyModal("x".repeat(3001))).toThrow(/private_metadata/);
  });
});

describe("help and text replies", () => {
  it("help lists policy (and, for the slash command, the form) and every digest command", () => {
    const slash = text(renderUsage(null, "slash"));
    for (const s of [
      "/attest policy &lt;pasted policy&gt;",
      "`/attest policy` — opens a form",
      "/attest digest subscribe",
      "/attest digest list",
      "/attest digest unsubscribe &lt;id&gt;",
      "/attest digest preview",
    ])
      expect(slash).toContain(s);
    const mention = text(renderUsage(null, "mention"));
    expect(mention).toContain("@attest digest subscribe");
    expect(mention).not.toContain("opens a form");
    expect(messageProblems(renderUsage(null, "slash"))).toEqual([]);
  });

  it("renderText keeps cron patterns as plain text and long lists within a section", () => {
    const m = renderText(`Subscribed. d-1: whole fleet; "* * * * *" UTC;\n${"line\n".repeat(2000)}`);
    expect(m.blocks[0]).toMatchObject({ type: "section", text: { type: "plain_text" } });
    expect(text(m)).toContain('\\"* * * * *\\"');
    expect(messageProblems(m)).toEqual([]);
  });
});

describe("digestArguments", () => {
  it.each([
    ["digest list", "list"],
    ["attest digest subscribe --all", "subscribe --all"],
    ["/attest DIGEST preview", "preview"],
    ["digest", ""],
    ["check digest", null],
    ["digests list", null],
    ["explain digest", null],
  ])("%s -> %s", (input, expected) => {
    expect(digestArguments(input)).toBe(expected);
  });
});
