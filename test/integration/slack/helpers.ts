/**
 * Test edge for the Slack app: signed requests as Slack sends them (v0 HMAC-SHA256), and one
 * loopback server standing in for the Slack Web API (`/api/<method>`, views.open included) and for
 * response_url receivers (`/response/<name>`), recording every call.
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";

export const SECRET = "test-signing-secret";
export const TOKEN = "xoxb-test-token";

export function signature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SendOptions {
  readonly secret?: string;
  readonly timestampSec?: number;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** Omit the signature headers. */
  readonly unsigned?: boolean;
}

export async function sendSigned(url: string, body: string, options: SendOptions = {}): Promise<Response> {
  const ts = options.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/x-www-form-urlencoded",
    ...(options.unsigned
      ? {}
      : {
          "x-slack-request-timestamp": String(ts),
          "x-slack-signature": signature(options.secret ?? SECRET, ts, body),
        }),
    ...options.headers,
  };
  return fetch(url, { method: "POST", headers, body });
}

let triggers = 0;
/** A fresh trigger_id, as Slack gives every invocation its own (a retry repeats it). */
export const freshTrigger = (): string => `${++triggers}.${process.pid}.${Date.now()}`;

export function slashBody(text: string, over: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: "deprecated",
    team_id: "T1",
    team_domain: "contoso",
    channel_id: "C1",
    channel_name: "sql-support",
    user_id: "U1",
    user_name: "dana",
    command: "/attest",
    text,
    api_app_id: "A1",
    response_url: "http://127.0.0.1:1/unused",
    trigger_id: freshTrigger(),
    ...over,
  }).toString();
}

export function mentionBody(text: string, eventId: string, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    token: "deprecated",
    team_id: "T1",
    api_app_id: "A1",
    type: "event_callback",
    event_id: eventId,
    event_time: 1_700_000_000,
    event: {
      type: "app_mention",
      user: "U1",
      text: `<@UBOT> ${text}`,
      ts: "1700000000.000100",
      channel: "C1",
      event_ts: "1700000000.000100",
      ...over,
    },
  });
}

export function actionBody(
  actionId: string,
  value: string | undefined,
  responseUrl: string,
  over: Record<string, unknown> = {},
): string {
  const payload = {
    type: "block_actions",
    user: { id: "U1", username: "dana", team_id: "T1" },
    api_app_id: "A1",
    token: "deprecated",
    container: { type: "message", message_ts: "1700000000.000200", channel_id: "C1", is_ephemeral: true },
    trigger_id: freshTrigger(),
    team: { id: "T1", domain: "contoso" },
    channel: { id: "C1", name: "sql-support" },
    response_url: responseUrl,
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "attest_actions",
        text: { type: "plain_text", text: "x" },
        ...(value === undefined ? {} : { value }),
        action_ts: "1700000000.000300",
      },
    ],
    ...over,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A modal's view_submission as Slack sends it (form field `payload`). */
export function viewSubmissionBody(
  callbackId: string,
  values: Record<string, Record<string, { type: string; value: string | null }>>,
  privateMetadata: string,
  over: Record<string, unknown> = {},
): string {
  const payload = {
    type: "view_submission",
    team: { id: "T1", domain: "contoso" },
    user: { id: "U1", username: "dana", name: "dana", team_id: "T1" },
    api_app_id: "A1",
    token: "deprecated",
    trigger_id: freshTrigger(),
    view: {
      id: "V1",
      team_id: "T1",
      type: "modal",
      callback_id: callbackId,
      private_metadata: privateMetadata,
      blocks: [],
      state: { values },
      hash: "1700000000.abc",
      title: { type: "plain_text", text: "Check a policy" },
      app_id: "A1",
      bot_id: "B1",
    },
    response_urls: [],
    ...over,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface Recorded {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
}

/** Slack Web API stub + response_url receivers on 127.0.0.1. */
export class SlackSink {
  readonly calls: Recorded[] = [];
  /** response_url names answered with this status instead of 200. */
  readonly failing = new Map<string, number>();
  /** Web API methods answered with `{ ok: false, error }`. */
  readonly apiErrors = new Map<string, string>();
  #server: Server | null = null;
  #waiters: { match: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = [];
  url = "";

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        let body: Record<string, unknown>;
        if ((req.headers["content-type"] ?? "").startsWith("application/json"))
          body = JSON.parse(raw || "{}");
        else {
          body = { ...parseQuery(raw) };
          for (const k of ["blocks", "attachments", "view"])
            if (typeof body[k] === "string") body[k] = JSON.parse(body[k] as string);
        }
        const call = { path, body, authorization: req.headers.authorization };
        this.calls.push(call);
        for (const w of [...this.#waiters])
          if (w.match(call)) {
            this.#waiters.splice(this.#waiters.indexOf(w), 1);
            w.resolve(call);
          }
        if (path.startsWith("/response/")) {
          const status = this.failing.get(path.slice("/response/".length)) ?? 200;
          res.writeHead(status, { "content-type": "text/plain" });
          res.end(status === 200 ? "ok" : "expired_url");
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        const apiError = this.apiErrors.get(path.slice("/api/".length));
        if (apiError) return void res.end(JSON.stringify({ ok: false, error: apiError }));
        res.end(
          JSON.stringify({ ok: true, channel: body.channel, ts: "1700000000.000900", message_ts: "1" }),
        );
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The first recorded call (past or future) matching `match`. */
  next(match: (r: Recorded) => boolean): Promise<Recorded> {
    const seen = this.calls.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** A bot's environment with Slack on, its Web API here, and its file store in `dataDir`. */
  botEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: `${this.url}/api/`,
      ATTEST_DATA_DIR: dataDir,
      ...extra,
    };
  }

  responseUrl(name: string): string {
    return `${this.url}/response/${name}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server?.close(() => resolve());
      this.#server?.closeAllConnections();
    });
  }
}

/** A promise with its resolve function outside: for holding a fake Kusto. */
export function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
