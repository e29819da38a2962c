import { inflateRawSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  buildManifest,
  buildPackage,
  PLACEHOLDER_BOT_ID,
  validateManifest,
} from "../../../infra/teams/package-app.js";
import { colorIcon, outlineIcon, pngInfo } from "../../../infra/teams/png.js";
import { unzip, zip } from "../../../infra/teams/zip.js";

const APP_ID = "0b9f6a4e-7c1d-4f2a-9e3b-5d6c7b8a9f01";

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
  it("zips manifest.json, color.png and outline.png at the root", () => {
    const entries = unzip(buildPackage(APP_ID), inflateRawSync);
    expect(entries.map((e) => e.name)).toEqual(["manifest.json", "color.png", "outline.png"]);
    const manifest = JSON.parse(entries[0]!.data.toString("utf8")) as {
      icons: { color: string; outline: string };
    };
    expect(manifest.icons).toEqual({ color: "color.png", outline: "outline.png" });
    expect(pngInfo(entries[1]!.data)).toMatchObject({ width: 192, height: 192 });
    expect(pngInfo(entries[2]!.data)).toMatchObject({ width: 32, height: 32 });
  });

  it("refuses to package an invalid manifest (bad MicrosoftAppId)", () => {
    expect(() => buildPackage("not-a-guid")).toThrow(/invalid Teams manifest/);
  });

  it("the outline icon is white on transparent only", () => {
    // Decode our own PNG: one IDAT, filter 0 rows.
    const png = outlineIcon();
    const idat = png.indexOf("IDAT");
    const length = png.readUInt32BE(idat - 4);
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + length));
    const colours = new Set<string>();
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        const at = y * (1 + 32 * 4) + 1 + x * 4;
        colours.add(raw.subarray(at, at + 4).join(","));
      }
    expect([...colours].sort()).toEqual(["0,0,0,0", "255,255,255,255"]);
    expect(colorIcon().length).toBeGreaterThan(100);
  });

  it("zip round-trips arbitrary content", () => {
    const data = Buffer.from("héllo ".repeat(1000), "utf8");
    expect(unzip(zip([{ name: "a/b.txt", data }]), inflateRawSync)).toEqual([{ name: "a/b.txt", data }]);
  });
});
