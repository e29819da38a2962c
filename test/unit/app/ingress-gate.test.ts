/**
 * Acknowledgements first: chat requests are admitted one per turn of the event loop (Node accepts
 * one new connection per turn), and check work waits while a chat request is being answered.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { CheckQueue } from "../../../src/app/serving/check-queue.js";
import { IngressGate } from "../../../src/app/serving/ingress-gate.js";
import { createHttpServer } from "../../../src/http/server.js";
import { silentLogger } from "../../../src/ports/log.js";

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe("IngressGate", () => {
  it("lets work go on the next turn when no request is being answered", async () => {
    const gate = new IngressGate();
    let went = false;
    void gate.whenIdle().then(() => {
      went = true;
    });
    await turns(2);
    expect(went).toBe(true);
  });

  it("holds work while a request is being answered, and lets it go once the request is answered", async () => {
    const gate = new IngressGate({ maxWaitMs: 60_000 });
    const leave = gate.enter();
    let went = false;
    void gate.whenIdle().then(() => {
      went = true;
    });
    await turns(20);
    expect(went).toBe(false);
    leave();
    leave(); // counted out once only
    expect(gate.pending).toBe(0);
    await turns(2);
    expect(went).toBe(true);
  });

  it("lets one waiting step go per turn of the event loop, in the order they came", async () => {
    const gate = new IngressGate();
    const went: number[] = [];
    for (const i of [1, 2, 3]) void gate.whenIdle().then(() => went.push(i));
    await turns(1);
    expect(went).toEqual([1]);
    await turns(1);
    expect(went).toEqual([1, 2]);
    await turns(1);
    expect(went).toEqual([1, 2, 3]);
    expect(gate.waiting).toBe(0);
  });

  it("never starves work: it goes after maxWaitMs even while requests keep coming", async () => {
    const gate = new IngressGate({ maxWaitMs: 5 });
    gate.enter();
    await gate.whenIdle();
    expect(gate.pending).toBe(1);
  });

  it("admits one request per turn of the event loop, in the order they came", async () => {
    const gate = new IngressGate();
    const ran: number[] = [];
    const done = [1, 2, 3].map((i) =>
      gate.admit(async () => {
        ran.push(i);
        return i * 10;
      }),
    );
    expect(gate.admitting).toBe(3);
    await turns(1);
    expect(ran).toEqual([1]);
    await turns(1);
    expect(ran).toEqual([1, 2]);
    await turns(1);
    expect(ran).toEqual([1, 2, 3]);
    expect(await Promise.all(done)).toEqual([10, 20, 30]);
    expect(gate.admitting).toBe(0);
  });

  it("a request that throws or rejects fails its own admission only", async () => {
    const gate = new IngressGate();
    const thrown = gate.admit(() => {
      throw new Error("thrown");
    });
    const rejected = gate.admit(async () => {
      throw new Error("rejected");
    });
    const fine = gate.admit(async () => "answered");
    await expect(thrown).rejects.toThrow("thrown");
    await expect(rejected).rejects.toThrow("rejected");
    await expect(fine).resolves.toBe("answered");
  });

  it("runs each admitted request in its caller's async context (its log lines keep its request id)", async () => {
    const gate = new IngressGate();
    const context = new AsyncLocalStorage<string>();
    const seen = await Promise.all(
      ["req-a", "req-b", "req-c"].map((id) =>
        context.run(id, () => gate.admit(async () => context.getStore())),
      ),
    );
    expect(seen).toEqual(["req-a", "req-b", "req-c"]);
  });

  it("the check queue starts no check while a request is being answered", async () => {
    const gate = new IngressGate({ maxWaitMs: 60_000 });
    const queue = new CheckQueue({ concurrency: 4, maxPending: 10, pause: () => gate.whenIdle() });
    const leave = gate.enter();
    let started = 0;
    const done = [1, 2, 3].map(() =>
      queue.run(async () => {
        started++;
      }),
    );
    await turns(20);
    expect(started).toBe(0);
    leave();
    await Promise.all(done);
    expect(started).toBe(3);
  });
});

/** Our HTTP server on 127.0.0.1 with these POST routes, counting `/slack/events` in `gate`. */
async function gatedServer(
  gate: IngressGate,
  handles: Readonly<Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>>,
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createHttpServer({
    routes: Object.entries(handles).map(([path, handle]) => ({ method: "POST" as const, path, handle })),
    readiness: async () => ({ ready: true, checks: {} }),
    logger: silentLogger,
    ingress: { gate, paths: ["/slack/events"] },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe("the HTTP server counts chat requests in the gate until they are answered", () => {
  it("a new connection's request is answered between two steps of check work, not after all of them", async () => {
    // Node accepts one new connection per turn of the event loop: steps that all ran in one turn
    // (20 x 15 ms here) kept a new connection waiting behind every one of them.
    const gate = new IngressGate();
    const order: string[] = [];
    const http = await gatedServer(gate, {
      "/slack/events": async (_req, res) => {
        order.push("answered");
        res.end("ok");
      },
    });
    try {
      const base = `http://127.0.0.1:${http.port}`;
      const steps = Array.from({ length: 20 }, (_, i) =>
        gate.whenIdle().then(() => {
          const until = performance.now() + 15;
          while (performance.now() < until) {}
          order.push(`step ${i}`);
        }),
      );
      const answered = fetch(`${base}/slack/events`, {
        method: "POST",
        body: "x",
        headers: { connection: "close" },
      }).then((r) => r.text());
      await Promise.all([answered, ...steps]);
      expect(order.indexOf("answered")).toBeGreaterThan(-1);
      expect(order.indexOf("answered")).toBeLessThan(order.indexOf("step 10"));
    } finally {
      await http.close();
    }
  });

  it("requests read in the same turn are answered in separate turns, so connections are accepted between them", async () => {
    const gate = new IngressGate();
    // Turns of the event loop, counted by an immediate that re-arms itself (once per turn).
    let turn = 0;
    let counting = true;
    const count = () => {
      turn++;
      if (counting) setImmediate(count);
    };
    count();
    const answeredIn: number[] = [];
    const http = await gatedServer(gate, {
      "/slack/events": async (req, res) => {
        answeredIn.push(turn);
        req.resume();
        res.end("ok");
      },
    });
    let accepted = 0;
    http.server.on("connection", () => accepted++);
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) sockets.push(connect(http.port, "127.0.0.1"));
      await expect.poll(() => accepted).toBe(3);
      const replies = sockets.map(
        (s) =>
          new Promise<string>((resolve) => {
            let text = "";
            s.on("data", (c: Buffer) => {
              text += c.toString("utf8");
              if (text.endsWith("ok")) resolve(text);
            });
          }),
      );
      // The three requests are written, then this thread is kept busy so that the server's next
      // poll finds all three readable at once (as in a burst).
      for (const s of sockets)
        s.write("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx");
      const until = performance.now() + 50;
      while (performance.now() < until) {}
      await Promise.all(replies);
      expect(answeredIn).toHaveLength(3);
      expect(new Set(answeredIn).size).toBe(3);
    } finally {
      counting = false;
      for (const s of sockets) s.destroy();
      await http.close();
    }
  });

  it("counts the gated path, not the others", async () => {
    const gate = new IngressGate();
    const seen: Record<string, number> = {};
    const record = (path: string) => async (_req: IncomingMessage, res: ServerResponse) => {
      seen[path] = gate.pending;
      res.end("ok");
    };
    const http = await gatedServer(gate, {
      "/slack/events": record("/slack/events"),
      "/api/messages": record("/api/messages"),
    });
    try {
      const base = `http://127.0.0.1:${http.port}`;
      await (await fetch(`${base}/slack/events`, { method: "POST", body: "x" })).text();
      await (await fetch(`${base}/api/messages`, { method: "POST", body: "x" })).text();
      expect(seen).toEqual({ "/slack/events": 1, "/api/messages": 0 });
      expect(gate.pending).toBe(0);
    } finally {
      await http.close();
    }
  });
});
