/**
 * `attest policy` in Teams on the TestAdapter: pasted in the message (plain or HTML as Teams sends
 * it), or through the input card and its Check button, with the same access checks and audit.
 */
import type { Activity } from "botbuilder";
import { describe, expect, it } from "vitest";
import { plainText, typedText } from "../../../src/adapters/teams/activity.js";
import { policyReply } from "../../../src/domain/policy/view.js";
import { POLICY_INPUT_ID, RUN_VERB } from "../../../src/render/adaptive-card/actions.js";
import { renderPolicyCard } from "../../../src/render/adaptive-card/render-policy-card.js";
import { fixture, permitWhen, RECOMMENDED_CONDITIONS } from "../policy/helpers.js";
import { cardOf, harness, TENANT } from "./bot-harness.js";
import { cardText, checkCard } from "./card-validation.js";

const messages = (h: ReturnType<typeof harness>) => h.replies().filter((a) => a.type === "message");
const SVN0 = fixture("sample-svn0.txt");
const MISSING_SEMICOLON = fixture("missing-semicolon.txt");
const OTHER_TENANT = {
  id: "conv-x",
  tenantId: "99999999-9999-9999-9999-999999999999",
  conversationType: "personal",
  isGroup: false,
  name: "",
};

/** How Teams sends a pasted multi-line message: paragraphs, line breaks and escaped quotes. */
function asTeamsHtml(text: string): string {
  const escaped = text
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
  return escaped
    .split("\n")
    .map((l, i) => (i % 2 === 0 ? `<p>${l}</p>` : `${l}<br>`))
    .join("");
}

const invoke = (data: Record<string, unknown>, over: Partial<Activity> = {}): Partial<Activity> => ({
  type: "invoke",
  name: "adaptiveCard/action",
  value: { action: { type: "Action.Execute", verb: RUN_VERB, data } },
  ...over,
});

describe("attest policy in Teams", () => {
  it("the pasted policy (several lines) is answered with the policy card and audited", async () => {
    const h = harness();
    await h.send({ id: "p1", text: `attest policy ${SVN0}` });
    const card = cardOf(messages(h)[0]);
    expect(checkCard(card).problems).toEqual([]);
    expect(card).toEqual(renderPolicyCard(policyReply(SVN0.trim())).card);
    expect(cardText(card)).toContain("weaker than the recommended policy");
    expect(h.requests).toHaveLength(0);
    expect(h.audit.entries).toEqual([
      expect.objectContaining({ command: "policy", outcome: "policy_findings", tenant: TENANT }),
    ]);
  });

  it("HTML from Teams (<p>, <br>, &quot;) is read as the plain policy, line numbers intact", async () => {
    const h = harness();
    await h.send({
      id: "p2",
      text: `<at>attest</at> policy ${asTeamsHtml(MISSING_SEMICOLON)}`,
      entities: [{ type: "mention", mentioned: { id: "28:bot", name: "attest" }, text: "<at>attest</at>" }],
      conversation: {
        id: "19:ch@thread.tacv2;messageid=1",
        tenantId: TENANT,
        conversationType: "channel",
        isGroup: true,
        name: "",
      },
    });
    const expected = policyReply(MISSING_SEMICOLON.trim());
    expect(expected.errors.length).toBeGreaterThan(0);
    const e = expected.errors[0]!;
    expect(cardText(cardOf(messages(h)[0]))).toContain(`Line ${e.line}, column ${e.column}: ${e.message}`);
    expect(h.audit.entries[0]).toMatchObject({ command: "policy", outcome: "policy_invalid" });
  });

  it("plainText: block tags to line breaks, inline tags dropped, entities decoded once", () => {
    expect(plainText("<p>a &quot;b&quot;</p><p>c<br/>d</p>")).toBe('\na "b"\n\nc\nd\n');
    expect(plainText("x &lt;p&gt; y &#39;z&#x27; &amp;lt;")).toBe("x <p> y 'z' &lt;");
    expect(plainText("<span>value</span>&nbsp;&gt;=&nbsp;2 <strong>ok</strong>")).toBe("value >= 2 ok");
    expect(plainText('c:[type=="a", value<3] && x>1')).toBe('c:[type=="a", value<3] && x>1');
    expect(plainText("&bogus; &#0; &#xFFFFFFF;")).toBe("&bogus; &#0; &#xFFFFFFF;");
    expect(plainText('<codeblock class="">version= 1.0;<br>authorizationrules</codeblock>')).toBe(
      "\nversion= 1.0;\nauthorizationrules\n",
    );
    expect(
      typedText({ text: "<p>attest policy</p><pre><code>version= 1.0;\nauthorizationrules</code></pre>" }),
    ).toBe("attest policy\n\nversion= 1.0;\nauthorizationrules");
  });

  it("`attest policy` alone answers the input card; its Check button runs the same check", async () => {
    const h = harness();
    await h.send({ id: "p3", text: "attest policy" });
    const form = cardOf(messages(h)[0]);
    expect(checkCard(form).problems).toEqual([]);
    expect(cardText(form)).toContain("Check an attestation policy");

    const policy = permitWhen(RECOMMENDED_CONDITIONS);
    await h.send(invoke({ attestCommand: "attest policy", [POLICY_INPUT_ID]: policy }, { id: "p4" }));
    const card = cardOf(messages(h)[1]);
    expect(card).toEqual(renderPolicyCard(policyReply(policy.trim())).card);
    expect(cardText(card)).toContain("as strict as the recommended policy");
    expect(h.replies().find((a) => a.type === "invokeResponse")?.value).toMatchObject({ status: 200 });
    expect(h.audit.entries.map((e) => `${e.command}:${e.outcome}`)).toEqual([
      "policy:policy_form",
      "policy:policy_ok",
    ]);
  });

  it("Action.Submit (a message with the input in value) works the same way", async () => {
    const h = harness();
    await h.send({ id: "p5", value: { attestCommand: "attest policy", [POLICY_INPUT_ID]: SVN0 } });
    expect(cardText(cardOf(messages(h)[0]))).toContain("weaker than the recommended policy");
  });

  it("Check with an empty box shows the input card again, saying what is missing", async () => {
    const h = harness();
    await h.send(invoke({ attestCommand: "attest policy", [POLICY_INPUT_ID]: "  " }, { id: "p6" }));
    const text = cardText(cardOf(messages(h)[0]));
    expect(text).toContain("Paste the policy first");
    expect(text).toContain("Check an attestation policy");
  });

  it("a Check click from a tenant that is not allowed is refused and runs nothing", async () => {
    const h = harness();
    await h.send(
      invoke(
        { attestCommand: "attest policy", [POLICY_INPUT_ID]: SVN0 },
        { id: "p7", conversation: OTHER_TENANT },
      ),
    );
    expect(cardText(cardOf(messages(h)[0]))).toContain("Sorry, you can't use attest here");
    expect(cardText(cardOf(messages(h)[0]))).not.toContain("recommended policy");
    expect(h.audit.entries).toEqual([expect.objectContaining({ command: "policy", outcome: "refused" })]);
  });

  it("typed `attest policy <text>` from a user not on the allow-list is refused", async () => {
    const h = harness({
      access: { allowedTenants: [TENANT], allowedUsers: ["33333333-3333-3333-3333-333333333333"] },
    });
    await h.send({ id: "p8", text: `attest policy ${SVN0}` });
    expect(messages(h)).toHaveLength(1);
    expect(cardText(cardOf(messages(h)[0]))).toContain("Sorry, you can't use attest here");
  });
});

describe("help card", () => {
  it("lists policy and digest subscribe|list|unsubscribe|preview with examples; parses cleanly", async () => {
    const h = harness();
    await h.send({ id: "h1", text: "attest help" });
    const card = cardOf(messages(h)[0]);
    expect(checkCard(card).problems).toEqual([]);
    const text = cardText(card);
    expect(text).toContain("attest policy <pasted policy>");
    expect(text).toContain("attest digest subscribe [--servers a,b | --all]");
    expect(text).toContain('attest digest subscribe --all --cron "0 9 * * 1-5" --tz Europe/London');
    expect(text).toContain("attest digest list | unsubscribe <id> | preview");
    expect(text).toContain("attest digest unsubscribe d-3f9a1c");
  });
});
