/**
 * What `check` and `digest` share: the validated configuration and the Kusto runner it asks for
 * (`--data FILE` runs the embedded engine on that file, whatever the configuration says).
 */
import { loadQueryCatalog } from "../app/query-catalog.js";
import type { CheckDeps } from "../app/run-check.js";
import { createKustoRunner } from "../compose/kusto-runner.js";
import { type CoreConfig, loadCoreConfig } from "../config/config.js";
import type { Clock } from "../ports/clock.js";
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

/** What `runCheck` needs in the CLI (check, escalate): the configured windows, deadline and SKUs. */
export function cliCheckDeps(opened: { config: CoreConfig; kusto: KustoRunner }, clock: Clock): CheckDeps {
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
