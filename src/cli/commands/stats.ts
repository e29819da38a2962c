/**
 * `attest stats [--format text|json]`: how often each rule's mitigation fixed the problem, from
 * the "this fixed it / this did not" answers on diagnosis cards (kept in ATTEST_DATA_DIR, default
 * ./data). Rules that often fail to fix come first.
 */
import { resolve } from "node:path";
import { FileFeedbackStore } from "../../adapters/storage/feedback-file.js";
import { InputError } from "../../domain/command/fields.js";
import { statsRows } from "../../domain/view/stats.js";
import { parseCliArgs, parseFormat } from "../args.js";
import { type CliCommand, EXIT } from "../io.js";

const USAGE = "attest stats [--format text|json]   (feedback tally in ATTEST_DATA_DIR, default ./data)";

const command: CliCommand = async (argv, io) => {
  let format: "text" | "json";
  try {
    const { values, positionals } = parseCliArgs(argv, { format: { type: "string" } }, USAGE);
    if (positionals.length > 0)
      throw new InputError("arguments", positionals.join(" "), `no arguments: ${USAGE}`);
    format = parseFormat(values.format);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`attest stats: ${error.message}\nusage: ${USAGE}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  const store = new FileFeedbackStore(resolve(io.env.ATTEST_DATA_DIR?.trim() || "data"));
  let rows: ReturnType<typeof statsRows>;
  try {
    rows = statsRows(await store.tally());
  } catch (error) {
    io.stderr(`attest stats: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.error;
  }
  if (format === "json") {
    io.stdout(`${JSON.stringify({ file: store.file, rules: rows }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    io.stdout(
      `No feedback yet (${store.file}). Answer "This fixed it" / "This did not" on a diagnosis card.\n`,
    );
    return EXIT.ok;
  }
  const width = Math.max(4, ...rows.map((r) => r.rule.length));
  const lines = [
    `${"rule".padEnd(width)}  fixed  not fixed  fix rate  ${"flag"}`,
    ...rows.map((r) =>
      `${r.rule.padEnd(width)}  ${String(r.fixed).padStart(5)}  ${String(r.notFixed).padStart(9)}  ${`${r.fixRatePercent}%`.padStart(8)}  ${r.flag ?? ""}`.trimEnd(),
    ),
  ];
  io.stdout(`${lines.join("\n")}\n`);
  return EXIT.ok;
};
export default command;
