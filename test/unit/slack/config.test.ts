import { describe, expect, it } from "vitest";
import { refusalOf, slackConfigFrom } from "../../../src/adapters/slack/config.js";
import { isSlackResponseUrl } from "../../../src/adapters/slack/deliver.js";
import { plainText, stripMention } from "../../../src/adapters/slack/mention.js";
import { commandWord } from "../../../src/adapters/slack/reply.js";
import { ResultStore } from "../../../src/adapters/slack/result-store.js";
import { VIEWS } from "./fixtures/views.js";

const both = { SLACK_SIGNING_SECRET: "s3cret-value", SLACK_BOT_TOKEN: "xoxb-123" };

describe("slackConfigFrom", () => {
  it("is off, without problems, when neither secret nor token is set", () => {
    expect(slackConfigFrom({}, true)).toEqual({ value: null, problems: [] });
    expect(slackConfigFrom({}, false)).toEqual({ value: null, problems: [] });
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: "s" }, true, "SLACK_BOT_TOKEN: required with SLACK_SIGNING_SECRET"],
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, true, "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN"],
    [
      { ...both, SLACK_BOT_TOKEN: "xoxp-user" },
      true,
      "SLACK_BOT_TOKEN: expected a bot token starting with xoxb-",
    ],
    [{ ...both, SLACK_API_URL: "ftp://x" }, true, "SLACK_API_URL: expected an http(s) URL"],
    [both, false, "ATTEST_SLACK_ALLOWED_TEAMS: required outside local mode"],
    [
      { ...both, ATTEST_SLACK_ALLOWED_TEAMS: "T1" },
      false,
      "ATTEST_SLACK_ALLOWED_CHANNELS: required outside local mode",
    ],
    [
      { ...both, ATTEST_SLACK_ALLOWED_TEAMS: "T1, bad id" },
      true,
      "ATTEST_SLACK_ALLOWED_TEAMS: expected comma-separated Slack ids",
    ],
  ])("%j (local %s) is a problem: %s", (env, local, problem) => {
    const r = slackConfigFrom(env, local);
    expect(r.value).toBeNull();
    expect(r.problems.some((p) => p.startsWith(problem))).toBe(true);
  });

  it("never echoes a secret in a problem", () => {
    const r = slackConfigFrom(
      { SLACK_SIGNING_SECRET: "s3cret-value", SLACK_BOT_TOKEN: "xoxp-leaky-token" },
      false,
    );
    expect(r.problems.join("\n")).not.toMatch(/s3cret-value|leaky/);
  });

  it("allows everything in local mode, and * on purpose elsewhere", () => {
    const local = slackConfigFrom(both, true).value!;
    expect([local.allowedTeams, local.allowedChannels, local.responseUrls]).toEqual(["all", "all", "any"]);
    expect(local.apiUrl).toBe("https://slack.com/api/");
    const open = slackConfigFrom(
      { ...both, ATTEST_SLACK_ALLOWED_TEAMS: "*", ATTEST_SLACK_ALLOWED_CHANNELS: "C1, C2" },
      false,
    ).value!;
    expect([open.allowedTeams, open.allowedChannels, open.responseUrls]).toEqual([
      "all",
      ["C1", "C2"],
      "slack",
    ]);
    expect(slackConfigFrom({ ...both, SLACK_API_URL: "http://127.0.0.1:9/api" }, true).value?.apiUrl).toBe(
      "http://127.0.0.1:9/api/",
    );
  });

  it("refuses other workspaces first, then other channels", () => {
    const c = slackConfigFrom(
      { ...both, ATTEST_SLACK_ALLOWED_TEAMS: "T1", ATTEST_SLACK_ALLOWED_CHANNELS: "C1" },
      false,
    ).value!;
    expect(refusalOf(c, "T1", "C1")).toBeNull();
    expect(refusalOf(c, "T2", "C1")).toBe("workspace");
    expect(refusalOf(c, "T1", "C2")).toBe("channel");
  });
});

describe("small Slack helpers", () => {
  it("strips the leading mention(s) from an app_mention", () => {
    expect(stripMention("<@U0BOT> check srv1")).toBe("check srv1");
    expect(stripMention("  <@U0BOT|attest>  <@U0BOT> help ")).toBe("help");
    expect(stripMention("check <@U1> x")).toBe("check <@U1> x");
    expect(stripMention("<@U0BOT> check srv --url <https://a.attest.azure.net|a.attest.azure.net>")).toBe(
      "check srv --url https://a.attest.azure.net",
    );
  });

  it("turns Slack's markup back into what was typed", () => {
    expect(plainText("explain Msg 37324 &lt;x&gt; &amp;amp; <https://e.x/y?a=1&amp;b=2>")).toBe(
      "explain Msg 37324 <x> &amp; https://e.x/y?a=1&b=2",
    );
    expect(plainText("see <mailto:a@b.c|a@b.c>")).toBe("see a@b.c");
  });

  it("names a command for audit without copying arbitrary text", () => {
    expect(commandWord("check x")).toBe("check");
    expect(commandWord("/attest Explain foo")).toBe("explain");
    expect(commandWord("")).toBe("help");
    expect(commandWord("<script>alert(1)</script>")).toBe("unknown");
  });

  it("recognises Slack's own response URLs only", () => {
    expect(isSlackResponseUrl("https://hooks.slack.com/commands/T1/1/abc")).toBe(true);
    expect(isSlackResponseUrl("http://hooks.slack.com/commands/T1/1/abc")).toBe(false);
    expect(isSlackResponseUrl("https://hooks.slack.com.evil.example/x")).toBe(false);
    expect(isSlackResponseUrl("http://127.0.0.1:9/x")).toBe(false);
  });

  it("the result store gives a view back only in its own workspace and channel, and forgets after a day", () => {
    let now = 0;
    const store = new ResultStore({ now: () => now }, 2);
    const view = VIEWS.healthy!;
    const ref = store.put(view, "T1", "C1");
    expect(store.get(ref, "T1", "C1")).toBe(view);
    expect(store.get(ref, "T1", "C2")).toBeNull();
    expect(store.get(ref, "T2", "C1")).toBeNull();
    now = 86_400_001;
    expect(store.get(ref, "T1", "C1")).toBeNull();
    const a = store.put(view, "T1", "C1");
    store.put(view, "T1", "C1");
    store.put(view, "T1", "C1");
    expect(store.get(a, "T1", "C1")).toBeNull();
  });
});
