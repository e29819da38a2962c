/**
 * A local Bot Framework token issuer: OpenID metadata and JWKS on 127.0.0.1, and tokens signed
 * with its key, shaped like the Bot Connector's (iss, aud = bot app id, serviceurl claim).
 * CloudAdapter is pointed at it with ToBotFromChannelOpenIdMetadataUrl/TokenIssuer.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export interface TokenIssuer {
  readonly metadataUrl: string;
  readonly issuer: string;
  /** `expiresAt` (seconds since the epoch) overrides the default expiry of five minutes from now. */
  sign(claims: { aud: string; serviceurl: string }, options?: { expiresAt?: number }): Promise<string>;
  close(): Promise<void>;
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = {
    ...(await exportJWK(publicKey)),
    kid: "test-key",
    use: "sig",
    alg: "RS256",
    endorsements: ["msteams"],
  };
  const issuer = "https://api.botframework.test";
  let base = "";
  const server: Server = createServer((req, res) => {
    const body =
      req.url === "/.well-known/openid-configuration"
        ? { issuer, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ["RS256"] }
        : req.url === "/keys"
          ? { keys: [jwk] }
          : null;
    res.writeHead(body ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/.well-known/openid-configuration`,
    issuer,
    sign: (claims, options = {}) =>
      new SignJWT({ serviceurl: claims.serviceurl })
        .setProtectedHeader({ alg: "RS256", kid: "test-key", typ: "JWT" })
        .setIssuer(issuer)
        .setAudience(claims.aud)
        .setIssuedAt(options.expiresAt ? options.expiresAt - 3600 : undefined)
        .setNotBefore(options.expiresAt ? options.expiresAt - 3600 : "0s")
        .setExpirationTime(options.expiresAt ?? "5m")
        .sign(privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
