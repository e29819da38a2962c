/**
 * Policy checks and digest commands in Slack over real signed HTTP on 127.0.0.1: the real check
 * and digest use cases (embedded Kusto engine over the demo data, query catalog, rules, an
 * in-memory digest store), Slack's Web API and response_url receivers faked at the network edge
 * (SlackSink). Allow-lists: workspace T1, channels C1 and C2.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { createSlackRoutes, slackConfigFrom } from "../../../src/adapters/slack/routes.js";
import { MemoryStore } from "../../../src/adapters/storage/memory-store.js";
import type { ChatDeps } from "../../../src/app/chat/handle-command.js";
import { createDigestService } from "../../../src/app/digest/digest-service.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import type { PlatformContext } from "../../../src/compose/platform.js";
import { createHttpServer } from "../../../src/http/server.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { MemoryChatPoster } from "../../../src/ports/chat-poster.js";
import { systemClock } from "../../../src/ports/clock.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import type { SlackMessage } from "../../../src/render/block-kit/blocks.js";
import { messageProblems } from "../../../src/render/block-kit/limits.js";
import { POLICY_MODAL } from "../../../src/render/block-kit/policy-modal.js";
import { COND, fixture, permitWhen, RECOMMENDED_CONDITIONS } from "../../unit/policy/helpers.js";
import {
  actionBody,
  mentionBody,
  type Recorded,
  SECRET,
  SlackSink,
  sendSigned,
  slashBody,
  TOKEN,
  viewSubmissionBody,
} from "./helpers.js";

const sink = new SlackSink();
const audit = new MemoryAuditLog();
const logger = new MemoryLogger();
const store = new MemoryStore();
const kusto = new EngineKustoRunner(createEmbeddedEngine(null, systemClock), systemClock);
const catalog = loadQueryCatalog();
const checked: string[] = [];
const servers: Server[] = [];
let url = "";
/** The same app with digests off (no store). */
let offUrl = "";

async function serve(context: PlatformContext): Promise<string> {
  const config = slackConfigFrom(
    {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: `${sink.url}/api/`,
      ATTEST_SLACK_ALLOWED_TEAMS: "T1",
      ATTEST_SLACK_ALLOWED_CHANNELS: "C1,C2",
    },
    false,
  );
  expect(config.problems).toEqual([]);
  const server = createHttpServer({
    routes: createSlackRoutes(context, config.value!),
    readiness: async () => ({ ready: true, checks: {} }),
    logger,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

beforeAll(async () => {
  await sink.start();
  const chat: ChatDeps = {
    runCheck: (request) => {
      checked.push(request.server);
      return runCheck(
        { kusto, catalog, clock: systemClock, logger, settings: DEFAULT_CHECK_SETTINGS },
        request,
      );
    },
    clock: systemClock,
    audit,
    logger,
  };
  const digests = createDigestService({
    store,
    poster: new MemoryChatPoster(),
    kusto,
    query: catalog["fleet-summary"],
    clock: systemClock,
    logger,
    audit,
    instanceId: "test",
  });
  url = await serve({ chat, digest: digests.chat, logger, localMode: false });
  offUrl = await serve({ chat, digest: null, logger, localMode: false });
});

afterAll(async () => {
  for (const s of servers)
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  await sink.close();
});

const json = async (res: Response) => (await res.json()) as Record<string, unknown>;
const all = (body: Record<string, unknown>) => JSON.stringify(body.blocks ?? body.text);
const slash = async (text: string, over: Record<string, string> = {}, to = url) =>
  json(await sendSigned(to, slashBody(text, over)));
const asMessage = (body: Record<string, unknown>) => body as unknown as SlackMessage;
const mention = (text: string, eventId: string, over: Record<string, unknown> = {}) =>
  sendSigned(url, mentionBody(text, eventId, over), { contentType: "application/json" });

describe("/attest policy <text>", () => {
  it("answers the pasted policy with the Block Kit policy check: findings, fixes, recommended policy", async () => {
    const body = await slash(`policy ${fixture("sample-svn0.txt")}`);
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("weaker than the recommended policy (1 finding)");
    expect(all(body)).toContain("⚠️ Attestation policy check");
    expect(all(body)).toContain("*Fix:*");
    expect(all(body)).toContain("*Recommended policy*");
    expect(messageProblems(asMessage(body))).toEqual([]);
    expect(audit.entries.at(-1)).toMatchObject({
      platform: "slack",
      command: "policy",
      conversation: "C1",
      outcome: "policy_findings",
    });
  });

  it("a policy that does not parse: the error with its line and column", async () => {
    const body = await slash(`policy ${fixture("missing-semicolon.txt")}`);
    expect(all(body)).toContain("Line 2, column 1: mismatched input '[' expecting ';'");
    expect(audit.entries.at(-1)).toMatchObject({ command: "policy", outcome: "policy_invalid" });
  });

  it("@attest policy <text> answers in the thread", async () => {
    await mention(`policy ${permitWhen(RECOMMENDED_CONDITIONS)}`, "EvP1");
    const reply = await sink.next(
      (c) => c.path === "/api/chat.postMessage" && all(c.body).includes("Attestation policy check"),
    );
    expect(reply.body).toMatchObject({ channel: "C1", thread_ts: "1700000000.000100" });
    expect(reply.body.text).toContain("as strict as the recommended policy");
  });

  it("is refused in a disallowed channel, and nothing is checked", async () => {
    const before = audit.entries.filter((e) => e.command === "policy" && e.outcome !== "refused").length;
    const body = await slash(`policy ${fixture("sample-svn0.txt")}`, { channel_id: "C9" });
    expect(body.text).toContain("not enabled in this channel");
    expect(audit.entries.at(-1)).toMatchObject({ command: "policy", outcome: "refused" });
    expect(audit.entries.filter((e) => e.command === "policy" && e.outcome !== "refused").length).toBe(
      before,
    );
  });
});

describe("/attest policy alone: the modal", () => {
  const submit = (text: string | null, metadata: string, over: Record<string, unknown> = {}) =>
    sendSigned(
      url,
      viewSubmissionBody(
        POLICY_MODAL.callbackId,
        { [POLICY_MODAL.blockId]: { [POLICY_MODAL.actionId]: { type: "plain_text_input", value: text } } },
        metadata,
        over,
      ),
    );
  const c1 = JSON.stringify({ team: "T1", channel: "C1" });

  it("opens a modal with views.open and the command's trigger_id, remembering the channel", async () => {
    const res = await sendSigned(url, slashBody("policy", { trigger_id: "trig-1" }));
    expect(res.status).toBe(200);
    const open = await sink.next((c) => c.path === "/api/views.open" && c.body.trigger_id === "trig-1");
    expect(open.authorization).toBe(`Bearer ${TOKEN}`);
    const view = open.body.view as Record<string, unknown>;
    expect(view).toMatchObject({ type: "modal", callback_id: POLICY_MODAL.callbackId });
    expect(JSON.parse(view.private_metadata as string)).toEqual({ team: "T1", channel: "C1" });
    expect(JSON.stringify(view.blocks)).toContain('"multiline":true');
  });

  it("when the modal cannot open (expired trigger_id), says so to the caller", async () => {
    sink.apiErrors.set("views.open", "expired_trigger_id");
    try {
      await sendSigned(
        url,
        slashBody("policy", { trigger_id: "trig-old", response_url: sink.responseUrl("m0") }),
      );
      const notice = await sink.next((c) => c.path === "/response/m0");
      expect(notice.body.response_type).toBe("ephemeral");
      expect(notice.body.text).toContain("policy form could not be opened");
    } finally {
      sink.apiErrors.delete("views.open");
    }
  });

  it("the submission runs the policy check and answers ephemerally in the modal's channel", async () => {
    const policy = permitWhen([COND.productId, COND.svn(2), COND.mrsigner]);
    const res = await submit(policy, JSON.stringify({ team: "T1", channel: "C2" }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(""); // acknowledged: the modal closes
    const reply = await sink.next(
      (c) =>
        c.path === "/api/chat.postEphemeral" &&
        c.body.channel === "C2" &&
        all(c.body).includes("policy check"),
    );
    expect(reply.body.user).toBe("U1");
    expect(all(reply.body)).toContain("debuggable");
    await expect
      .poll(() => audit.entries.at(-1))
      .toMatchObject({ command: "policy", conversation: "C2", outcome: "policy_findings" });
  });

  it("falls back to a DM when the ephemeral post fails (bot not in the channel)", async () => {
    sink.apiErrors.set("chat.postEphemeral", "not_in_channel");
    try {
      await submit(fixture("missing-semicolon.txt"), c1);
      const dm = await sink.next(
        (c) =>
          c.path === "/api/chat.postMessage" &&
          c.body.channel === "U1" &&
          all(c.body).includes("Line 2, column 1"),
      );
      expect(dm.body.text).toContain("does not parse");
    } finally {
      sink.apiErrors.delete("chat.postEphemeral");
    }
  });

  it("an empty submission keeps the modal open with an error on the input", async () => {
    const res = await submit("   ", c1);
    expect(await res.json()).toEqual({
      response_action: "errors",
      errors: { [POLICY_MODAL.blockId]: "Paste the policy text." },
    });
  });

  it("a submission for a disallowed channel is refused by DM and checks nothing", async () => {
    const before = audit.entries.length;
    await submit(fixture("sample-svn0.txt"), JSON.stringify({ team: "T1", channel: "C9" }));
    const refusal = await sink.next(
      (c) =>
        c.path === "/api/chat.postMessage" &&
        c.body.channel === "U1" &&
        all(c.body).includes("not enabled in this channel"),
    );
    expect(refusal).toBeDefined();
    expect(audit.entries.slice(before)).toMatchObject([
      { command: "policy", outcome: "refused", conversation: "C9" },
    ]);
  });

  it("a submission from a disallowed workspace is refused", async () => {
    await submit(fixture("sample-svn0.txt"), c1, {
      team: { id: "T9", domain: "x" },
      user: { id: "U7", team_id: "T9" },
    });
    const refusal = await sink.next((c) => c.path === "/api/chat.postMessage" && c.body.channel === "U7");
    expect(refusal.body.text).toContain("not enabled in this workspace");
  });

  it("tampered private_metadata is refused as bad input", async () => {
    await submit(fixture("sample-svn0.txt"), "not json", { user: { id: "U8", team_id: "T1" } });
    const notice = await sink.next((c) => c.path === "/api/chat.postMessage" && c.body.channel === "U8");
    expect(notice.body.text).toContain("form's data is not valid");
  });

  it("the modal is not opened in a disallowed channel", async () => {
    const body = await slash("policy", { channel_id: "C9", trigger_id: "trig-refused" });
    expect(body.text).toContain("not enabled in this channel");
    expect(sink.calls.some((c) => c.path === "/api/views.open" && c.body.trigger_id === "trig-refused")).toBe(
      false,
    );
  });
});

describe("/attest digest ...", () => {
  let id = "";

  it("subscribe: the channel sees the new subscription, stored for this channel", async () => {
    const body = await slash(
      'digest subscribe --servers sgxtestuksouthsrv,sgxtest2 --cron "0 8 * * 1-5" --tz Europe/London',
    );
    expect(body.response_type).toBe("in_channel");
    const text = all(body);
    expect(text).toContain("Subscribed. d-");
    expect(text).toContain('\\"0 8 * * 1-5\\" Europe/London');
    id = /Subscribed\. (d-[0-9a-f]+)/.exec(text)?.[1] ?? "";
    const stored = await store.get("subscriptions", id);
    expect(stored?.value).toMatchObject({
      target: { platform: "slack", teamId: "T1", channelId: "C1" },
      servers: ["sgxtestuksouthsrv", "sgxtest2"],
      createdBy: "U1",
    });
    expect((await store.get("slack-channels", "T1/C1"))?.value).toMatchObject({
      teamId: "T1",
      channelId: "C1",
    });
    expect(audit.entries.at(-1)).toMatchObject({
      command: "digest subscribe",
      outcome: "subscribed",
      conversation: "T1/C1",
    });
  });

  it("list: this channel's subscriptions with their next run, to the caller only", async () => {
    const body = await slash("digest list");
    expect(body.response_type).toBe("ephemeral");
    expect(all(body)).toContain(`${id}: sgxtestuksouthsrv, sgxtest2`);
    expect(all(body)).toContain("next 20");
    const other = await slash("digest list", { channel_id: "C2" });
    expect(all(other)).toContain("No digest subscriptions in this channel");
  });

  let runCheckValue = "";
  it("preview: acknowledged at once, then the digest as Block Kit to the caller only", async () => {
    const ack = await slash("digest preview", { response_url: sink.responseUrl("p1") });
    expect(ack.response_type).toBe("ephemeral");
    expect(ack.text).toContain("Building the digest preview");
    const preview = await sink.next((c) => c.path === "/response/p1");
    expect(preview.body.response_type).toBe("ephemeral");
    const blocks = preview.body.blocks as {
      type: string;
      text?: { text: string };
      accessory?: Record<string, string>;
    }[];
    expect(blocks[0]?.text?.text).toBe(`Attestation digest preview · ${id}`);
    const button = blocks.find((b) => b.accessory?.action_id === "attest_run_check_0")?.accessory;
    expect(button?.value).toMatch(/^check sgxtest/);
    runCheckValue = button?.value ?? "";
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(audit.entries.find((e) => e.command === "digest preview")).toMatchObject({ outcome: "preview" });
  });

  it("a Run-check click from the digest runs that check for the clicker", async () => {
    const before = checked.length;
    await sendSigned(url, actionBody("attest_run_check_0", runCheckValue, sink.responseUrl("rc1")));
    const result = await sink.next((c) => c.path === "/response/rc1" && all(c.body).includes("attest_rerun"));
    // "Checking X…" first, then the diagnosis, both to the clicker only.
    expect(sink.calls.find((c) => c.path === "/response/rc1")?.body.text).toBe(
      `Checking ${runCheckValue.slice("check ".length)}…`,
    );
    expect(result.body.response_type).toBe("ephemeral");
    expect((result.body.blocks as { text?: { text: string } }[])[0]?.text?.text).toContain(
      `— ${runCheckValue.slice("check ".length)}`,
    );
    expect(checked.slice(before)).toEqual([runCheckValue.slice("check ".length)]);
    expect(messageProblems(asMessage(result.body))).toEqual([]);
  });

  it("a Run-check click from a disallowed channel is refused and runs nothing", async () => {
    const before = checked.length;
    await sendSigned(
      url,
      actionBody("attest_run_check_1", "check sgxtest2", sink.responseUrl("rc2"), { channel: { id: "C9" } }),
    );
    const reply = await sink.next((c) => c.path === "/response/rc2");
    expect(reply.body.text).toContain("not enabled in this channel");
    expect(checked.length).toBe(before);
    expect(audit.entries.at(-1)).toMatchObject({ command: "button:run_check", outcome: "refused" });
  });

  it("a Run-check value that is not a valid check is refused like a typed command", async () => {
    const before = checked.length;
    for (const [name, value] of [
      ["rc3", "check not_a_server!"],
      ["rc4", "explain something"],
      ["rc5", `check ${"a".repeat(3000)}`],
    ] as const) {
      await sendSigned(url, actionBody("attest_run_check_2", value, sink.responseUrl(name)));
      const reply = await sink.next((c) => c.path === `/response/${name}`);
      expect(reply.body.text).toContain("not valid");
    }
    expect(checked.length).toBe(before);
    expect(audit.entries.at(-1)).toMatchObject({ command: "button:run_check", outcome: "bad_input" });
  });

  it("unsubscribe: removed for the channel; an unknown id, or another channel's, is not found", async () => {
    const elsewhere = await slash(`digest unsubscribe ${id}`, { channel_id: "C2" });
    expect(all(elsewhere)).toContain(`No subscription ${id} in this channel`);
    expect(elsewhere.response_type).toBe("ephemeral");
    expect(await store.get("subscriptions", id)).not.toBeNull();
    const body = await slash(`digest unsubscribe ${id}`);
    expect(body.response_type).toBe("in_channel");
    expect(all(body)).toContain(`Unsubscribed ${id}.`);
    expect(await store.get("subscriptions", id)).toBeNull();
    expect(all(await slash("digest list"))).toContain("No digest subscriptions in this channel");
  });

  it("malformed digest commands get usage with what was wrong; nothing is stored", async () => {
    const before = (await store.list("subscriptions")).length;
    const body = await slash('digest subscribe --cron "every day"');
    expect(body.response_type).toBe("ephemeral");
    expect(all(body)).toContain("That did not work:* --cron");
    expect(all(body)).toContain("/attest digest subscribe --servers");
    expect(all(await slash("digest frobnicate"))).toContain("unknown digest subcommand");
    expect((await store.list("subscriptions")).length).toBe(before);
    expect(audit.entries.at(-1)).toMatchObject({ command: "digest", outcome: "bad_input" });
  });

  it("is refused in a disallowed workspace or channel, and nothing is stored", async () => {
    const before = (await store.list("subscriptions")).length;
    expect((await slash("digest subscribe --all", { channel_id: "C9" })).text).toContain(
      "not enabled in this channel",
    );
    expect((await slash("digest subscribe --all", { team_id: "T9" })).text).toContain(
      "not enabled in this workspace",
    );
    expect((await store.list("subscriptions")).length).toBe(before);
    expect(audit.entries.at(-1)).toMatchObject({ tenant: "T9", outcome: "refused" });
  });

  it("says digests are off when the bot has no digest store, and stores nothing", async () => {
    for (const command of ["digest subscribe --all", "digest preview"]) {
      const body = await slash(command, {}, offUrl);
      expect(body.response_type).toBe("ephemeral");
      expect(body.text).toContain("Digests are off");
    }
    expect(audit.entries.at(-1)).toMatchObject({ command: "digest preview", outcome: "digests_off" });
  });

  it("help lists policy and the digest commands", async () => {
    const help = all(await slash("help"));
    expect(help).toContain("/attest policy &lt;pasted policy&gt;");
    expect(help).toContain("/attest digest subscribe");
    expect(help).toContain("/attest digest preview");
  });
});

describe("@attest digest ...", () => {
  const isIn = (c: Recorded, path: string, text: string) => c.path === path && all(c.body).includes(text);

  it("subscribe answers in the thread; preview goes to the caller only; then unsubscribe", async () => {
    await mention("digest subscribe --all --quiet-when-clear", "EvD1", {
      channel: "C2",
      ts: "1700000001.000100",
    });
    const sub = await sink.next((c) => isIn(c, "/api/chat.postMessage", "Subscribed. d-"));
    expect(sub.body).toMatchObject({ channel: "C2", thread_ts: "1700000001.000100" });
    expect(all(sub.body)).toContain("whole fleet");
    expect(all(sub.body)).toContain("quiet when clear");
    const subId = /Subscribed\. (d-[0-9a-f]+)/.exec(all(sub.body))?.[1] ?? "";

    await mention("digest preview", "EvD2", { channel: "C2" });
    const preview = await sink.next((c) => isIn(c, "/api/chat.postEphemeral", "Attestation digest preview"));
    expect(preview.body).toMatchObject({ channel: "C2", user: "U1" });

    await mention(`digest unsubscribe ${subId}`, "EvD3", { channel: "C2" });
    await sink.next((c) => isIn(c, "/api/chat.postMessage", `Unsubscribed ${subId}.`));
    expect(await store.get("subscriptions", subId)).toBeNull();
  });

  it("a malformed digest mention gets private usage; a disallowed channel a private refusal", async () => {
    await mention("digest unsubscribe", "EvD4");
    const usage = await sink.next((c) =>
      isIn(c, "/api/chat.postEphemeral", "digest unsubscribe needs one subscription id"),
    );
    expect(all(usage.body)).toContain("@attest digest unsubscribe d-3f9a1c");
    const before = (await store.list("subscriptions")).length;
    await mention("digest subscribe --all", "EvD5", { channel: "C9" });
    await sink.next((c) => c.path === "/api/chat.postEphemeral" && c.body.channel === "C9");
    expect((await store.list("subscriptions")).length).toBe(before);
  });
});
