/**
 * Vitest setup file (runs around every test file): the file fails when it wrote to the working
 * copy's `./data`, the bot's default digest store. A test that starts the bot without a temporary
 * `ATTEST_DATA_DIR` would write there and, worse, read a developer's subscriptions from it and post
 * digests to whatever connector they name.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";
import { differences, fingerprint } from "./working-copy.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let before = new Map<string, string>();

beforeAll(() => {
  before = fingerprint(ROOT);
});

afterAll(() => {
  expect(
    differences(before, fingerprint(ROOT)),
    "a test wrote to the working copy's ./data: give startBot a temporary ATTEST_DATA_DIR",
  ).toEqual([]);
});
