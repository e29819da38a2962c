/**
 * Reading a request to the embedded Kusto: the body (size-capped), the `{ db, csl, properties }`
 * query shape with its parameters, and the errors Kusto answers with (HTTP status + OneApiError).
 */
import type { IncomingMessage } from "node:http";
import type { KustoError } from "../types.js";
import { type OneApiError, oneApiError, type RequestContext } from "./frames.js";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class HttpError extends Error {
  readonly status: number;
  readonly body: OneApiError;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, body: OneApiError, headers: Record<string, string> = {}) {
    super(body.error["@message"]);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export interface QueryBody {
  readonly db: string | null;
  readonly csl: string;
  readonly parameters: Record<string, string>;
}

export const badRequest = (ctx: RequestContext, detail: string, errorCode?: string, type?: string) =>
  new HttpError(
    400,
    oneApiError(ctx, {
      code: "General_BadRequest",
      message: "Request is invalid and cannot be executed.",
      type: type ?? "Kusto.Data.Exceptions.KustoBadRequestException",
      detail,
      permanent: true,
      ...(errorCode ? { errorCode } : {}),
    }),
  );

/**
 * A parameter value as the KQL literal text the engine parses. azure-kusto-data's
 * `setParameter(name, value)` puts the value into the JSON as it is given, so a number or a
 * boolean arrives as a JSON number/boolean: their text is the literal (`5`, `1.5`, `true`).
 */
function parameterText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** `{ db, csl, properties }` with `properties` a JSON string or an object; parameters from `properties.Parameters`. */
export function parseQueryBody(text: string, ctx: RequestContext): QueryBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest(ctx, "Request is invalid and cannot be processed: the body is not valid JSON");
  }
  const body = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof body.csl !== "string" || body.csl.trim() === "")
    throw badRequest(ctx, "Request is invalid and cannot be processed: 'csl' (the query text) is missing");
  let properties: unknown = body.properties ?? null;
  if (typeof properties === "string") {
    try {
      properties = properties.trim() === "" ? null : JSON.parse(properties);
    } catch {
      throw badRequest(ctx, "Request is invalid and cannot be processed: 'properties' is not valid JSON");
    }
  }
  const raw = (properties as { Parameters?: unknown } | null)?.Parameters ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw badRequest(
      ctx,
      "Request is invalid and cannot be processed: 'properties.Parameters' must be an object",
    );
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const literal = parameterText(value);
    if (literal === undefined)
      throw badRequest(
        ctx,
        `Request is invalid and cannot be processed: query parameter '${name}' must be given as a string (the KQL literal), a number or a boolean, got ${value === null ? "null" : typeof value}`,
      );
    parameters[name] = literal;
  }
  return { db: typeof body.db === "string" ? body.db : null, csl: body.csl, parameters };
}

const ERROR_LABEL: Record<KustoError["kind"], string> = {
  syntax: "Semantic error",
  unsupported: "Unsupported by the embedded engine",
  parameter: "Query parameter error",
  runtime: "Runtime error",
};

export function kustoErrorDetail(error: KustoError): string {
  const label =
    error.kind === "syntax" && /^SYN/i.test(error.code) ? "Syntax error" : ERROR_LABEL[error.kind];
  return `Request is invalid and cannot be processed: ${label}: ${error.code}: ${error.message}`;
}
