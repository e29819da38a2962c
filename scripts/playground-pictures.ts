/**
 * `npm run playground:pictures`: a new user in Microsoft 365 Agents Playground (a Teams-like web
 * client), driven in headless Chromium. The bot (local mode, embedded demo data, the real clock)
 * and the playground run on 127.0.0.1; in the playground's page each command is typed into the
 * message box and sent with Enter, as a person would; the reply card is photographed as it
 * arrives and, when it has "Show evidence" or "Show the KQL", once more with those opened. PNGs go
 * to docs/pictures/playground/. Needs Debian `chromium` (`apt-get install -y chromium`) or
 * CHROMIUM=<path to a Chromium binary>.
 *
 *   npm run playground:pictures                          # every command of PLAYGROUND_COMMANDS
 *   npm run playground:pictures -- help check-sgxtest2   # only these (by name)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Playground, startPlayground } from "../infra/teams/playground.js";
import { type RunningBot, startBot } from "../src/compose/start-bot.js";
import { DEMO_PASTES, DEMO_SCENARIOS } from "../src/kusto-engine/demo-data.js";
import { silentLogger } from "../src/ports/log.js";
import { type Browser, launchChromium, openPage, type Page, waitForValue } from "./browser.js";
import { type Clipped, clippedInPage, splitWordsInPage } from "./layout-check.js";
import { findChromium } from "./pictures.js";

const REPO = fileURLToPath(new URL("../", import.meta.url));

export interface PlaygroundCommand {
  /** The file name of its pictures, e.g. `check-sgxtest2`. */
  readonly name: string;
  /** What the user types. */
  readonly text: string;
}

const PASTED_37324 = DEMO_PASTES.find((p) => p.server === "sgxtestuksouthsrv");
if (!PASTED_37324) throw new Error("DEMO_PASTES lost the 37324 paste of sgxtestuksouthsrv");

/** What a new user tries: help, every demo server, a malformed command, a pasted error, policy. */
export const PLAYGROUND_COMMANDS: readonly PlaygroundCommand[] = [
  { name: "help", text: "help" },
  ...DEMO_SCENARIOS.map((s) => ({ name: `check-${s.server}`, text: `check ${s.server}` })),
  { name: "malformed", text: "check sgx_bad --since 6h" },
  { name: "unknown-command", text: "chekc sgxtest2" },
  { name: "explain-37324", text: `explain ${PASTED_37324.text}` },
  { name: "policy", text: "policy" },
];

export interface PlaygroundReply {
  readonly command: PlaygroundCommand;
  /** The reply as it arrived, and (when it has hidden parts) with them shown. */
  readonly files: readonly string[];
  /** The reply card's text as the page shows it when it arrives. */
  readonly text: string;
  /** Its text with the hidden parts (evidence, KQL) shown; null when it has none. */
  readonly expandedText: string | null;
  /** The card's buttons, by their titles. */
  readonly buttons: readonly string[];
  /** Boxes of the card that cut their text off (scripts/layout-check.ts); none is right. */
  readonly clipped: readonly Clipped[];
  /** One-word texts split across lines ("Nod" / "e"); none is right. */
  readonly splitWords: readonly string[];
}

/** The card of the progress placeholder, replaced by the result when it is ready. */
const PROGRESS = "This card is replaced by the result when it is ready.";

interface MessageInfo {
  readonly bot: boolean;
  readonly cards: number;
  readonly text: string;
}

/** In the page: the conversation's messages, oldest first. */
function messagesInPage(): MessageInfo[] {
  type El = {
    parentElement: El | null;
    textContent: string | null;
    querySelector(s: string): El | null;
    querySelectorAll(s: string): ArrayLike<El>;
  };
  const doc = (globalThis as unknown as { document: El }).document;
  return Array.from(doc.querySelectorAll('[aria-label="Message header"]')).map((header) => {
    const message = header.parentElement?.parentElement ?? header;
    return {
      bot: header.querySelector('[aria-label="Message author"]') !== null,
      cards: message.querySelectorAll(".ac-adaptiveCard").length,
      text: message.textContent ?? "",
    };
  });
}

/**
 * In the page: marks the `index`th message (data-shot) and returns its box, after scrolling it
 * into view; with `expand`, first clicks its card's ToggleVisibility buttons ("Show …").
 */
function markMessageInPage(
  index: number,
  expand: boolean,
): { x: number; y: number; width: number; height: number; buttons: string[]; toggled: number } | null {
  type El = {
    parentElement: El | null;
    textContent: string | null;
    setAttribute(n: string, v: string): void;
    removeAttribute(n: string): void;
    click(): void;
    scrollIntoView(o: object): void;
    getBoundingClientRect(): { x: number; y: number; width: number; height: number };
    querySelectorAll(s: string): ArrayLike<El>;
  };
  const doc = (globalThis as unknown as { document: El }).document;
  for (const old of Array.from(doc.querySelectorAll("[data-shot]"))) old.removeAttribute("data-shot");
  const header = doc.querySelectorAll('[aria-label="Message header"]')[index];
  const message = header?.parentElement?.parentElement;
  if (!message) return null;
  message.setAttribute("data-shot", "1");
  const buttons = Array.from(message.querySelectorAll(".ac-adaptiveCard button")).map((b) =>
    (b.textContent ?? "").trim(),
  );
  let toggled = 0;
  if (expand)
    for (const b of Array.from(message.querySelectorAll(".ac-adaptiveCard button")))
      if (/^Show /.test((b.textContent ?? "").trim())) {
        b.click();
        toggled++;
      }
  message.scrollIntoView({ block: "start" });
  const r = message.getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height, buttons, toggled };
}

/** In the page: the marked message's card text, one line per block (hidden parts as they are). */
function shotTextInPage(): string {
  type El = { innerText: string } | null;
  const doc = (globalThis as unknown as { document: { querySelector(s: string): El } }).document;
  // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered (lines, white space) is the point
  return doc.querySelector("[data-shot] .ac-adaptiveCard")?.innerText ?? "";
}

/** Sends `text` as the user and waits for the bot's reply card (past any progress card). */
async function send(page: Page, text: string): Promise<number> {
  const before = (await page.evaluate(messagesInPage)).length;
  await page.evaluate(() => {
    const box = (
      globalThis as unknown as { document: { querySelector(s: string): { focus(): void } | null } }
    ).document.querySelector('[role="textbox"][contenteditable="true"]');
    if (!box) throw new Error("the playground's message box is not there");
    box.focus();
  });
  await page.keyboard.sendCharacter(text);
  await page.keyboard.press("Enter");
  return waitForValue(
    page,
    (from: number, progress: string) => {
      const doc = (
        globalThis as unknown as {
          document: {
            querySelectorAll(s: string): ArrayLike<{
              parentElement: { parentElement: unknown } | null;
              querySelector(s: string): unknown;
            }>;
          };
        }
      ).document;
      const headers = Array.from(doc.querySelectorAll('[aria-label="Message header"]'));
      for (let i = from; i < headers.length; i++) {
        const header = headers[i]!;
        const message = header.parentElement?.parentElement as
          | { querySelector(s: string): { textContent: string | null } | null }
          | undefined;
        const card = message?.querySelector(".ac-adaptiveCard");
        if (
          header.querySelector('[aria-label="Message author"]') &&
          card &&
          !card.textContent?.includes(progress)
        )
          return i + 1; // 1-based: 0 would read as "not yet"
      }
      return 0;
    },
    [before, PROGRESS],
    { timeoutMs: 90_000, what: `the reply to "${text.slice(0, 60)}"` },
  );
}

/** Resizes the page so the whole `index`th message fits, and photographs it. */
async function shoot(page: Page, index: number, expand: boolean) {
  let box = await page.evaluate(markMessageInPage, index, expand);
  if (!box) throw new Error(`message ${index} vanished`);
  // Tall enough for the whole message below the playground's header, then measured again.
  await page.setViewport({
    width: 1280,
    height: Math.max(900, Math.ceil(box.height) + 400),
    deviceScaleFactor: 1,
  });
  box = await page.evaluate(markMessageInPage, index, false);
  if (!box) throw new Error(`message ${index} vanished`);
  const png = Buffer.from(
    await page.screenshot({
      type: "png",
      captureBeyondViewport: true,
      clip: {
        x: Math.max(0, box.x - 8),
        y: Math.max(0, box.y - 8),
        width: box.width + 16,
        height: box.height + 16,
      },
    }),
  );
  const text = await page.evaluate(shotTextInPage);
  const clipped: Clipped[] = await page.evaluate(clippedInPage, "[data-shot] .ac-adaptiveCard");
  const splitWords: string[] = await page.evaluate(splitWordsInPage, "[data-shot] .ac-adaptiveCard");
  return { png, text, clipped, splitWords, buttons: box.buttons, toggled: box.toggled };
}

/** Runs `commands` in the playground and writes their pictures into `outDir`. */
export async function playgroundPictures(options: {
  readonly outDir: string;
  readonly chromium: string;
  readonly commands?: readonly PlaygroundCommand[];
}): Promise<PlaygroundReply[]> {
  const workDir = mkdtempSync(join(tmpdir(), "attest-playground-pictures-"));
  let bot: RunningBot | undefined;
  let playground: Playground | undefined;
  let browser: Browser | undefined;
  const replies: PlaygroundReply[] = [];
  try {
    bot = await startBot({ env: { ATTEST_DATA_DIR: join(workDir, "data") }, logger: silentLogger, port: 0 });
    playground = await startPlayground({ appEndpoint: `${bot.url}/api/messages`, port: 0, workDir });
    browser = await launchChromium(options.chromium);
    const page = await openPage(browser, 1280, 900);
    await page.goto(playground.url, { waitUntil: "load", timeout: 60_000 });
    // The playground installs the bot on opening: its welcome (the help card) arrives first.
    await waitForValue(
      page,
      () =>
        (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
          ".ac-adaptiveCard",
        ) !== null,
      [],
      { timeoutMs: 120_000, what: "the playground and the bot's welcome card" },
    );
    mkdirSync(options.outDir, { recursive: true });
    for (const command of options.commands ?? PLAYGROUND_COMMANDS) {
      await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
      const index = (await send(page, command.text)) - 1;
      const arrived = await shoot(page, index, false);
      const files = [join(options.outDir, `${command.name}.png`)];
      writeFileSync(files[0]!, arrived.png);
      let clipped = arrived.clipped;
      let splitWords = arrived.splitWords;
      let expandedText: string | null = null;
      if (arrived.buttons.some((b) => b.startsWith("Show "))) {
        const expanded = await shoot(page, index, true);
        files.push(join(options.outDir, `${command.name}-expanded.png`));
        writeFileSync(files[1]!, expanded.png);
        expandedText = expanded.text;
        clipped = [...clipped, ...expanded.clipped];
        splitWords = [...new Set([...splitWords, ...expanded.splitWords])];
      }
      replies.push({
        command,
        files,
        text: arrived.text,
        expandedText,
        buttons: arrived.buttons,
        clipped,
        splitWords,
      });
    }
  } finally {
    await browser?.close();
    await playground?.stop();
    await bot?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  return replies;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const chromium = findChromium();
  if (!chromium) {
    process.stderr.write(
      "npm run playground:pictures needs Chromium: apt-get update && apt-get install -y chromium (Debian), or CHROMIUM=/path/to/chromium\n",
    );
    process.exit(2);
  }
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !PLAYGROUND_COMMANDS.some((c) => c.name === n));
  if (unknown.length) {
    process.stderr.write(
      `unknown ${unknown.join(", ")}; expected some of ${PLAYGROUND_COMMANDS.map((c) => c.name).join(", ")}\n`,
    );
    process.exit(2);
  }
  const outDir = join(REPO, "docs", "pictures", "playground");
  const replies = await playgroundPictures({
    outDir,
    chromium,
    commands: names.length ? PLAYGROUND_COMMANDS.filter((c) => names.includes(c.name)) : PLAYGROUND_COMMANDS,
  });
  let problems = 0;
  for (const r of replies) {
    process.stdout.write(`${r.command.name}: ${r.files.join(", ")}\n`);
    for (const c of r.clipped) {
      problems++;
      process.stdout.write(`  cut off by ${c.overflowPx}px: ${c.text}\n`);
    }
    for (const w of r.splitWords) {
      problems++;
      process.stdout.write(`  one word split across lines: ${w}\n`);
    }
  }
  process.exit(problems ? 1 : 0);
}
