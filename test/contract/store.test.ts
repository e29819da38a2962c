/** Runs the one store contract against memory, file (a temp dir) and Blob (Azurite on a free port). */
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobStore } from "../../src/adapters/storage/blob-store.js";
import { FileStore } from "../../src/adapters/storage/file-store.js";
import { MemoryStore } from "../../src/adapters/storage/memory-store.js";
import { storeContract, subscription } from "./store.contract.js";
import { type Azurite, startAzurite } from "./store-azurite.js";

storeContract("memory", async () => {
  const store = new MemoryStore();
  return {
    store,
    corrupt: async (c: "subscriptions", k: string) => {
      store.putRaw(c, k, '{"id": "x", trunc');
      return store.locate(c, k);
    },
    raw: async (c: "subscriptions", k: string) => store.raw(c, k) ?? "",
  };
});

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

  it("fails its health check when the data directory is a regular file (ENOTDIR / EEXIST)", async () => {
    const h = await fileHarness();
    const file = join(h.dir, "not-a-dir");
    await writeFile(file, "x");
    await expect(new FileStore(file).check()).rejects.toThrow(/EEXIST|ENOTDIR/);
    await expect(new FileStore(join(file, "data")).check()).rejects.toThrow(/ENOTDIR/);
    await expect(new FileStore(join(file, "data")).scan("subscriptions")).rejects.toThrow(/ENOTDIR/);
  });

  it("fails its health check when a collection is not a directory", async () => {
    const h = await fileHarness();
    await writeFile(join(h.dir, "subscriptions"), "x");
    await expect(h.store.check()).rejects.toThrow(/ENOTDIR/);
  });

  it("fails its health check when the data directory cannot be written", async (ctx) => {
    if (process.getuid?.() === 0) {
      // root ignores file modes; procfs refuses new files even to root.
      if (process.platform !== "linux") return ctx.skip();
      await expect(new FileStore("/proc/self").check()).rejects.toThrow(/ENOENT|EACCES|EPERM/);
      return;
    }
    const h = await fileHarness();
    await chmod(h.dir, 0o500);
    try {
      await expect(h.store.check()).rejects.toThrow(/EACCES/);
    } finally {
      await chmod(h.dir, 0o700);
    }
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

describe("BlobStore specifics", () => {
  it("fails its health check when the container is missing", async () => {
    if (!azurite) throw new Error("azurite not started");
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const store = new BlobStore(service.getContainerClient(`missing-${Date.now()}`));
    await expect(store.check()).rejects.toThrow();
  });
});
