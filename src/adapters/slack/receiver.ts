/**
 * A Bolt Receiver mounted on our own HTTP server (`POST /slack/events`). It adds what Bolt's
 * receivers lack, then hands over to Bolt's own verification and processing:
 *  - missing or malformed signature headers and timestamps more than 5 minutes in the FUTURE
 *    are refused before the body is read (Bolt only checks the past);
 *  - the body is refused (413) once it passes the limit, without buffering the rest;
 *  - `verifySlackRequest` (Bolt) checks the v0 HMAC-SHA256 signature and the 5-minute window;
 *  - Events API deliveries are acknowledged at once and each `event_id` runs once, so Slack's
 *    retries (X-Slack-Retry-Num) never run a check twice;
 *  - a slash command or interaction whose body was already received (a replayed signed request,
 *    or a retry of it with a new timestamp and X-Slack-Retry-Num) is acknowledged and not run
 *    again: its body carries the invocation's unique trigger_id (or action_ts), so the same bytes
 *    are the same invocation.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import {
  type App,
  type Logger as BoltLogger,
  HTTPResponseAck,
  type Receiver,
  type ReceiverEvent,
  verifySlackRequest,
} from "@slack/bolt";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/log.js";

export interface RouteReceiverOptions {
  readonly signingSecret: string;
  readonly bodyLimitBytes: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly boltLogger: BoltLogger;
}

/** How far a request timestamp may lie in either direction (Slack's replay window). */
export const MAX_SKEW_SECONDS = 5 * 60;

/** The most recent ids, oldest forgotten first. */
class RecentIds {
  readonly #ids = new Set<string>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  /** True the first time `id` is seen. */
  firstTime(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.#max) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    return true;
  }
}

/**
 * The body, or null once it passes `limit` (declared or streamed): reading stops there, so an
 * oversized body is never buffered, and the request is left paused for the 413 answer.
 */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (!Number.isNaN(declared) && declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === "string" ? v : null;
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    const form = parseQuery(raw);
    if (typeof form.payload === "string") return JSON.parse(form.payload) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  }
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("not an object");
  return parsed as Record<string, unknown>;
}

export class RouteReceiver implements Receiver {
  readonly #options: RouteReceiverOptions;
  readonly #seenEvents = new RecentIds(5000);
  /** Bodies of commands and interactions seen lately (as SHA-256), for replays and retries. */
  readonly #seenBodies = new RecentIds(20_000);
  #app: App | null = null;

  constructor(options: RouteReceiverOptions) {
    this.#options = options;
  }

  init(app: App): void {
    this.#app = app;
  }

  /** Nothing to start: the shared HTTP server owns the socket. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Slack's unsigned SSL check (`ssl_check=1`, a small form): answered 200 and nothing else, so a
   * payload smuggled next to it never runs (the same rule as Bolt's own receivers).
   */
  async #isSslCheck(req: IncomingMessage): Promise<boolean> {
    if (!(header(req, "content-type") ?? "").startsWith("application/x-www-form-urlencoded")) return false;
    const body = await readLimited(req, 4096).catch(() => null);
    return body !== null && parseQuery(body.toString("utf8")).ssl_check === "1";
  }

  /** Handles one request completely; never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger, clock } = this.#options;
    const refuse = (status: number, reason: string) => {
      logger.warn("slack.refused", { status, reason });
      if (!res.headersSent) {
        // connection: close, so whatever the client still sends is never read.
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" });
        res.end(`${reason}\n`, () => req.destroy());
      }
    };
    const signature = header(req, "x-slack-signature");
    const timestamp = header(req, "x-slack-request-timestamp");
    if (signature === null || timestamp === null) {
      if (await this.#isSslCheck(req)) {
        res.writeHead(200);
        res.end();
        return;
      }
      return refuse(401, "missing x-slack-signature or x-slack-request-timestamp");
    }
    if (!/^\d{1,12}$/.test(timestamp)) return refuse(401, "malformed x-slack-request-timestamp");
    const nowSec = Math.floor(clock.now() / 1000);
    if (Number(timestamp) > nowSec + MAX_SKEW_SECONDS)
      return refuse(401, "x-slack-request-timestamp is in the future");

    let raw: string;
    try {
      const body = await readLimited(req, this.#options.bodyLimitBytes);
      if (body === null) return refuse(413, `request body larger than ${this.#options.bodyLimitBytes} bytes`);
      raw = body.toString("utf8");
    } catch {
      return refuse(400, "could not read the request body");
    }
    try {
      verifySlackRequest({
        signingSecret: this.#options.signingSecret,
        body: raw,
        headers: { "x-slack-signature": signature, "x-slack-request-timestamp": Number(timestamp) },
        nowMilliseconds: clock.now(),
      });
    } catch (error) {
      return refuse(401, error instanceof Error ? error.message : "signature verification failed");
    }

    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, header(req, "content-type") ?? "");
    } catch {
      return refuse(400, "body is neither a form nor a JSON object");
    }
    if (body.type === "url_verification") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    if (body.ssl_check === "1") {
      res.writeHead(200);
      res.end();
      return;
    }

    const retryNum = Number(header(req, "x-slack-retry-num") ?? Number.NaN);
    const isEvent = body.type === "event_callback";
    if (isEvent && typeof body.event_id === "string" && !this.#seenEvents.firstTime(body.event_id)) {
      logger.info("slack.retry_ignored", {
        eventId: body.event_id,
        retryNum: Number.isNaN(retryNum) ? 0 : retryNum,
      });
      res.writeHead(200);
      res.end();
      return;
    }

    if (!isEvent && !this.#seenBodies.firstTime(createHash("sha256").update(raw).digest("base64"))) {
      logger.info("slack.replay_ignored", {
        kind: typeof body.command === "string" ? "command" : String(body.type ?? "unknown"),
        retryNum: Number.isNaN(retryNum) ? 0 : retryNum,
      });
      res.writeHead(200);
      res.end();
      return;
    }

    const app = this.#app;
    if (!app) return refuse(503, "Slack app not initialized");
    const bound = new HTTPResponseAck({
      logger: this.#options.boltLogger,
      processBeforeResponse: false,
      httpRequest: req,
      httpRequestBody: body,
      httpResponse: res,
    }).bind();
    let acked = false;
    // Idempotent: events are acknowledged here at once, and Bolt acknowledges them again.
    const ack = async (response?: unknown) => {
      if (acked) return;
      acked = true;
      await bound(response);
    };
    if (isEvent) await ack();
    const event: ReceiverEvent = {
      body,
      ack,
      ...(Number.isNaN(retryNum) ? {} : { retryNum }),
      ...(header(req, "x-slack-retry-reason")
        ? { retryReason: header(req, "x-slack-retry-reason") ?? "" }
        : {}),
    };
    try {
      await app.processEvent(event);
    } catch (error) {
      logger.error("slack.process_failed", { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      }
    }
  }
}
