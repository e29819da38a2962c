/**
 * Fault settings of the embedded Kusto server, for resilience tests: what each one does, and the
 * HTTP error Kusto would answer with for throttling and service errors.
 */
import { oneApiError, type RequestContext } from "./frames.js";
import { HttpError } from "./request.js";

/** Misbehaviour on demand, applied to query and management requests (not to auth metadata). */
export interface ServerFaults {
  /** Wait this long before answering. */
  readonly latencyMs?: number;
  /** Answer 429 Too Many Requests with this Retry-After (seconds; default 1). */
  readonly throttle?: boolean | { readonly retryAfterSeconds: number };
  /** Answer with this 5xx status (e.g. 500, 503) and Kusto's error body. */
  readonly status5xx?: number;
  /** Never answer (the connection stays open until the client gives up or the server closes). */
  readonly stall?: boolean;
  /** Write the v2 frames one at a time with this pause between them. */
  readonly slowBodyMs?: number;
  /** 200 with the first primary result cut after `afterRows` rows (default 1) and HasErrors + OneApiErrors. */
  readonly partialFailure?: boolean | { readonly afterRows: number };
  /** Apply the faults to this many requests only, then clear them (default: until changed). */
  readonly times?: number;
}

/** The HTTP error a fault asks for (429 or 5xx), or null when the request should be answered. */
export function faultError(f: ServerFaults, ctx: RequestContext): HttpError | null {
  if (f.throttle) {
    const retryAfter = typeof f.throttle === "object" ? f.throttle.retryAfterSeconds : 1;
    return new HttpError(
      429,
      oneApiError(ctx, {
        code: "TooManyRequests",
        message: "The request was throttled.",
        type: "Kusto.DataNode.Exceptions.KustoRequestThrottledException",
        detail: "Request was throttled: the number of concurrent requests exceeded the limit. Retry later.",
        permanent: false,
      }),
      { "Retry-After": String(retryAfter) },
    );
  }
  if (f.status5xx) {
    const status = f.status5xx;
    return new HttpError(
      status,
      oneApiError(ctx, {
        code: status === 503 ? "ServiceUnavailable" : "InternalServiceError",
        message: status === 503 ? "The service is unavailable." : "An internal service error occurred.",
        type: "Kusto.Data.Exceptions.KustoServiceException",
        detail: `Service error (${status}): the embedded engine was asked to fail`,
        permanent: false,
      }),
    );
  }
  return null;
}
