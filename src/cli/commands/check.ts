/** `attest check <server> [database] [--url URL] [--since 3h] [--now ISO] [--data FILE] [--format text|json]`: the chat grammar, plus the CLI's own options. */

import { viewOfReport } from "../../app/chat/handle-command.js";
import { checkReportJson } from "../../app/report-json.js";
import { KustoUnavailable, runCheck } from "../../app/run-check.js";
import {
  attestationUrlInputSchema,
  databaseNameSchema,
  InputError,
  parseField,
  serverNameSchema,
} from "../../domain/command/fields.js";
import { renderDiagnosisText } from "../../render/text/render-diagnosis.js";
import { CHECK_RUN_OPTIONS, checkRunOptions, parseCliArgs } from "../args.js";
import { type CliCommand, EXIT } from "../io.js";
import { openCliCheck } from "../open-kusto.js";

const USAGE =
  "attest check <server> [database] [--url URL] [--since DURATION] [--now ISO] [--data FILE] [--format text|json]";

const command: CliCommand = async (argv, io) => {
  let parsed: {
    server: string;
    database: string | null;
    url: string | null;
    sinceMs: number | null;
    now: number | null;
    data: string | null;
    format: "text" | "json";
  };
  try {
    const { values, positionals } = parseCliArgs(
      argv,
      { database: { type: "string" }, url: { type: "string" }, ...CHECK_RUN_OPTIONS },
      USAGE,
    );
    // The same grammar as chat: `check <server> [database]`; `--database NAME` is kept as well.
    if (positionals.length === 0 || positionals.length > 2)
      throw new InputError(
        "server",
        positionals.join(" "),
        `a server name and at most a database name: ${USAGE}`,
      );
    if (positionals[1] !== undefined && values.database !== undefined)
      throw new InputError(
        "database",
        `${positionals[1]} and --database ${values.database}`,
        `the database once, positional or --database: ${USAGE}`,
      );
    const databaseText = positionals[1] ?? values.database;
    parsed = {
      server: parseField(serverNameSchema, "server", positionals[0] ?? ""),
      database:
        databaseText === undefined
          ? null
          : parseField(
              databaseNameSchema,
              positionals[1] === undefined ? "--database" : "database",
              databaseText,
            ),
      url: values.url === undefined ? null : parseField(attestationUrlInputSchema, "--url", values.url),
      ...checkRunOptions(values),
    };
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`attest check: ${error.message}\nusage: ${USAGE}\n`);
      return EXIT.badInput;
    }
    throw error;
  }

  const deps = openCliCheck(io, "check", parsed);
  if (deps === null) return EXIT.badInput;
  try {
    const report = await runCheck(deps, {
      server: parsed.server,
      database: parsed.database,
      url: parsed.url,
      sinceMs: parsed.sinceMs,
    });
    if (parsed.format === "json") {
      io.stdout(`${JSON.stringify(checkReportJson(report), null, 2)}\n`);
    } else {
      io.stdout(renderDiagnosisText(viewOfReport(report), { commandPrefix: "npm run -s attest --" }));
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof KustoUnavailable) {
      if (parsed.format === "json")
        io.stdout(
          `${JSON.stringify(
            {
              error: {
                reason: error.reason,
                message: error.userMessage,
                queries: error.failures.map((f) => ({
                  kind: f.kind,
                  message: f.message,
                  code: f.code,
                  retries: f.retries,
                  requestId: f.requestId || null,
                })),
              },
            },
            null,
            2,
          )}\n`,
        );
      io.stderr(
        `attest check: ${error.userMessage}\n${error.failures.map((f) => `  ${f.message}\n`).join("")}`,
      );
      return EXIT.kustoUnavailable;
    }
    throw error;
  }
};
export default command;
