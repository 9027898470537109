import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Training runs real DP-SGD on the 1000-row example; give it room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The wasm backend and tfjs's engine are per process; forks keep suites apart.
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: on a 2-core machine one worker, and the
    // load stayed near 1 for the whole run (the slow files hand their work to kernels and sandboxes).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
