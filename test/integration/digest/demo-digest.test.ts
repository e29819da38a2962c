/**
 * The digest on the embedded demo data at a pinned time: `attest digest` JSON and text, and the
 * Teams and Slack renderings, against golden files (UPDATE_GOLDEN=1 rewrites them).
 */
import { describe, expect, it } from "vitest";
import { EngineKustoRunner } from "../../../src/adapters/kusto/engine-runner.js";
import { DEFAULT_DIGEST_SETTINGS, runDigest } from "../../../src/app/digest/run-digest.js";
import { loadQueryCatalog } from "../../../src/app/query-catalog.js";
import digestCommand from "../../../src/cli/commands/digest.js";
import type { CliIo } from "../../../src/cli/io.js";
import { createEmbeddedEngine } from "../../../src/compose/kusto-runner.js";
import { ruleClassifier } from "../../../src/domain/digest/classify.js";
import { fixedClock } from "../../../src/ports/clock.js";
import { renderDigestCard } from "../../../src/render/digest/adaptive-card.js";
import { renderDigestBlocks } from "../../../src/render/digest/block-kit.js";
import { expectGolden } from "../../unit/digest/golden.js";

const NOW = "2026-11-24T10:00:00Z";

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => "",
    env: {},
    stopSignal: new Promise(() => {}),
  };
  const code = await digestCommand(argv, io);
  return { code, stdout, stderr };
}

describe("attest digest on the demo data", () => {
  it("prints the JSON form", async () => {
    const r = await cli(["--now", NOW, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { window: unknown; servers: { server: string }[] };
    expect(json.window).toEqual({ from: "2026-11-23T10:00:00.000Z", to: "2026-11-24T10:00:00.000Z" });
    expect(json.servers.length).toBeGreaterThan(3);
    expectGolden("demo-cli.json", r.stdout);
  });

  it("prints the text form, narrowed to servers", async () => {
    const r = await cli(["--now", NOW, "--servers", "sgxtestuksouthsrv,SGXTESTMAA500", "--since", "6h"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("sgxtestuksouthsrv");
    expect(r.stdout).not.toContain("sgxtestinteldcap");
    expectGolden("demo-cli.txt", r.stdout);
  });

  it("refuses bad input with exit 2 and says what is expected", async () => {
    const bad = await cli(["--since", "forever"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--since");
    expect((await cli(["--servers", "bad_name"])).code).toBe(2);
    expect((await cli(["--format", "yaml"])).code).toBe(2);
    expect((await cli(["--data", "/nonexistent/file.json"])).code).toBe(2);
  });

  it("never calls a server with no telemetry, or a misspelled one, free of failures", async () => {
    const typo = await cli(["--now", NOW, "--servers", "nosuchserver-xyz"]);
    expect(typo.code).toBe(0);
    expect(typo.stdout).not.toContain("No attestation failures");
    expect(typo.stdout).toContain("UTC: nosuchserver-xyz — check the name or run `attest check <server>`");
    expectGolden("demo-unseen-cli.txt", typo.stdout);

    const demo = await cli([
      "--now",
      NOW,
      "--servers",
      "sgxtestnotelemetry,sgxtestuksouthsrv",
      "--format",
      "json",
    ]);
    expect(demo.code).toBe(0);
    const json = JSON.parse(demo.stdout) as { servers: { server: string }[]; unseen: string[] };
    expect(json.servers.map((s) => s.server)).toEqual(["sgxtestuksouthsrv"]);
    expect(json.unseen).toEqual(["sgxtestnotelemetry"]);

    // A server that sends telemetry without failures is the real all-clear.
    const quiet = await cli(["--now", NOW, "--servers", "sgxtestgen5"]);
    expect(quiet.stdout).toContain("Totals: ✅ No attestation failures in this window\n0 servers failing\n");
    expect(quiet.stdout).not.toContain("No telemetry");
    const quietJson = JSON.parse(
      (await cli(["--now", NOW, "--servers", "sgxtestgen5", "--format", "json"])).stdout,
    );
    expect(quietJson).toMatchObject({ servers: [], unseen: [] });
  });

  it("--top takes 1 to 1000 and says so", async () => {
    for (const top of ["0", "-1", "1001", "99999999999", "2.5", "ten"]) {
      const r = await cli(["--now", NOW, "--top", top]);
      expect(r.code, top).toBe(2);
      expect(r.stderr, top).toContain(
        `--top: got "${top}"; expected a whole number of servers to list, from 1 to 1000`,
      );
      expect(r.stdout).toBe("");
    }
    const one = await cli(["--now", NOW, "--top", "1"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/\n {1}1\. /);
    expect(one.stdout).not.toMatch(/\n {1}2\. /);
    expect(one.stdout).toMatch(/and \d+ more servers/);
    expect((await cli(["--now", NOW, "--top", "1000"])).code).toBe(0);
  });

  it("renders the demo digest for Teams and Slack", async () => {
    const clock = fixedClock(Date.parse(NOW));
    const kusto = new EngineKustoRunner(createEmbeddedEngine(null, clock), clock);
    const { view } = await runDigest(
      {
        kusto,
        query: loadQueryCatalog()["fleet-summary"],
        classify: ruleClassifier,
        settings: DEFAULT_DIGEST_SETTINGS,
        // As the bot and the CLI wire it (issue 14): the demo's regional incident is one row.
        incidents: { query: loadQueryCatalog()["fleet-incidents"], minServers: 5 },
      },
      { servers: [], fromMs: clock.now() - 86_400_000, toMs: clock.now(), minFailures: 1 },
    );
    const post = { view, title: "Attestation digest · d-demo", topN: 5 };
    expectGolden("demo-engine.card.json", `${JSON.stringify(renderDigestCard(post), null, 2)}\n`);
    expectGolden("demo-engine.blocks.json", `${JSON.stringify(renderDigestBlocks(post), null, 2)}\n`);
  });
});
