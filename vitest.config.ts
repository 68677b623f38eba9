import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start real geth fleets and the Pulumi engine on a 2-core machine: one file at a time.
    fileParallelism: false,
    // Room for a `pulumi up` or a drift check on a slow, loaded 2-core machine (tests that need more say so).
    testTimeout: 180_000,
    hookTimeout: 300_000,
    reporters: ["default"],
    // A failed beforeAll fails its tests (not "skipped"); a rejection nobody awaited fails the test it happened in.
    runner: "./test/support/strictRunner.ts",
    setupFiles: ["./test/support/strictSetup.ts"],
  },
});
