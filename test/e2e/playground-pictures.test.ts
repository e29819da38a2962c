/**
 * `npm run playground:pictures` as a new user sees it: the bot behind Microsoft 365 Agents
 * Playground (a Teams look-alike), its web page driven in headless Chromium; commands typed into
 * the message box, each reply card photographed and read from the page. A few of the commands
 * (the whole set is the script's): the cards read right in a Teams-like client. Skipped, saying
 * why, on a machine without Chromium (`apt-get install -y chromium`).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "../../scripts/pictures.js";
import {
  PLAYGROUND_COMMANDS,
  type PlaygroundReply,
  playgroundPictures,
} from "../../scripts/playground-pictures.js";

const chromium = findChromium();
const outDir = mkdtempSync(join(tmpdir(), "attest-playground-pictures-test-"));
const NAMES = ["help", "check-sgxtestregion01", "check-sgxtestfiltered", "malformed", "explain-37324"];

describe.skipIf(!chromium)(
  `the demo in Agents Playground's page${chromium ? "" : " (skipped: no Chromium on this machine; apt-get install -y chromium)"}`,
  () => {
    const replies = new Map<string, PlaygroundReply>();
    beforeAll(async () => {
      const commands = PLAYGROUND_COMMANDS.filter((c) => NAMES.includes(c.name));
      for (const r of await playgroundPictures({ outDir, chromium: chromium!, commands }))
        replies.set(r.command.name, r);
      // A bot, the playground (a 5 MB bundle) and Chromium on a loaded two-core machine.
    }, 240_000);
    afterAll(() => rmSync(outDir, { recursive: true, force: true }));

    const reply = (name: string) => {
      const r = replies.get(name);
      if (!r) throw new Error(`no reply to ${name}`);
      return r;
    };

    it("each command got its card, photographed; nothing in any card is cut off, no word split", () => {
      expect(new Set(replies.keys())).toEqual(new Set(NAMES));
      for (const r of replies.values()) {
        const png = PNG.sync.read(readFileSync(r.files[0]!));
        expect(png.width).toBeGreaterThan(300);
        expect(png.height).toBeGreaterThan(100);
        expect(r.clipped, r.command.name).toEqual([]);
        // The evidence table's "Node" header was split "Nod" / "e" in the playground's card width.
        expect(r.splitWords, r.command.name).toEqual([]);
      }
    });

    it("no raw DATE/TIME, backtick or Markdown escape in any card as it arrives; times in the reader's format", () => {
      for (const r of replies.values()) {
        expect(r.expandedText ?? "", r.command.name).not.toMatch(/\{\{(DATE|TIME)/);
        expect(r.text, r.command.name).not.toMatch(/\{\{(DATE|TIME)/);
        expect(r.text, r.command.name).not.toContain("`");
        expect(r.text, r.command.name).not.toMatch(/\\[!-/:-@[-`{-~]/);
      }
      expect(reply("check-sgxtestregion01").text).toMatch(/\b\d{1,2}:\d{2}\s?[AP]M\b/);
      expect(reply("check-sgxtestregion01").text).not.toMatch(/\bUTC\b/);
    });

    it("the MAA incident card: verdict, wider incident, buttons, and its KQL as Kusto takes it", () => {
      const r = reply("check-sgxtestregion01");
      expect(r.text).toContain("Escalate to the MAA owner");
      expect(r.text).toMatch(/Part of a wider incident: \d+ servers in eastus2/);
      expect(r.buttons).toEqual(expect.arrayContaining(["Re-run", "Show evidence", "Show the KQL"]));
      expect(r.files).toHaveLength(2); // and once more with the evidence and the KQL shown
      expect(r.expandedText).toContain("declare query_parameters(");
      expect(r.expandedText).toContain("| where LogicalServerName =~ server");
    });

    it("placeholders stay visible: help's usage lines, the filtered card's explain command", () => {
      expect(reply("help").text).toContain("attest check <server> [database] [--url URL] [--since 6h]");
      expect(reply("check-sgxtestfiltered").text).toContain("attest explain <pasted error text>");
      expect(reply("malformed").text).toContain('server: got "sgx_bad"');
      expect(reply("malformed").text).toContain("attest check <server> [database] [--url URL] [--since 6h]");
    });

    it("a pasted 37324 is explained: the Attestation Reader role", () => {
      expect(reply("explain-37324").text).toContain("Attestation Reader");
      expect(reply("explain-37324").text).not.toContain("Error not recognised");
    });
  },
);
