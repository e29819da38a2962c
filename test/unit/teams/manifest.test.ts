import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import {
  buildManifest,
  buildPackage,
  PLACEHOLDER_BOT_ID,
  settingsFromEnv,
  validateManifest,
} from "../../../infra/teams/package-app.js";

const APP_ID = "0b9f6a4e-7c1d-4f2a-9e3b-5d6c7b8a9f01";
const SETTINGS = {
  appId: APP_ID,
  privacyUrl: "https://contoso.com/attest-bot/privacy",
  termsUrl: "https://contoso.com/attest-bot/terms",
};
const unzip = (zip: Buffer) =>
  Object.entries(unzipSync(zip)).map(([name, data]) => ({ name, data: Buffer.from(data) }));

describe("Teams app manifest", () => {
  it("validates against the manifest schema (subset of v1.17)", () => {
    expect(validateManifest(buildManifest(APP_ID))).toEqual([]);
  });

  it("lists check, explain, policy, digest and help, in personal, team and groupChat scopes", () => {
    const m = buildManifest(APP_ID) as {
      bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[];
    };
    expect(m.bots[0]?.botId).toBe(APP_ID);
    expect(m.bots[0]?.scopes.sort()).toEqual(["groupChat", "personal", "team"]);
    expect(m.bots[0]?.commandLists[0]?.commands.map((c) => c.title)).toEqual([
      "check",
      "explain",
      "policy",
      "digest",
      "help",
    ]);
  });

  it("uses the placeholder bot id without MicrosoftAppId", () => {
    expect((buildManifest(undefined) as { bots: { botId: string }[] }).bots[0]?.botId).toBe(
      PLACEHOLDER_BOT_ID,
    );
  });

  it("the schema rejects what Teams would reject", () => {
    const bad = (patch: (m: Record<string, unknown>) => void) => {
      const m = structuredClone(buildManifest(APP_ID));
      patch(m);
      return validateManifest(m);
    };
    expect(bad((m) => delete m.icons)).not.toEqual([]);
    expect(bad((m) => (m.accentColor = "blue"))).not.toEqual([]);
    expect(bad((m) => (m.version = "1.0"))).not.toEqual([]);
    expect(bad((m) => ((m.bots as { botId: string }[])[0]!.botId = "not-a-guid"))).not.toEqual([]);
    expect(bad((m) => ((m.bots as { scopes: string[] }[])[0]!.scopes = ["everywhere"]))).not.toEqual([]);
    expect(bad((m) => ((m.name as { short: string }).short = "x".repeat(31)))).not.toEqual([]);
    expect(bad((m) => (m.unknownProperty = 1))).not.toEqual([]);
  });
});

describe("Teams app package", () => {
  it("zips manifest.json, color.png and outline.png at the root, with the bot id and links filled in", () => {
    const entries = unzip(buildPackage(SETTINGS));
    expect(entries.map((e) => e.name)).toEqual(["manifest.json", "color.png", "outline.png"]);
    const manifest = JSON.parse(entries[0]!.data.toString("utf8")) as {
      icons: { color: string; outline: string };
      bots: { botId: string }[];
      developer: { privacyUrl: string; termsOfUseUrl: string };
    };
    expect(manifest.icons).toEqual({ color: "color.png", outline: "outline.png" });
    expect(manifest.bots[0]?.botId).toBe(APP_ID);
    expect(manifest.developer).toMatchObject({
      privacyUrl: SETTINGS.privacyUrl,
      termsOfUseUrl: SETTINGS.termsUrl,
    });
    expect(PNG.sync.read(entries[1]!.data)).toMatchObject({ width: 192, height: 192 });
    expect(PNG.sync.read(entries[2]!.data)).toMatchObject({ width: 32, height: 32 });
  });

  it("refuses to package an invalid manifest (bad MicrosoftAppId)", () => {
    expect(() => buildPackage({ ...SETTINGS, appId: "not-a-guid" })).toThrow(
      /cannot build the Teams app package:\n {2}- manifest bots\.0\.botId/,
    );
  });

  it("refuses the zero bot id, a missing bot id, and missing or placeholder privacy/terms links, listing each", () => {
    expect(() => buildPackage({ ...SETTINGS, appId: PLACEHOLDER_BOT_ID })).toThrow(
      /MicrosoftAppId: 00000000-0000-0000-0000-000000000000 is the placeholder/,
    );
    let message = "";
    try {
      buildPackage(settingsFromEnv({}));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n").slice(1)).toEqual([
      "  - MicrosoftAppId: required: the app id (a GUID) of your Azure Bot resource",
      "  - ATTEST_TEAMS_PRIVACY_URL: required: the https URL of your privacy statement (Teams shows it to every user)",
      "  - ATTEST_TEAMS_TERMS_URL: required: the https URL of your terms of use (Teams shows it to every user)",
    ]);
    expect(() => buildPackage({ ...SETTINGS, privacyUrl: "http://contoso.com/privacy" })).toThrow(
      /ATTEST_TEAMS_PRIVACY_URL: must be https/,
    );
    expect(() => buildPackage({ ...SETTINGS, termsUrl: "https://example.com/terms" })).toThrow(
      /ATTEST_TEAMS_TERMS_URL: example\.com is a placeholder host/,
    );
    // The manifest's own links are placeholders: without the settings there is no package.
    expect(() => buildPackage({ appId: APP_ID, privacyUrl: undefined, termsUrl: undefined })).toThrow(
      /ATTEST_TEAMS_PRIVACY_URL: required/,
    );
  });

  it("the committed outline icon is white on transparent only", () => {
    const png = PNG.sync.read(readFileSync(new URL("../../../infra/teams/outline.png", import.meta.url)));
    const colours = new Set<string>();
    for (let at = 0; at < png.data.length; at += 4) colours.add([...png.data.subarray(at, at + 4)].join(","));
    expect([...colours].sort()).toEqual(["0,0,0,0", "255,255,255,255"]);
  });
});
