/**
 * `attest kusto serve [--port N] [--data FILE] [--host 127.0.0.1] [--log]`: the embedded Kusto on
 * loopback (--host must be a loopback address: the engine has no authentication), speaking
 * Kusto's REST protocol, until SIGINT/SIGTERM (`--log`: one line per request
 * on stderr; stdout only ever gets the `listening on` line).
 * `attest kusto query "<KQL>" [--data FILE] [--param name=value ...] [--now ISO] [--format text|json]`:
 * one query against the embedded engine, printed as a table.
 */
import { BlockList, isIP } from "node:net";
import { createEmbeddedEngine } from "../../compose/kusto-runner.js";
import { InputError, isoInstantSchema, parseField } from "../../domain/command/fields.js";
import { DataFileError } from "../../kusto-engine/data-file.js";
import { formatKustoDatetime, formatKustoTimespan } from "../../kusto-engine/format.js";
import { ATTEST_SCHEMA } from "../../kusto-engine/schema.js";
import { nonFiniteText } from "../../kusto-engine/server/frames.js";
import { startKustoServer } from "../../kusto-engine/server/kusto-server.js";
import { runMgmtCommand } from "../../kusto-engine/server/mgmt.js";
import { type KqlValue, KustoError, type ResultTable } from "../../kusto-engine/types.js";
import { fixedClock, systemClock } from "../../ports/clock.js";
import { parseCliArgs, parseFormat } from "../args.js";
import { type CliCommand, type CliIo, EXIT } from "../io.js";

const SERVE_USAGE = "attest kusto serve [--port N] [--data FILE] [--host 127.0.0.1|::1|localhost] [--log]";
const QUERY_USAGE =
  'attest kusto query "<KQL>" [--data FILE] [--param name=value ...] [--now ISO] [--format text|json]';
const USAGE = `${SERVE_USAGE}\n       ${QUERY_USAGE}`;

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new InputError("--port", value, "a port number from 0 to 65535");
  return port;
}

/**
 * The address to listen on: loopback only (127.0.0.0/8, ::1 in any spelling, localhost). The
 * embedded engine has no authentication, so serving it on another interface would hand the
 * telemetry to anyone who can reach the machine.
 */
export function parseLoopbackHost(value: string | undefined): string {
  if (value === undefined) return "127.0.0.1";
  const host = value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value;
  const family = isIP(host);
  const loopback =
    host.toLowerCase() === "localhost" ||
    (family === 4 && LOOPBACK.check(host, "ipv4")) ||
    (family === 6 && LOOPBACK.check(host, "ipv6"));
  if (!loopback)
    throw new InputError(
      "--host",
      value,
      "a loopback address (127.0.0.0/8, ::1 or localhost): the embedded engine has no authentication and is served on loopback only",
    );
  return host;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** `name=value` pairs; the value is the KQL literal text of the declared type (as Kusto takes it). */
function parseParams(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair.indexOf("=");
    const name = eq > 0 ? pair.slice(0, eq) : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new InputError("--param", pair, "name=value, the name a KQL identifier declared by the query");
    out[name] = pair.slice(eq + 1);
  }
  return out;
}

function cellText(value: KqlValue, type: string): string {
  if (value === null) return "";
  if (type === "datetime" && typeof value === "number") return formatKustoDatetime(value);
  if (type === "timespan" && typeof value === "number") return formatKustoTimespan(value);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A plain text table: header, rule, rows; columns padded to their widest cell (capped). */
export function renderTable(table: Pick<ResultTable, "columns" | "rows">): string {
  const cells = table.rows.map((row) =>
    row.map((v, i) => cellText(v, table.columns[i]?.type ?? "string").replace(/\s+/g, " ")),
  );
  const widths = table.columns.map((c, i) =>
    Math.min(80, Math.max(c.name.length, ...cells.map((r) => (r[i] ?? "").length))),
  );
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => {
        const w = widths[i] ?? 0;
        return v.length > w ? `${v.slice(0, w - 1)}…` : v.padEnd(w);
      })
      .join("  ")
      .trimEnd();
  return [
    line(table.columns.map((c) => c.name)),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
    `(${table.rows.length} row${table.rows.length === 1 ? "" : "s"})`,
    "",
  ].join("\n");
}

function loadEngine(data: string | undefined, now: number, io: CliIo, name: string) {
  try {
    return createEmbeddedEngine(data ?? null, fixedClock(now));
  } catch (error) {
    if (error instanceof DataFileError) {
      io.stderr(`attest kusto ${name}: ${error.message}\n`);
      return null;
    }
    throw error;
  }
}

const serve = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const { values, positionals } = parseCliArgs(
    argv,
    {
      port: { type: "string" },
      data: { type: "string" },
      host: { type: "string" },
      log: { type: "boolean" },
    },
    SERVE_USAGE,
  );
  if (positionals.length > 0) throw new InputError("arguments", positionals.join(" "), SERVE_USAGE);
  const port = parsePort(values.port);
  const host = parseLoopbackHost(values.host);
  const engine = loadEngine(values.data, systemClock.now(), io, "serve");
  if (!engine) return EXIT.badInput;
  let server: Awaited<ReturnType<typeof startKustoServer>>;
  try {
    server = await startKustoServer({
      engine,
      host,
      port,
      now: systemClock.now,
      ...(values.log ? { log: (line: string) => io.stderr(`${new Date().toISOString()} ${line}\n`) } : {}),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE" || code === "EADDRNOTAVAIL" || code === "EACCES" || code === "ENOTFOUND") {
      io.stderr(`attest kusto serve: cannot listen on ${host}:${port} (${code})\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  io.stdout(`listening on ${server.url}\n`);
  await io.stopSignal;
  await server.close();
  return EXIT.ok;
};

const query = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const { values, positionals } = parseCliArgs(
    argv,
    {
      data: { type: "string" },
      param: { type: "string", multiple: true },
      now: { type: "string" },
      format: { type: "string" },
    },
    QUERY_USAGE,
  );
  if (positionals.length !== 1)
    throw new InputError("query", positionals.join(" "), `exactly one query text: ${QUERY_USAGE}`);
  const text = positionals[0] ?? "";
  const param = values.param ?? [];
  const parameters = parseParams(typeof param === "string" ? [param] : param);
  const now =
    values.now === undefined ? systemClock.now() : parseField(isoInstantSchema, "--now", values.now);
  const format = parseFormat(values.format);
  let tables: readonly Pick<ResultTable, "columns" | "rows">[];
  if (text.trim().startsWith(".")) {
    const outcome = runMgmtCommand(text, ATTEST_SCHEMA, now);
    if (!outcome.ok) {
      io.stderr(`attest kusto query: ${outcome.message}\n`);
      return EXIT.badInput;
    }
    tables = outcome.body.Tables.map((t) => ({
      columns: t.Columns.map((c) => ({ name: c.ColumnName, type: c.ColumnType as "string" })),
      rows: t.Rows as KqlValue[][],
    }));
  } else {
    const engine = loadEngine(values.data, now, io, "query");
    if (!engine) return EXIT.badInput;
    try {
      tables = engine.execute(text, { now, parameters });
    } catch (error) {
      if (error instanceof KustoError) {
        io.stderr(`attest kusto query: ${error.code}: ${error.message}\n`);
        return error.kind === "runtime" ? EXIT.error : EXIT.badInput;
      }
      throw error;
    }
  }
  if (format === "json") {
    const json = tables.map((t) => ({
      columns: t.columns,
      rows: t.rows.map((r) =>
        r.map((v, i) => {
          const type = t.columns[i]?.type ?? "string";
          if (typeof v === "number" && !Number.isFinite(v)) return nonFiniteText(v);
          return v !== null && (type === "datetime" || type === "timespan") ? cellText(v, type) : v;
        }),
      ),
    }));
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.stdout(tables.map(renderTable).join("\n"));
  }
  return EXIT.ok;
};

const command: CliCommand = async (argv, io) => {
  const [sub, ...rest] = argv;
  try {
    if (sub === "serve") return await serve(rest, io);
    if (sub === "query") return await query(rest, io);
    throw new InputError("subcommand", sub ?? "", "serve or query");
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`attest kusto: ${error.message}\nusage: ${USAGE}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
};
export default command;
