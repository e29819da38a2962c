import { describe, expect, it } from "vitest";
import { authorize } from "../../../src/adapters/teams/access.js";
import { actorOf, buttonCommand, typedText } from "../../../src/adapters/teams/activity.js";
import { RecentActivities } from "../../../src/adapters/teams/recent-activities.js";
import { teamsConfigFrom } from "../../../src/adapters/teams/routes.js";

const APP_ID = "0b9f6a4e-7c1d-4f2a-9e3b-5d6c7b8a9f01";
const TENANT = "11111111-1111-1111-1111-111111111111";
const SECRET = "s3cr3t-V4lue~that-must-not-leak";

describe("Teams configuration", () => {
  it("local mode: nothing required; defaults", () => {
    expect(teamsConfigFrom({}, true)).toEqual({
      value: {
        appId: null,
        appPassword: null,
        appType: "MultiTenant",
        appTenantId: null,
        allowedTenants: [],
        allowedUsers: [],
        progressAfterMs: 3000,
      },
      problems: [],
    });
  });

  it("public without a bot identity: Teams is off (requests could not be authenticated)", () => {
    expect(teamsConfigFrom({ ATTEST_TEAMS_ALLOWED_TENANTS: TENANT }, false)).toEqual({
      value: null,
      problems: [],
    });
  });

  it("with a bot identity: allowed tenants are required", () => {
    const r = teamsConfigFrom({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: SECRET }, false);
    expect(r.value).toBeNull();
    expect(r.problems).toEqual([
      expect.stringMatching(/^ATTEST_TEAMS_ALLOWED_TENANTS: required outside local mode/),
    ]);
  });

  it("lists every problem at once, naming the variable, never echoing the secret", () => {
    const r = teamsConfigFrom(
      {
        MicrosoftAppId: "my-bot",
        MicrosoftAppPassword: SECRET,
        MicrosoftAppType: "SomethingElse",
        ATTEST_TEAMS_ALLOWED_TENANTS: `${TENANT}, ${SECRET}`,
        ATTEST_TEAMS_ALLOWED_USERS: "nobody",
        ATTEST_TEAMS_PROGRESS_AFTER: "20s",
      },
      false,
    );
    expect(r.value).toBeNull();
    const text = r.problems.join("\n");
    for (const name of [
      "MicrosoftAppId",
      "MicrosoftAppType",
      "ATTEST_TEAMS_ALLOWED_TENANTS",
      "ATTEST_TEAMS_ALLOWED_USERS",
      "ATTEST_TEAMS_PROGRESS_AFTER",
    ])
      expect(text).toContain(name);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("my-bot");
  });

  // Review item 8: the reviewer's reproductions; one start lists every problem.
  it("a bot id without password or tenants: both listed in one go", () => {
    const r = teamsConfigFrom({ MicrosoftAppId: APP_ID }, false);
    expect(r.value).toBeNull();
    expect(r.problems).toEqual([
      expect.stringMatching(/^MicrosoftAppPassword: MicrosoftAppPassword is required/),
      expect.stringMatching(/^ATTEST_TEAMS_ALLOWED_TENANTS: required outside local mode/),
    ]);
  });

  it("an invalid bot id does not hide the missing password and tenants", () => {
    const r = teamsConfigFrom({ MicrosoftAppId: "abc" }, false);
    expect(r.value).toBeNull();
    expect(r.problems).toEqual([
      expect.stringMatching(/^MicrosoftAppId: MicrosoftAppId must be the bot's Microsoft App ID/),
      expect.stringMatching(/^MicrosoftAppPassword: MicrosoftAppPassword is required/),
      expect.stringMatching(/^ATTEST_TEAMS_ALLOWED_TENANTS: required outside local mode/),
    ]);
    expect(r.problems.join("\n")).not.toContain("abc");
  });

  it("field problems and combination problems together (SingleTenant, bad delay, bad users)", () => {
    const r = teamsConfigFrom(
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppType: "SingleTenant",
        ATTEST_TEAMS_ALLOWED_USERS: "nobody",
        ATTEST_TEAMS_PROGRESS_AFTER: "20s",
      },
      false,
    );
    const names = r.problems.map((p) => p.split(":")[0]);
    expect(names.sort()).toEqual(
      [
        "ATTEST_TEAMS_ALLOWED_TENANTS",
        "ATTEST_TEAMS_ALLOWED_USERS",
        "ATTEST_TEAMS_PROGRESS_AFTER",
        "MicrosoftAppPassword",
        "MicrosoftAppTenantId",
      ].sort(),
    );
  });

  it("an unknown app type still asks for the missing password", () => {
    const r = teamsConfigFrom(
      { MicrosoftAppId: APP_ID, MicrosoftAppType: "Other", ATTEST_TEAMS_ALLOWED_TENANTS: TENANT },
      false,
    );
    expect(r.problems.map((p) => p.split(":")[0])).toEqual(["MicrosoftAppType", "MicrosoftAppPassword"]);
  });

  it("a SingleTenant bot needs its tenant id and a password", () => {
    const r = teamsConfigFrom(
      { MicrosoftAppId: APP_ID, MicrosoftAppType: "SingleTenant", ATTEST_TEAMS_ALLOWED_TENANTS: TENANT },
      false,
    );
    expect(r.problems).toEqual([
      expect.stringMatching(/^MicrosoftAppPassword: MicrosoftAppPassword is required/),
      expect.stringMatching(
        /^MicrosoftAppTenantId: MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant/,
      ),
    ]);
  });

  it("a complete public configuration", () => {
    const r = teamsConfigFrom(
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: SECRET,
        ATTEST_TEAMS_ALLOWED_TENANTS: ` ${TENANT.toUpperCase()} ,`,
        ATTEST_TEAMS_PROGRESS_AFTER: "5s",
      },
      false,
    );
    expect(r.problems).toEqual([]);
    expect(r.value).toMatchObject({ appId: APP_ID, allowedTenants: [TENANT], progressAfterMs: 5000 });
  });
});

describe("access policy", () => {
  const actor = {
    platform: "teams" as const,
    userId: "U1",
    tenantId: TENANT.toUpperCase(),
    conversationId: "c",
  };
  it("tenant ids compare case-insensitively; empty lists allow everyone", () => {
    expect(authorize({ allowedTenants: [TENANT], allowedUsers: [] }, actor)).toEqual({ ok: true });
    expect(authorize({ allowedTenants: [], allowedUsers: [] }, actor)).toEqual({ ok: true });
    expect(authorize({ allowedTenants: ["other"], allowedUsers: [] }, actor)).toMatchObject({ ok: false });
    expect(authorize({ allowedTenants: [TENANT], allowedUsers: ["u2"] }, actor)).toMatchObject({ ok: false });
    expect(authorize({ allowedTenants: [TENANT], allowedUsers: ["u1"] }, actor)).toEqual({ ok: true });
  });
});

describe("activity reading", () => {
  it("strips the bot mention and other <at> tags, decodes entities", () => {
    expect(
      typedText({
        text: "<at>attest</at> check srv &amp; more",
        recipient: { id: "28:bot", name: "attest" },
        entities: [{ type: "mention", mentioned: { id: "28:bot", name: "attest" }, text: "<at>attest</at>" }],
      }),
    ).toBe("check srv & more");
    expect(typedText({ text: "  attest help  " })).toBe("attest help");
  });

  it("keeps line breaks of pasted text", () => {
    expect(typedText({ text: "attest explain line 1\nline 2" })).toBe("attest explain line 1\nline 2");
  });

  it("reads the tenant from the conversation or channelData, the user from aadObjectId", () => {
    expect(
      actorOf({
        from: { id: "29:x", name: "", aadObjectId: "AAD" },
        conversation: { id: "c1", isGroup: false, conversationType: "personal", name: "" },
        channelData: { tenant: { id: "T" } },
      }),
    ).toEqual({ platform: "teams", userId: "AAD", tenantId: "T", conversationId: "c1" });
  });

  it("reads the command from Action.Execute and Action.Submit payloads only when it is a string", () => {
    expect(buttonCommand({ action: { verb: "attest.run", data: { attestCommand: "attest help" } } })).toBe(
      "attest help",
    );
    expect(buttonCommand({ attestCommand: "attest help" })).toBe("attest help");
    expect(buttonCommand({ attestCommand: 42 })).toBeNull();
    expect(buttonCommand(null)).toBeNull();
  });
});

describe("recent activities", () => {
  it("a repeat within the time-to-live is not first; after it, it is again", () => {
    let now = 0;
    const recent = new RecentActivities({ now: () => now }, { ttlMs: 1000 });
    expect(recent.firstTime("a")).toBe(true);
    expect(recent.firstTime("a")).toBe(false);
    now = 1001;
    expect(recent.firstTime("a")).toBe(true);
  });

  it("keeps at most `max` ids (oldest forgotten first)", () => {
    const recent = new RecentActivities({ now: () => 0 }, { max: 2 });
    recent.firstTime("a");
    recent.firstTime("b");
    recent.firstTime("c");
    expect(recent.firstTime("a")).toBe(true);
    expect(recent.firstTime("c")).toBe(false);
  });
});
