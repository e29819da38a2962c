/**
 * botbuilder's CloudAdapter expects an Express/Restify-like request (parsed `body`) and response
 * (`status`, `header`, `send`, `end`). These wrap plain node:http objects.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, Response } from "botbuilder";

export function botRequest(req: IncomingMessage, body: Record<string, unknown>): Request {
  return { body, headers: req.headers, method: req.method };
}

export function botResponse(res: ServerResponse): Response {
  let status = 200;
  let payload: unknown;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
      return this;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return this;
    },
    send(body: unknown) {
      payload = body;
      return this;
    },
    end() {
      if (res.writableEnded) return this;
      if (payload === undefined) {
        res.writeHead(status).end();
        return this;
      }
      const isText = typeof payload === "string";
      const text = isText ? (payload as string) : JSON.stringify(payload);
      res
        .writeHead(status, {
          "content-type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(text),
        })
        .end(text);
      return this;
    },
  };
}
