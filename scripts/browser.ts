/**
 * Headless Chromium for the pictures and the layout tests, through puppeteer-core (the system's
 * Chromium: Debian `chromium`, or CHROMIUM=<path>): a browser that reaches nothing but the pages it
 * is given, pages of a given size, and `waitForValue` (a page condition's value, or an error that
 * says what was awaited).
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";

export type { Browser, Page };

/** Flags for a headless Chromium that reaches nothing but the pages it is given. */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-extensions",
  "--hide-scrollbars",
  "--force-device-scale-factor=1",
  "--lang=en-US",
];

/** Starts headless Chromium (`chromium`: the binary) with a throw-away profile. */
export function launchChromium(chromium: string): Promise<Browser> {
  return puppeteer.launch({ executablePath: chromium, headless: true, args: FLAGS, timeout: 60_000 });
}

/** A new tab of `width`×`height` CSS pixels. */
export async function openPage(browser: Browser, width: number, height: number): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width, height, deviceScaleFactor: 1 });
  // Functions handed to page.evaluate are sent as their source; a TypeScript loader (tsx, vitest)
  // may have put its `__name` helper (which keeps function names) into them: give the page one.
  await page.evaluateOnNewDocument("globalThis.__name = (f) => f;");
  return page;
}

/** Polls `condition(...args)` in the page until it is truthy, and returns its value. */
export async function waitForValue<T, A extends (string | number | boolean | null)[]>(
  page: Page,
  condition: (...args: A) => T,
  args: A,
  { timeoutMs = 60_000, what = "the page" }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  try {
    // Plain values cross as themselves (no element handles), so `condition` takes them as they are.
    const handle = await page.waitForFunction(
      condition as unknown as (...a: unknown[]) => T,
      { timeout: timeoutMs, polling: 200 },
      ...args,
    );
    return (await handle.jsonValue()) as T;
  } catch (error) {
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: error });
  }
}
