/** `attest explain [--format text|json]`: classify an error text pasted on stdin. */
import { explainJson } from "../../app/report-json.js";
import { InputError } from "../../domain/command/fields.js";
import { explain } from "../../domain/diagnosis/explain.js";
import { explainView } from "../../domain/view/check-view.js";
import { renderDiagnosisText } from "../../render/text/render-diagnosis.js";
import { parseCliArgs, parseFormat } from "../args.js";
import { type CliCommand, EXIT } from "../io.js";

const USAGE = "attest explain [--format text|json] < error.txt";

const command: CliCommand = async (argv, io) => {
  let format: "text" | "json";
  try {
    const { values, positionals } = parseCliArgs(argv, { format: { type: "string" } }, USAGE);
    if (positionals.length > 0)
      throw new InputError(
        "arguments",
        positionals.join(" "),
        `the error text on stdin, not as arguments: ${USAGE}`,
      );
    format = parseFormat(values.format);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`attest explain: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  const text = await io.readStdin();
  if (text.trim() === "") {
    io.stderr(
      `attest explain: no text on stdin; paste the error message the customer saw.\nusage: ${USAGE}\n`,
    );
    return EXIT.badInput;
  }
  const diagnosis = explain(text);
  io.stdout(
    format === "json"
      ? `${JSON.stringify(explainJson(diagnosis), null, 2)}\n`
      : renderDiagnosisText(explainView(diagnosis, new Date().toISOString())),
  );
  return EXIT.ok;
};
export default command;
