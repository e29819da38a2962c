/**
 * Bench child: Slack's side of the bot's outbound requests. It answers response_url posts
 * (`/r/<id>`) and Web API calls on 127.0.0.1, and tells its parent the id of every response_url
 * post that arrived, in batches over IPC. It runs in its own process, as Slack's receivers are
 * not the machine that sends the commands: in the load generator, handling the bot's answers
 * delayed the generator's own timing of the acknowledgements (and bare Bolt sends none).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let arrived: string[] = [];
let flushing = false;
const flush = () => {
  flushing = false;
  if (arrived.length === 0) return;
  process.send?.({ arrived });
  arrived = [];
};

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const id = /^\/r\/(.+)$/.exec(req.url ?? "")?.[1];
    res.writeHead(200, { "content-type": "application/json" });
    res.end(id ? "ok" : JSON.stringify({ ok: true }));
    if (!id) return;
    arrived.push(id);
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  });
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
