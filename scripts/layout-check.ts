/**
 * What a reader would find cut off in a rendered Adaptive Card: text that runs past the edge of a
 * box that clips it (overflow hidden or clip), e.g. a TextBlock whose Markdown list is wider than
 * the block. Runs in the page (Chromium, through puppeteer-core, scripts/browser.ts); a box that scrolls (a code
 * block) is not clipped. The card's hidden parts ("Show evidence", "Show the KQL") are checked only
 * when shown.
 */

/** One clipped box: the start of its text and by how many CSS pixels its content is too wide. */
export interface Clipped {
  readonly text: string;
  readonly overflowPx: number;
}

/** The little of the DOM the check reads (the project compiles without the DOM library). */
interface PageElement {
  readonly clientWidth: number;
  readonly scrollWidth: number;
  readonly textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
interface PageGlobals {
  readonly document: { querySelectorAll(selector: string): ArrayLike<PageElement> };
  getComputedStyle(element: PageElement): { readonly overflowX: string };
}

/**
 * In the page: every box inside `root` (a CSS selector; each match is checked) that clips content
 * wider than itself. Self-contained (no closure): it is sent to the page as its source.
 */
export function clippedInPage(root: string): Clipped[] {
  const page = globalThis as unknown as PageGlobals;
  const out: Clipped[] = [];
  for (const top of Array.from(page.document.querySelectorAll(root)))
    for (const el of [top, ...Array.from(top.querySelectorAll("*"))]) {
      if (el.clientWidth === 0) continue;
      const { overflowX } = page.getComputedStyle(el);
      if (overflowX !== "hidden" && overflowX !== "clip") continue;
      const over = el.scrollWidth - el.clientWidth;
      if (over > 1)
        out.push({ text: (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 80), overflowPx: over });
    }
  // Content a box clips adds nothing to its ancestors' scroll width: each cut is reported once.
  return out;
}

/** The little of the DOM the broken-word check reads. */
interface TextElement {
  readonly textContent: string | null;
  getBoundingClientRect(): { readonly height: number };
  querySelectorAll(selector: string): ArrayLike<TextElement>;
}

/**
 * In the page: the text blocks inside `root` that hold one short word (a table header such as
 * "Node", a node name, a code: at most 20 characters) and yet take more than one line: the word is
 * split where the reader sees it ("Nod" / "e"). A long token (a URL) may wrap. Self-contained, like
 * clippedInPage.
 */
export function splitWordsInPage(root: string): string[] {
  const page = globalThis as unknown as {
    document: { querySelectorAll(selector: string): ArrayLike<TextElement> };
    getComputedStyle(element: TextElement): { readonly lineHeight: string; readonly fontSize: string };
  };
  const out: string[] = [];
  for (const top of Array.from(page.document.querySelectorAll(root)))
    for (const el of Array.from(top.querySelectorAll(".ac-textBlock, .ac-richTextBlock"))) {
      const text = (el.textContent ?? "").trim();
      if (text === "" || text.length > 20 || /\s/.test(text)) continue;
      const style = page.getComputedStyle(el);
      const line = Number.parseFloat(style.lineHeight) || 1.4 * Number.parseFloat(style.fontSize);
      if (el.getBoundingClientRect().height > 1.5 * line) out.push(text);
    }
  return out;
}
