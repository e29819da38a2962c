/** The working-copy guard (test/setup/guard-working-copy.ts) notices a created, changed or removed file. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { differences, fingerprint } from "../../setup/working-copy.js";

describe("working-copy fingerprint", () => {
  const root = mkdtempSync(join(tmpdir(), "attest-guard-"));
  afterEach(() => rmSync(join(root, "data"), { recursive: true, force: true }));

  it("reports ./data created by a test", () => {
    const before = fingerprint(root);
    mkdirSync(join(root, "data", "subscriptions"), { recursive: true });
    writeFileSync(join(root, "data", "subscriptions", "s1.json"), "{}");
    expect(differences(before, fingerprint(root))).toEqual([
      "created data",
      "created data/subscriptions",
      "created data/subscriptions/s1.json",
    ]);
  });

  it("reports a changed and a removed record, and nothing when untouched", () => {
    mkdirSync(join(root, "data"));
    writeFileSync(join(root, "data", "a.json"), "{}");
    writeFileSync(join(root, "data", "b.json"), "{}");
    const before = fingerprint(root);
    expect(differences(before, fingerprint(root))).toEqual([]);
    writeFileSync(join(root, "data", "a.json"), '{"changed":true}');
    rmSync(join(root, "data", "b.json"));
    expect(differences(before, fingerprint(root))).toEqual(["changed data/a.json", "removed data/b.json"]);
  });
});
