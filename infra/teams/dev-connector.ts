/**
 * A stand-in for the Teams connector, for trying the bot locally: listens on 127.0.0.1 (port
 * from argv or 3979) and prints every activity the bot sends to the `serviceUrl` (typing, cards,
 * in-place updates, plain-text replies). `npx tsx infra/teams/dev-connector.ts [port]` (port 0: any free one)
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const port = Number(process.argv[2] ?? 3979);
let next = 1;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body =
      chunks.length > 0
        ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>)
        : {};
    const update = req.method === "PUT" ? /\/activities\/([^/?]+)$/.exec(req.url ?? "")?.[1] : undefined;
    const id = update ? decodeURIComponent(update) : `activity-${next++}`;
    const attachments = (body.attachments as { contentType: string; content: unknown }[] | undefined) ?? [];
    process.stdout.write(`\n${req.method} ${req.url}\n  type: ${String(body.type)}  id: ${id}\n`);
    if (body.summary) process.stdout.write(`  summary: ${String(body.summary)}\n`);
    // A plain-text reply (no card) carries everything in `text`.
    if (typeof body.text === "string" && body.text !== "")
      process.stdout.write(
        `  text${body.textFormat ? ` (${String(body.textFormat)})` : ""}:\n${body.text}\n`,
      );
    for (const a of attachments)
      process.stdout.write(`  ${a.contentType}:\n${JSON.stringify(a.content, null, 2)}\n`);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
  });
});
server.listen(port, "127.0.0.1", () => {
  const { port: bound } = server.address() as AddressInfo;
  process.stdout.write(
    `dev connector listening on http://127.0.0.1:${bound}/ (use it as the activity's serviceUrl)\n`,
  );
});
