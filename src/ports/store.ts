/**
 * Durable state for digests behind one interface: subscriptions, Teams conversation references,
 * Slack channels and delivery records. Every write is conditional on an eTag (optimistic
 * concurrency), so two replicas never both win. Implemented by memory, file and Azure Blob stores.
 */
import type {
  DeliveryRecord,
  SlackChannelRecord,
  Subscription,
  TeamsConversationRecord,
} from "../domain/digest/subscription.js";

/** Each collection and the record it holds. */
export interface StoreRecords {
  subscriptions: Subscription;
  "teams-conversations": TeamsConversationRecord;
  "slack-channels": SlackChannelRecord;
  deliveries: DeliveryRecord;
}
export type Collection = keyof StoreRecords;
export const COLLECTIONS: readonly Collection[] = [
  "subscriptions",
  "teams-conversations",
  "slack-channels",
  "deliveries",
];

export interface Stored<T> {
  readonly key: string;
  readonly value: T;
  /** Opaque version; changes on every write. */
  readonly etag: string;
}

/**
 * A write's condition: `{ ifNoneMatch: "*" }` creates only when absent; `{ ifMatch }` replaces
 * only the version read; `null` writes unconditionally (last writer wins).
 */
export type WriteCondition = { readonly ifNoneMatch: "*" } | { readonly ifMatch: string } | null;

/** The condition did not hold: someone else created or changed the record first. */
export class PreconditionFailed extends Error {
  readonly collection: Collection;
  readonly key: string;
  constructor(collection: Collection, key: string, cause?: unknown) {
    super(`store: ${collection}/${key} was changed by someone else`, { cause });
    this.name = "PreconditionFailed";
    this.collection = collection;
    this.key = key;
  }
}

/** A stored record cannot be read (bad JSON): reported with where it is, never overwritten. */
export class StoreCorrupt extends Error {
  /** File path or blob URL. */
  readonly location: string;
  constructor(location: string, cause?: unknown) {
    super(`store: ${location} is corrupt (not valid JSON); fix or remove it by hand`, { cause });
    this.name = "StoreCorrupt";
    this.location = location;
  }
}

/** A record that cannot be read: its key, where it lives (file path or blob URL) and why. */
export interface CorruptRecord {
  readonly key: string;
  readonly location: string;
  readonly detail: string;
}

/** What `scan` found: the records it could read, in key order, and those it could not. */
export interface Listing<T> {
  readonly records: Stored<T>[];
  readonly corrupt: CorruptRecord[];
}

/** The details of a StoreCorrupt for a `Listing`. */
export function corruptRecord(key: string, error: StoreCorrupt): CorruptRecord {
  const detail = error.cause instanceof Error ? error.cause.message : String(error.cause ?? "unreadable");
  return { key, location: error.location, detail };
}

export interface Store {
  /** The record, or null when absent. */
  get<C extends Collection>(collection: C, key: string): Promise<Stored<StoreRecords[C]> | null>;
  /** Writes when `condition` holds and returns the new eTag; otherwise rejects with PreconditionFailed. */
  put<C extends Collection>(
    collection: C,
    key: string,
    value: StoreRecords[C],
    condition: WriteCondition,
  ): Promise<string>;
  /** Deletes (only the version `ifMatch` when given); false when it was absent. */
  delete(collection: Collection, key: string, ifMatch?: string): Promise<boolean>;
  /**
   * Records whose key starts with `prefix` (all when omitted), in key order. Rejects with
   * StoreCorrupt when any of them cannot be read; use `scan` to read around such records.
   */
  list<C extends Collection>(collection: C, prefix?: string): Promise<Stored<StoreRecords[C]>[]>;
  /**
   * Like `list`, but a record that cannot be read does not stop it: it is reported in `corrupt`
   * with its location and left untouched. Rejects only when the collection itself cannot be read.
   */
  scan<C extends Collection>(collection: C, prefix?: string): Promise<Listing<StoreRecords[C]>>;
  /**
   * Proves the store is usable now (it can be reached, and written where that is cheap to prove);
   * rejects with the reason otherwise. For readiness checks.
   */
  check(): Promise<void>;
  /** Where a record lives (file path, blob URL), for messages that must name it. */
  locate(collection: Collection, key: string): string;
}

/** `list` over `scan`: the records, or StoreCorrupt for the first record that cannot be read. */
export async function listStrict<C extends Collection>(
  store: Pick<Store, "scan">,
  collection: C,
  prefix?: string,
): Promise<Stored<StoreRecords[C]>[]> {
  const { records, corrupt } = await store.scan(collection, prefix);
  const first = corrupt[0];
  if (first) throw new StoreCorrupt(first.location, new Error(first.detail));
  return records;
}

/** Reads each of `keys` with `get`, sorting the readable records from the corrupt ones. */
export async function scanKeys<C extends Collection>(
  store: Pick<Store, "get">,
  collection: C,
  keys: readonly string[],
): Promise<Listing<StoreRecords[C]>> {
  const records: Stored<StoreRecords[C]>[] = [];
  const corrupt: CorruptRecord[] = [];
  for (const key of keys) {
    try {
      const hit = await store.get(collection, key);
      if (hit) records.push(hit);
    } catch (error) {
      if (!(error instanceof StoreCorrupt)) throw error;
      corrupt.push(corruptRecord(key, error));
    }
  }
  return { records, corrupt };
}

/** Keys are short printable strings: no control characters, at most 400 characters. */
export function assertKey(key: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (key.length === 0 || key.length > 400 || /[\u0000-\u001f\u007f]/.test(key))
    throw new RangeError(`store: bad key ${JSON.stringify(key)}`);
}
