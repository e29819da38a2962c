/** The in-memory store: tests, and a single process that may lose its state. */
import {
  assertKey,
  type Collection,
  PreconditionFailed,
  type Store,
  type Stored,
  type StoreRecords,
  type WriteCondition,
} from "../../ports/store.js";

export class MemoryStore implements Store {
  readonly #data = new Map<string, { json: string; etag: string }>();
  #version = 0;

  async get<C extends Collection>(collection: C, key: string): Promise<Stored<StoreRecords[C]> | null> {
    assertKey(key);
    const hit = this.#data.get(`${collection}\u0000${key}`);
    return hit ? { key, value: JSON.parse(hit.json) as StoreRecords[C], etag: hit.etag } : null;
  }

  async put<C extends Collection>(
    collection: C,
    key: string,
    value: StoreRecords[C],
    condition: WriteCondition,
  ): Promise<string> {
    assertKey(key);
    const id = `${collection}\u0000${key}`;
    const current = this.#data.get(id);
    if (condition && "ifNoneMatch" in condition && current) throw new PreconditionFailed(collection, key);
    if (condition && "ifMatch" in condition && current?.etag !== condition.ifMatch)
      throw new PreconditionFailed(collection, key);
    const etag = `"m${++this.#version}"`;
    this.#data.set(id, { json: JSON.stringify(value), etag });
    return etag;
  }

  async delete(collection: Collection, key: string, ifMatch?: string): Promise<boolean> {
    assertKey(key);
    const id = `${collection}\u0000${key}`;
    const current = this.#data.get(id);
    if (!current) return false;
    if (ifMatch !== undefined && current.etag !== ifMatch) throw new PreconditionFailed(collection, key);
    this.#data.delete(id);
    return true;
  }

  async list<C extends Collection>(collection: C, prefix = ""): Promise<Stored<StoreRecords[C]>[]> {
    const head = `${collection}\u0000`;
    return [...this.#data]
      .filter(([id]) => id.startsWith(head + prefix))
      .map(([id, v]) => ({
        key: id.slice(head.length),
        value: JSON.parse(v.json) as StoreRecords[C],
        etag: v.etag,
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
