/**
 * What `check` and `digest` share: the validated configuration and the Kusto runner it asks for
 * (`--data FILE` runs the embedded engine on that file, whatever the configuration says).
 */
import { loadQueryCatalog } from "../app/query-catalog.js";
import type { CheckDeps } from "../app/run-check.js";
import { createKustoRunner } from "../compose/kusto-runner.js";
import { type CoreConfig, loadCoreConfig } from "../config/config.js";
import { type Clock, fixedClock, systemClock } from "../ports/clock.js";
import type { KustoRunner } from "../ports/kusto.js";
import { silentLogger } from "../ports/log.js";
import type { CliIo } from "./io.js";

/** Throws ConfigError (bad environment) or the data file's error (bad `--data`): both bad input. */
export function openKusto(
  io: CliIo,
  options: { readonly data: string | null; readonly clock: Clock },
): { config: CoreConfig; kusto: KustoRunner } {
  const config = loadCoreConfig(io.env);
  const kustoConfig =
    options.data !== null ? { mode: "embedded" as const, dataFile: options.data } : config.kusto;
  return {
    config,
    kusto: createKustoRunner(kustoConfig, {
      clock: options.clock,
      logger: silentLogger,
      access: config.kustoAccess,
    }),
  };
}

/**
 * What `runCheck` needs in the CLI (check, escalate): the clock (`--now` or the system's), Kusto
 * (`--data` or the configuration) and the configured windows, deadline and SKUs. A bad environment
 * or a bad `--data` file is the user's input: said on stderr as `attest <command>: …`, and null.
 */
export function openCliCheck(
  io: CliIo,
  command: string,
  options: { readonly now: number | null; readonly data: string | null },
): CheckDeps | null {
  const clock = options.now === null ? systemClock : fixedClock(options.now);
  let opened: { config: CoreConfig; kusto: KustoRunner };
  try {
    opened = openKusto(io, { data: options.data, clock });
  } catch (error) {
    io.stderr(`attest ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return null;
  }
  const { config, kusto } = opened;
  return {
    kusto,
    catalog: loadQueryCatalog(),
    clock,
    logger: silentLogger,
    settings: {
      defaultWindowMs: config.defaultWindowMs,
      loadWindowMs: config.loadWindowMs,
      queryDeadlineMs: config.queryTimeoutMs,
      rowCap: 500,
      sgxVmSizes: config.sgxVmSizes,
      incidents: config.incidents,
    },
  };
}
