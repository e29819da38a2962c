/**
 * `attest policy [--svn N] [--format text|json]`: lints the attestation policy on stdin.
 * Exit 0: parses, permits the Azure SQL enclave and is as strict as recommended; 1: invalid,
 * refused or weaker (errors/warnings); 2: bad input.
 */
import { z } from "zod";
import { InputError, parseField } from "../../domain/command/fields.js";
import { lintFails } from "../../domain/policy/lint.js";
import { policyReply, renderPolicyText } from "../../domain/policy/view.js";
import { parseCliArgs, parseFormat } from "../args.js";
import { type CliCommand, EXIT } from "../io.js";

const USAGE =
  "attest policy [--svn N] [--format text|json]  (attestation policy text or policy JWT on stdin)";

/** Exit code when the policy is invalid, refuses the enclave or is weaker than recommended. */
export const EXIT_FINDINGS = 1;

/** The SVN of the current enclave: a whole number. */
export const svnSchema = z
  .string()
  .regex(/^\d{1,9}$/, "a whole number like 2 (the SVN of the current Azure SQL enclave)")
  .transform(Number);

const command: CliCommand = async (argv, io) => {
  let svn: number | undefined;
  let format: "text" | "json";
  try {
    const { values, positionals } = parseCliArgs(
      argv,
      { svn: { type: "string" }, format: { type: "string" } },
      USAGE,
    );
    if (positionals.length > 0)
      throw new InputError("arguments", positionals.join(" "), `no positional arguments (${USAGE})`);
    svn = values.svn === undefined ? undefined : parseField(svnSchema, "--svn", values.svn);
    format = parseFormat(values.format);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`attest policy: ${error.message}\nusage: ${USAGE}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  const text = await io.readStdin();
  if (text.trim() === "") {
    io.stderr(`attest policy: stdin: got an empty input; expected the policy text\nusage: ${USAGE}\n`);
    return EXIT.badInput;
  }
  const view = policyReply(text, svn === undefined ? {} : { svn });
  if (format === "json") {
    const { valid, errors, permits, failingCondition, findings } = view.result;
    const json = {
      valid,
      errors,
      permits,
      failingCondition,
      findings: findings.map(({ severity, message, fix, code }) => ({ severity, message, fix, code })),
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.stdout(renderPolicyText(view));
  }
  return lintFails(view.result) ? EXIT_FINDINGS : EXIT.ok;
};
export default command;
