/**
 * Bench child: the embedded engine over the demo data, served over Kusto's REST protocol on
 * 127.0.0.1 (as `attest kusto serve`). Tells its parent the URL, and on request how many queries
 * it has answered.
 */
import { createEmbeddedEngine } from "../../src/compose/kusto-runner.js";
import { startKustoServer } from "../../src/kusto-engine/server/kusto-server.js";
import { systemClock } from "../../src/ports/clock.js";

let queries = 0;
const server = await startKustoServer({
  engine: createEmbeddedEngine(null, systemClock),
  log: (line) => {
    if (/^POST \/v[12]\/rest\/query/.test(line)) queries++;
  },
});
process.on("message", (m: unknown) => {
  if (m === "count") process.send?.({ queries });
});
process.send?.({ url: server.url });
