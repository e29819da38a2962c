/**
 * `attest digest [--servers a,b] [--since 24h] [--now ISO] [--data FILE] [--format text|json] [--top N]`:
 * prints one digest of the window ending now, from one fleet-summary query.
 */
import { DEFAULT_DIGEST_SETTINGS, DigestUnavailable, runDigest } from "../../app/digest/run-digest.js";
import { loadQueryCatalog } from "../../app/query-catalog.js";
import { loadCoreConfig } from "../../config/config.js";
import {
  durationSchema,
  InputError,
  isoInstantSchema,
  parseField,
  serverNameSchema,
} from "../../domain/command/fields.js";
import { ruleClassifier } from "../../domain/digest/classify.js";
import { digestJson } from "../../domain/digest/json.js";
import { DEFAULT_INCIDENT_SETTINGS } from "../../domain/incident/detect.js";
import { type Clock, fixedClock, systemClock } from "../../ports/clock.js";
import type { KustoRunner } from "../../ports/kusto.js";
import { renderDigestText } from "../../render/digest/text.js";
import { parseCliArgs, parseFormat } from "../args.js";
import { type CliCommand, type CliIo, EXIT } from "../io.js";
import { openKusto } from "../open-kusto.js";

const USAGE =
  "attest digest [--servers a,b] [--since 24h] [--now ISO] [--data FILE] [--format text|json] [--top N]";
const DEFAULT_SINCE_MS = 86_400_000;
/** `--top`: failing servers listed in full (the rest are counted: "and N more"). */
export const MAX_TOP = 1000;
const DEFAULT_TOP = 20;

export interface DigestCliDeps {
  /** The Kusto runner for `--data FILE` (embedded engine) or the configured cluster. */
  readonly createKusto: (data: string | null, clock: Clock, io: CliIo) => Promise<KustoRunner>;
}

/** The default: the same composition as `attest check` (config, then embedded or SDK runner). */
const defaultDeps: DigestCliDeps = {
  async createKusto(data, clock, io) {
    return openKusto(io, { data, clock }).kusto;
  },
};

export async function runDigestCli(argv: readonly string[], io: CliIo, deps: DigestCliDeps): Promise<number> {
  let parsed: {
    servers: string[];
    sinceMs: number;
    now: number | null;
    data: string | null;
    format: "text" | "json";
    top: number;
  };
  try {
    const { values, positionals } = parseCliArgs(
      argv,
      {
        servers: { type: "string" },
        since: { type: "string" },
        now: { type: "string" },
        data: { type: "string" },
        format: { type: "string" },
        top: { type: "string" },
      },
      USAGE,
    );
    if (positionals.length > 0)
      throw new InputError("arguments", positionals.join(" "), `no positional words: ${USAGE}`);
    const servers =
      values.servers === undefined
        ? []
        : values.servers
            .split(",")
            .filter((s) => s.trim() !== "")
            .map((s) => parseField(serverNameSchema, "--servers", s));
    if (values.servers !== undefined && servers.length === 0)
      throw new InputError("--servers", values.servers, "a comma-separated list of server names");
    if (
      values.top !== undefined &&
      !(/^\d{1,4}$/.test(values.top) && Number(values.top) >= 1 && Number(values.top) <= MAX_TOP)
    )
      throw new InputError("--top", values.top, `a whole number of servers to list, from 1 to ${MAX_TOP}`);
    parsed = {
      servers: [...new Set(servers)],
      sinceMs:
        values.since === undefined ? DEFAULT_SINCE_MS : parseField(durationSchema, "--since", values.since),
      now: values.now === undefined ? null : parseField(isoInstantSchema, "--now", values.now),
      data: values.data ?? null,
      format: parseFormat(values.format),
      top: values.top === undefined ? DEFAULT_TOP : Number(values.top),
    };
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`attest digest: ${error.message}\nusage: ${USAGE}\n`);
      return EXIT.badInput;
    }
    throw error;
  }

  const clock = parsed.now === null ? systemClock : fixedClock(parsed.now);
  let kusto: KustoRunner;
  try {
    kusto = await deps.createKusto(parsed.data, clock, io);
  } catch (error) {
    io.stderr(`attest digest: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.badInput;
  }
  const now = clock.now();
  try {
    const { view } = await runDigest(
      {
        kusto,
        query: loadQueryCatalog()["fleet-summary"],
        classify: ruleClassifier,
        settings: DEFAULT_DIGEST_SETTINGS,
        // Issue 14: many servers failing as one MAA incident are one row.
        incidents: {
          query: loadQueryCatalog()["fleet-incidents"],
          minServers: incidentMinServers(io.env),
        },
      },
      { servers: parsed.servers, fromMs: now - parsed.sinceMs, toMs: now, minFailures: 1 },
    );
    if (parsed.format === "json") io.stdout(`${JSON.stringify(digestJson(view), null, 2)}\n`);
    else
      io.stdout(
        renderDigestText({
          view,
          title: `Attestation digest · ${parsed.servers.length === 0 ? "whole fleet" : parsed.servers.join(", ")}`,
          topN: parsed.top,
        }),
      );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DigestUnavailable) {
      io.stderr(`attest digest: ${error.message}\n`);
      return EXIT.kustoUnavailable;
    }
    throw error;
  }
}

/** ATTEST_INCIDENT_MIN_SERVERS as validated by the core configuration (default 5). */
function incidentMinServers(env: Readonly<Record<string, string | undefined>>): number {
  try {
    return loadCoreConfig(env).incidents.minServers;
  } catch {
    return DEFAULT_INCIDENT_SETTINGS.minServers;
  }
}

const command: CliCommand = (argv, io) => runDigestCli(argv, io, defaultDeps);
export default command;
