/**
 * The bot's outbound Slack requests made by a check worker (issue 10): CheckWorkerPool.fetch is a
 * fetch whose sockets, writes and response parsing are in the worker thread, so a burst of
 * response_url posts does not lengthen the main thread's turns (which acknowledge). Observed
 * here through undici's diagnostics channel, which sees only the requests of the thread that
 * subscribes: a request made by the worker is invisible to it, one made on the main thread is not.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CheckWorkerPool } from "../../../src/adapters/worker/check-pool.js";
import { DEFAULT_CHECK_SETTINGS } from "../../../src/app/run-check.js";
import { type RunningBot, startBot } from "../../../src/compose/start-bot.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { MemoryMetrics } from "../../../src/ports/metrics.js";
import { SlackSink, sendSigned, slashBody } from "../slack/helpers.js";

/** The origins and paths of the requests this (main) thread's fetch makes while it listens. */
class MainThreadRequests {
  readonly seen: string[] = [];
  readonly #listener = (message: unknown) => {
    const r = (message as { request: { origin: string; path: string } }).request;
    this.seen.push(`${r.origin}${r.path}`);
  };
  constructor() {
    subscribe("undici:request:create", this.#listener);
  }
  stop(): void {
    unsubscribe("undici:request:create", this.#listener);
  }
}

interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** A loopback HTTP server: records requests; `/slow` never answers (its socket close is noted). */
async function recorder(): Promise<{
  url: string;
  received: Received[];
  closedWhileWaiting: () => number;
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let closedWhileWaiting = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      if (req.url === "/slow") {
        res.on("close", () => closedWhileWaiting++);
        return;
      }
      if (req.url === "/empty") {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(req.url === "/gone" ? 404 : 200, "Custom Reason", {
        "content-type": "application/json",
        "x-echo": String(req.headers["x-test"] ?? ""),
      });
      res.end(JSON.stringify({ ok: req.url !== "/gone", path: req.url }));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    closedWhileWaiting: () => closedWhileWaiting,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const startPool = () =>
  CheckWorkerPool.start({
    size: 1,
    nice: 0,
    env: {},
    settings: DEFAULT_CHECK_SETTINGS,
    logger: new MemoryLogger(),
    metrics: new MemoryMetrics(),
    now: () => Date.now(),
    warm: false,
  });

describe("CheckWorkerPool.fetch", () => {
  let server: Awaited<ReturnType<typeof recorder>>;
  let pool: CheckWorkerPool;
  let main: MainThreadRequests;
  beforeAll(async () => {
    server = await recorder();
    pool = await startPool();
  }, 60_000);
  afterEach(() => main?.stop());
  afterAll(async () => {
    await pool?.close();
    await server?.close();
  });

  it("makes the request in the worker: method, headers and body arrive, status, headers and body come back", async () => {
    main = new MainThreadRequests();
    const res = await pool.fetch(`${server.url}/response/a`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-test": "kept" },
      body: JSON.stringify({ text: "hello" }),
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.statusText).toBe("Custom Reason");
    expect(res.headers.get("x-echo")).toBe("kept");
    expect(await res.json()).toEqual({ ok: true, path: "/response/a" });
    const got = server.received.find((r) => r.path === "/response/a");
    expect(got).toMatchObject({ method: "POST", body: '{"text":"hello"}' });
    expect(got?.headers["content-type"]).toBe("application/json");
    // The main thread's fetch made no request: the worker did.
    expect(main.seen).toEqual([]);
  });

  it("an error status is a Response (as fetch gives it), and a 204 has no body", async () => {
    const gone = await pool.fetch(`${server.url}/gone`, { method: "POST", body: "{}" });
    expect(gone.status).toBe(404);
    expect(gone.ok).toBe(false);
    const empty = await pool.fetch(`${server.url}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
  });

  it("an unreachable URL fails as fetch does: TypeError 'fetch failed' with the cause", async () => {
    const closed = await recorder();
    const url = closed.url;
    await closed.close();
    const error = await pool.fetch(`${url}/x`, { method: "POST", body: "{}" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("fetch failed");
    expect(String((error as Error).cause)).toMatch(/ECONNREFUSED/);
  });

  it("the caller's AbortSignal aborts the worker's request: rejected with the signal's reason, socket closed", async () => {
    const before = server.closedWhileWaiting();
    const controller = new AbortController();
    const pending = pool.fetch(`${server.url}/slow`, {
      method: "POST",
      body: "{}",
      signal: controller.signal,
    });
    await expect.poll(() => server.received.filter((r) => r.path === "/slow").length).toBe(1);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    await expect.poll(() => server.closedWhileWaiting()).toBe(before + 1);
    // A timeout signal (the Slack Web API client sets one) rejects with a TimeoutError.
    const timedOut = await pool
      .fetch(`${server.url}/slow`, { method: "POST", body: "{}", signal: AbortSignal.timeout(50) })
      .catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe("TimeoutError");
    const aborted = await pool
      .fetch(`${server.url}/x`, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect((aborted as Error).name).toBe("AbortError");
  });

  it("a body that is not text (a FormData upload) is sent by the main thread's fetch, intact", async () => {
    main = new MainThreadRequests();
    const form = new FormData();
    form.append("file", new Blob(["abc"]), "a.txt");
    const res = await pool.fetch(`${server.url}/upload`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(server.received.find((r) => r.path === "/upload")?.body).toContain("abc");
    expect(main.seen).toEqual([`${server.url}/upload`]);
  });

  it("a worker that stops fails its requests as a network failure (the caller falls back); the next one works", async () => {
    const pending = pool.fetch(`${server.url}/slow`, { method: "POST", body: "{}" }).catch((e: unknown) => e);
    await expect.poll(() => server.received.filter((r) => r.path === "/slow").length).toBe(3);
    await pool.stopWorker(0);
    const error = await pending;
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("fetch failed");
    expect(String((error as Error).cause)).toMatch(/the worker making the request stopped/);
    const next = await pool.fetch(`${server.url}/after-restart`, { method: "POST", body: "{}" });
    expect(next.status).toBe(200);
  }, 60_000);

  it("once the pool is closed, requests are made on the main thread (a post during shutdown is not lost)", async () => {
    const closing = await startPool();
    await closing.close();
    main = new MainThreadRequests();
    const res = await closing.fetch(`${server.url}/after-close`, { method: "POST", body: "{}" });
    expect(res.status).toBe(200);
    expect(main.seen).toEqual([`${server.url}/after-close`]);
  }, 60_000);
});

describe("a Slack check's answer through startBot", () => {
  const cases = [
    { workers: "1", madeOnMain: false },
    { workers: "0", madeOnMain: true },
  ];
  for (const { workers, madeOnMain } of cases) {
    describe(`with ATTEST_CHECK_WORKERS=${workers}`, () => {
      const sink = new SlackSink();
      let bot: RunningBot;
      let dataDir = "";
      beforeAll(async () => {
        await sink.start();
        dataDir = await mkdtemp(join(tmpdir(), "attest-worker-fetch-"));
        bot = await startBot({
          env: sink.botEnv(dataDir, { ATTEST_CHECK_WORKERS: workers }),
          logger: new MemoryLogger(),
          port: 0,
        });
      }, 60_000);
      afterAll(async () => {
        await bot?.close();
        await sink.close();
        await rm(dataDir, { recursive: true, force: true });
      });

      it(`is posted to response_url by ${madeOnMain ? "the main thread" : "the check worker, not the main thread"}`, async () => {
        const main = new MainThreadRequests();
        try {
          const url = sink.responseUrl(`w${workers}`);
          const ack = await sendSigned(
            `${bot.url}/slack/events`,
            slashBody("check sgxtestuksouthsrv", { response_url: url }),
          );
          expect(ack.status).toBe(200);
          const answer = await sink.next((c) => c.path === `/response/w${workers}`);
          expect(JSON.stringify(answer.body.blocks)).toContain("sgxtestuksouthsrv");
          expect(main.seen.includes(url)).toBe(madeOnMain);
        } finally {
          main.stop();
        }
      }, 30_000);
    });
  }
});
