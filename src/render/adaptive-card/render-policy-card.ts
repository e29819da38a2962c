/**
 * PolicyView -> Adaptive Card 1.5: a verdict banner in the view's tone, the facts, parse errors
 * with line and column, the findings (icon, message, fix) and the recommended policy in
 * monospace. Built in code (no template): the pasted policy and its errors are arbitrary text.
 * Bound with progressively tighter limits until the card fits `maxBytes`, like the diagnosis card.
 * `renderPolicyInputCard` is the card `attest policy` alone answers with: a multi-line input and a
 * Check button whose click runs the same policy check.
 */
import type { PolicyFindingView, PolicyView } from "../../domain/policy/view.js";
import { POLICY_INPUT_ID, POLICY_INPUT_MAX_CHARS, RUN_VERB } from "./actions.js";
import { clip, codeText, TONE_STYLE } from "./card-data.js";
import { escapeMarkdown } from "./markdown.js";
import { MAX_CARD_BYTES } from "./render-diagnosis-card.js";
import { type AdaptiveCardJson, cardBytes } from "./templates.js";

export interface PolicyCardLimits {
  /** Parse errors listed; the rest are counted. */
  readonly errors: number;
  /** Findings listed; the rest are counted. */
  readonly findings: number;
  /** Characters of each message, fix line and fact. */
  readonly textChars: number;
  /** Monospace lines of a fix (after its first line) and of the recommended policy. */
  readonly codeLines: number;
}

export const DEFAULT_POLICY_LIMITS: PolicyCardLimits = {
  errors: 10,
  findings: 12,
  textChars: 1000,
  codeLines: 40,
};

const STEPS: readonly Partial<PolicyCardLimits>[] = [
  {},
  { errors: 5, findings: 8, textChars: 600 },
  { errors: 3, findings: 5, textChars: 300, codeLines: 20 },
  { errors: 1, findings: 3, textChars: 160, codeLines: 12 },
];

export interface RenderedPolicyCard {
  readonly card: AdaptiveCardJson;
  readonly bytes: number;
  readonly limits: PolicyCardLimits;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/**
 * A TextBlock showing `text` literally: its Markdown is escaped, as nearly everything on this card
 * quotes the pasted policy (claim names, values, parse errors).
 */
const textBlock = (text: string, extra: Record<string, unknown> = {}) => ({
  type: "TextBlock",
  text: escapeMarkdown(text),
  wrap: true,
  ...extra,
});

/**
 * Leading spaces as no-break spaces: renderers collapse leading white space, and the policy's
 * indentation shows its structure (as before issue 12).
 */
const keepIndent = (line: string) =>
  line.replace(/^[ \t]+/, (ws) => "\u00a0".repeat(ws.replace(/\t/g, "    ").length));

/**
 * Monospace code in one TextRun (RichTextBlock): never read as Markdown, so `=>`, `>=`, `[ ]`
 * and indentation show exactly as pasted, with no escaping (issue 12). Cut at `maxLines`.
 */
function code(text: string, maxLines: number): object[] {
  const all = text.replace(/\n+$/, "").split(/\r?\n/);
  const shown: object[] = [
    {
      type: "RichTextBlock",
      spacing: "Small",
      inlines: [
        {
          type: "TextRun",
          text: codeText(all.slice(0, maxLines).map(keepIndent).join("\n")),
          fontType: "Monospace",
          size: "Small",
        },
      ],
    },
  ];
  if (all.length > maxLines)
    shown.push(textBlock(`… ${plural(all.length - maxLines, "more line")}`, { isSubtle: true }));
  return shown;
}

/** A fix: its first line as text, the rest (a condition or a whole policy) as monospace. */
function fixItems(f: PolicyFindingView, recommended: string | null, limits: PolicyCardLimits): object[] {
  const [first = "", ...rest] = f.fix.split("\n");
  const body = rest.join("\n").trim();
  // The recommended policy is shown once at the bottom of the card; do not repeat it in each fix.
  if (body !== "" && recommended !== null && body === recommended.trim())
    return [textBlock(`Fix: ${clip(first, limits.textChars)} (below)`, { spacing: "Small" })];
  return [
    textBlock(`Fix: ${clip(first, limits.textChars)}`, { spacing: "Small" }),
    ...(body === "" ? [] : code(body, limits.codeLines)),
  ];
}

function cardFor(view: PolicyView, limits: PolicyCardLimits): AdaptiveCardJson {
  const tone = TONE_STYLE[view.verdict.tone];
  const body: object[] = [
    {
      type: "Container",
      style: tone.style,
      bleed: true,
      items: [
        // No tone colour on the tone's own background (yellow on yellow): the container carries it.
        textBlock("attest policy", { weight: "Bolder", size: "Medium" }),
        textBlock(`${view.verdict.icon} ${view.verdict.headline}`, { spacing: "Small" }),
      ],
    },
    {
      type: "FactSet",
      facts: view.facts.map((f) => ({
        title: escapeMarkdown(clip(f.label, 80)),
        value: escapeMarkdown(clip(f.value, limits.textChars)),
      })),
    },
  ];

  if (view.errors.length > 0) {
    const shown = view.errors.slice(0, limits.errors);
    body.push(textBlock("Parse errors", { weight: "Bolder", separator: true }));
    for (const e of shown)
      body.push(
        textBlock(`⛔ Line ${e.line}, column ${e.column}: ${clip(e.message, limits.textChars)}`, {
          color: "Attention",
          spacing: "Small",
        }),
      );
    if (view.errors.length > shown.length)
      body.push(
        textBlock(`… and ${plural(view.errors.length - shown.length, "more error")}`, { isSubtle: true }),
      );
  }

  if (view.findings.length > 0) {
    const shown = view.findings.slice(0, limits.findings);
    body.push(textBlock("Findings", { weight: "Bolder", separator: true }));
    for (const f of shown)
      body.push({
        type: "Container",
        spacing: "Medium",
        items: [
          textBlock(`${f.icon} ${clip(f.message, limits.textChars)}`, { color: TONE_STYLE[f.tone].color }),
          ...fixItems(f, view.recommendedPolicy, limits),
        ],
      });
    if (view.findings.length > shown.length)
      body.push(
        textBlock(
          `… and ${plural(view.findings.length - shown.length, "more finding")} left out to fit the card`,
          {
            isSubtle: true,
          },
        ),
      );
  } else if (view.errors.length === 0) {
    body.push(textBlock("No findings.", { separator: true }));
  }

  if (view.recommendedPolicy !== null)
    body.push(textBlock("Recommended policy", { weight: "Bolder", separator: true }), {
      type: "Container",
      style: "emphasis",
      items: code(view.recommendedPolicy, limits.codeLines),
    });

  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    msteams: { width: "Full" },
    body,
    actions: [
      {
        type: "Action.Execute",
        title: "Check another policy",
        verb: RUN_VERB,
        data: { attestCommand: "attest policy" },
      },
    ],
  };
}

/** The policy check card for `view`, within `maxBytes` (Teams refuses messages over about 40 KB). */
export function renderPolicyCard(
  view: PolicyView,
  options: { readonly maxBytes?: number } = {},
): RenderedPolicyCard {
  const maxBytes = options.maxBytes ?? MAX_CARD_BYTES;
  let last: RenderedPolicyCard | null = null;
  for (const step of STEPS) {
    const limits = { ...DEFAULT_POLICY_LIMITS, ...step };
    const card = cardFor(view, limits);
    last = { card, bytes: cardBytes(card), limits };
    if (last.bytes <= maxBytes) return last;
  }
  return last!;
}

/** `attest policy` alone: paste the policy here, Check runs the same check as the typed command. */
export function renderPolicyInputCard(problem: string | null): AdaptiveCardJson {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    msteams: { width: "Full" },
    body: [
      textBlock("Check an attestation policy", { weight: "Bolder", size: "Medium" }),
      textBlock(
        "Paste the policy text (or the policy JWT) below. attest checks that it parses, whether it lets the Azure SQL enclave through, and compares it with the recommended policy.",
        { isSubtle: true, spacing: "Small" },
      ),
      ...(problem ? [textBlock(problem, { color: "Attention" })] : []),
      {
        type: "Input.Text",
        id: POLICY_INPUT_ID,
        label: "Attestation policy",
        isMultiline: true,
        isRequired: true,
        errorMessage: "Paste the policy first.",
        maxLength: POLICY_INPUT_MAX_CHARS,
        placeholder: "version= 1.0; authorizationrules { ... };",
      },
    ],
    actions: [
      {
        type: "Action.Execute",
        title: "Check",
        verb: RUN_VERB,
        style: "positive",
        data: { attestCommand: "attest policy" },
      },
    ],
  };
}
