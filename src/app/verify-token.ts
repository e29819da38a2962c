/**
 * Verifies an MAA attestation token (JWT): signature with the provider's signing keys (the key
 * whose kid matches, else every key, as MAA's FAQ says), issuer, lifetime and the SGX claims.
 * The crypto is jose's; keys come from a JWKS document (file, certs URL or OpenID metadata).
 */
import { readFile } from "node:fs/promises";
import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  importX509,
  type JSONWebKeySet,
  type JWK,
} from "jose";
import { analyzeTokenClaims, type TokenFinding, type TokenTimes } from "../domain/policy/token-claims.js";

/** The input is not a JWS compact token at all. */
export class MalformedToken extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedToken";
  }
}

/** The signing keys could not be loaded (file, URL, or document shape). */
export class JwksUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JwksUnavailable";
  }
}

/** Asymmetric algorithms only: an HMAC or `none` token cannot come from MAA. */
export const ACCEPTED_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
];

export type SignatureStatus = "verified" | "failed" | "not-checked";

export interface TokenReport {
  /** No error finding and the signature verified. */
  readonly valid: boolean;
  readonly header: { readonly alg: string | null; readonly kid: string | null; readonly jku: string | null };
  readonly issuer: string | null;
  readonly times: TokenTimes;
  readonly sgx: Readonly<Record<string, unknown>>;
  readonly signature: {
    readonly status: SignatureStatus;
    /** kid of the key that verified it. */
    readonly kid: string | null;
    readonly keysTried: number;
  };
  readonly findings: readonly TokenFinding[];
}

export interface VerifyOptions {
  /** null: the signature is not checked (reported as a warning). */
  readonly jwks: JSONWebKeySet | null;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** The `iss` the token must carry (the provider's URL), if known. */
  readonly expectedIssuer?: string | null;
  /** Recommended minimum SVN (default 2). */
  readonly svn?: number;
}

function decode(token: string) {
  const parts = token.split(".");
  if (parts.length === 5)
    throw new MalformedToken("the token is encrypted (JWE); an MAA attestation token is a signed JWT");
  if (parts.length !== 3 || parts[0] === "" || parts[1] === "")
    throw new MalformedToken(
      `expected a JWT: three base64url parts separated by '.', got ${parts.length} part${parts.length === 1 ? "" : "s"}`,
    );
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch (error) {
    throw new MalformedToken(
      `the JWT header or payload is not base64url JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

const pem = (der: string) =>
  `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)?.join("\n") ?? der}\n-----END CERTIFICATE-----`;

/** MAA's certs endpoint publishes keys as x5c certificates only; other JWKS carry n/e or x/y. */
async function importKey(jwk: JWK, alg: string) {
  const hasPublicParts = jwk.n !== undefined || jwk.x !== undefined;
  const cert = jwk.x5c?.[0];
  if (!hasPublicParts && cert !== undefined) return importX509(pem(cert), alg);
  return importJWK(jwk, alg);
}

export async function verifyAttestationToken(input: string, options: VerifyOptions): Promise<TokenReport> {
  const token = input.trim();
  const { header, payload } = decode(token);
  const claims = analyzeTokenClaims(payload, {
    now: options.now,
    ...(options.svn === undefined ? {} : { svn: options.svn }),
  });
  const findings: TokenFinding[] = [];
  const alg = typeof header.alg === "string" ? header.alg : null;
  const kid = typeof header.kid === "string" ? header.kid : null;
  let status: SignatureStatus = "not-checked";
  let verifiedKid: string | null = null;
  let keysTried = 0;

  if (alg === null || !ACCEPTED_ALGORITHMS.includes(alg)) {
    status = "failed";
    findings.push({
      code: "wrong-algorithm",
      severity: "error",
      message: `The token is signed with alg ${JSON.stringify(alg)}; MAA signs attestation tokens with RS256 and only asymmetric algorithms are accepted.`,
      fix: "Use the token returned by the provider's attest endpoint; a token signed otherwise was not issued by MAA.",
    });
  } else if (options.jwks === null) {
    findings.push({
      code: "signature-not-checked",
      severity: "warning",
      message: "The signature was not checked: no signing keys were given.",
      fix: "Pass --jwks https://<provider>.attest.azure.net/certs (or a saved JWKS file).",
    });
  } else {
    const keys = options.jwks.keys;
    const matching = kid === null ? [] : keys.filter((k) => k.kid === kid);
    if (kid !== null && matching.length === 0)
      findings.push({
        code: "unknown-kid",
        severity: "warning",
        message: `No signing key has kid ${JSON.stringify(kid)}; every key (${keys.length}) was tried instead, as MAA's FAQ says.`,
        fix: "Check the keys come from the provider that issued the token (its /certs endpoint).",
      });
    const candidates = matching.length > 0 ? matching : keys;
    status = "failed";
    for (const jwk of candidates) {
      keysTried += 1;
      try {
        await compactVerify(token, await importKey(jwk, alg), { algorithms: [alg] });
        status = "verified";
        verifiedKid = jwk.kid ?? null;
        break;
      } catch {
        // Wrong key (or a key of another type for this alg): try the next one.
      }
    }
    if (status === "failed")
      findings.push({
        code: "bad-signature",
        severity: "error",
        message:
          candidates.length === 0
            ? "The signing key set is empty: the signature cannot be verified."
            : `The signature does not verify with ${matching.length > 0 ? `the key with kid ${JSON.stringify(kid)}` : `any of the ${candidates.length} keys`}: the token was altered or signed by someone else.`,
        fix: "Fetch a fresh token from the provider and check --jwks points at that provider's /certs endpoint.",
      });
  }

  if (options.expectedIssuer && claims.issuer !== options.expectedIssuer)
    findings.push({
      code: "wrong-issuer",
      severity: "error",
      message: `The token was issued by ${JSON.stringify(claims.issuer)}, not by ${JSON.stringify(options.expectedIssuer)}.`,
      fix: "Check the attestation URL the client uses is the provider you expect.",
    });

  const all = [...findings, ...claims.findings];
  return {
    valid: status === "verified" && !all.some((f) => f.severity === "error"),
    header: { alg, kid, jku: typeof header.jku === "string" ? header.jku : null },
    issuer: claims.issuer,
    times: claims.times,
    sgx: claims.sgx,
    signature: { status, kid: verifiedKid, keysTried },
    findings: all,
  };
}

export interface JwksDeps {
  readonly fetch?: typeof fetch;
  readonly readFile?: (path: string) => Promise<string>;
  /** Per request, default 10 s. */
  readonly timeoutMs?: number;
}

function isJwks(v: unknown): v is JSONWebKeySet {
  return typeof v === "object" && v !== null && Array.isArray((v as { keys?: unknown }).keys);
}

/** `https://x.attest.azure.net` means its `/certs` endpoint. */
export function certsUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/certs";
  return u.toString();
}

/**
 * Loads a JWKS from a file, a certs URL, or an OpenID metadata document (followed via jwks_uri).
 * Throws JwksUnavailable with what went wrong.
 */
export async function loadJwks(source: string, deps: JwksDeps = {}): Promise<JSONWebKeySet> {
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const getJson = async (url: string): Promise<unknown> => {
    let response: Response;
    try {
      response = await doFetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: "application/json" },
      });
    } catch (error) {
      throw new JwksUnavailable(
        `could not fetch ${url}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) throw new JwksUnavailable(`${url} answered HTTP ${response.status}`);
    try {
      return await response.json();
    } catch (error) {
      throw new JwksUnavailable(`${url} did not return JSON`, { cause: error });
    }
  };
  let doc: unknown;
  let base: string | null = null;
  if (/^https?:\/\//i.test(source)) {
    base = certsUrl(source);
    doc = await getJson(base);
  } else {
    let text: string;
    try {
      text = await (deps.readFile ?? ((p) => readFile(p, "utf8")))(source);
    } catch (error) {
      throw new JwksUnavailable(
        `could not read ${source}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new JwksUnavailable(`${source} is not JSON`, { cause: error });
    }
  }
  const jwksUri = (doc as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (!isJwks(doc) && typeof jwksUri === "string") {
    if (!URL.canParse(jwksUri, base ?? undefined))
      throw new JwksUnavailable(`${source}: jwks_uri ${JSON.stringify(jwksUri)} is not a URL`);
    doc = await getJson(new URL(jwksUri, base ?? undefined).toString());
  }
  if (!isJwks(doc))
    throw new JwksUnavailable(
      `${source} is not a JWKS: expected {"keys": [...]} or OpenID metadata with jwks_uri`,
    );
  return doc;
}
