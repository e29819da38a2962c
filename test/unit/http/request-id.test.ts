/** Every response carries x-request-id: the caller's when it is a plausible id, else a new UUID. */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestContext } from "../../../src/adapters/log/request-context.js";
import { createHttpServer } from "../../../src/http/server.js";
import { silentLogger } from "../../../src/ports/log.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let seenInRoute: string | undefined;
const server = createHttpServer({
  routes: [
    {
      method: "GET",
      path: "/seen",
      async handle(_req, res) {
        await new Promise((r) => setTimeout(r, 1));
        seenInRoute = requestContext.getStore()?.httpRequestId;
        res.end("ok");
      },
    },
  ],
  readiness: async () => ({ ready: true, checks: {} }),
  logger: silentLogger,
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("x-request-id", () => {
  it("echoes the caller's id and makes it the request's context across awaits", async () => {
    const res = await fetch(`${base}/seen`, { headers: { "x-request-id": "abc-123.4:5" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123.4:5");
    expect(seenInRoute).toBe("abc-123.4:5");
  });

  it("makes a UUID when the caller sends none, or something that is not an id", async () => {
    expect((await fetch(`${base}/healthz`)).headers.get("x-request-id")).toMatch(UUID);
    const odd = await fetch(`${base}/healthz`, { headers: { "x-request-id": "<script>alert(1)</script>" } });
    expect(odd.headers.get("x-request-id")).toMatch(UUID);
    expect((await fetch(`${base}/nowhere`)).headers.get("x-request-id")).toMatch(UUID);
  });
});
