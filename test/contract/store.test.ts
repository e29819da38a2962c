/** Runs the one store contract against memory, file (a temp dir) and Blob (Azurite on a free port). */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobStore } from "../../src/adapters/storage/blob-store.js";
import { FileStore } from "../../src/adapters/storage/file-store.js";
import { MemoryStore } from "../../src/adapters/storage/memory-store.js";
import { storeContract, subscription } from "./store.contract.js";
import { type Azurite, startAzurite } from "./store-azurite.js";

storeContract("memory", async () => ({ store: new MemoryStore() }));

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function fileHarness() {
  const dir = await mkdtemp(join(tmpdir(), "attest-store-"));
  dirs.push(dir);
  const path = (c: string, k: string) => join(dir, c, `${encodeURIComponent(k)}.json`);
  return {
    dir,
    store: new FileStore(dir),
    corrupt: async (c: "subscriptions", k: string) => {
      await writeFile(path(c, k), '{"etag": "x", "value": {trunc');
      return path(c, k);
    },
    raw: (c: "subscriptions", k: string) => readFile(path(c, k), "utf8"),
  };
}
storeContract("file", fileHarness);

describe("FileStore specifics", () => {
  it("leaves no temp files behind and survives a new instance (restart)", async () => {
    const h = await fileHarness();
    await h.store.put("subscriptions", "d-1", subscription("d-1"), { ifNoneMatch: "*" });
    await h.store.put("subscriptions", "d-1", subscription("d-1", { minFailures: 4 }), null);
    await expect(
      h.store.put("subscriptions", "d-1", subscription("d-1"), { ifNoneMatch: "*" }),
    ).rejects.toThrow();
    expect(await readdir(join(h.dir, "subscriptions"))).toEqual(["d-1.json"]);
    const again = new FileStore(h.dir);
    expect((await again.get("subscriptions", "d-1"))?.value.minFailures).toBe(4);
  });

  it("a conditional create from a second instance on the same directory loses", async () => {
    const h = await fileHarness();
    const other = new FileStore(h.dir);
    const results = await Promise.allSettled([
      h.store.put("subscriptions", "x", subscription("x"), { ifNoneMatch: "*" }),
      other.put("subscriptions", "x", subscription("x"), { ifNoneMatch: "*" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});

let azurite: Azurite | null = null;
let containers = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});
storeContract("blob (Azurite)", async () => {
  if (!azurite) throw new Error("azurite not started");
  const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const container = service.getContainerClient(`store-${++containers}-${Date.now()}`);
  const store = await BlobStore.ensureContainer(container);
  return {
    store,
    corrupt: async (c: "subscriptions", k: string) => {
      const blob = container.getBlockBlobClient(`${c}/${k}`);
      await blob.upload("{not json", 9);
      return blob.url;
    },
  };
});
