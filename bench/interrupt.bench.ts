/**
 * Kernel > Interrupt during `runPipeline({ model: "mlp", epochs: 3000 })`: milliseconds from
 * interrupt_request to the cell's execute_reply (goal ≤ 2000; the kernel's grace before it
 * abandons the await is 1000). The test (test/kernel/interrupt.test.ts) checks the behaviour.
 *
 *     npx tsx bench/interrupt.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePackageBuilt } from "../src/course/packageBuild";
import { NOTEBOOKS_DIR } from "../src/course/lessons";
import { KernelClient } from "../src/kernel/client";
import { installKernelSpec, type KernelSpec } from "../src/kernel/install";
import type { BenchRow } from "./run";

const GOAL_MS = 2000;

export async function benchInterrupt(repeats = 3): Promise<BenchRow[]> {
  ensurePackageBuilt();
  const prefix = mkdtempSync(path.join(os.tmpdir(), "privacy-course-bench-"));
  const { kernelDir } = installKernelSpec({ prefix });
  const spec = JSON.parse(readFileSync(path.join(kernelDir, "kernel.json"), "utf8")) as KernelSpec;
  const client = await KernelClient.launch(spec, { cwd: NOTEBOOKS_DIR });
  const execute = (code: string) =>
    client.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false }, "shell", 300_000);
  try {
    await client.waitForReady();
    await execute('import { runPipeline } from "privacy-course";');
    const times: number[] = [];
    const enames: string[] = [];
    for (let i = 0; i < repeats; i++) {
      const pending = execute('await runPipeline({ model: "mlp", epochs: 3000 });');
      await new Promise((r) => setTimeout(r, 3000)); // training well under way
      const started = performance.now();
      await client.request("interrupt_request", {}, "control");
      const reply = await pending;
      times.push(performance.now() - started);
      enames.push(String(reply.content.ename));
    }
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    return [{ name: "interrupt during runPipeline (mlp, 3000 epochs) → execute_reply", meanMs: Math.round(mean), goalMs: GOAL_MS, note: `runs ${times.map(Math.round).join(", ")} ms; errors ${[...new Set(enames)].join(", ")}` }];
  } finally {
    await client.shutdown();
    rmSync(prefix, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchInterrupt().then(
    (rows) => console.table(rows),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
