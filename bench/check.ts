/**
 * What a user waits for: one `check` end to end in process (catalog queries on the embedded engine
 * over the demo data, rules, view), cold and warm; and a 5,000-server fleet digest built from
 * summary rows and rendered for Teams and Slack (the size limits are tested; this is the time).
 */

import { EngineKustoRunner } from "../src/adapters/kusto/engine-runner.js";
import { loadQueryCatalog } from "../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../src/app/run-check.js";
import { buildDigest } from "../src/domain/digest/aggregate.js";
import { ruleClassifier } from "../src/domain/digest/classify.js";
import type { FleetSummaryRow } from "../src/domain/digest/types.js";
import { tablesFromJson } from "../src/kusto-engine/data-file.js";
import { buildDemoData, DEMO_SCENARIOS } from "../src/kusto-engine/demo-data.js";
import { KustoEngine } from "../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../src/kusto-engine/schema.js";
import { fixedClock } from "../src/ports/clock.js";
import { silentLogger } from "../src/ports/log.js";
import { renderDigestCard } from "../src/render/digest/adaptive-card.js";
import { renderDigestBlocks } from "../src/render/digest/block-kit.js";

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0).toFixed(2));
};

export async function benchCheck(): Promise<Record<string, number>> {
  const now = Date.parse("2026-11-24T10:00:00Z");
  const clock = fixedClock(now);
  const engine = new KustoEngine(ATTEST_SCHEMA, tablesFromJson(buildDemoData(now), ATTEST_SCHEMA, "demo"));
  const deps = {
    kusto: new EngineKustoRunner(engine, clock),
    catalog: loadQueryCatalog(),
    clock,
    logger: silentLogger,
    settings: DEFAULT_CHECK_SETTINGS,
  };
  const check = (server: string) => runCheck(deps, { server, database: null, url: null, sinceMs: null });
  let t = performance.now();
  await check("sgxtestuksouthsrv");
  const cold = performance.now() - t;
  const warm: number[] = [];
  for (let round = 0; round < 5; round++)
    for (const s of DEMO_SCENARIOS) {
      t = performance.now();
      await check(s.server);
      warm.push(performance.now() - t);
    }

  const rows: FleetSummaryRow[] = [];
  const sample =
    "Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Return code: '0x00000193'.";
  for (let i = 0; i < 5000; i++)
    for (let day = 0; day < 7; day++)
      rows.push({
        server: `server-${String(i).padStart(4, "0")}`,
        errorId: 37324,
        code: "0x00000193",
        periodStart: new Date(now - (day + 1) * 86_400_000).toISOString(),
        failures: 1 + ((i * 7 + day) % 31),
        firstSeen: new Date(now - (day + 1) * 86_400_000).toISOString(),
        lastSeen: new Date(now - day * 86_400_000 - 1).toISOString(),
        nodes: 2,
        sample: `${sample} ${i % 50}`,
      });
  t = performance.now();
  const view = buildDigest(rows, ruleClassifier, {
    fromMs: now - 86_400_000,
    toMs: now,
    periods: 7,
    minFailures: 1,
    truncated: false,
  });
  const post = { view, title: "Attestation digest · whole fleet", topN: 20 };
  const card = JSON.stringify(renderDigestCard(post));
  renderDigestBlocks(post);
  const digestMs = performance.now() - t;

  return {
    // The parser is already loaded when this runs after the engine bench: first = plan compilation.
    check_first_ms: Number(cold.toFixed(1)),
    check_warm_p50_ms: percentile(warm, 50),
    check_warm_p95_ms: percentile(warm, 95),
    digest_5000_servers_rows: rows.length,
    digest_5000_servers_ms: Number(digestMs.toFixed(1)),
    digest_5000_card_bytes: Buffer.byteLength(card),
  };
}

if (import.meta.url === `file://${process.argv[1]}`)
  process.stdout.write(`${JSON.stringify(await benchCheck(), null, 2)}\n`);
