/**
 * The production store: one JSON blob per record (`<collection>/<key>`) in an Azure Blob Storage
 * container. Optimistic concurrency with eTags: creates send `If-None-Match: *`, updates
 * `If-Match`, so replicas racing on one record see exactly one winner.
 */
import { type ContainerClient, RestError } from "@azure/storage-blob";
import {
  assertKey,
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

const statusOf = (error: unknown): number | undefined =>
  error instanceof RestError ? error.statusCode : undefined;

export class BlobStore implements Store {
  readonly #container: ContainerClient;

  /** `container` must exist (see `ensureContainer`). */
  constructor(container: ContainerClient) {
    this.#container = container;
  }

  /** Creates the container when missing; call once at start-up. */
  static async ensureContainer(container: ContainerClient): Promise<BlobStore> {
    await container.createIfNotExists();
    return new BlobStore(container);
  }

  #blob(collection: Collection, key: string) {
    assertKey(key);
    return this.#container.getBlockBlobClient(`${collection}/${key}`);
  }

  async get<C extends Collection>(collection: C, key: string): Promise<Stored<StoreRecords[C]> | null> {
    const blob = this.#blob(collection, key);
    let text: string;
    let etag: string;
    try {
      // One GET: the body and the eTag of that same version.
      const res = await blob.download();
      etag = res.etag ?? "";
      text = await streamText(res.readableStreamBody);
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
    try {
      return { key, value: JSON.parse(text) as StoreRecords[C], etag };
    } catch (cause) {
      throw new StoreCorrupt(blob.url, cause);
    }
  }

  async put<C extends Collection>(
    collection: C,
    key: string,
    value: StoreRecords[C],
    condition: WriteCondition,
  ): Promise<string> {
    const blob = this.#blob(collection, key);
    const body = JSON.stringify(value);
    const conditions =
      condition === null
        ? {}
        : "ifNoneMatch" in condition
          ? { ifNoneMatch: "*" }
          : { ifMatch: condition.ifMatch };
    try {
      const res = await blob.upload(body, Buffer.byteLength(body), {
        conditions,
        blobHTTPHeaders: { blobContentType: "application/json" },
      });
      return res.etag ?? "";
    } catch (error) {
      const status = statusOf(error);
      // If-None-Match: * on an existing blob is 409 BlobAlreadyExists; a stale If-Match is 412.
      if (status === 409 || status === 412 || (status === 404 && condition && "ifMatch" in condition))
        throw new PreconditionFailed(collection, key, error);
      throw error;
    }
  }

  async delete(collection: Collection, key: string, ifMatch?: string): Promise<boolean> {
    const blob = this.#blob(collection, key);
    try {
      await blob.delete(ifMatch === undefined ? {} : { conditions: { ifMatch } });
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      if (statusOf(error) === 412) throw new PreconditionFailed(collection, key, error);
      throw error;
    }
  }

  list<C extends Collection>(collection: C, prefix = ""): Promise<Stored<StoreRecords[C]>[]> {
    return listStrict(this, collection, prefix);
  }

  async scan<C extends Collection>(collection: C, prefix = ""): Promise<Listing<StoreRecords[C]>> {
    const head = `${collection}/`;
    const keys: string[] = [];
    for await (const item of this.#container.listBlobsFlat({ prefix: head + prefix }))
      keys.push(item.name.slice(head.length));
    keys.sort();
    return scanKeys(this, collection, keys);
  }

  /** The container can be reached and read (its properties); rejects with the service's error. */
  async check(): Promise<void> {
    await this.#container.getProperties();
  }

  locate(collection: Collection, key: string): string {
    return this.#blob(collection, key).url;
  }
}

async function streamText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
