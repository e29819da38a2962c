/**
 * The store the configuration asks for: the file store in a data directory (the embedded
 * default) or Azure Blob Storage (production; connection string or account URL + credential).
 * The Azure SDKs are imported only when a Blob store is configured: the file store starts without them.
 */
import type { TokenCredential } from "@azure/identity";
import type { Store } from "../../ports/store.js";
import { FileStore } from "./file-store.js";

export type StoreConfig =
  | { readonly kind: "file"; readonly dir: string }
  | { readonly kind: "blob"; readonly connectionString: string; readonly container: string }
  | {
      readonly kind: "blob";
      readonly accountUrl: string;
      /** Unset: DefaultAzureCredential (the managed identity named by AZURE_CLIENT_ID in Azure). */
      readonly credential?: TokenCredential;
      readonly container: string;
    };

export async function createStore(config: StoreConfig): Promise<Store> {
  if (config.kind === "file") return new FileStore(config.dir);
  const [{ BlobServiceClient }, { BlobStore }] = await Promise.all([
    import("@azure/storage-blob"),
    import("./blob-store.js"),
  ]);
  const service =
    "connectionString" in config
      ? BlobServiceClient.fromConnectionString(config.connectionString)
      : new BlobServiceClient(
          config.accountUrl,
          config.credential ?? new (await import("@azure/identity")).DefaultAzureCredential(),
        );
  return BlobStore.ensureContainer(service.getContainerClient(config.container));
}
