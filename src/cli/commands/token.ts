/**
 * `attest token [--jwks FILE|URL] [--now ISO] [--issuer URL] [--svn N] [--format text|json]`:
 * checks the MAA attestation token on stdin. Exit 0: signature verified, nothing wrong;
 * 1: findings (expired, bad signature, debuggable enclave, ...); 2: bad input.
 */
import {
  JwksUnavailable,
  loadJwks,
  MalformedToken,
  type TokenReport,
  verifyAttestationToken,
} from "../../app/verify-token.js";
import { InputError, isoInstantSchema, parseField } from "../../domain/command/fields.js";
import { parseCliArgs, parseFormat } from "../args.js";
import { type CliCommand, EXIT } from "../io.js";
import { EXIT_FINDINGS, svnSchema } from "./policy.js";

const USAGE =
  "attest token [--jwks FILE|URL] [--now ISO] [--issuer URL] [--svn N] [--format text|json]  (attestation token on stdin)";

const ICON = { error: "⛔", warning: "⚠️", info: "ℹ️" } as const;

/** An ISO time, "(none)", or "(invalid, see findings)" when the claim is there but unusable. */
const time = (r: TokenReport, claim: "iat" | "nbf" | "exp", value: string | null) =>
  value ?? (r.findings.some((f) => f.code === `${claim}-invalid`) ? "(invalid, see findings)" : "(none)");

export function renderTokenText(r: TokenReport): string {
  const hasProblems = r.findings.some((f) => f.severity !== "info");
  const lines = [
    r.valid && !hasProblems
      ? "✅ The attestation token is valid: signature verified, in its lifetime, SGX claims as recommended."
      : r.valid
        ? "⚠️ The attestation token verifies, with warnings."
        : "⛔ The attestation token is not valid.",
    "",
    `Signature: ${r.signature.status}${r.signature.kid ? ` (kid ${r.signature.kid})` : ""}${
      r.signature.keysTried > 0 ? `, ${r.signature.keysTried} key(s) tried` : ""
    }; alg ${r.header.alg ?? "none"}, kid ${r.header.kid ?? "none"}`,
    `Issuer: ${r.issuer ?? "(none)"}`,
    `Issued at: ${time(r, "iat", r.times.issuedAt)}   Not before: ${time(r, "nbf", r.times.notBefore)}   Expires: ${time(r, "exp", r.times.expiresAt)}`,
  ];
  const sgx = Object.entries(r.sgx);
  if (sgx.length > 0) {
    lines.push("", "SGX claims:");
    for (const [k, v] of sgx) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  }
  if (r.findings.length > 0) lines.push("", "Findings:");
  for (const f of r.findings)
    lines.push(`${ICON[f.severity]} [${f.severity}] ${f.message}`, `    Fix: ${f.fix}`);
  return `${lines.join("\n")}\n`;
}

const command: CliCommand = async (argv, io) => {
  let options: {
    jwks: string | null;
    now: number | null;
    issuer: string | null;
    svn: number | null;
    format: "text" | "json";
  };
  try {
    const { values, positionals } = parseCliArgs(
      argv,
      {
        jwks: { type: "string" },
        now: { type: "string" },
        issuer: { type: "string" },
        svn: { type: "string" },
        format: { type: "string" },
      },
      USAGE,
    );
    if (positionals.length > 0)
      throw new InputError(
        "arguments",
        positionals.join(" "),
        `no positional arguments; the token goes on stdin (${USAGE})`,
      );
    if (values.issuer !== undefined && !URL.canParse(values.issuer))
      throw new InputError(
        "--issuer",
        values.issuer,
        "the provider URL, like https://myprovider.eus.attest.azure.net",
      );
    if (values.jwks !== undefined && /^https?:/i.test(values.jwks) && !URL.canParse(values.jwks))
      throw new InputError(
        "--jwks",
        values.jwks,
        "a JWKS file or an https URL like https://myprovider.eus.attest.azure.net/certs",
      );
    options = {
      jwks: values.jwks ?? null,
      now: values.now === undefined ? null : parseField(isoInstantSchema, "--now", values.now),
      issuer: values.issuer ?? null,
      svn: values.svn === undefined ? null : parseField(svnSchema, "--svn", values.svn),
      format: parseFormat(values.format),
    };
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`attest token: ${error.message}\nusage: ${USAGE}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  const token = (await io.readStdin()).trim();
  if (token === "") {
    io.stderr(
      `attest token: stdin: got an empty input; expected the attestation token (a JWT)\nusage: ${USAGE}\n`,
    );
    return EXIT.badInput;
  }
  try {
    const jwks = options.jwks === null ? null : await loadJwks(options.jwks);
    // Keys fetched from a provider URL only vouch for tokens that provider issued.
    const expectedIssuer =
      options.issuer ??
      (options.jwks !== null && /^https?:/i.test(options.jwks) ? new URL(options.jwks).origin : null);
    const report = await verifyAttestationToken(token, {
      jwks,
      now: options.now ?? Date.now(),
      expectedIssuer,
      ...(options.svn === null ? {} : { svn: options.svn }),
    });
    io.stdout(options.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderTokenText(report));
    return report.valid && !report.findings.some((f) => f.severity !== "info") ? EXIT.ok : EXIT_FINDINGS;
  } catch (error) {
    if (error instanceof MalformedToken || error instanceof JwksUnavailable) {
      io.stderr(`attest token: ${error instanceof MalformedToken ? "stdin" : "--jwks"}: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
};
export default command;
