/**
 * The digest labels a server with the same rules as `check` (issue 6): on the demo data, a server
 * whose MAA 4xx messages quote a malformed attestation URL counts under both
 * `attestation-url-malformed` and `maa-other-4xx` in the digest, with the counts `check` gives.
 */
import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { DEFAULT_DIGEST_SETTINGS, runDigest } from "../../../src/app/digest/run-digest.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../../../src/app/run-check.js";
import { ruleClassifier } from "../../../src/domain/digest/classify.js";
import { tablesFromJson } from "../../../src/kusto-engine/data-file.js";
import { buildDemoData, DEMO_SCENARIOS } from "../../../src/kusto-engine/demo-data.js";
import { KustoEngine } from "../../../src/kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { silentLogger } from "../../../src/ports/log.js";

const now = Date.parse("2026-11-24T09:00:00.000Z");
const DAY = 86_400_000;
const clock = fixedClock(now);
const kusto = new EngineKustoRunner(
  new KustoEngine(ATTEST_SCHEMA, tablesFromJson(buildDemoData(now), ATTEST_SCHEMA, "demo")),
  clock,
);
const catalog = loadQueryCatalog();

async function digestByRule(server: string): Promise<Record<string, number>> {
  const { view } = await runDigest(
    { kusto, query: catalog["fleet-summary"], classify: ruleClassifier, settings: DEFAULT_DIGEST_SETTINGS },
    { servers: [server], fromMs: now - DAY, toMs: now, minFailures: 1 },
  );
  return { ...view.servers.find((s) => s.server === server)?.byRule };
}

async function checkRules(server: string, rules: readonly string[]): Promise<Record<string, number>> {
  const report = await runCheck(
    { kusto, catalog, clock, logger: silentLogger, settings: DEFAULT_CHECK_SETTINGS },
    { server, database: null, url: null, sinceMs: DAY },
  );
  return Object.fromEntries(
    report.diagnosis.findings.filter((f) => rules.includes(f.rule)).map((f) => [f.rule, f.count]),
  );
}

describe("digest and check classify alike", () => {
  it("counts a malformed URL quoted in the sample under attestation-url-malformed, as check does", async () => {
    const scenario = DEMO_SCENARIOS.find((s) => s.server === "sgxtestbadurl");
    expect(scenario?.expectedRules).toEqual(["attestation-url-malformed", "maa-other-4xx"]);
    const digest = await digestByRule("sgxtestbadurl");
    expect(Object.keys(digest).sort()).toEqual(["attestation-url-malformed", "maa-other-4xx"]);
    expect(digest).toEqual(await checkRules("sgxtestbadurl", Object.keys(digest)));
    expect(digest["attestation-url-malformed"]).toBeGreaterThan(0);
  });

  it("adds nothing for a server whose messages quote a well-formed URL or none", async () => {
    const digest = await digestByRule("sgxtestuksouthsrv");
    expect(Object.keys(digest)).not.toContain("attestation-url-malformed");
    expect(Object.keys(digest).length).toBeGreaterThan(0);
    expect(digest).toEqual(await checkRules("sgxtestuksouthsrv", Object.keys(digest)));
  });
});
