/**
 * The HTTP server's limits over real sockets: a trickled body is cut at the request timeout,
 * unfinished headers at the headers timeout, an idle keep-alive connection is closed, and
 * connections over the cap are refused. Each would hang (or be served) with Node's defaults.
 */

import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_SERVING, type HttpLimits, servingConfigFrom } from "../../../src/http/limits.js";
import { createHttpServer, readBody } from "../../../src/http/server.js";
import { MemoryLogger } from "../../../src/ports/log.js";

const servers: ReturnType<typeof createHttpServer>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

async function serve(limits: Partial<HttpLimits>, logger = new MemoryLogger()): Promise<number> {
  const server = createHttpServer({
    logger,
    readiness: async () => ({ ready: true, checks: {} }),
    limits: { ...DEFAULT_SERVING.http, ...limits },
    routes: [
      {
        method: "POST",
        path: "/echo",
        async handle(req, res) {
          const body = await readBody(req, 1 << 20).catch(() => null);
          if (body === null) return;
          res.writeHead(200).end(body);
        },
      },
    ],
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
}

/** Everything the server sends until it closes the connection. */
function untilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (c: Buffer) => {
      text += c.toString("latin1");
    });
    socket.on("error", () => undefined);
    socket.once("close", () => resolve(text));
  });
}

describe("HTTP limits", () => {
  it("cuts a body trickled slower than the request timeout with 408", async () => {
    const port = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write(
      "POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\n\r\n",
    );
    // One byte every 100 ms: 1000 bytes would take 100 s.
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write("a");
    }, 100);
    try {
      const answer = await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
    }
  });

  it("cuts headers that never finish with 408", async () => {
    const port = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write("GET /healthz HTTP/1.1\r\nhost: x\r\n");
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write("x-slow: 1\r\n");
    }, 100);
    try {
      expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
    }
  });

  it("closes an idle keep-alive connection after the keep-alive timeout", async () => {
    const port = await serve({ keepAliveTimeoutMs: 1000 });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write("GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: keep-alive\r\n\r\n");
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.toLowerCase()).toContain("keep-alive: timeout=1");
  });

  it("refuses connections over the cap, logs it, and serves again once one closes", async () => {
    const logger = new MemoryLogger();
    const port = await serve({ maxConnections: 2 }, logger);
    const held = [await open(port), await open(port)];
    // Let the server register both before the third arrives.
    await new Promise((r) => setTimeout(r, 50));
    const third = await open(port);
    const answer = await untilClosed(third);
    expect(answer).toBe("");
    expect(logger.events.find((e) => e.event === "http.connection_refused")?.fields.reason).toContain(
      "ATTEST_HTTP_MAX_CONNECTIONS",
    );
    const gone = untilClosed(held[0] as Socket);
    held[0]?.destroy();
    await gone;
    await new Promise((r) => setTimeout(r, 50));
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: "close" } });
    expect(res.status).toBe(200);
    held[1]?.destroy();
  });
});

describe("serving settings", () => {
  it("lists every bad variable with what was given and what is expected", () => {
    const { problems } = servingConfigFrom({
      ATTEST_HTTP_REQUEST_TIMEOUT: "soon",
      ATTEST_HTTP_MAX_CONNECTIONS: "-3",
      ATTEST_CHECK_QUEUE: "lots",
      ATTEST_SHUTDOWN_GRACE: "0s",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^ATTEST_HTTP_REQUEST_TIMEOUT: must be a duration .* got "soon"$/),
      expect.stringMatching(
        /^ATTEST_HTTP_MAX_CONNECTIONS: must be a whole number from 1 to 100000, got "-3"$/,
      ),
      expect.stringMatching(/^ATTEST_CHECK_QUEUE: must be a whole number .* got "lots"$/),
      expect.stringMatching(/^ATTEST_SHUTDOWN_GRACE: must be a duration/),
    ]);
  });

  it("check workers: one at nice 10 by default; 0 keeps checks on the main thread; bad values are named", () => {
    expect(servingConfigFrom({}).value).toMatchObject({ checkWorkers: 1, checkWorkerNice: 10 });
    expect(servingConfigFrom({ ATTEST_CHECK_WORKERS: "0" }).value.checkWorkers).toBe(0);
    const { problems } = servingConfigFrom({ ATTEST_CHECK_WORKERS: "two", ATTEST_CHECK_WORKER_NICE: "20" });
    expect(problems).toEqual([
      'ATTEST_CHECK_WORKERS: must be a whole number from 0 to 32, got "two"',
      'ATTEST_CHECK_WORKER_NICE: must be a whole number from 0 to 19, got "20"',
    ]);
  });

  it("refuses a headers timeout longer than the request timeout", () => {
    const { problems } = servingConfigFrom({
      ATTEST_HTTP_HEADERS_TIMEOUT: "20s",
      ATTEST_HTTP_REQUEST_TIMEOUT: "5s",
    });
    expect(problems).toEqual([expect.stringContaining("ATTEST_HTTP_HEADERS_TIMEOUT: must not be longer")]);
  });
});
