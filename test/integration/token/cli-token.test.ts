import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/io.js";
import { runCli } from "../../../src/cli/main.js";
import { NOW_S, newKey, type SigningKey, serveJson, sign, sqlClaims } from "./token-helpers.js";

let server: Server;
let base: string;
let key: SigningKey;

beforeAll(async () => {
  key = await newKey("key-1");
  const served = await serveJson({ "/certs": { keys: [key.publicJwk] } });
  server = served.server;
  base = served.url;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function run(argv: string[], stdin: string) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => stdin,
    env: {},
    stopSignal: new Promise(() => {}),
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

const NOW = "2026-11-24T09:00:00Z";

describe("attest token", () => {
  it("exit 0 for a valid token verified against <attest-url>/certs", async () => {
    const token = await sign(sqlClaims(base), key, { kid: "key-1" });
    const r = await run(["token", "--jwks", base, "--now", NOW], `${token}\n`);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Signature: verified (kid key-1)");
    expect(r.stdout).toContain("x-ms-sgx-product-id: 4639");
  });

  it("exit 1 and the reason in JSON for an expired token", async () => {
    const token = await sign(sqlClaims(base, { exp: NOW_S - 60 }), key, { kid: "key-1" });
    const r = await run(["token", "--jwks", `${base}/certs`, "--now", NOW, "--format", "json"], token);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ valid: false, signature: { status: "verified" } });
    expect(json.findings.map((f: { code: string }) => f.code)).toEqual(["expired"]);
  });

  it("exit 1 when the keys' provider did not issue the token", async () => {
    const token = await sign(sqlClaims("https://other.attest.azure.net"), key, { kid: "key-1" });
    const r = await run(["token", "--jwks", base, "--now", NOW], token);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("not by");
  });

  it("exit 1 when no keys are given: the signature is not checked", async () => {
    const token = await sign(sqlClaims(base), key, { kid: "key-1" });
    const r = await run(["token", "--now", NOW], token);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Signature: not-checked");
  });

  it.each([
    [["token"], "not-a-token", "stdin: expected a JWT"],
    [["token"], "", "empty input"],
    [["token", "--now", "yesterday"], "a.b.c", "--now"],
    [["token", "--jwks", "/nonexistent/keys.json"], "x.y.z", "--jwks"],
  ])("exit 2 on bad input %j", async (argv, stdin, message) => {
    const token = stdin === "x.y.z" ? await sign(sqlClaims(base), key) : stdin;
    const r = await run(argv, token);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("exit 2 when the JWKS URL answers 404", async () => {
    const token = await sign(sqlClaims(base), key, { kid: "key-1" });
    const r = await run(["token", "--jwks", `${base}/nope`, "--now", NOW], token);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("HTTP 404");
  });
});
