import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileFeedbackStore } from "../../src/adapters/storage/feedback-file.js";
import { MemoryFeedbackStore } from "../../src/ports/feedback.js";
import { StoreCorrupt } from "../../src/ports/store.js";
import { feedbackStoreContract } from "./feedback.contract.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "attest-feedback-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

feedbackStoreContract("memory", async () => new MemoryFeedbackStore());
feedbackStoreContract("file", async () => new FileFeedbackStore(tempDir()));

describe("FileFeedbackStore", () => {
  it("survives a restart (a new instance on the same directory)", async () => {
    const dir = tempDir();
    await new FileFeedbackStore(dir).record({
      rule: "maa-internal-error",
      answer: "fixed",
      server: null,
      platform: "cli",
      who: "u",
      at: "2026-11-24T09:00:00.000Z",
    });
    expect((await new FileFeedbackStore(dir).tally())[0]?.fixed).toBe(1);
  });

  it("reports a corrupt file with its path and does not overwrite it", async () => {
    const dir = tempDir();
    const store = new FileFeedbackStore(dir);
    writeFileSync(store.file, "{not json");
    await expect(store.tally()).rejects.toBeInstanceOf(StoreCorrupt);
    await expect(store.tally()).rejects.toThrow(store.file);
  });
});
