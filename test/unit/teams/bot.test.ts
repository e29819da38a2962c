import { describe, expect, it } from "vitest";
import type { CheckReport } from "../../../src/app/run-check.js";
import { cardOf, harness, TENANT, USER } from "./bot-harness.js";
import { cardText, checkCard } from "./card-validation.js";
import { report, SCENARIOS } from "./fixtures.js";

const messages = (h: ReturnType<typeof harness>) => h.replies().filter((a) => a.type === "message");

describe("Teams bot commands (TestAdapter)", () => {
  it("check: typing at once, then one diagnosis card with the verdict", async () => {
    const h = harness();
    await h.send({ text: "attest check sgxtestuksouthsrv contosoDB --since 6h", id: "a1" });
    const replies = h.replies();
    expect(replies[0]?.type).toBe("typing");
    expect(replies).toHaveLength(2);
    const card = cardOf(replies[1]);
    expect(checkCard(card).problems).toEqual([]);
    expect(cardText(card)).toContain("Customer action needed");
    expect(h.requests).toEqual([
      {
        kind: "check",
        server: "sgxtestuksouthsrv",
        database: "contosoDB",
        url: null,
        sinceMs: 6 * 3_600_000,
      },
    ]);
  });

  it("check in a channel: the @mention is stripped; keywords are case-insensitive", async () => {
    const h = harness();
    await h.send({
      id: "a2",
      text: "<at>attest</at> ATTEST Check SGXTestUKSouthSrv",
      entities: [{ type: "mention", mentioned: { id: "28:bot", name: "attest" }, text: "<at>attest</at>" }],
      conversation: {
        id: "19:channel@thread.tacv2",
        tenantId: TENANT,
        conversationType: "channel",
        isGroup: true,
        name: "",
      },
    });
    expect(h.requests[0]?.server).toBe("sgxtestuksouthsrv");
    expect(cardText(cardOf(messages(h)[0]))).toContain("Customer action needed");
  });

  it("explain in a group chat with the @mention, pasted over several lines", async () => {
    const h = harness();
    await h.send({
      id: "g1",
      text: "<at>attest</at> explain Msg 37324\nReturn code: '0x00000193'",
      entities: [{ type: "mention", mentioned: { id: "28:bot", name: "attest" }, text: "<at>attest</at>" }],
      conversation: {
        id: "19:group@thread.v2",
        tenantId: TENANT,
        conversationType: "groupChat",
        isGroup: true,
        name: "",
      },
    });
    expect(h.audit.entries[0]).toMatchObject({ command: "explain", conversation: "19:group@thread.v2" });
    expect(checkCard(cardOf(messages(h)[0])).problems).toEqual([]);
  });

  it("`check <server>` alone works in personal chat", async () => {
    const h = harness();
    await h.send({ id: "a3", text: "check sgxtestuksouthsrv" });
    expect(h.requests).toHaveLength(1);
  });

  it("explain: multi-line pasted error, diagnosed without Kusto", async () => {
    const h = harness();
    const text =
      "attest explain Msg 37324, Level 16, State 57, Line 1\nFailed to attest the enclave.\nReturn code: '0x00000193'.";
    await h.send({ id: "a4", text });
    expect(h.requests).toHaveLength(0);
    const card = cardOf(messages(h)[0]);
    expect(checkCard(card).problems).toEqual([]);
    expect(cardText(card)).toContain("attest explain (pasted error)");
    expect(h.audit.entries[0]).toMatchObject({ command: "explain", who: USER, tenant: TENANT });
  });

  it("added to a chat: introduces itself with the help card (allowed tenants only)", async () => {
    const h = harness();
    await h.send({ id: "w1", type: "conversationUpdate", membersAdded: [{ id: "28:bot", name: "attest" }] });
    expect(cardText(cardOf(messages(h)[0]))).toContain("attest check <server>");
    const other = harness();
    await other.send({
      id: "w2",
      type: "conversationUpdate",
      membersAdded: [{ id: "28:bot", name: "attest" }],
      conversation: {
        id: "c",
        tenantId: "99999999-9999-9999-9999-999999999999",
        conversationType: "personal",
        isGroup: false,
        name: "",
      },
    });
    expect(other.replies()).toHaveLength(0);
  });

  it("help: the help card", async () => {
    const h = harness();
    await h.send({ id: "a5", text: "attest help" });
    const text = cardText(cardOf(messages(h)[0]));
    expect(text).toContain("attest check <server> [database] [--url URL] [--since 6h]");
    expect(text).not.toContain("That did not work");
  });

  it("unknown command: a short help card saying what was wrong, with a correct example", async () => {
    const h = harness();
    await h.send({ id: "a6", text: "attest chek srv" });
    const text = cardText(cardOf(messages(h)[0]));
    expect(text).toContain('unknown command "chek"');
    expect(text).toContain("attest check sgxtestuksouthsrv --since 6h");
    expect(h.requests).toHaveLength(0);
    expect(h.audit.entries[0]).toMatchObject({ outcome: "bad_input", command: "chek" });
  });

  it("malformed check: says which field is wrong", async () => {
    const h = harness();
    await h.send({ id: "a7", text: "attest check bad_server --since 99d" });
    const text = cardText(cardOf(messages(h)[0]));
    expect(text).toMatch(/server: got "bad_server"|--since/);
    expect(h.requests).toHaveLength(0);
  });

  it("writes one audit line per command: who, tenant, conversation, command, parameters, verdict, request ids", async () => {
    const h = harness();
    await h.send({ id: "a8", text: "attest check sgxtestuksouthsrv" });
    expect(h.audit.entries).toEqual([
      expect.objectContaining({
        platform: "teams",
        who: USER,
        tenant: TENANT,
        conversation: "conv-1",
        command: "check",
        parameters: { server: "sgxtestuksouthsrv", database: null, url: null, sinceMs: null },
        outcome: "customer_error",
        kustoRequestIds: expect.arrayContaining(["attest-bot;00000000-0000-0000-0000-000000000000"]),
      }),
    ]);
  });
});

describe("Teams access control", () => {
  it("refuses a tenant that is not allowed: polite card, nothing runs, audited", async () => {
    const h = harness();
    await h.send({
      id: "r1",
      text: "attest check sgxtestuksouthsrv",
      conversation: {
        id: "conv-x",
        tenantId: "99999999-9999-9999-9999-999999999999",
        conversationType: "personal",
        isGroup: false,
        name: "",
      },
    });
    expect(h.requests).toHaveLength(0);
    const replies = h.replies();
    expect(replies).toHaveLength(1);
    expect(cardText(cardOf(replies[0]))).toContain("Sorry, you can't use attest here");
    expect(h.audit.entries[0]).toMatchObject({
      outcome: "refused",
      tenant: "99999999-9999-9999-9999-999999999999",
    });
  });

  it("refuses a user not on the allowed object-id list", async () => {
    const h = harness({
      access: { allowedTenants: [TENANT], allowedUsers: ["33333333-3333-3333-3333-333333333333"] },
    });
    await h.send({ id: "r2", text: "attest help" });
    expect(cardText(cardOf(h.replies()[0]))).toContain("Sorry, you can't use attest here");
    expect(h.audit.entries[0]).toMatchObject({ outcome: "refused", who: USER });
  });

  it("lets an allowed user in an allowed tenant through", async () => {
    const h = harness({ access: { allowedTenants: [TENANT], allowedUsers: [USER] } });
    await h.send({ id: "r3", text: "attest check sgxtestuksouthsrv" });
    expect(h.requests).toHaveLength(1);
  });

  it("refuses a card button click from a tenant that is not allowed (Action.Execute)", async () => {
    const h = harness();
    await h.send({
      id: "r4",
      type: "invoke",
      name: "adaptiveCard/action",
      value: {
        action: {
          type: "Action.Execute",
          verb: "attest.run",
          data: { attestCommand: "attest check sgxtestuksouthsrv" },
        },
      },
      conversation: {
        id: "conv-x",
        tenantId: "99999999-9999-9999-9999-999999999999",
        conversationType: "personal",
        isGroup: false,
        name: "",
      },
    });
    expect(h.requests).toHaveLength(0);
    expect(h.audit.entries[0]).toMatchObject({ outcome: "refused" });
  });
});

describe("Teams card buttons", () => {
  it("Re-run (Action.Execute) runs the command it carries and answers the invoke", async () => {
    const h = harness();
    await h.send({
      id: "b1",
      type: "invoke",
      name: "adaptiveCard/action",
      value: {
        action: {
          type: "Action.Execute",
          verb: "attest.run",
          data: { attestCommand: "attest check sgxtestuksouthsrv --since 3h" },
        },
      },
    });
    expect(h.requests).toEqual([
      { kind: "check", server: "sgxtestuksouthsrv", database: null, url: null, sinceMs: 3 * 3_600_000 },
    ]);
    const invokeResponse = h.replies().find((a) => a.type === "invokeResponse");
    expect(invokeResponse?.value).toMatchObject({ status: 200, body: { statusCode: 200 } });
    expect(cardText(cardOf(messages(h)[0]))).toContain("Customer action needed");
  });

  it("a button payload goes through the same validation as typed text", async () => {
    const h = harness();
    await h.send({
      id: "b2",
      type: "invoke",
      name: "adaptiveCard/action",
      value: {
        action: {
          type: "Action.Execute",
          verb: "attest.run",
          data: { attestCommand: "attest check x;drop --since 1h" },
        },
      },
    });
    expect(h.requests).toHaveLength(0);
    expect(cardText(cardOf(messages(h)[0]))).toContain('server: got "x;drop"');
  });

  it("Action.Submit (message with value) works like Action.Execute", async () => {
    const h = harness();
    await h.send({ id: "b3", value: { attestCommand: "attest check sgxtestuksouthsrv" } });
    expect(h.requests).toHaveLength(1);
  });

  it("an unknown invoke verb is answered with an error and runs nothing", async () => {
    const h = harness();
    await h.send({
      id: "b4",
      type: "invoke",
      name: "adaptiveCard/action",
      value: { action: { verb: "drop" } },
    });
    expect(h.requests).toHaveLength(0);
    expect(h.replies().find((a) => a.type === "invokeResponse")?.value).toMatchObject({
      body: { statusCode: 400 },
    });
  });
});

describe("Teams responsiveness", () => {
  it("slow check: a 'running 4 checks' card at once, updated in place with the result", async () => {
    let release: (r: CheckReport) => void = () => {};
    const pending = new Promise<CheckReport>((resolve) => {
      release = resolve;
    });
    const h = harness({ progressAfterMs: 0, runCheck: () => pending });
    await h.send({ id: "s1", text: "attest check sgxtestuksouthsrv" });
    const progress = messages(h);
    expect(progress).toHaveLength(1);
    expect(cardText(cardOf(progress[0]))).toContain("Running 4 checks on sgxtestuksouthsrv…");
    const progressId = progress[0]?.id;

    release(report("sgxtestuksouthsrv", SCENARIOS["maa-escalation"]!));
    await h.bot.idle();
    const after = messages(h);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(progressId);
    expect(cardText(cardOf(after[0]))).toContain("Escalate to the MAA owner");
  });

  it("a re-delivered activity (same id) does not run the checks twice", async () => {
    const h = harness();
    await h.send({ id: "same", text: "attest check sgxtestuksouthsrv" });
    await h.send({ id: "same", text: "attest check sgxtestuksouthsrv" });
    expect(h.requests).toHaveLength(1);
    expect(messages(h)).toHaveLength(1);
    await h.send({ id: "other", text: "attest check sgxtestuksouthsrv" });
    expect(h.requests).toHaveLength(2);
  });

  it("Kusto unavailable: a notice card, no diagnosis", async () => {
    const { KustoUnavailable } = await import("../../../src/app/run-check.js");
    const h = harness({
      runCheck: async () => {
        throw new KustoUnavailable([]);
      },
    });
    await h.send({ id: "u1", text: "attest check sgxtestuksouthsrv" });
    expect(cardText(cardOf(messages(h)[0]))).toContain("Kusto could not be reached");
    expect(h.audit.entries[0]).toMatchObject({ outcome: "unavailable" });
  });
});
