/**
 * The built artifact: `tsc -p tsconfig.build.json` output runs with plain `node` (no tsx), finds
 * its queries and cards from dist/, and in embedded mode never loads the Azure SDKs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConnectorStub } from "../teams/connector-stub.js";
import {
  BUILD_TIMEOUT_MS,
  type Built,
  buildToTemp,
  PROCESS_TIMEOUT_MS,
  runNode,
  startNodeServer,
} from "./built.js";

let built: Built;
beforeAll(() => {
  built = buildToTemp();
}, BUILD_TIMEOUT_MS);
afterAll(() => built?.remove());

describe("the built CLI (node dist/cli/main.js)", () => {
  it(
    "prints its usage for `help`",
    async () => {
      const r = await runNode(["dist/cli/main.js", "help"], built.dir);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage: attest <command>/);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    "runs a check on the embedded engine (queries found from dist) without loading an Azure SDK",
    async () => {
      const r = await runNode(
        ["--import", built.forbidAzure, "dist/cli/main.js", "check", "sgxtestuksouthsrv", "--format", "json"],
        built.dir,
      );
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ server: "sgxtestuksouthsrv" });
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    "the loader check works: with it, importing azure-kusto-data fails",
    async () => {
      const r = await runNode(
        ["--import", built.forbidAzure, "--input-type=module", "-e", 'await import("azure-kusto-data");'],
        built.dir,
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("forbidden import: azure-kusto-data");
    },
    PROCESS_TIMEOUT_MS,
  );
});

describe("the built bot (node dist/main.js) in embedded mode", () => {
  it(
    "starts without azure-kusto-data, @azure/identity or @azure/storage-blob, is ready and answers a Teams check with a card",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "attest-built-data-"));
      const connector = await startConnectorStub();
      const bot = await startNodeServer(["--import", built.forbidAzure, "dist/main.js"], built.dir, {
        PORT: "0",
        ATTEST_DATA_DIR: dataDir,
      });
      try {
        expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
        expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
        const res = await fetch(`${bot.url}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            type: "message",
            id: "built-1",
            serviceUrl: connector.url,
            channelId: "msteams",
            from: { id: "29:u", name: "Ada", aadObjectId: "22222222-2222-2222-2222-222222222222" },
            conversation: { conversationType: "personal", tenantId: "t", id: "a:c" },
            recipient: { id: "28:attest-bot", name: "attest" },
            text: "attest check sgxtestuksouthsrv",
          }),
        });
        expect(res.status).toBe(200);
        const message = await connector.waitFor((c) => c.body.type === "message");
        const card = (message.body.attachments as { contentType: string; content: unknown }[])[0];
        expect(card?.contentType).toBe("application/vnd.microsoft.card.adaptive");
        expect(JSON.stringify(card?.content)).toContain("Attestation Reader");
        expect(bot.output()).not.toContain("forbidden import");
        // The check ran in the built worker thread (dist/compose/check-worker.js), without tsx.
        expect(bot.output()).toContain('"event":"check_worker.ready"');
        expect(bot.output()).not.toContain("check_worker.unavailable");
      } finally {
        await bot.stop();
        await connector.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    PROCESS_TIMEOUT_MS,
  );
});
