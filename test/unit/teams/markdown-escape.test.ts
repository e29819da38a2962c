/**
 * Review item 5: telemetry and user text in Teams cards is Markdown-escaped, so a NodeName like
 * `[Click here](https://evil.example/login)` cannot become a link, and `*`, `_` and backticks
 * cannot change the formatting. Checked on the diagnosis card, the policy card and the digest
 * card: every text the card binds from such input has each Markdown character escaped, and reads
 * (escapes removed, as Teams shows it) exactly as the input.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../../src/domain/digest/aggregate.js";
import { type PolicyView, policyReply } from "../../../src/domain/policy/view.js";
import { escapeMarkdown } from "../../../src/render/adaptive-card/markdown.js";
import { renderDiagnosisCard } from "../../../src/render/adaptive-card/render-diagnosis-card.js";
import { renderPolicyCard } from "../../../src/render/adaptive-card/render-policy-card.js";
import {
  renderLinesCard,
  renderProgressCard,
} from "../../../src/render/adaptive-card/render-simple-cards.js";
import { renderDigestCard } from "../../../src/render/digest/adaptive-card.js";
import { DAY, row, TO, tinyClassifier } from "../digest/fixtures.js";
import { cardText, checkCard, rawCardText, shown } from "./card-validation.js";
import { diagnosis, finding, SCENARIOS, viewOf } from "./fixtures.js";

const LINK = "[Click here](https://evil.example/login)";
const HOSTILE = `${LINK} *bold* _italic_ \`code\` ~~gone~~ [x](https://evil.example)`;

/** Markdown characters in `text` that are not escaped by a backslash. */
function unescaped(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") {
      i++; // the escaped character
      continue;
    }
    if ("[]*_`~".includes(c)) found.push(`${c}@${i}`);
  }
  return found;
}

/** The texts Teams renders as Markdown: TextBlock text and FactSet titles and values (not button titles). */
function markdownTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "TextBlock" && typeof o.text === "string") out.push(o.text);
      if (o.type === "FactSet" && Array.isArray(o.facts))
        for (const f of o.facts as { title: string; value: string }[]) out.push(f.title, f.value);
      for (const x of Object.values(o)) walk(x);
    }
  };
  walk(card);
  return out;
}

/** A Markdown link `[text](url)` whose brackets are not escaped. */
const LIVE_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;

describe("escapeMarkdown", () => {
  it("neutralises links, emphasis, code and strikethrough", () => {
    expect(escapeMarkdown(LINK)).toBe("\\[Click here\\](https://evil.example/login)");
    expect(escapeMarkdown("*a* _b_ `c` ~d~ \\")).toBe("\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\\\");
    expect(unescaped(escapeMarkdown(HOSTILE))).toEqual([]);
  });

  it("lines that would start a list, heading or quote stay text", () => {
    expect(escapeMarkdown("- a\n+ b\n12. c\n# d\n> e")).toBe("\\- a\n\\+ b\n12\\. c\n\\# d\n\\> e");
    expect(escapeMarkdown("a - b 1. c")).toBe("a - b 1. c");
  });

  it("shows any text exactly as given (escapes removed) with no live Markdown character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-ascii", maxLength: 80 }), (s) => {
        const escaped = escapeMarkdown(s);
        expect(shown(escaped)).toBe(s);
        expect(unescaped(escaped)).toEqual([]);
      }),
    );
  });
});

describe("diagnosis card", () => {
  const view = viewOf(
    diagnosis(
      [
        finding("customer_error", {
          nodes: [LINK],
          evidence: [
            {
              timestamp: "2026-11-24T09:00:00.000Z",
              node: LINK,
              errorId: 37324,
              code: "*x*",
              message: HOSTILE,
            },
          ],
        }),
      ],
      "customer_error",
    ),
    "srv_one",
  );
  const card = renderDiagnosisCard(view).card;

  it("no telemetry text becomes a link or formatting; it reads as sent", () => {
    expect(checkCard(card).problems).toEqual([]);
    const raw = markdownTexts(card).join("\n");
    expect(raw).not.toMatch(LIVE_LINK);
    for (const text of raw.split("\n").filter((t) => t.includes("evil.example")))
      expect(unescaped(text)).toEqual([]);
    const facts = JSON.stringify(card);
    expect(facts).toContain(JSON.stringify(`${escapeMarkdown(LINK)}`).slice(1, -1));
    // What the reader sees: the text literally (FactSet "Nodes", evidence node and message).
    expect(cardText(card)).toContain(LINK);
    expect(cardText(card)).toContain(HOSTILE);
  });

  it("the server name (user input) is escaped in the subject", () => {
    const subject = (card.body as { items?: { text: string }[] }[])[0]?.items?.[2]?.text ?? "";
    expect(subject).toContain("srv\\_one");
    expect(unescaped(subject)).toEqual([]);
  });

  it("the source link the card writes itself is still a link", () => {
    const rbac = renderDiagnosisCard(viewOf(SCENARIOS["customer-rbac"]!)).card;
    expect(markdownTexts(rbac).join("\n")).toMatch(/Source: \[[^\]]+\]\(https:\/\/learn\.microsoft\.com\//);
  });
});

describe("policy card", () => {
  it("pasted policy text and messages quoting it are escaped", () => {
    const base = policyReply("version= 1.0; authorizationrules { => permit(); };");
    const view: PolicyView = {
      ...base,
      facts: [...base.facts, { label: "Note", value: HOSTILE }],
      errors: [{ line: 1, column: 2, message: `unexpected ${LINK}` }],
    };
    const card = renderPolicyCard(view).card;
    expect(checkCard(card).problems).toEqual([]);
    const raw = markdownTexts(card).join("\n");
    expect(raw).not.toMatch(LIVE_LINK);
    for (const text of raw.split("\n").filter((t) => t.includes("evil.example")))
      expect(unescaped(text)).toEqual([]);
    expect(cardText(card)).toContain(HOSTILE);
    expect(cardText(card)).toContain(`Line 1, column 2: unexpected ${LINK}`);
  });
});

describe("digest card", () => {
  const server = "srv_[x](https://evil.example)*b*";
  const view = buildDigest([row(server, 0, 5, "status: `0x00000193`")], tinyClassifier, {
    fromMs: TO - DAY,
    toMs: TO,
    periods: 7,
    minFailures: 1,
    truncated: false,
  });
  const card = renderDigestCard({
    view: { ...view, unseen: [LINK] },
    title: `Digest ${HOSTILE}`,
    topN: 10,
  });

  it("title, server names and unseen names are escaped; the Run-check button keeps the real name", () => {
    expect(checkCard(card).problems).toEqual([]);
    const raw = markdownTexts(card).join("\n");
    expect(raw).not.toMatch(LIVE_LINK);
    expect(cardText(card)).toContain(`Digest ${HOSTILE}`);
    expect(cardText(card)).toContain(server);
    expect(cardText(card)).toMatch(
      /No telemetry at all since \{\{DATE\(\S+, SHORT\)\}\} \{\{TIME\(\S+\)\}\}: /,
    );
    expect(cardText(card)).toContain(`)}}: ${LINK}`);
    const json = JSON.stringify(card);
    expect(json).toContain(JSON.stringify(`check ${server}`));
  });
});

describe("progress card", () => {
  it("the title (it names the server) is escaped", () => {
    const card = renderProgressCard("Running 4 checks on a_b*c…");
    expect(rawCardText(card)).toContain("a\\_b\\*c");
  });
});

describe("digest command reply card", () => {
  it("lines quoting stored data (store path, cron) are escaped and read as written", () => {
    const line = `Subscription d-1 cannot be read: data/subscriptions/d_1.json is corrupt. ${LINK} "*/5 * * * *"`;
    const card = renderLinesCard("Digest subscriptions", [line], "warning");
    expect(checkCard(card).problems).toEqual([]);
    for (const text of markdownTexts(card)) expect(unescaped(text)).toEqual([]);
    expect(cardText(card)).toContain(line);
  });
});
