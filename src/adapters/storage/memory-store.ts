/**
 * The in-memory store: tests, and a single process that may lose its state. Records are kept as
 * JSON text, so `putRaw` can plant a corrupt one and the contract's corruption cases hold here too.
 */
import {
  assertKey,
  type Collection,
  type CorruptRecord,
  corruptRecord,
  type Listing,
  listStrict,
  PreconditionFailed,
  type Store,
  StoreCorrupt,
  type Stored,
  type StoreRecords,
  type WriteCondition,
} from "../../ports/store.js";

interface Entry {
  readonly json: string;
  readonly etag: string;
}

export class MemoryStore implements Store {
  readonly #data = new Map<string, Entry>();
  #version = 0;

  #id(collection: Collection, key: string): string {
    assertKey(key);
    return `${collection}\u0000${key}`;
  }

  /** The parsed value, or StoreCorrupt naming where it lives. */
  #parse<C extends Collection>(collection: C, key: string, entry: Entry): StoreRecords[C] {
    try {
      return JSON.parse(entry.json) as StoreRecords[C];
    } catch (cause) {
      throw new StoreCorrupt(this.locate(collection, key), cause);
    }
  }

  /** Stores `text` as the record's bytes, unchecked (tests: plant a corrupt record). */
  putRaw(collection: Collection, key: string, text: string): void {
    this.#data.set(this.#id(collection, key), { json: text, etag: `"m${++this.#version}"` });
  }

  /** The record's bytes as stored, or null. */
  raw(collection: Collection, key: string): string | null {
    return this.#data.get(this.#id(collection, key))?.json ?? null;
  }

  async get<C extends Collection>(collection: C, key: string): Promise<Stored<StoreRecords[C]> | null> {
    const hit = this.#data.get(this.#id(collection, key));
    return hit ? { key, value: this.#parse(collection, key, hit), etag: hit.etag } : null;
  }

  async put<C extends Collection>(
    collection: C,
    key: string,
    value: StoreRecords[C],
    condition: WriteCondition,
  ): Promise<string> {
    const id = this.#id(collection, key);
    const current = this.#data.get(id);
    // Never overwrite a record that cannot be read (as the file store): it is fixed by hand.
    if (current) this.#parse(collection, key, current);
    if (condition && "ifNoneMatch" in condition && current) throw new PreconditionFailed(collection, key);
    if (condition && "ifMatch" in condition && current?.etag !== condition.ifMatch)
      throw new PreconditionFailed(collection, key);
    const etag = `"m${++this.#version}"`;
    this.#data.set(id, { json: JSON.stringify(value), etag });
    return etag;
  }

  async delete(collection: Collection, key: string, ifMatch?: string): Promise<boolean> {
    const id = this.#id(collection, key);
    const current = this.#data.get(id);
    if (!current) return false;
    this.#parse(collection, key, current);
    if (ifMatch !== undefined && current.etag !== ifMatch) throw new PreconditionFailed(collection, key);
    this.#data.delete(id);
    return true;
  }

  list<C extends Collection>(collection: C, prefix = ""): Promise<Stored<StoreRecords[C]>[]> {
    return listStrict(this, collection, prefix);
  }

  async scan<C extends Collection>(collection: C, prefix = ""): Promise<Listing<StoreRecords[C]>> {
    const head = `${collection}\u0000`;
    const entries = [...this.#data]
      .filter(([id]) => id.startsWith(head + prefix))
      .map(([id, entry]) => ({ key: id.slice(head.length), entry }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const records: Stored<StoreRecords[C]>[] = [];
    const corrupt: CorruptRecord[] = [];
    for (const { key, entry } of entries) {
      try {
        records.push({ key, value: this.#parse(collection, key, entry), etag: entry.etag });
      } catch (error) {
        if (!(error instanceof StoreCorrupt)) throw error;
        corrupt.push(corruptRecord(key, error));
      }
    }
    return { records, corrupt };
  }

  async check(): Promise<void> {}

  locate(collection: Collection, key: string): string {
    return `memory:${collection}/${key}`;
  }
}
