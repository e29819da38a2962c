/**
 * The embedded engine served on loopback with Kusto's REST protocol, so that the real
 * azure-kusto-data client queries it unchanged: `POST /v2/rest/query` (v2 frames),
 * `POST /v1/rest/mgmt` (`.show tables`, `.show version`), `GET /v1/rest/auth/metadata`.
 * Fault settings (latency, 429, 5xx, stall, slow body, partial failure) let tests exercise
 * the client's resilience against it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ATTEST_SCHEMA, type DatabaseSchema } from "../schema.js";
import { KustoError, type ResultTable } from "../types.js";
import { faultError, type ServerFaults } from "./faults.js";
import {
  completionFrame,
  dataSetCompletion,
  dataSetHeader,
  type OneApiError,
  oneApiError,
  primaryResultFrame,
  queryPropertiesFrame,
  type RequestContext,
  type V2Frame,
} from "./frames.js";
import { runMgmtCommand } from "./mgmt.js";
import { badRequest, HttpError, kustoErrorDetail, parseQueryBody, readBody } from "./request.js";

export type { ServerFaults } from "./faults.js";

/** What the server needs of the engine (KustoEngine implements it). */
export interface QueryEngine {
  execute(
    text: string,
    options: { readonly now: number; readonly parameters?: Record<string, string> },
  ): readonly ResultTable[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly clientRequestId: string | null;
  /** The parsed JSON body (query requests: `{ db, csl, properties }`), or null. */
  readonly body: unknown;
}

export interface KustoServerOptions {
  readonly engine: QueryEngine;
  /** For `.show tables` and the database name; defaults to the bot's schema. */
  readonly schema?: DatabaseSchema;
  readonly host?: string;
  readonly port?: number;
  /** The engine's clock (ago(), now()); defaults to Date.now. */
  readonly now?: () => number;
  readonly faults?: ServerFaults;
  /** Keep every request (method, path, client request id, body) in `requests`. */
  readonly recordRequests?: boolean;
  /** One line per request; nothing is logged when absent. */
  readonly log?: (line: string) => void;
}

export interface KustoServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  setFaults(faults: ServerFaults | null): void;
  /** Requests received so far (every path, including auth metadata). */
  readonly requestCount: number;
  /** Recorded requests when `recordRequests` was set, else empty. */
  readonly requests: readonly RecordedRequest[];
  /** Stops listening and drops open connections (stalled ones too). */
  close(): Promise<void>;
}

const sleep = (ms: number, timers: Set<NodeJS.Timeout>) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });

/** Starts the server; resolves once it listens. */
export async function startKustoServer(options: KustoServerOptions): Promise<KustoServer> {
  const schema = options.schema ?? ATTEST_SCHEMA;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const startedAt = now();
  const timers = new Set<NodeJS.Timeout>();
  const recorded: RecordedRequest[] = [];
  let count = 0;
  let faults: ServerFaults | null = options.faults ?? null;
  let faultsLeft = faults?.times ?? Number.POSITIVE_INFINITY;
  let url = "";

  /** The faults for this request (consuming one of `times`). */
  const takeFaults = (): ServerFaults | null => {
    if (!faults) return null;
    const current = faults;
    faultsLeft -= 1;
    if (faultsLeft <= 0) faults = null;
    return current;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  /** Writes the frames as a JSON array, one frame at a time when `slowMs` asks for it. */
  const sendFrames = async (
    res: ServerResponse,
    frames: readonly V2Frame[],
    headers: Record<string, string>,
    slowMs: number,
  ) => {
    if (res.destroyed) return;
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", ...headers });
    for (let i = 0; i < frames.length; i++) {
      if (slowMs > 0 && i > 0) await sleep(slowMs, timers);
      if (res.destroyed) return;
      res.write(`${i === 0 ? "[" : ","}${JSON.stringify(frames[i])}`);
    }
    if (!res.destroyed) res.end("]");
  };

  const applyFaults = async (f: ServerFaults | null, ctx: RequestContext): Promise<"stall" | null> => {
    if (!f) return null;
    if (f.latencyMs) await sleep(f.latencyMs, timers);
    if (f.stall) return "stall";
    const error = faultError(f, ctx);
    if (error) throw error;
    return null;
  };

  const handleQuery = async (
    text: string,
    ctx: RequestContext,
    res: ServerResponse,
    headers: Record<string, string>,
  ) => {
    const f = takeFaults();
    const body = parseQueryBody(text, ctx);
    if (body.db !== null && body.db.toLowerCase() !== schema.name.toLowerCase())
      throw badRequest(
        ctx,
        `Request is invalid and cannot be processed: Entity ID '${body.db}' of kind 'Database' was not found (this engine serves '${schema.name}')`,
        "EntityNotFound",
      );
    if ((await applyFaults(f, ctx)) === "stall") return;
    const started = Date.now();
    let results: readonly ResultTable[];
    try {
      results = options.engine.execute(body.csl, { now: ctx.now, parameters: body.parameters });
    } catch (error) {
      if (error instanceof KustoError && error.kind !== "runtime")
        throw badRequest(ctx, kustoErrorDetail(error), error.code, "Kusto.Data.Exceptions.SemanticException");
      if (error instanceof KustoError) {
        // A failure after the response started: 200, frames, HasErrors with OneApiErrors.
        const failure = oneApiError(ctx, {
          code: "InternalServiceError",
          message: "Query execution failed.",
          type: "Kusto.Data.Exceptions.KustoServicePartialQueryFailureException",
          detail: kustoErrorDetail(error).replace("Request is invalid and cannot be processed: ", ""),
          permanent: false,
          errorCode: error.code,
        });
        await sendFrames(
          res,
          [
            dataSetHeader(),
            queryPropertiesFrame(0),
            completionFrame(ctx, 1, { ok: false, error: failure }),
            dataSetCompletion([failure]),
          ],
          headers,
          f?.slowBodyMs ?? 0,
        );
        return;
      }
      // Any other exception from the engine is still a Kusto-shaped refusal (400 with a code),
      // never an internal error: its first line only, no stack trace.
      const first = (error instanceof Error ? error.message : String(error)).split("\n")[0]?.slice(0, 300);
      throw badRequest(
        ctx,
        `Request is invalid and cannot be processed: Unsupported by the embedded engine: EmbeddedEngineFailure: the embedded engine failed on this query (${first || "unknown failure"}); run it against a real cluster.`,
        "EmbeddedEngineFailure",
        "Kusto.Data.Exceptions.SemanticException",
      );
    }
    const partial = f?.partialFailure
      ? typeof f.partialFailure === "object"
        ? f.partialFailure.afterRows
        : 1
      : null;
    const frames: V2Frame[] = [dataSetHeader(), queryPropertiesFrame(results.length)];
    results.forEach((table, i) => {
      frames.push(primaryResultFrame(table, i + 1, partial === null ? undefined : i === 0 ? partial : 0));
    });
    const errors: OneApiError[] = [];
    if (partial !== null) {
      errors.push(
        oneApiError(ctx, {
          code: "LimitsExceeded",
          message: "Request is invalid and cannot be executed.",
          type: "Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException",
          detail: `Query execution has exceeded the allowed limits (80DA0003): partial results after ${partial} row(s) (embedded engine fault).`,
          permanent: false,
        }),
      );
    }
    const rowCount = results.reduce((n, t) => n + t.rows.length, 0);
    frames.push(
      completionFrame(
        ctx,
        results.length + 1,
        errors[0] ? { ok: false, error: errors[0] } : { ok: true, rowCount, elapsedMs: Date.now() - started },
      ),
    );
    frames.push(dataSetCompletion(errors));
    await sendFrames(res, frames, headers, f?.slowBodyMs ?? 0);
  };

  const handleMgmt = async (
    text: string,
    ctx: RequestContext,
    res: ServerResponse,
    headers: Record<string, string>,
  ) => {
    const f = takeFaults();
    const body = parseQueryBody(text, ctx);
    if ((await applyFaults(f, ctx)) === "stall") return;
    const outcome = runMgmtCommand(body.csl, schema, startedAt);
    if (!outcome.ok)
      throw badRequest(ctx, outcome.message, "SYN0002", "Kusto.Data.Exceptions.SyntaxException");
    send(res, 200, outcome.body, headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    count += 1;
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const header = req.headers["x-ms-client-request-id"];
    const clientRequestId = typeof header === "string" ? header : null;
    const ctx: RequestContext = {
      clientRequestId: clientRequestId ?? `unspecified;${randomUUID()}`,
      activityId: randomUUID(),
      now: now(),
    };
    const headers = { "x-ms-client-request-id": ctx.clientRequestId, "x-ms-activity-id": ctx.activityId };
    try {
      const text = req.method === "POST" ? await readBody(req) : "";
      if (options.recordRequests) {
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = text;
        }
        recorded.push({ method: req.method ?? "", path, clientRequestId, body });
      }
      log(`${req.method} ${path} ${ctx.clientRequestId}`);
      if (req.method === "GET" && path === "/v1/rest/auth/metadata") {
        // A loopback engine needs no login: the cloud info is Kusto's public-cloud default.
        send(res, 200, {
          AzureAD: {
            LoginEndpoint: "https://login.microsoftonline.com",
            LoginMfaRequired: false,
            KustoClientAppId: "db662dc1-0cfe-4e1c-a843-19a68e65be58",
            KustoClientRedirectUri: "https://microsoft/kustoclient",
            KustoServiceResourceId: url,
            FirstPartyAuthorityUrl: "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a",
          },
          dSTS: {},
        });
      } else if (req.method === "POST" && path === "/v2/rest/query") {
        await handleQuery(text, ctx, res, headers);
      } else if (req.method === "POST" && path === "/v1/rest/mgmt") {
        await handleMgmt(text, ctx, res, headers);
      } else {
        send(
          res,
          404,
          oneApiError(ctx, {
            code: "General_NotFound",
            message: "The requested resource was not found.",
            type: "Kusto.Data.Exceptions.KustoRequestException",
            detail: `${req.method} ${path} is not served; use POST /v2/rest/query or POST /v1/rest/mgmt`,
            permanent: true,
          }),
          headers,
        );
      }
    } catch (error) {
      if (error instanceof HttpError) {
        send(res, error.status, error.body, { ...headers, ...error.headers });
        return;
      }
      log(`error ${String(error)}`);
      send(
        res,
        500,
        oneApiError(ctx, {
          code: "General_InternalServerError",
          message: "An internal service error occurred.",
          type: "Kusto.Data.Exceptions.KustoServiceException",
          detail: `Internal error in the embedded engine: ${error instanceof Error ? error.message : String(error)}`,
          permanent: false,
        }),
        headers,
      );
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;

  return {
    url,
    port: address.port,
    setFaults(next) {
      faults = next;
      faultsLeft = next?.times ?? Number.POSITIVE_INFINITY;
    },
    get requestCount() {
      return count;
    },
    requests: recorded,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
