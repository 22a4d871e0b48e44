import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Native addons (hnswlib-node, onnxruntime-node) are safest in forked processes.
    pool: "forks",
    // Each test file starts with no papermap-related environment variables (see the file).
    setupFiles: ["test/setup.ts"],
  },
});
