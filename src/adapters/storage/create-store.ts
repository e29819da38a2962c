/**
 * The store the configuration asks for: the file store in a data directory (the embedded
 * default) or Azure Blob Storage (production; connection string or account URL + credential).
 */
import type { TokenCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import type { Store } from "../../ports/store.js";
import { BlobStore } from "./blob-store.js";
import { FileStore } from "./file-store.js";

export type StoreConfig =
  | { readonly kind: "file"; readonly dir: string }
  | { readonly kind: "blob"; readonly connectionString: string; readonly container: string }
  | {
      readonly kind: "blob";
      readonly accountUrl: string;
      readonly credential: TokenCredential;
      readonly container: string;
    };

export async function createStore(config: StoreConfig): Promise<Store> {
  if (config.kind === "file") return new FileStore(config.dir);
  const service =
    "connectionString" in config
      ? BlobServiceClient.fromConnectionString(config.connectionString)
      : new BlobServiceClient(config.accountUrl, config.credential);
  return BlobStore.ensureContainer(service.getContainerClient(config.container));
}
