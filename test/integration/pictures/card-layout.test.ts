/**
 * Issue 12: the demo cards on the pictures' page look as they do in Teams (Agents Playground, a
 * Teams look-alike, is the reference): nothing runs past the card's edge, and code keeps its line
 * breaks and indentation. Each card (every part shown: evidence and KQL too) is rendered by the
 * `adaptivecards` renderer on the pictures' page in headless Chromium and measured there
 * (scripts/layout-check.ts). Skipped, saying why, on a machine without Chromium
 * (`apt-get install -y chromium`).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchChromium, openPage, waitForValue } from "../../../scripts/browser.js";
import { type Clipped, clippedInPage, splitWordsInPage } from "../../../scripts/layout-check.js";
import { cardPage, demoChecks, findChromium } from "../../../scripts/pictures.js";

const chromium = findChromium();
const workDir = mkdtempSync(join(tmpdir(), "attest-card-layout-"));

/** The card with its hidden parts ("Show evidence", "Show the KQL") shown. */
const allShown = (card: unknown): unknown =>
  JSON.parse(JSON.stringify(card, (k, v) => (k === "isVisible" ? undefined : v)));

interface Seen {
  readonly server: string;
  /** The card's boxes that cut their text off. */
  readonly clipped: readonly Clipped[];
  /** One-word texts split across lines. */
  readonly splitWords: readonly string[];
  /** The card's text as rendered (innerText: white space as the reader sees it). */
  readonly text: string;
  /** The commands and KQL the card holds. */
  readonly code: readonly string[];
}

type PageDocument = {
  document: { querySelector(s: string): { innerText: string } | null };
};

describe.skipIf(!chromium)(
  `the demo cards on the pictures' page in Chromium${chromium ? "" : " (skipped: no Chromium on this machine; apt-get install -y chromium)"}`,
  () => {
    let browser: Browser | undefined;
    const seen: Seen[] = [];
    beforeAll(async () => {
      browser = await launchChromium(chromium!);
      const page = await openPage(browser, 720, 900);
      for await (const { server, card, view } of demoChecks()) {
        const file = join(workDir, `${server}.html`);
        writeFileSync(file, cardPage(allShown(card), server));
        await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
        await waitForValue(
          page,
          () =>
            (globalThis as unknown as PageDocument).document.querySelector("#card .ac-adaptiveCard") !== null,
          [],
          { what: `${server}'s card` },
        );
        seen.push({
          server,
          clipped: await page.evaluate(clippedInPage, "#card"),
          splitWords: await page.evaluate(splitWordsInPage, "#card"),
          text: await page.evaluate(
            // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, white space as shown, is the point
            () => (globalThis as unknown as PageDocument).document.querySelector("#card")?.innerText ?? "",
          ),
          code: [...view.findings.flatMap((f) => f.commands), ...view.queries.map((q) => q.text)],
        });
      }
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      rmSync(workDir, { recursive: true, force: true });
    });

    it("no text of any demo scenario's card is cut off at the card's edge (a bullet with a date and time was)", () => {
      expect(seen.length).toBeGreaterThan(0);
      expect(
        Object.fromEntries(seen.filter((s) => s.clipped.length).map((s) => [s.server, s.clipped])),
      ).toEqual({});
    });

    it("no one-word text (a table header, a node, a code) is split across lines", () => {
      expect(
        Object.fromEntries(seen.filter((s) => s.splitWords.length).map((s) => [s.server, s.splitWords])),
      ).toEqual({});
    });

    it("every command and KQL line reads with its indentation, as Teams shows code (the policy's lost it)", () => {
      const missing = seen.flatMap((s) =>
        s.code.flatMap((c) =>
          c
            .split("\n")
            .map((l) => l.trimEnd())
            .filter((l) => /^\s/.test(l) && !s.text.includes(l))
            .map((l) => `${s.server}: ${JSON.stringify(l)}`),
        ),
      );
      expect(missing).toEqual([]);
    });
  },
);
