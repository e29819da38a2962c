/**
 * `attest escalate <server> [--since 3h] [--now ISO] [--data FILE] [--format text|json]`: runs the
 * check and prints the escalation packet for the owning team (plain text, to paste into the
 * incident). Exit 0 with a packet, 1 when there is nothing to escalate (the reason is printed),
 * 2 bad input, 3 Kusto unavailable.
 */
import { packetOfReport } from "../../app/chat/handle-command.js";
import { KustoUnavailable, runCheck } from "../../app/run-check.js";
import { InputError, parseField, serverNameSchema } from "../../domain/command/fields.js";
import { CHECK_RUN_OPTIONS, checkRunOptions, parseCliArgs } from "../args.js";
import { type CliCommand, EXIT } from "../io.js";
import { openCliCheck } from "../open-kusto.js";

const USAGE = "attest escalate <server> [--since DURATION] [--now ISO] [--data FILE] [--format text|json]";

const command: CliCommand = async (argv, io) => {
  let parsed: {
    server: string;
    sinceMs: number | null;
    now: number | null;
    data: string | null;
    format: "text" | "json";
  };
  try {
    const { values, positionals } = parseCliArgs(argv, CHECK_RUN_OPTIONS, USAGE);
    if (positionals.length !== 1)
      throw new InputError("server", positionals.join(" "), `exactly one server name: ${USAGE}`);
    parsed = {
      server: parseField(serverNameSchema, "server", positionals[0] ?? ""),
      ...checkRunOptions(values),
    };
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`attest escalate: ${error.message}\nusage: ${USAGE}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  const deps = openCliCheck(io, "escalate", parsed);
  if (deps === null) return EXIT.badInput;
  try {
    const report = await runCheck(deps, {
      server: parsed.server,
      database: null,
      url: null,
      sinceMs: parsed.sinceMs,
    });
    const packet = packetOfReport(report);
    if (parsed.format === "json") {
      io.stdout(
        `${JSON.stringify(typeof packet === "string" ? { server: parsed.server, escalate: false, reason: packet } : { escalate: true, ...packet }, null, 2)}\n`,
      );
    } else io.stdout(typeof packet === "string" ? `${packet}\n` : packet.text);
    return typeof packet === "string" ? EXIT.error : EXIT.ok;
  } catch (error) {
    if (error instanceof KustoUnavailable) {
      io.stderr(`attest escalate: ${error.message}\n`);
      return EXIT.kustoUnavailable;
    }
    throw error;
  }
};
export default command;
