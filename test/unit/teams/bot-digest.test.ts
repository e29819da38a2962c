/**
 * `attest digest …` in Teams on the TestAdapter, over an in-memory store: subscribe, list,
 * unsubscribe and preview in a channel (subscriptions belong to the channel root, not the reply
 * thread), list/preview in personal chat, refusals, digests off, and the digest card's Run-check
 * button going through the same checks as typed text.
 */
import type { Activity, ConversationAccount } from "botbuilder";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/storage/memory-store.js";
import { DIGESTS_OFF_TEXT } from "../../../src/adapters/teams/digest.js";
import type { DigestChatDeps } from "../../../src/app/chat/digest-commands.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { silentLogger } from "../../../src/ports/log.js";
import { renderDigestCard } from "../../../src/render/digest/adaptive-card.js";
import { ManualClock, oneServerDigest } from "../../integration/digest/harness.js";
import { cardOf, harness, TENANT, USER } from "./bot-harness.js";
import { cardText, checkCard } from "./card-validation.js";

const ROOT = "19:ops@thread.tacv2";
const CHANNEL: ConversationAccount = {
  id: `${ROOT};messageid=1732440000000`,
  tenantId: TENANT,
  conversationType: "channel",
  isGroup: true,
  name: "",
};
const MENTION = [{ type: "mention", mentioned: { id: "28:bot", name: "attest" }, text: "<at>attest</at>" }];
let seq = 0;
/** A message @mentioning the bot in the ops channel (a reply thread of it). */
const inChannel = (text: string, over: Partial<Activity> = {}): Partial<Activity> => ({
  id: `m${++seq}`,
  text: `<at>attest</at> ${text}`,
  entities: MENTION,
  conversation: CHANNEL,
  ...over,
});
const inPersonal = (text: string): Partial<Activity> => ({ id: `m${++seq}`, text });

function setup(options: { personalChatFails?: boolean } = {}) {
  const store = new MemoryStore();
  const clock = new ManualClock("2026-11-24T08:30:00Z");
  const audit = new MemoryAuditLog();
  let n = 0;
  const digest: DigestChatDeps = {
    store,
    clock,
    audit,
    logger: silentLogger,
    newId: () => `d-${++n}`,
    preview: (servers, w) => oneServerDigest({ servers } as never, w),
    previewWindowMs: 86_400_000,
    topN: 10,
  };
  const h = harness({ digest, ...options });
  const messages = () => h.replies().filter((a) => a.type === "message");
  const lastText = () => {
    const m = messages().at(-1);
    return cardOf(m) ? cardText(cardOf(m)) : (m?.text ?? "");
  };
  return { h, store, audit, messages, lastText };
}

describe("attest digest in a Teams channel", () => {
  it("subscribe stores the subscription for the channel root and its reference, and says so", async () => {
    const { h, store, audit, lastText } = setup();
    await h.send(inChannel('digest subscribe --servers srv-a,srv-b --cron "0 9 * * 1-5" --tz Europe/London'));
    expect(lastText()).toContain("Digest subscribed");
    expect(lastText()).toContain(
      'd-1: srv-a, srv-b; "0 9 * * 1-5" Europe/London; next 2026-11-24T09:00:00.000Z',
    );
    const sub = await store.get("subscriptions", "d-1");
    expect(sub?.value).toMatchObject({
      target: { platform: "teams", conversationId: ROOT },
      servers: ["srv-a", "srv-b"],
      createdBy: USER,
    });
    const conversation = await store.get("teams-conversations", ROOT);
    const reference = conversation?.value.reference as {
      conversation: { id: string; tenantId: string };
      serviceUrl: string;
      activityId?: string;
      bot: { id: string };
    };
    expect(reference.conversation).toMatchObject({ id: ROOT, tenantId: TENANT });
    expect(reference.activityId).toBeUndefined();
    expect(reference.serviceUrl).toBe("https://smba.trafficmanager.net/emea/");
    expect(reference.bot.id).toBe("28:bot");
    expect(audit.entries).toEqual([
      expect.objectContaining({
        command: "digest subscribe",
        outcome: "subscribed",
        who: USER,
        tenant: TENANT,
      }),
    ]);
    expect(checkCard(cardOf(h.replies().filter((a) => a.type === "message")[0])).problems).toEqual([]);
  });

  it("list and unsubscribe work on the channel's subscriptions only, from any thread of it", async () => {
    const { h, lastText } = setup();
    await h.send(inChannel("digest subscribe --all"));
    await h.send(inChannel("digest list", { conversation: { ...CHANNEL, id: `${ROOT};messageid=999` } }));
    expect(lastText()).toContain("d-1: whole fleet");
    await h.send(inPersonal("digest list"));
    expect(lastText()).toContain("No digest subscriptions in this channel");
    await h.send(inChannel("digest unsubscribe d-9"));
    expect(lastText()).toContain("No subscription d-9 in this channel");
    await h.send(inChannel("attest digest unsubscribe d-1"));
    expect(lastText()).toContain("Unsubscribed d-1.");
    await h.send(inChannel("digest list"));
    expect(lastText()).toContain("No digest subscriptions in this channel");
  });

  it("works without the attest prefix and without a mention in personal chat (list)", async () => {
    const { h, audit } = setup();
    await h.send(inPersonal("digest list"));
    await h.send(inPersonal("attest digest list"));
    expect(audit.entries.map((e) => `${e.command}:${e.outcome}`)).toEqual([
      "digest list:list",
      "digest list:list",
    ]);
  });

  it("subscribe and unsubscribe are refused outside a channel, nothing stored", async () => {
    const { h, store, audit, lastText } = setup();
    await h.send(inPersonal("digest subscribe --all"));
    expect(lastText()).toContain("Digest subscriptions belong to a channel");
    await h.send(inPersonal("digest unsubscribe d-1"));
    expect(await store.list("subscriptions")).toEqual([]);
    expect(h.audit.entries.map((e) => `${e.command}:${e.outcome}`)).toEqual([
      "digest subscribe:wrong_scope",
      "digest unsubscribe:wrong_scope",
    ]);
    expect(audit.entries).toEqual([]);
  });

  it("preview in a channel goes to the caller only, in a 1:1 chat; the channel just hears that", async () => {
    const { h, messages } = setup();
    await h.send(inChannel("digest subscribe --servers srv-a"));
    await h.send(inChannel("digest preview"));
    expect(h.personal).toHaveLength(1);
    const card = cardOf(h.personal[0]);
    expect(checkCard(card).problems).toEqual([]);
    expect(cardText(card)).toContain("Attestation digest preview · d-1");
    expect(cardText(card)).toContain("srv-a");
    expect(h.personal[0]?.conversation?.id).toBe("personal:29:user");
    const inTheChannel = messages().at(-1);
    expect(cardOf(inTheChannel)).toBeNull();
    expect(inTheChannel?.text).toContain("I sent you the digest preview in a personal chat");
  });

  it("preview in personal chat answers in place with the digest card", async () => {
    const { h, messages } = setup();
    await h.send(inPersonal("digest preview"));
    const card = cardOf(messages().at(-1));
    expect(card).toEqual(
      renderDigestCard({
        view: await oneServerDigest({} as never, {
          fromMs: Date.parse("2026-11-23T08:30:00Z"),
          toMs: Date.parse("2026-11-24T08:30:00Z"),
        }),
        title: "Attestation digest preview · whole fleet",
        topN: 10,
      }),
    );
    expect(h.personal).toHaveLength(0);
  });

  it("when the 1:1 chat cannot be opened, the channel gets a notice and no digest", async () => {
    const { h, lastText, messages } = setup({ personalChatFails: true });
    await h.send(inChannel("digest preview"));
    expect(lastText()).toContain("I could not message you privately");
    expect(messages().some((m) => cardText(cardOf(m)).includes("Attestation digest"))).toBe(false);
  });

  it("malformed commands: what was wrong and an example", async () => {
    const { h, lastText } = setup();
    await h.send(inChannel('digest subscribe --cron "every morning"'));
    expect(lastText()).toContain("--cron");
    expect(lastText()).toContain("0 9 * * 1-5");
    await h.send(inChannel("digest frobnicate"));
    expect(lastText()).toContain('unknown digest subcommand "frobnicate"');
    expect(h.audit.entries.map((e) => `${e.command}:${e.outcome}`)).toEqual([
      "digest:bad_input",
      "digest:bad_input",
    ]);
  });

  it("a tenant that is not allowed is refused: nothing stored, audited", async () => {
    const { h, store, lastText } = setup();
    await h.send(
      inChannel("digest subscribe --all", {
        conversation: { ...CHANNEL, tenantId: "99999999-9999-9999-9999-999999999999" },
      }),
    );
    expect(lastText()).toContain("Sorry, you can't use attest here");
    expect(await store.list("subscriptions")).toEqual([]);
    expect(h.audit.entries).toEqual([expect.objectContaining({ command: "digest", outcome: "refused" })]);
  });

  it("digests off: says so", async () => {
    const h = harness({ digest: null });
    await h.send({ id: "off1", text: "digest list" });
    const text = cardText(cardOf(h.replies().find((a) => a.type === "message")));
    expect(text).toContain(DIGESTS_OFF_TEXT);
    expect(h.audit.entries).toEqual([expect.objectContaining({ command: "digest", outcome: "digests_off" })]);
  });
});

describe("the digest card's Run-check button (messageBack)", () => {
  /** What Teams sends for a messageBack click: the text, and the data (without msteams) as value. */
  const click = (server: string, over: Partial<Activity> = {}): Partial<Activity> => ({
    id: `c${++seq}`,
    text: `check ${server}`,
    value: { attest: { command: "check", server } },
    conversation: CHANNEL,
    ...over,
  });

  it("runs the check of the server it carries", async () => {
    const { h } = setup();
    await h.send(click("sgxtestuksouthsrv"));
    expect(h.requests).toEqual([
      { kind: "check", server: "sgxtestuksouthsrv", database: null, url: null, sinceMs: null },
    ]);
  });

  it("a forged server is validated like typed text: options and odd names are not run", async () => {
    const { h, lastText } = setup();
    await h.send(click("srv --url https://evil.example"));
    expect(h.requests).toHaveLength(0);
    expect(lastText()).toContain("server: got");
    await h.send(click("x;drop"));
    expect(h.requests).toHaveLength(0);
  });

  it("a click from a tenant that is not allowed is refused", async () => {
    const { h, lastText } = setup();
    await h.send(
      click("sgxtestuksouthsrv", {
        conversation: { ...CHANNEL, tenantId: "99999999-9999-9999-9999-999999999999" },
      }),
    );
    expect(h.requests).toHaveLength(0);
    expect(lastText()).toContain("Sorry, you can't use attest here");
  });
});
