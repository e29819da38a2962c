/**
 * Production Kusto access through azure-kusto-data. User input travels only as query parameters
 * (ClientRequestProperties.setParameter); every request carries a client request id
 * `attest-bot;<uuid>` and a `servertimeout`; our own deadline bounds the wall-clock time (the SDK's
 * timeout only notices an idle socket).
 */
import { randomUUID } from "node:crypto";
import type { TokenCredential } from "@azure/identity";
import { Client, ClientRequestProperties, KustoConnectionStringBuilder } from "azure-kusto-data";
import {
  KustoFailure,
  type KustoQueryRequest,
  type KustoQueryResult,
  type KustoRunner,
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
  ) => new KustoFailure(kind, `${name}: ${message}`, { requestId, code, cause: error });
  if (error instanceof Error && error.name === "ThrottlingError")
    return fail("throttled", "Kusto throttled the request (429)");
  if (isAxiosError(error)) {
    const status = error.response?.status;
    const { code, message } = kustoErrorOf(error.response?.data);
    if (status === 429) return fail("throttled", "Kusto throttled the request (429)", code);
    if (status === 400) return fail("bad_query", message ?? "Kusto rejected the query (400)", code);
    if (status === 401 || status === 403)
      return fail("failed", `Kusto refused access (${status}): ${message ?? ""}`, code);
    if (status !== undefined)
      return fail("failed", `Kusto answered ${status}: ${message ?? error.message}`, code);
    if (error.code === "ECONNABORTED" || error.code === "ETIMEDOUT")
      return fail("timeout", "the request timed out");
    return fail("unreachable", `cannot reach Kusto (${error.code ?? error.message})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket hang up/.test(message))
    return fail("unreachable", `cannot reach Kusto (${message})`);
  return fail("failed", message);
}

/** Runs catalog queries against a Kusto cluster with the real SDK. */
export class SdkKustoRunner implements KustoRunner {
  readonly target: KustoRunner["target"];
  readonly #client: Client;
  readonly #logger: Logger;

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
  }

  async run(request: KustoQueryRequest, options: { readonly deadlineMs: number }): Promise<KustoQueryResult> {
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
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KustoFailure("timeout", `${request.name}: no answer within ${options.deadlineMs} ms`, {
              requestId,
            }),
          ),
        options.deadlineMs,
      );
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
    }
  }

  close(): void {
    this.#client.close();
  }
}
