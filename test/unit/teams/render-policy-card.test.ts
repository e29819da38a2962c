/**
 * The policy check card on the real policy check (parser, evaluation, comparison with the
 * recommended policy): parses with the adaptivecards library without warnings, within the size
 * budget, golden files in test/golden/teams/policy-*.card.json (UPDATE_GOLDEN=1 rewrites them).
 */
import { describe, expect, it } from "vitest";
import { type PolicyView, policyReply } from "../../../src/domain/policy/view.js";
import { POLICY_INPUT_ID, RUN_VERB } from "../../../src/render/adaptive-card/actions.js";
import { TONE_STYLE } from "../../../src/render/adaptive-card/card-data.js";
import { MAX_CARD_BYTES } from "../../../src/render/adaptive-card/render-diagnosis-card.js";
import {
  renderPolicyCard,
  renderPolicyInputCard,
} from "../../../src/render/adaptive-card/render-policy-card.js";
import { cardBytes } from "../../../src/render/adaptive-card/templates.js";
import { COND, fixture, permitWhen, policyJwt, RECOMMENDED_CONDITIONS } from "../policy/helpers.js";
import { teamsVisible } from "../render/visible.js";
import { cardText, checkCard } from "./card-validation.js";
import { golden } from "./golden.js";

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

interface Block {
  type: string;
  style?: string;
  items?: Block[];
  inlines?: Block[];
  text?: string;
  fontType?: string;
}
type Body = Block[];

/** Every TextBlock of the card, containers flattened. */
function blocks(card: Record<string, unknown>): Body {
  const out: Body = [];
  const walk = (items: Body) => {
    for (const b of items) {
      out.push(b);
      if (b.items) walk(b.items);
      // A RichTextBlock's TextRuns (code) count as blocks of text too.
      if (b.inlines) walk(b.inlines);
    }
  };
  walk(card.body as Body);
  return out;
}

describe("policy card on the real policy check", () => {
  for (const [name, policy] of Object.entries(POLICIES)) {
    it(`${name}: parses cleanly, fits, as golden`, () => {
      const view = policyReply(policy);
      const rendered = renderPolicyCard(view);
      expect(checkCard(rendered.card).problems).toEqual([]);
      expect(rendered.bytes).toBeLessThanOrEqual(MAX_CARD_BYTES);
      // The banner has the verdict's tone and headline.
      const banner = (rendered.card.body as Body)[0];
      expect(banner?.style).toBe(TONE_STYLE[view.verdict.tone].style);
      expect(cardText(rendered.card)).toContain(view.verdict.headline);
      const g = golden(`policy-${name}.card.json`, rendered.card);
      expect(g.expected, "golden file missing: run with UPDATE_GOLDEN=1").not.toBeNull();
      expect(g.actual).toBe(g.expected);
    });
  }

  it("recommended policy: good banner, no findings, no recommended policy repeated", () => {
    const view = policyReply(POLICIES.recommended!);
    const card = renderPolicyCard(view).card;
    expect(view.verdict.tone).toBe("good");
    const text = cardText(card);
    expect(text).toContain("Parses");
    expect(text).toContain("No findings.");
    expect(text).not.toContain("Recommended policy");
  });

  it("missing semicolon: the parse error with its line and column, attention banner", () => {
    const view = policyReply(POLICIES["missing-semicolon"]!);
    const e = view.errors[0]!;
    const text = cardText(renderPolicyCard(view).card);
    expect(text).toContain(`Line ${e.line}, column ${e.column}: ${e.message}`);
    expect((renderPolicyCard(view).card.body as Body)[0]?.style).toBe("attention");
  });

  it("debuggable allowed: the finding with icon, message and fix; the recommended policy in monospace", () => {
    const view = policyReply(POLICIES["debuggable-allowed"]!);
    const finding = view.findings.find((f) => f.fix.includes("x-ms-sgx-is-debuggable"))!;
    const card = renderPolicyCard(view).card;
    const text = cardText(card);
    expect(text).toContain(`${finding.icon} ${finding.message}`);
    expect(text).toContain(`Fix: ${finding.fix}`);
    expect(view.recommendedPolicy).not.toBeNull();
    // Code in a TextRun (not Markdown): every line exactly as the policy has it, no escapes (issue 12).
    const mono = blocks(card)
      .filter((b) => b.type === "TextRun" && b.fontType === "Monospace")
      .map((b) => (b.text ?? "").replace(/\u00a0/g, " "))
      .join("\n");
    for (const line of view.recommendedPolicy!.trimEnd().split("\n")) expect(mono).toContain(line.trimEnd());
    expect(mono).not.toMatch(/\\[[\]_>=]/);
    const seen = teamsVisible(card);
    for (const line of view.recommendedPolicy!.trimEnd().split("\n")) expect(seen).toContain(line.trimEnd());
  });

  it("a fix that is the whole recommended policy points below instead of repeating it", () => {
    const view = policyReply(POLICIES["default-sgx"]!);
    const card = renderPolicyCard(view).card;
    const mrsignerLines = blocks(card).filter((b) => b.text?.includes("x-ms-sgx-mrsigner"));
    expect(mrsignerLines).toHaveLength(1);
    expect(cardText(card)).toContain("(below)");
  });

  it("a huge view is cut down to the budget, counting what was left out", () => {
    const base = policyReply(POLICIES["debuggable-allowed"]!);
    const finding = base.findings[0]!;
    const view: PolicyView = {
      ...base,
      errors: Array.from({ length: 40 }, (_, i) => ({ line: i + 1, column: 1, message: "x".repeat(900) })),
      findings: Array.from({ length: 40 }, () => ({ ...finding, message: "y".repeat(2000) })),
    };
    const rendered = renderPolicyCard(view);
    expect(rendered.bytes).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(cardBytes(rendered.card)).toBe(rendered.bytes);
    expect(checkCard(rendered.card).problems).toEqual([]);
    const text = cardText(rendered.card);
    expect(text).toMatch(/… and \d+ more errors/);
    expect(text).toMatch(/… and \d+ more findings left out to fit the card/);
  });

  it("the input card: a required multi-line input and a Check button (Action.Execute, same verb as re-run)", () => {
    const card = renderPolicyInputCard(null);
    expect(checkCard(card).problems).toEqual([]);
    const input = (card.body as { type: string; id?: string; isMultiline?: boolean }[]).find(
      (b) => b.type === "Input.Text",
    );
    expect(input).toMatchObject({ id: POLICY_INPUT_ID, isMultiline: true, isRequired: true });
    expect(card.actions).toEqual([
      expect.objectContaining({
        type: "Action.Execute",
        verb: RUN_VERB,
        data: { attestCommand: "attest policy" },
      }),
    ]);
    expect(cardText(renderPolicyInputCard("Paste the policy first, then press Check."))).toContain(
      "Paste the policy first",
    );
    const g = golden("policy-input.card.json", card);
    expect(g.expected, "golden file missing: run with UPDATE_GOLDEN=1").not.toBeNull();
    expect(g.actual).toBe(g.expected);
  });
});
