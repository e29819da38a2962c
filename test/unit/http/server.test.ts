import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyTooLarge, createHttpServer, readBody } from "../../../src/http/server.js";
import { MemoryLogger } from "../../../src/ports/log.js";

const logger = new MemoryLogger();
let ready = true;
const server = createHttpServer({
  logger,
  readiness: async () => ({
    ready,
    checks: { kusto: { ok: ready, detail: ready ? "embedded" : "unreachable" } },
  }),
  routes: [
    {
      method: "POST",
      path: "/echo",
      async handle(req, res) {
        try {
          const body = await readBody(req, 16);
          res.writeHead(200).end(body);
        } catch (error) {
          if (error instanceof BodyTooLarge) res.writeHead(413).end(error.message);
          else throw error;
        }
      },
    },
    {
      method: "POST",
      path: "/boom",
      async handle() {
        throw new Error("kaput");
      },
    },
  ],
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("the bot's HTTP server", () => {
  it("answers /healthz", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz with 200 or 503 and the checks", async () => {
    ready = true;
    const ok = await fetch(`${base}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "ready", checks: { kusto: { ok: true } } });
    ready = false;
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "not ready", checks: { kusto: { ok: false } } });
  });

  it("routes, refuses unknown paths (404) and wrong methods (405 with Allow)", async () => {
    const echo = await fetch(`${base}/echo`, { method: "POST", body: "hello" });
    expect(await echo.text()).toBe("hello");
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const wrong = await fetch(`${base}/echo`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
  });

  it("stops reading a body beyond the limit", async () => {
    const res = await fetch(`${base}/echo`, { method: "POST", body: "x".repeat(100) });
    expect(res.status).toBe(413);
  });

  it("turns a handler crash into a 500 and a log line, without leaking the error", async () => {
    const res = await fetch(`${base}/boom`, { method: "POST" });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "internal error" });
    expect(logger.events.some((e) => e.event === "http.unhandled" && e.fields.error === "kaput")).toBe(true);
  });
});
