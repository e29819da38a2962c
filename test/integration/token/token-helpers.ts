import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";

export const MRSIGNER = "e31c9e505f37a58de09335075fc8591254313eb20bb1a27e5443cc450b6e33e5";
export const NOW = Date.parse("2026-11-24T09:00:00Z");
export const NOW_S = NOW / 1000;

/** Claims of a token MAA would issue for the Azure SQL enclave with the recommended policy. */
export function sqlClaims(issuer: string, overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: issuer,
    iat: NOW_S - 600,
    nbf: NOW_S - 600,
    exp: NOW_S - 600 + 8 * 3600,
    "x-ms-attestation-type": "sgx",
    "x-ms-sgx-is-debuggable": false,
    "x-ms-sgx-product-id": 4639,
    "x-ms-sgx-svn": 2,
    "x-ms-sgx-mrsigner": MRSIGNER,
    "x-ms-sgx-mrenclave": "a".repeat(64),
    ...overrides,
  };
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function newKey(kid: string, alg = "RS256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

export function sign(
  claims: JWTPayload,
  key: { privateKey: CryptoKey | Uint8Array },
  header: { alg?: string; kid?: string } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({
      alg: header.alg ?? "RS256",
      typ: "JWT",
      ...(header.kid ? { kid: header.kid } : {}),
    })
    .sign(key.privateKey);
}

/** The test-only key and self-signed certificate of an MAA-style JWKS (x5c only, no n/e). */
export function x5cFixture(): { privateKeyPem: string; jwk: JWK } {
  const dir = new URL("./fixtures/", import.meta.url);
  const cert = readFileSync(new URL("maa-signing-cert.pem", dir), "utf8");
  const der = cert.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, "");
  return {
    privateKeyPem: readFileSync(new URL("maa-signing-key.pem", dir), "utf8"),
    jwk: { kid: "maa-x5c", kty: "RSA", x5c: [der] },
  };
}

/** Serves fixed JSON documents by path on 127.0.0.1 (port 0); anything else is a 404. */
export async function serveJson(
  routes: Record<string, unknown>,
): Promise<{ url: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const body = routes[req.url ?? ""];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, hits };
}
