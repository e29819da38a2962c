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
  /** Records whose key starts with `prefix` (all when omitted), in key order. */
  list<C extends Collection>(collection: C, prefix?: string): Promise<Stored<StoreRecords[C]>[]>;
}

/** Keys are short printable strings: no control characters, at most 400 characters. */
export function assertKey(key: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (key.length === 0 || key.length > 400 || /[\u0000-\u001f\u007f]/.test(key))
    throw new RangeError(`store: bad key ${JSON.stringify(key)}`);
}
