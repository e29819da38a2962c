/**
 * Just enough of the Chrome DevTools Protocol to drive a page in headless Chromium: open a URL,
 * evaluate script, wait for a condition, type as a user would (insertText, Enter) and take a PNG
 * screenshot. Chromium listens for DevTools on 127.0.0.1 at a port it picks; the connection is `ws`.
 * Used by the playground pictures (scripts/playground-pictures.ts) and the layout tests.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";

/** Flags for a headless Chromium that reaches nothing but the pages it is given. */
export const HEADLESS_FLAGS = [
  "--headless",
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

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  method: string;
}

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(method: string, params: unknown, sessionId?: string) => void>();

  private readonly child: ChildProcess;
  private readonly socket: WebSocket;
  private readonly profile: string;

  private constructor(child: ChildProcess, socket: WebSocket, profile: string) {
    this.child = child;
    this.socket = socket;
    this.profile = profile;
    socket.on("message", (data) => {
      const msg = JSON.parse(String(data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: unknown;
        sessionId?: string;
      };
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p.resolve(msg.result);
      } else if (msg.method) for (const l of this.listeners) l(msg.method, msg.params, msg.sessionId);
    });
    socket.on("close", () => {
      for (const p of this.pending.values()) p.reject(new Error(`${p.method}: Chromium closed`));
      this.pending.clear();
    });
  }

  /** Starts headless Chromium (`chromium` binary) with a throw-away profile. */
  static async launch(chromium: string, options: { width?: number; height?: number } = {}): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), "attest-cdp-"));
    const child = spawn(
      chromium,
      [
        ...HEADLESS_FLAGS,
        `--user-data-dir=${profile}`,
        `--window-size=${options.width ?? 1280},${options.height ?? 900}`,
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "about:blank",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${stderr}`)), 60_000);
        child.stderr?.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const url = /DevTools listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
          if (url) {
            clearTimeout(timer);
            resolve(url);
          }
        });
        child.once("error", (e) => {
          clearTimeout(timer);
          reject(e);
        });
        child.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`Chromium exited (${code}) before listening:\n${stderr}`));
        });
      });
      const socket = new WebSocket(endpoint, { perMessageDeflate: false });
      await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
      return new Browser(child, socket, profile);
    } catch (e) {
      child.kill("SIGKILL");
      rmSync(profile, { recursive: true, force: true });
      throw e;
    }
  }

  send<T = unknown>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** The next event `method` of `sessionId` (matching `filter`), or an error after `timeoutMs`. */
  waitForEvent(method: string, sessionId: string, timeoutMs = 30_000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const listener = (m: string, params: unknown, s?: string) => {
        if (m !== method || s !== sessionId) return;
        this.listeners.delete(listener);
        clearTimeout(timer);
        resolve(params);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  /** A new tab of `width`×`height` CSS pixels. */
  async newPage(width = 1280, height = 900): Promise<Page> {
    const { targetId } = await this.send<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send<{ sessionId: string }>("Target.attachToTarget", {
      targetId,
      flatten: true,
    });
    const page = new Page(this, sessionId);
    await page.send("Page.enable");
    await page.send("Runtime.enable");
    await page.setViewport(width, height);
    return page;
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once("exit", () => resolve());
    });
    try {
      await Promise.race([this.send("Browser.close"), exited]);
    } catch {
      // already closing
    }
    this.socket.close();
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  readonly browser: Browser;
  readonly sessionId: string;

  constructor(browser: Browser, sessionId: string) {
    this.browser = browser;
    this.sessionId = sessionId;
  }

  send<T = unknown>(method: string, params: object = {}): Promise<T> {
    return this.browser.send<T>(method, params, this.sessionId);
  }

  setViewport(width: number, height: number): Promise<unknown> {
    return this.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
  }

  /** Opens `url` and waits for its load event. */
  async goto(url: string, timeoutMs = 60_000): Promise<void> {
    const loaded = this.browser.waitForEvent("Page.loadEventFired", this.sessionId, timeoutMs);
    const { errorText } = await this.send<{ errorText?: string }>("Page.navigate", { url });
    if (errorText) throw new Error(`could not open ${url}: ${errorText}`);
    await loaded;
  }

  /** The value of `expression` (a function's source is called with `args`), awaited. */
  async evaluate<T>(expression: string | ((...args: never[]) => unknown), ...args: unknown[]): Promise<T> {
    // A function is sent as its source; `__name` is the helper a TypeScript loader (tsx, vitest)
    // may have inserted into it to keep function names, which the page does not have.
    const source =
      typeof expression === "string"
        ? expression
        : `(() => { const __name = (f) => f; return (${expression.toString()})(...${JSON.stringify(args)}); })()`;
    const r = await this.send<{
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>("Runtime.evaluate", { expression: source, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails)
      throw new Error(
        `page script failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`,
      );
    return r.result.value as T;
  }

  /** Polls `expression` until it is truthy; its value. */
  async waitFor<T>(
    expression: string | ((...args: never[]) => unknown),
    args: unknown[] = [],
    { timeoutMs = 60_000, what = "the page" }: { timeoutMs?: number; what?: string } = {},
  ): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluate<T>(expression, ...args);
      if (value) return value;
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Types `text` into the focused element, as a paste or an IME would. */
  insertText(text: string): Promise<unknown> {
    return this.send("Input.insertText", { text });
  }

  /** Presses a key (Enter by default) on the focused element. */
  async press(key = "Enter"): Promise<void> {
    const codes: Record<string, number> = { Enter: 13, Tab: 9, Escape: 27 };
    const base = {
      key,
      code: key,
      windowsVirtualKeyCode: codes[key] ?? 0,
      nativeVirtualKeyCode: codes[key] ?? 0,
    };
    await this.send("Input.dispatchKeyEvent", {
      type: "keyDown",
      ...base,
      ...(key === "Enter" ? { text: "\r" } : {}),
    });
    await this.send("Input.dispatchKeyEvent", { type: "keyUp", ...base });
  }

  /** A mouse click at page coordinates (x, y). */
  async click(x: number, y: number): Promise<void> {
    for (const type of ["mousePressed", "mouseReleased"])
      await this.send("Input.dispatchMouseEvent", { type, x, y, button: "left", clickCount: 1 });
  }

  /** A PNG of the viewport, or of `clip` (page coordinates, CSS pixels). */
  async screenshot(clip?: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
    const { data } = await this.send<{ data: string }>("Page.captureScreenshot", {
      format: "png",
      ...(clip ? { clip: { ...clip, scale: 1 }, captureBeyondViewport: true } : {}),
    });
    return Buffer.from(data, "base64");
  }
}
