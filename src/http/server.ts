/**
 * The one HTTP server: `POST /api/messages` (Teams), `POST /slack/events` (Slack), `GET /healthz`
 * (alive), `GET /readyz` (config loaded, Kusto reachable). Platform routes are handed in.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { requestContext, requestIdFrom } from "../adapters/log/request-context.js";
import type { IngressGate } from "../app/serving/ingress-gate.js";
import type { Logger } from "../ports/log.js";
import type { HttpLimits } from "./limits.js";

export interface Route {
  readonly method: "GET" | "POST";
  readonly path: string;
  /** Handles the request completely (reads the body itself: each platform has its own limits). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly detail: string }>>;
}

export interface HttpServerOptions {
  readonly routes: readonly Route[];
  readonly readiness: () => Promise<Readiness>;
  readonly logger: Logger;
  /** Timeouts and the connection cap; absent: Node's defaults (tests of routes only). */
  readonly limits?: HttpLimits;
  /** Requests to these paths are counted in the gate until answered (acknowledgements first). */
  readonly ingress?: { readonly gate: IngressGate; readonly paths: readonly string[] };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function createHttpServer(options: HttpServerOptions): Server {
  const routes = new Map(options.routes.map((r) => [`${r.method} ${r.path}`, r]));
  const limits = options.limits;
  const server = createServer(
    limits
      ? {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          // Node checks the two timeouts on an interval (30 s by default): check often enough
          // that a slow request is cut close to its limit.
          connectionsCheckingInterval: Math.max(
            50,
            Math.min(30_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
          ),
        }
      : {},
    (req, res) => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const key = `${req.method ?? "GET"} ${path}`;
      const respond = async () => {
        if (key === "GET /healthz") return sendJson(res, 200, { status: "ok" });
        if (key === "GET /readyz") {
          const r = await options.readiness();
          return sendJson(res, r.ready ? 200 : 503, {
            status: r.ready ? "ready" : "not ready",
            checks: r.checks,
          });
        }
        const route = routes.get(key);
        if (route) {
          if (options.ingress?.paths.includes(path)) {
            const gate = options.ingress.gate;
            const leave = gate.enter();
            res.once("finish", leave);
            res.once("close", leave);
            // One chat request per turn of the event loop, so new connections are accepted between them.
            return gate.admit(() => route.handle(req, res));
          }
          return route.handle(req, res);
        }
        const allowed = [...routes.values()].filter((r) => r.path === path).map((r) => r.method);
        if (allowed.length > 0) {
          res.setHeader("allow", allowed.join(", "));
          return sendJson(res, 405, { error: `method ${req.method} not allowed on ${path}` });
        }
        return sendJson(res, 404, { error: `no route for ${req.method} ${path}` });
      };
      // Every log line written while handling the request carries its id (x-request-id, echoed back).
      const requestId = requestIdFrom(req.headers["x-request-id"]);
      res.setHeader("x-request-id", requestId);
      requestContext.run({ httpRequestId: requestId }, respond).catch((error: unknown) => {
        options.logger.error("http.unhandled", {
          path,
          error: error instanceof Error ? error.message : String(error),
        });
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.end();
      });
    },
  );
  if (limits) {
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    server.maxConnections = limits.maxConnections;
    // Connections over the cap are closed by Node at once; say so, at most once a second.
    let lastDropLog = 0;
    let dropped = 0;
    server.on("drop", () => {
      dropped++;
      const now = Date.now();
      if (now - lastDropLog < 1000) return;
      lastDropLog = now;
      options.logger.warn("http.connection_refused", {
        reason: `more than ${limits.maxConnections} open connections (ATTEST_HTTP_MAX_CONNECTIONS)`,
        droppedSoFar: dropped,
      });
    });
  }
  return server;
}

/** Reads a request body up to `limit` bytes; rejects (and stops reading) beyond it. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (!Number.isNaN(declared) && declared > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.destroy();
      throw new BodyTooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export class BodyTooLarge extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.limit = limit;
    this.name = "BodyTooLarge";
  }
}
