/**
 * Judges the claims of an MAA attestation token (already decoded): its lifetime (exp/nbf/iat,
 * MAA tokens live 8 hours) and the x-ms-sgx-* claims against the recommended policy. Pure.
 */
import type { Severity } from "./lint.js";
import { SGX_CLAIM, SQL_ENCLAVE } from "./recommended.js";

export interface TokenFinding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
}

export interface TokenTimes {
  readonly issuedAt: string | null;
  readonly notBefore: string | null;
  readonly expiresAt: string | null;
}

export interface TokenClaimsReport {
  readonly issuer: string | null;
  readonly times: TokenTimes;
  /** The x-ms-sgx-* claims and x-ms-attestation-type, as found in the token. */
  readonly sgx: Readonly<Record<string, unknown>>;
  readonly findings: readonly TokenFinding[];
}

/** The lifetime MAA gives every attestation token. */
export const TOKEN_LIFETIME_MS = 8 * 3_600_000;
/** Clock skew tolerated between MAA and this machine. */
export const CLOCK_SKEW_MS = 60_000;

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** NumericDate values an MAA token can carry: from 1970 to the end of year 9999. */
const LATEST_TIME_S = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;

/** What a claim value is, for a message: `the string "2"`, `the number 2`, `an object`. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  if (typeof v === "number" || typeof v === "boolean") return `the ${typeof v} ${String(v)}`;
  return `${typeof v === "object" ? "an" : "a"} ${typeof v}`;
}

const TIME_CLAIMS = { exp: "expiry", nbf: "not-before time", iat: "issue time" } as const;
type TimeClaim = keyof typeof TIME_CLAIMS;

/**
 * A NumericDate claim: its value in seconds when it is a number in a plausible range, else null
 * (absent) or a finding naming the claim (wrong type, or a time no token can carry).
 */
function timeClaim(
  payload: Readonly<Record<string, unknown>>,
  claim: TimeClaim,
): { seconds: number | null; finding: TokenFinding | null } {
  const v = payload[claim];
  if (v === undefined) return { seconds: null, finding: null };
  const fix =
    "Use a token returned by the provider's attest endpoint: MAA sets exp, nbf and iat to seconds since 1970.";
  if (typeof v !== "number" || !Number.isFinite(v))
    return {
      seconds: null,
      finding: {
        code: `${claim}-invalid`,
        severity: "error",
        message: `The ${claim} claim (${TIME_CLAIMS[claim]}) is ${describeValue(v)}, not a number of seconds since 1970: the token's lifetime cannot be checked.`,
        fix,
      },
    };
  if (v < 0 || v > LATEST_TIME_S)
    return {
      seconds: null,
      finding: {
        code: `${claim}-invalid`,
        severity: "error",
        message: `The ${claim} claim (${TIME_CLAIMS[claim]}) is ${v} seconds since 1970, ${v < 0 ? "before 1970" : "after the year 9999"}: not a plausible time, so the token's lifetime cannot be checked.`,
        fix,
      },
    };
  return { seconds: v, finding: null };
}

function ago(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 6) / 10;
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

export interface TokenClaimsOptions {
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** Recommended minimum SVN (default 2). */
  readonly svn?: number;
}

export function analyzeTokenClaims(
  payload: Readonly<Record<string, unknown>>,
  options: TokenClaimsOptions,
): TokenClaimsReport {
  const svnMin = options.svn ?? SQL_ENCLAVE.defaultSvn;
  const now = options.now;
  const findings: TokenFinding[] = [];
  const times = {
    exp: timeClaim(payload, "exp"),
    nbf: timeClaim(payload, "nbf"),
    iat: timeClaim(payload, "iat"),
  };
  const exp = times.exp.seconds;
  const nbf = times.nbf.seconds;
  const iat = times.iat.seconds;
  for (const t of Object.values(times)) if (t.finding !== null) findings.push(t.finding);
  const refetch =
    "Ask for a new attestation: the client driver gets a fresh token on its next attestation call.";

  if (exp === null && payload.exp === undefined)
    findings.push({
      code: "no-expiry",
      severity: "error",
      message: "The token has no exp claim: MAA always sets one, so it was not issued by MAA.",
      fix: "Use a token returned by the provider's attest endpoint.",
    });
  else if (exp !== null && exp * 1000 <= now)
    findings.push({
      code: "expired",
      severity: "error",
      message: `The token expired at ${iso(exp)} (${ago(now - exp * 1000)} ago); MAA tokens are valid for 8 hours.`,
      fix: refetch,
    });
  if (nbf !== null && nbf * 1000 > now + CLOCK_SKEW_MS)
    findings.push({
      code: "not-yet-valid",
      severity: "error",
      message: `The token is not valid before ${iso(nbf)} (in ${ago(nbf * 1000 - now)}).`,
      fix: "Check the clock of the machine that checks the token (and --now).",
    });
  if (iat !== null && iat * 1000 > now + CLOCK_SKEW_MS)
    findings.push({
      code: "issued-in-future",
      severity: "warning",
      message: `The token says it was issued at ${iso(iat)}, ${ago(iat * 1000 - now)} in the future.`,
      fix: "Check the clock of the machine that checks the token (and --now).",
    });
  const start = iat ?? nbf;
  if (exp !== null && start !== null && (exp - start) * 1000 > TOKEN_LIFETIME_MS + CLOCK_SKEW_MS)
    findings.push({
      code: "long-lifetime",
      severity: "warning",
      message: `The token lives ${ago((exp - start) * 1000)}, longer than the 8 hours MAA gives its tokens.`,
      fix: "Check that the token comes from Azure Attestation.",
    });

  const sgx: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload))
    if (key.startsWith("x-ms-sgx-") || key === SGX_CLAIM.attestationType) sgx[key] = value;

  const debuggable = payload[SGX_CLAIM.debuggable];
  const productId = payload[SGX_CLAIM.productId];
  const svn = payload[SGX_CLAIM.svn];
  const mrsigner = payload[SGX_CLAIM.mrsigner];
  const type = payload[SGX_CLAIM.attestationType];

  if (!Object.keys(sgx).some((k) => k.startsWith("x-ms-sgx-"))) {
    findings.push({
      code: "not-sgx",
      severity: "warning",
      message: "The token has no x-ms-sgx-* claims: it is not an SGX enclave attestation token.",
      fix: "Check the attestation URL ends in /attest/SgxEnclave and the token comes from it.",
    });
  } else {
    const notFromMaa =
      "Check the token comes from the provider's attest endpoint: MAA issues each x-ms-sgx-* claim with a fixed type.";
    /** A claim present with another JSON type than MAA's (`"2"` for 2). */
    const mistyped = (v: unknown, expected: string) => v !== undefined && typeof v !== expected;
    const wrongType = (claim: string, v: unknown, expected: string) =>
      `${claim} is ${describeValue(v)}: the claim has the wrong type (MAA issues it as ${expected}).`;
    if (debuggable !== false)
      findings.push({
        code: "debuggable",
        severity: "error",
        message:
          debuggable === true
            ? "The enclave is debuggable (x-ms-sgx-is-debuggable is true): its memory can be read by an administrator."
            : debuggable === undefined
              ? "The token does not say the enclave is not debuggable (x-ms-sgx-is-debuggable missing)."
              : wrongType(SGX_CLAIM.debuggable, debuggable, "a boolean"),
        fix: mistyped(debuggable, "boolean")
          ? notFromMaa
          : 'Require [ type=="x-ms-sgx-is-debuggable", value==false ] in the attestation policy.',
      });
    if (productId !== SQL_ENCLAVE.productId)
      findings.push({
        code: "product-id",
        severity: "error",
        message:
          productId === undefined || typeof productId === "number"
            ? `x-ms-sgx-product-id is ${JSON.stringify(productId ?? null)}, not ${SQL_ENCLAVE.productId} (the Always Encrypted enclave).`
            : wrongType(
                SGX_CLAIM.productId,
                productId,
                `an integer, ${SQL_ENCLAVE.productId} for the Always Encrypted enclave`,
              ),
        fix: mistyped(productId, "number")
          ? notFromMaa
          : `Require [ type=="x-ms-sgx-product-id", value==${SQL_ENCLAVE.productId} ] in the attestation policy.`,
      });
    if (typeof svn !== "number" || svn < svnMin)
      findings.push({
        code: "svn",
        severity: "warning",
        message:
          svn === undefined
            ? `x-ms-sgx-svn is missing: the enclave's security version cannot be compared with the recommended minimum ${svnMin}.`
            : typeof svn === "number"
              ? `x-ms-sgx-svn is ${svn}, below the recommended minimum ${svnMin}.`
              : wrongType(SGX_CLAIM.svn, svn, `an integer, at least ${svnMin} for the current enclave`),
        fix: mistyped(svn, "number")
          ? notFromMaa
          : `Require [ type=="x-ms-sgx-svn", value>= ${svnMin} ] in the attestation policy.`,
      });
    if (mrsigner !== SQL_ENCLAVE.mrsigner)
      findings.push({
        code: "mrsigner",
        severity: "error",
        message:
          mrsigner === undefined || typeof mrsigner === "string"
            ? `x-ms-sgx-mrsigner is ${JSON.stringify(mrsigner ?? null)}, not Microsoft's signing key hash for the Always Encrypted enclave.`
            : wrongType(SGX_CLAIM.mrsigner, mrsigner, "a string of 64 hex digits"),
        fix: mistyped(mrsigner, "string")
          ? notFromMaa
          : `Require [ type=="x-ms-sgx-mrsigner", value=="${SQL_ENCLAVE.mrsigner}" ] in the attestation policy.`,
      });
    if (type !== undefined && type !== "sgx")
      findings.push({
        code: "attestation-type",
        severity: "warning",
        message:
          typeof type === "string"
            ? `x-ms-attestation-type is ${JSON.stringify(type)}, not "sgx".`
            : wrongType(SGX_CLAIM.attestationType, type, 'the string "sgx"'),
        fix: mistyped(type, "string") ? notFromMaa : "Use an attestation URL ending in /attest/SgxEnclave.",
      });
  }

  return {
    issuer: typeof payload.iss === "string" ? payload.iss : null,
    times: {
      issuedAt: iat === null ? null : iso(iat),
      notBefore: nbf === null ? null : iso(nbf),
      expiresAt: exp === null ? null : iso(exp),
    },
    sgx,
    findings,
  };
}
