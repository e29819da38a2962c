/**
 * Operational metrics: what the bot did, counted where it happens (the command audit, the Kusto
 * runner, the digest poster). Implemented by Prometheus counters (`/metrics`) and in memory (tests).
 * Recording never throws and never blocks.
 */

/** A finished chat or CLI command. `outcome` is the verdict category or refused/bad_input/unavailable/error. */
export interface CommandRecord {
  readonly platform: string;
  readonly command: string;
  readonly outcome: string;
  readonly durationMs: number;
}

/** One Kusto query: `outcome` "ok" or the failure kind (unreachable, timeout, throttled, bad_query, failed). */
export interface KustoRecord {
  readonly query: string;
  readonly outcome: string;
  readonly durationMs: number;
}

/** One attempt to post a digest: "posted" or the failure kind (rate_limited, transient, permanent). */
export interface DigestPostRecord {
  readonly platform: string;
  readonly outcome: string;
}

export interface Metrics {
  command(record: CommandRecord): void;
  kustoQuery(record: KustoRecord): void;
  digestPost(record: DigestPostRecord): void;
  /** A lookup in a named cache (e.g. a Kusto result cache): hit or miss. */
  cacheLookup(cache: string, hit: boolean): void;
  /** The current length of a named work queue (e.g. digests waiting to be posted). */
  queueDepth(queue: string, depth: number): void;
}

/** Discards everything (CLI). */
export const noMetrics: Metrics = {
  command() {},
  kustoQuery() {},
  digestPost() {},
  cacheLookup() {},
  queueDepth() {},
};

/** Keeps every record in memory: for tests that assert on what was counted. */
export class MemoryMetrics implements Metrics {
  readonly commands: CommandRecord[] = [];
  readonly kustoQueries: KustoRecord[] = [];
  readonly digestPosts: DigestPostRecord[] = [];
  readonly cacheLookups: { cache: string; hit: boolean }[] = [];
  readonly queues = new Map<string, number>();
  command(record: CommandRecord): void {
    this.commands.push({ ...record });
  }
  kustoQuery(record: KustoRecord): void {
    this.kustoQueries.push({ ...record });
  }
  digestPost(record: DigestPostRecord): void {
    this.digestPosts.push({ ...record });
  }
  cacheLookup(cache: string, hit: boolean): void {
    this.cacheLookups.push({ cache, hit });
  }
  queueDepth(queue: string, depth: number): void {
    this.queues.set(queue, depth);
  }
}
