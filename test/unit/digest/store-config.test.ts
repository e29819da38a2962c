import { describe, expect, it } from "vitest";
import { digestStoreConfig } from "../../../src/adapters/digest/compose.js";

describe("digestStoreConfig", () => {
  it("defaults to the file store in ./data", () => {
    expect(digestStoreConfig({}).value).toEqual({ kind: "file", dir: `${process.cwd()}/data` });
  });

  it("reads a Blob connection string and container", () => {
    expect(
      digestStoreConfig({
        ATTEST_DIGEST_STORE: "blob",
        ATTEST_BLOB_CONNECTION_STRING: "UseDevelopmentStorage=true",
      }).value,
    ).toEqual({ kind: "blob", connectionString: "UseDevelopmentStorage=true", container: "attest-bot" });
  });

  it.each([
    [{ ATTEST_DIGEST_STORE: "s3" }, /ATTEST_DIGEST_STORE: must be file or blob/],
    [{ ATTEST_DIGEST_STORE: "blob" }, /needs ATTEST_BLOB_CONNECTION_STRING or ATTEST_BLOB_ACCOUNT_URL/],
    [{ ATTEST_DIGEST_STORE: "blob", ATTEST_BLOB_ACCOUNT_URL: "http://x" }, /ATTEST_BLOB_ACCOUNT_URL/],
    [{ ATTEST_DIGEST_STORE: "blob", ATTEST_BLOB_CONTAINER: "Bad_Name" }, /ATTEST_BLOB_CONTAINER/],
  ])("reports %j", (env, problem) => {
    const r = digestStoreConfig(env);
    expect(r.value).toBeNull();
    expect(r.problems.join("\n")).toMatch(problem);
  });
});
