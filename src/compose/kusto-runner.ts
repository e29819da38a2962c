/**
 * Composition: the Kusto runner the configuration asks for. A configured cluster gets the SDK
 * runner with Azure credentials; otherwise the embedded engine over a data file or the demo data.
 * azure-kusto-data and @azure/identity are imported on the first query to a cluster, never in
 * embedded mode (they take about 0.4 s and 40 MB to load).
 */
import { EngineKustoRunner } from "../adapters/kusto/engine-runner.js";
import { RetryingKustoRunner } from "../adapters/kusto/retrying-runner.js";
import { SharingKustoRunner } from "../adapters/kusto/sharing-runner.js";
import type { KustoAccessConfig, KustoConfig } from "../config/config.js";
import { loadDataFile, tablesFromJson } from "../kusto-engine/data-file.js";
import { buildDemoData } from "../kusto-engine/demo-data.js";
import { KustoEngine } from "../kusto-engine/engine.js";
import { ATTEST_SCHEMA } from "../kusto-engine/schema.js";
import type { Clock } from "../ports/clock.js";
import {
  KustoFailure,
  type KustoQueryRequest,
  type KustoQueryResult,
  type KustoRunner,
} from "../ports/kusto.js";
import type { Logger } from "../ports/log.js";

/** The embedded engine over `dataFile`, or over demo data generated relative to `clock.now()`. */
export function createEmbeddedEngine(dataFile: string | null, clock: Clock): KustoEngine {
  const tables = dataFile
    ? loadDataFile(dataFile, ATTEST_SCHEMA)
    : tablesFromJson(buildDemoData(clock.now()), ATTEST_SCHEMA, "demo data");
  return new KustoEngine(ATTEST_SCHEMA, tables);
}

export const DEFAULT_KUSTO_ACCESS: KustoAccessConfig = { cacheTtlMs: 60_000, maxConcurrent: 8 };

/**
 * The runner for `config`, shared and cached (SharingKustoRunner: identical questions in flight
 * share one request, answers are reused for `access.cacheTtlMs`, at most `access.maxConcurrent`
 * queries at once); over the network, transient failures are retried within the deadline.
 */
export function createKustoRunner(
  config: KustoConfig,
  deps: { clock: Clock; logger: Logger; access?: KustoAccessConfig },
): SharingKustoRunner {
  const access = deps.access ?? DEFAULT_KUSTO_ACCESS;
  const share = (runner: KustoRunner) =>
    new SharingKustoRunner(runner, { cacheTtlMs: access.cacheTtlMs, maxConcurrent: access.maxConcurrent });
  if (config.mode === "embedded")
    return share(new EngineKustoRunner(createEmbeddedEngine(config.dataFile, deps.clock), deps.clock));
  // `attest kusto serve` on this machine: a loopback engine needs no Azure login.
  const embedded = isLoopbackEngine(config.clusterUrl);
  const target = { clusterUrl: config.clusterUrl, database: config.database, embedded };
  return share(
    new RetryingKustoRunner(
      new LazyKustoRunner(target, async () => {
        const { SdkKustoRunner } = await import("../adapters/kusto/sdk-runner.js");
        if (embedded)
          return new SdkKustoRunner({ ...target, credential: null, logger: deps.logger, embedded });
        const { DefaultAzureCredential, ManagedIdentityCredential } = await import("@azure/identity");
        const credential = config.managedIdentityClientId
          ? new ManagedIdentityCredential({ clientId: config.managedIdentityClientId })
          : new DefaultAzureCredential();
        return new SdkKustoRunner({ ...target, credential, logger: deps.logger });
      }),
    ),
  );
}

/** A runner made on its first query (the SDK imported then); its target is known at once. */
class LazyKustoRunner implements KustoRunner {
  readonly target: KustoRunner["target"];
  readonly #make: () => Promise<KustoRunner>;
  #runner: Promise<KustoRunner> | null = null;

  constructor(target: KustoRunner["target"], make: () => Promise<KustoRunner>) {
    this.target = target;
    this.#make = make;
  }

  async run(request: KustoQueryRequest, options: { readonly deadlineMs: number }): Promise<KustoQueryResult> {
    this.#runner ??= this.#make();
    let runner: KustoRunner;
    try {
      runner = await this.#runner;
    } catch (error) {
      this.#runner = null;
      throw new KustoFailure(
        "failed",
        `${request.name}: the Kusto client could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
        { requestId: "", cause: error },
      );
    }
    return runner.run(request, options);
  }
}

/** A plain-http cluster URL on this machine: the embedded engine served by `attest kusto serve`. */
export function isLoopbackEngine(clusterUrl: string): boolean {
  return /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/i.test(clusterUrl);
}
