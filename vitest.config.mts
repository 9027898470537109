import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Training runs real DP-SGD on the 1000-row example; give it room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The wasm backend and tfjs's engine are per process; forks keep suites apart.
    pool: "forks",
  },
});
