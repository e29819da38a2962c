/**
 * The embedded store: one JSON file per record under a data directory
 * (`<dir>/<collection>/<key>.json`). Writes are atomic (temp file, fsync, rename); a conditional
 * create uses link(2), which fails when the file exists, so it holds across processes too.
 * `ifMatch` updates are serialised within this process; several processes sharing one directory
 * need the Blob store. A file that is not valid JSON is reported with its path and never overwritten.
 */
import { randomUUID } from "node:crypto";
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  assertKey,
  COLLECTIONS,
  type Collection,
  type Listing,
  listStrict,
  PreconditionFailed,
  type Store,
  StoreCorrupt,
  type Stored,
  type StoreRecords,
  scanKeys,
  type WriteCondition,
} from "../../ports/store.js";

interface Envelope {
  readonly etag: string;
  readonly value: unknown;
}

const isErrno = (error: unknown, code: string): boolean =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === code;

export class FileStore implements Store {
  readonly #dir: string;
  /** Per-file queue: one read-check-write at a time within this process. */
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  #path(collection: Collection, key: string): string {
    assertKey(key);
    const name = `${encodeURIComponent(key)}.json`;
    if (name.length > 240) throw new RangeError(`store: key too long for a file name: ${key}`);
    return join(this.#dir, collection, name);
  }

  async #locked<T>(path: string, work: () => Promise<T>): Promise<T> {
    const before = this.#locks.get(path) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.catch(() => undefined);
    this.#locks.set(path, settled);
    try {
      return await run;
    } finally {
      if (this.#locks.get(path) === settled) this.#locks.delete(path);
    }
  }

  async #read(path: string): Promise<Envelope | null> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return null;
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<Envelope>;
      if (typeof parsed.etag !== "string" || !("value" in parsed)) throw new Error("missing etag or value");
      return parsed as Envelope;
    } catch (cause) {
      throw new StoreCorrupt(path, cause);
    }
  }

  async get<C extends Collection>(collection: C, key: string): Promise<Stored<StoreRecords[C]> | null> {
    const env = await this.#read(this.#path(collection, key));
    return env ? { key, value: env.value as StoreRecords[C], etag: env.etag } : null;
  }

  async put<C extends Collection>(
    collection: C,
    key: string,
    value: StoreRecords[C],
    condition: WriteCondition,
  ): Promise<string> {
    const path = this.#path(collection, key);
    return this.#locked(path, async () => {
      const current = await this.#read(path);
      if (condition && "ifNoneMatch" in condition && current) throw new PreconditionFailed(collection, key);
      if (condition && "ifMatch" in condition && current?.etag !== condition.ifMatch)
        throw new PreconditionFailed(collection, key);
      const etag = `"${randomUUID()}"`;
      const dir = join(this.#dir, collection);
      await mkdir(dir, { recursive: true });
      const temp = `${path}.${randomUUID()}.tmp`;
      const handle = await open(temp, "wx", 0o600);
      try {
        await handle.writeFile(`${JSON.stringify({ etag, value } satisfies Envelope, null, 2)}\n`, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        if (condition && "ifNoneMatch" in condition) {
          try {
            await link(temp, path);
          } catch (error) {
            if (isErrno(error, "EEXIST")) throw new PreconditionFailed(collection, key, error);
            throw error;
          }
        } else {
          await rename(temp, path);
        }
      } finally {
        await unlink(temp).catch(() => undefined);
      }
      await syncDir(dir);
      return etag;
    });
  }

  async delete(collection: Collection, key: string, ifMatch?: string): Promise<boolean> {
    const path = this.#path(collection, key);
    return this.#locked(path, async () => {
      const current = await this.#read(path);
      if (!current) return false;
      if (ifMatch !== undefined && current.etag !== ifMatch) throw new PreconditionFailed(collection, key);
      await unlink(path);
      return true;
    });
  }

  list<C extends Collection>(collection: C, prefix = ""): Promise<Stored<StoreRecords[C]>[]> {
    return listStrict(this, collection, prefix);
  }

  async scan<C extends Collection>(collection: C, prefix = ""): Promise<Listing<StoreRecords[C]>> {
    let names: string[];
    try {
      names = await readdir(join(this.#dir, collection));
    } catch (error) {
      if (isErrno(error, "ENOENT")) return { records: [], corrupt: [] };
      throw error;
    }
    const keys = names
      .filter((n) => n.endsWith(".json"))
      .map((n) => decodeURIComponent(n.slice(0, -".json".length)))
      .filter((k) => k.startsWith(prefix))
      .sort();
    return scanKeys(this, collection, keys);
  }

  /**
   * The directory exists (or can be made), each collection present is a readable directory, and a
   * file can be written and removed in it.
   */
  async check(): Promise<void> {
    const found = await stat(this.#dir).catch((error: unknown) => {
      if (isErrno(error, "ENOENT")) return null;
      throw error;
    });
    if (found && !found.isDirectory())
      throw new Error(`${this.#dir} is not a directory (ENOTDIR); point ATTEST_DATA_DIR at a directory`);
    await mkdir(this.#dir, { recursive: true });
    for (const collection of COLLECTIONS)
      await readdir(join(this.#dir, collection)).catch((error: unknown) => {
        if (!isErrno(error, "ENOENT")) throw error;
      });
    const probe = join(this.#dir, `.probe-${randomUUID()}.tmp`);
    const handle = await open(probe, "wx", 0o600);
    try {
      await handle.writeFile("probe\n", "utf8");
    } finally {
      await handle.close();
      await unlink(probe).catch(() => undefined);
    }
  }

  locate(collection: Collection, key: string): string {
    return this.#path(collection, key);
  }
}

/** Makes a rename durable: fsync the directory (not supported everywhere, so best effort). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  }
}
