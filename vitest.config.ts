import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on every machine: keep workers few so servers started by tests are not starved.
    maxWorkers: 2,
  },
});
