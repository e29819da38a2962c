/**
 * `npm run pictures` renders a scenario's Adaptive Card (adaptivecards renderer in headless
 * Chromium) and its Slack reply (HTML, and PNG) into a directory. Skipped, saying why, on a
 * machine without Chromium (`apt-get install -y chromium`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { findChromium, renderPictures } from "../../../scripts/pictures.js";

const chromium = findChromium();
const outDir = mkdtempSync(join(tmpdir(), "attest-pictures-test-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Pixels of `png` within `tolerance` of the colour. */
function count(png: PNG, [r, g, b]: [number, number, number], tolerance = 4): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4)
    if (
      Math.abs(png.data[i]! - r) + Math.abs(png.data[i + 1]! - g) + Math.abs(png.data[i + 2]! - b) <=
      tolerance
    )
      n++;
  return n;
}

describe.skipIf(!chromium)(
  `npm run pictures${chromium ? "" : " (skipped: no Chromium on this machine; apt-get install -y chromium)"}`,
  () => {
    it("renders the 403 scenario's card and Slack reply to cropped PNGs", async () => {
      const [picture] = await renderPictures({ outDir, chromium: chromium!, servers: ["sgxtestuksouthsrv"] });
      const card = PNG.sync.read(readFileSync(picture!.teamsPng));
      expect(card.width).toBe(720);
      // Cropped to the card, far below the 4000 px window.
      expect(card.height).toBeGreaterThan(300);
      expect(card.height).toBeLessThan(2500);
      // The verdict banner is drawn in Teams' "warning" container colour (customer action).
      expect(count(card, [0xff, 0xe2, 0xb2])).toBeGreaterThan(5000);
      const html = readFileSync(picture!.slackHtml, "utf8");
      expect(html).toContain("Customer action needed");
      expect(html).toContain("<pre>New-AzRoleAssignment");
      const slack = PNG.sync.read(readFileSync(picture!.slackPng));
      expect(slack.height).toBeLessThan(2500);
    }, 300_000);

    it("names the demo servers when asked for one that does not exist", async () => {
      await expect(renderPictures({ outDir, chromium: chromium!, servers: ["nope"] })).rejects.toThrow(
        /unknown demo server nope; expected one of .*sgxtestuksouthsrv,/,
      );
    }, 300_000);
  },
);

describe("npm run pictures with a name that is not a demo server", () => {
  it("says which name, lists the demo servers and exits 2, before looking for Chromium", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/pictures.ts", "--help"], {
      cwd: fileURLToPath(new URL("../../../", import.meta.url)),
      env: { ...process.env, CHROMIUM: "/nonexistent/chromium" },
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^npm run pictures -- \[demo server \.\.\.\]: --help is not a demo server; expected any of sgxtest2, /,
    );
    expect(run.stderr).not.toMatch(/ at /);
  });
});
