import type { Server } from "node:http";
import { importPKCS8, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  JwksUnavailable,
  loadJwks,
  MalformedToken,
  verifyAttestationToken,
} from "../../../src/app/verify-token.js";
import {
  MRSIGNER,
  NOW,
  NOW_S,
  newKey,
  type SigningKey,
  serveJson,
  sign,
  sqlClaims,
  x5cFixture,
} from "./token-helpers.js";

let server: Server;
let base: string;
let k1: SigningKey;
let k2: SigningKey;
let jwks: JSONWebKeySet;

beforeAll(async () => {
  k1 = await newKey("key-1");
  k2 = await newKey("key-2");
  jwks = { keys: [k1.publicJwk, k2.publicJwk] };
  const served = await serveJson({
    "/certs": jwks,
    "/.well-known/openid-configuration": { issuer: "x", jwks_uri: "/certs" },
    "/broken": { nope: true },
  });
  server = served.server;
  base = served.url;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const codes = (r: { findings: readonly { code: string }[] }) => r.findings.map((f) => f.code);

describe("verifyAttestationToken with a JWKS served on 127.0.0.1", () => {
  it("valid token: signature verified with the matching kid, no findings", async () => {
    const token = await sign(sqlClaims(base), k1, { kid: "key-1" });
    const r = await verifyAttestationToken(token, {
      jwks: await loadJwks(`${base}/certs`),
      now: NOW,
      expectedIssuer: base,
    });
    expect(r.signature).toEqual({ status: "verified", kid: "key-1", keysTried: 1 });
    expect(r.findings).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.sgx).toMatchObject({
      "x-ms-sgx-product-id": 4639,
      "x-ms-sgx-mrsigner": MRSIGNER,
      "x-ms-sgx-svn": 2,
    });
    expect(r.times.expiresAt).toBe(new Date((NOW_S - 600 + 8 * 3600) * 1000).toISOString());
  });

  it("expired token", async () => {
    const token = await sign(
      sqlClaims(base, { iat: NOW_S - 9 * 3600, nbf: NOW_S - 9 * 3600, exp: NOW_S - 3600 }),
      k1,
      { kid: "key-1" },
    );
    const r = await verifyAttestationToken(token, { jwks, now: NOW });
    expect(r.signature.status).toBe("verified");
    expect(codes(r)).toEqual(["expired"]);
    expect(r.findings[0]?.message).toContain("60 min ago");
    expect(r.valid).toBe(false);
  });

  it("not yet valid, and a lifetime longer than MAA's 8 hours", async () => {
    const token = await sign(
      sqlClaims(base, { iat: NOW_S + 3600, nbf: NOW_S + 3600, exp: NOW_S + 3600 + 24 * 3600 }),
      k1,
      { kid: "key-1" },
    );
    const r = await verifyAttestationToken(token, { jwks, now: NOW });
    expect(codes(r)).toEqual(["not-yet-valid", "issued-in-future", "long-lifetime"]);
  });

  it("unknown kid: falls back to every key and verifies with the right one", async () => {
    const token = await sign(sqlClaims(base), k2, { kid: "rotated-away" });
    const r = await verifyAttestationToken(token, { jwks, now: NOW });
    expect(r.signature).toEqual({ status: "verified", kid: "key-2", keysTried: 2 });
    expect(codes(r)).toEqual(["unknown-kid"]);
    expect(r.valid).toBe(true);
  });

  it("no kid in the header: every key is tried", async () => {
    const token = await sign(sqlClaims(base), k2);
    const r = await verifyAttestationToken(token, { jwks, now: NOW });
    expect(r.signature).toEqual({ status: "verified", kid: "key-2", keysTried: 2 });
    expect(codes(r)).toEqual([]);
  });

  it("tampered payload: bad signature", async () => {
    const token = await sign(sqlClaims(base, { "x-ms-sgx-is-debuggable": true }), k1, { kid: "key-1" });
    const [h, , s] = token.split(".");
    const forged = Buffer.from(JSON.stringify(sqlClaims(base))).toString("base64url");
    const r = await verifyAttestationToken(`${h}.${forged}.${s}`, { jwks, now: NOW });
    expect(r.signature.status).toBe("failed");
    expect(codes(r)).toEqual(["bad-signature"]);
    expect(r.valid).toBe(false);
  });

  it("signed by a key that is not in the JWKS: bad signature after trying every key", async () => {
    const stranger = await newKey("stranger");
    const r = await verifyAttestationToken(await sign(sqlClaims(base), stranger, { kid: "stranger" }), {
      jwks,
      now: NOW,
    });
    expect(r.signature).toEqual({ status: "failed", kid: null, keysTried: 2 });
    expect(codes(r)).toEqual(["unknown-kid", "bad-signature"]);
  });

  it.each([
    ["HS256 (a shared secret)", "HS256"],
    ["none", "none"],
  ])("wrong algorithm: %s", async (_name, alg) => {
    const body = Buffer.from(JSON.stringify(sqlClaims(base))).toString("base64url");
    const token =
      alg === "none"
        ? `${Buffer.from('{"alg":"none"}').toString("base64url")}.${body}.`
        : await sign(
            sqlClaims(base),
            { privateKey: new Uint8Array(32).fill(7) },
            { alg: "HS256", kid: "key-1" },
          );
    const r = await verifyAttestationToken(token, { jwks, now: NOW });
    expect(r.signature.status).toBe("failed");
    expect(codes(r)).toEqual(["wrong-algorithm"]);
    expect(r.valid).toBe(false);
  });

  it("RS256 header on an ES256 key set: no key verifies", async () => {
    const ec = await newKey("ec", "ES256");
    const r = await verifyAttestationToken(await sign(sqlClaims(base), k1, { kid: "ec" }), {
      jwks: { keys: [ec.publicJwk] },
      now: NOW,
    });
    expect(codes(r)).toEqual(["bad-signature"]);
  });

  it.each([
    ["not a JWT", "hello"],
    ["two parts", "a.b"],
    ["parts that are not base64url JSON", "a.b.c"],
    ["an encrypted token", "a.b.c.d.e"],
    ["an empty header", ".eyJhIjoxfQ.sig"],
  ])("malformed input: %s", async (_name, token) => {
    await expect(verifyAttestationToken(token, { jwks, now: NOW })).rejects.toBeInstanceOf(MalformedToken);
  });

  it("debuggable enclave, other product, old svn, other signer, wrong issuer", async () => {
    const claims = sqlClaims("https://evil.example", {
      "x-ms-sgx-is-debuggable": true,
      "x-ms-sgx-product-id": 1,
      "x-ms-sgx-svn": 1,
      "x-ms-sgx-mrsigner": "0".repeat(64),
    });
    const r = await verifyAttestationToken(await sign(claims, k1, { kid: "key-1" }), {
      jwks,
      now: NOW,
      expectedIssuer: base,
    });
    expect(codes(r)).toEqual(["wrong-issuer", "debuggable", "product-id", "svn", "mrsigner"]);
    expect(r.signature.status).toBe("verified");
    expect(r.valid).toBe(false);
  });

  it("svn is compared with the configured minimum", async () => {
    const token = await sign(sqlClaims(base), k1, { kid: "key-1" });
    expect(codes(await verifyAttestationToken(token, { jwks, now: NOW, svn: 3 }))).toEqual(["svn"]);
  });

  it("without keys the signature is reported as not checked", async () => {
    const r = await verifyAttestationToken(await sign(sqlClaims(base), k1, { kid: "key-1" }), {
      jwks: null,
      now: NOW,
    });
    expect(r.signature.status).toBe("not-checked");
    expect(codes(r)).toEqual(["signature-not-checked"]);
    expect(r.valid).toBe(false);
  });

  it("MAA-style key published only as an x5c certificate", async () => {
    const { privateKeyPem, jwk } = x5cFixture();
    const privateKey = await importPKCS8(privateKeyPem, "RS256");
    const token = await sign(sqlClaims(base), { privateKey }, { kid: "maa-x5c" });
    const r = await verifyAttestationToken(token, { jwks: { keys: [k1.publicJwk, jwk] }, now: NOW });
    expect(r.signature).toEqual({ status: "verified", kid: "maa-x5c", keysTried: 1 });
  });
});

describe("loadJwks", () => {
  it("reads <attest-url>/certs when given the provider URL", async () => {
    expect(await loadJwks(base)).toEqual(jwks);
  });

  it("follows jwks_uri of the OpenID metadata", async () => {
    expect(await loadJwks(`${base}/.well-known/openid-configuration`)).toEqual(jwks);
  });

  it("reads a file", async () => {
    expect(await loadJwks("keys.json", { readFile: async () => JSON.stringify(jwks) })).toEqual(jwks);
  });

  it.each([
    ["an HTTP error", () => `${base}/missing`, /answered HTTP 404/],
    ["a document that is not a JWKS", () => `${base}/broken`, /is not a JWKS/],
    ["a missing file", () => "/nonexistent/keys.json", /could not read/],
  ])("explains %s", async (_name, source, message) => {
    const error = await loadJwks(source()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JwksUnavailable);
    expect((error as Error).message).toMatch(message);
  });
});
