/**
 * A Bot Framework connector stub on 127.0.0.1: the `serviceUrl` the bot replies to. Records every
 * call (replies, updates) and answers with a resource id, like the real Teams connector.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ConnectorCall {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

export interface ConnectorStub {
  readonly url: string;
  readonly calls: ConnectorCall[];
  /** Resolves when a call matching `predicate` has arrived (no timing: tests await the event). */
  waitFor(predicate: (call: ConnectorCall) => boolean): Promise<ConnectorCall>;
  close(): Promise<void>;
}

/** A refusal the stub answers with instead of success (the call is recorded either way). */
export interface StubRefusal {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly code: string;
}

/**
 * `refuse` decides per call: a refusal (e.g. 403 BotNotInConversationRoster, 429 with Retry-After)
 * or null for the normal answer. Without it every call succeeds.
 */
export async function startConnectorStub(
  refuse: (call: ConnectorCall) => StubRefusal | null = () => null,
): Promise<ConnectorStub> {
  const calls: ConnectorCall[] = [];
  const waiters: { predicate: (c: ConnectorCall) => boolean; resolve: (c: ConnectorCall) => void }[] = [];
  let next = 1;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const call: ConnectorCall = {
        method: req.method ?? "",
        path: req.url ?? "",
        authorization: req.headers.authorization,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      calls.push(call);
      const refusal = refuse(call);
      if (refusal) {
        res
          .writeHead(refusal.status, { "content-type": "application/json", ...refusal.headers })
          .end(JSON.stringify({ error: { code: refusal.code, message: "refused by the stub" } }));
      }
      const updateId = req.method === "PUT" ? /\/activities\/([^/?]+)$/.exec(call.path)?.[1] : undefined;
      const id = updateId ? decodeURIComponent(updateId) : `activity-${next++}`;
      if (!refusal) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
      for (const w of [...waiters])
        if (w.predicate(call)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(call);
        }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    waitFor: (predicate) => {
      const found = calls.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A Teams-shaped personal-chat message activity. */
export function teamsMessage(serviceUrl: string, text: string, overrides: Record<string, unknown> = {}) {
  const tenant = "11111111-1111-1111-1111-111111111111";
  return {
    type: "message",
    id: `f:${Math.random().toString(36).slice(2)}`,
    timestamp: "2026-11-24T10:00:00.000Z",
    localTimestamp: "2026-11-24T11:00:00.000+01:00",
    serviceUrl,
    channelId: "msteams",
    from: { id: "29:1user", name: "Ada Lovelace", aadObjectId: "22222222-2222-2222-2222-222222222222" },
    conversation: { conversationType: "personal", tenantId: tenant, id: "a:1personal-chat" },
    recipient: { id: "28:00000000-0000-0000-0000-00000000b0t5", name: "attest" },
    textFormat: "plain",
    locale: "en-US",
    text,
    entities: [
      { type: "clientInfo", locale: "en-US", country: "US", platform: "Web", timezone: "Europe/London" },
    ],
    channelData: { tenant: { id: tenant } },
    ...overrides,
  };
}
