/**
 * Production Kusto access through azure-kusto-data. User input travels only as query parameters
 * (ClientRequestProperties.setParameter); every request carries a client request id
 * `attest-bot;<uuid>` and a `servertimeout`; our own deadline bounds the wall-clock time (the SDK's
 * timeout only notices an idle socket).
 *
 * azure-kusto-data 7 takes no AbortSignal per request, but its axios instance is public
 * (`client.axiosInstance`): a request interceptor finds the run by its client request id header and
 * gives axios that run's AbortSignal. At the deadline (or when the caller aborts) the signal fires
 * and axios destroys the request and its socket, so a stalled or trickling answer does not keep a
 * connection (or the process) alive past the deadline.
 */
import { randomUUID } from "node:crypto";
import type { TokenCredential } from "@azure/identity";
import { Client, ClientRequestProperties, KustoConnectionStringBuilder } from "azure-kusto-data";
import {
  KustoFailure,
  type KustoQueryRequest,
  type KustoQueryResult,
  type KustoRunner,
  type KustoRunOptions,
  type KustoTable,
} from "../../ports/kusto.js";
import type { Logger } from "../../ports/log.js";
import { toCell } from "./cells.js";

export interface SdkRunnerOptions {
  readonly clusterUrl: string;
  readonly database: string;
  /** Azure credential (DefaultAzureCredential or a managed identity); null for an unauthenticated loopback engine. */
  readonly credential: TokenCredential | null;
  readonly logger: Logger;
  /** Embedded engine served on loopback (affects labels only). */
  readonly embedded?: boolean;
}

interface AxiosLikeError {
  isAxiosError: true;
  code?: string;
  message: string;
  response?: { status: number; data?: unknown; headers?: Record<string, unknown> };
}

/** HTTP statuses worth another try: throttling and the service's transient errors. */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

/** A dropped connection (not a refused one: nothing listening is not fixed by trying again at once). */
const RESET = /ECONNRESET|EPIPE|socket hang up/;

/** `Retry-After` (seconds or an HTTP date) in ms, or null. */
export function retryAfterMs(value: unknown, now = Date.now()): number | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function headerOf(headers: unknown, name: string): unknown {
  if (!headers || typeof headers !== "object") return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  return typeof h.get === "function" ? h.get(name) : h[name];
}

function isAxiosError(e: unknown): e is AxiosLikeError {
  return typeof e === "object" && e !== null && (e as { isAxiosError?: unknown }).isAxiosError === true;
}

/** Kusto's error body: `{ error: { code, message, "@message", "@errorCode" } }`. */
function kustoErrorOf(data: unknown): { code: string | null; message: string | null } {
  const err = (data as { error?: Record<string, unknown> } | undefined)?.error;
  if (!err) return { code: null, message: null };
  const code = (err["@errorCode"] ?? err.code) as string | undefined;
  const message = (err["@message"] ?? err.message) as string | undefined;
  return { code: code ?? null, message: message ?? null };
}

/** Maps whatever the SDK threw to a KustoFailure. */
export function toKustoFailure(error: unknown, requestId: string, name: string): KustoFailure {
  if (error instanceof KustoFailure) return error;
  const fail = (
    kind: ConstructorParameters<typeof KustoFailure>[0],
    message: string,
    code: string | null = null,
    transient = false,
    retryAfter: number | null = null,
  ) =>
    new KustoFailure(kind, `${name}: ${message}`, {
      requestId,
      code,
      cause: error,
      transient,
      retryAfterMs: retryAfter,
    });
  if (error instanceof Error && error.name === "ThrottlingError") {
    // The SDK wraps the axios error of a 429 (its response, with Retry-After) as `inner`.
    const inner = (error as { inner?: unknown }).inner;
    const response = isAxiosError(inner) ? inner.response : undefined;
    return fail(
      "throttled",
      "Kusto is throttling requests (429)",
      kustoErrorOf(response?.data).code,
      true,
      retryAfterMs(headerOf(response?.headers, "retry-after")),
    );
  }
  if (isAxiosError(error)) {
    const status = error.response?.status;
    const { code, message } = kustoErrorOf(error.response?.data);
    if (status === 429)
      return fail(
        "throttled",
        "Kusto is throttling requests (429)",
        code,
        true,
        retryAfterMs(headerOf(error.response?.headers, "retry-after")),
      );
    if (status === 400) return fail("bad_query", message ?? "Kusto rejected the query (400)", code);
    if (status === 401 || status === 403)
      return fail("failed", `Kusto refused access (${status}): ${message ?? ""}`, code);
    if (status !== undefined)
      return fail(
        "failed",
        `Kusto answered ${status}: ${message ?? error.message}`,
        code,
        TRANSIENT_STATUSES.has(status),
      );
    if (error.code === "ECONNABORTED" || error.code === "ETIMEDOUT")
      return fail("timeout", "the request timed out");
    const reason = error.code ?? error.message;
    return fail(
      "unreachable",
      `cannot reach Kusto (${reason})`,
      null,
      RESET.test(`${reason} ${error.message}`),
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EPIPE|socket hang up/.test(message))
    return fail("unreachable", `cannot reach Kusto (${message})`, null, RESET.test(message));
  return fail("failed", message);
}

/** Runs catalog queries against a Kusto cluster with the real SDK. */
export class SdkKustoRunner implements KustoRunner {
  readonly target: KustoRunner["target"];
  readonly #client: Client;
  readonly #logger: Logger;
  /** The abort signal of each run in flight, by the client request id its HTTP request carries. */
  readonly #signals = new Map<string, AbortSignal>();

  constructor(options: SdkRunnerOptions) {
    this.target = {
      clusterUrl: options.clusterUrl,
      database: options.database,
      embedded: options.embedded ?? false,
    };
    const kcsb = options.credential
      ? KustoConnectionStringBuilder.withTokenCredential(options.clusterUrl, options.credential)
      : new KustoConnectionStringBuilder(options.clusterUrl);
    this.#client = new Client(kcsb);
    this.#logger = options.logger;
    this.#client.axiosInstance.interceptors.request.use((config) => {
      const id = headerOf(config.headers, "x-ms-client-request-id");
      if (typeof id === "string" && id.startsWith("attest-bot;"))
        // A run that already ended (its deadline passed while the SDK was still getting cloud
        // metadata or a token) must not send its request afterwards: it goes out aborted.
        config.signal =
          this.#signals.get(id) ?? AbortSignal.abort(new Error("the run ended before the request was sent"));
      return config;
    });
  }

  /** Runs in flight (their HTTP requests can still be aborted). */
  get inFlight(): number {
    return this.#signals.size;
  }

  async run(request: KustoQueryRequest, options: KustoRunOptions): Promise<KustoQueryResult> {
    const requestId = `attest-bot;${randomUUID()}`;
    const props = new ClientRequestProperties();
    props.clientRequestId = requestId;
    props.application = "attest-bot";
    // The server gives up a little before we do, so its own timeout error can still reach us.
    props.setTimeout(Math.max(1000, options.deadlineMs - 500));
    props.setClientTimeout(options.deadlineMs + 1000);
    for (const [k, v] of Object.entries(request.parameters)) props.setParameter(k, v);
    const started = Date.now();
    this.#logger.info("kusto.query", {
      query: request.name,
      requestId,
      parameters: Object.keys(request.parameters),
    });
    // One controller per run: the deadline and the caller's signal abort the HTTP request itself.
    const controller = new AbortController();
    this.#signals.set(requestId, controller.signal);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const deadline = new Promise<never>((_, reject) => {
      const stop = (message: string) => {
        reject(new KustoFailure("timeout", `${request.name}: ${message}`, { requestId }));
        controller.abort();
      };
      timer = setTimeout(
        () => stop(`no answer within ${options.deadlineMs} ms`),
        Math.max(0, options.deadlineMs),
      );
      onAbort = () => stop("cancelled before Kusto answered");
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      const response = await Promise.race([
        this.#client.execute(this.target.database, request.text, props),
        deadline,
      ]);
      const tables: KustoTable[] = response.primaryResults.map((t) => {
        const columns = t.columns.map((c) => ({ name: c.name ?? "", type: c.type ?? "string" }));
        const rows = [...t.rows()].map((r) =>
          (r.raw as unknown[]).map((v, i) => toCell(v, columns[i]?.type ?? "string")),
        );
        return { columns, rows };
      });
      this.#logger.info("kusto.done", { query: request.name, requestId, ms: Date.now() - started });
      return { tables, requestId };
    } catch (error) {
      const failure = toKustoFailure(error, requestId, request.name);
      this.#logger.warn("kusto.failed", {
        query: request.name,
        requestId,
        kind: failure.kind,
        code: failure.code,
        ms: Date.now() - started,
      });
      throw failure;
    } finally {
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener("abort", onAbort);
      this.#signals.delete(requestId);
      // Whatever ended the run, nothing of it may linger (a no-op once axios has settled).
      controller.abort();
    }
  }

  close(): void {
    this.#client.close();
  }
}
