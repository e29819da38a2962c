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

describe("attest token: claims out of range or of the wrong type (review items 7, 12a)", () => {
  it.each([
    ["exp 1e13", { exp: 1e13 }, "exp-invalid", "The exp claim (expiry) is 10000000000000 seconds since 1970"],
    ["iat -1e13", { iat: -1e13 }, "iat-invalid", "The iat claim (issue time) is -10000000000000 seconds"],
    ["nbf 1e13", { nbf: 1e13 }, "nbf-invalid", "The nbf claim (not-before time) is 10000000000000 seconds"],
  ])(
    "%s, validly signed: exit 1 with a finding naming the claim, no stack trace",
    async (_name, claims, code, message) => {
      const token = await sign(sqlClaims(base, claims), key, { kid: "key-1" });
      const text = await run(["token", "--jwks", base, "--now", NOW], token);
      expect(text.stderr).toBe("");
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(message);
      expect(text.stdout).toContain("(invalid, see findings)");
      expect(text.stdout).toContain("Signature: verified (kid key-1)");
      const json = await run(["token", "--jwks", base, "--now", NOW, "--format", "json"], token);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout).findings.map((f: { code: string }) => f.code)).toContain(code);
    },
  );

  it('svn "2" (a string) is reported as the wrong type, not as below the minimum', async () => {
    const token = await sign(sqlClaims(base, { "x-ms-sgx-svn": "2" }), key, { kid: "key-1" });
    const r = await run(["token", "--jwks", base, "--now", NOW], token);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('x-ms-sgx-svn is the string "2": the claim has the wrong type');
    expect(r.stdout).not.toContain("below the recommended minimum");
  });
});
