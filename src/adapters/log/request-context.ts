/**
 * The request being handled, carried through its async work (AsyncLocalStorage): every log line
 * written while handling it, the audit line and Kusto query lines included, carries its id
 * as `httpRequestId`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export interface RequestContext {
  /** The HTTP request's id (named apart from `requestId`, which Kusto query lines use for Kusto's client request id). */
  readonly httpRequestId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The caller's `x-request-id` when it is a plausible id (1-128 of [A-Za-z0-9._:-]), else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}
