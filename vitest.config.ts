import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A test file fails when it wrote to ./data (the bot's default store): see the setup file.
    setupFiles: ["test/setup/guard-working-copy.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on every machine: keep workers few so servers started by tests are not starved.
    maxWorkers: 2,
  },
});
