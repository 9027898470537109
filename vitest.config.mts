import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take longest (each a minute or more on a 2-core machine: they run notebooks and
 * sandboxes), longest first. Vitest orders files by their last durations when it has them, and
 * otherwise (a fresh clone, as in CI) by size in bytes, which put these small files last: the run
 * then ended with one worker busy on them and the other idle.
 */
const SLOWEST_FIRST = [
  "test/quiz/grade.test.ts",
  "test/notebooks/shard0.test.ts",
  "test/notebooks/shard2.test.ts",
  "test/quiz/hostile.test.ts",
  "test/notebooks/shard1.test.ts",
  "test/kernel/soak.test.ts",
  "test/browser/liveNotebook.test.ts",
  "test/kernel.test.ts",
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = SLOWEST_FIRST.indexOf(path.relative(this.ctx.config.root, file.moduleId).split(path.sep).join("/"));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    return sorted.map((file, order) => ({ file, order })).sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order).map((x) => x.file);
  }
}

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
    sequence: { sequencer: SlowestFirst },
  },
});
