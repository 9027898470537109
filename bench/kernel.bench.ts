/**
 * Kernel start-up, measured the way Jupyter starts it: from the installed kernelspec's argv to
 * the kernel_info_reply (Jupyter's "kernel ready"), and to the first execute_reply, which includes
 * loading TypeScript and compiling its libraries. tslab's own kernel is measured alongside.
 *
 *     npx tsx bench/kernel.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KernelClient } from "../src/kernel/client";
import { installKernelSpec, KERNEL_NAME, REPO_ROOT, type KernelSpec } from "../src/kernel/install";

interface Row {
  name: string;
  meanMs: number;
  goalMs?: number;
  note?: string;
}

const REPEATS = 5;
const READY_GOAL_MS = 3000;

interface Timing {
  readyMs: number;
  executedMs: number;
}

async function timeOnce(spec: KernelSpec, code: string): Promise<Timing> {
  const started = performance.now();
  const client = await KernelClient.launch(spec, { cwd: REPO_ROOT });
  try {
    await client.waitForReady();
    const readyMs = performance.now() - started;
    const reply = await client.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    if (reply.content.status !== "ok") throw new Error(`${code} failed: ${JSON.stringify(reply.content)}`);
    return { readyMs, executedMs: performance.now() - started };
  } finally {
    await client.shutdown();
  }
}

async function measure(spec: KernelSpec): Promise<{ cold: Timing; mean: Timing }> {
  // The first start fills tsx's transform cache and the V8 code cache; report it separately.
  const cold = await timeOnce(spec, "1 + 1");
  const runs: Timing[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await timeOnce(spec, "1 + 1"));
  const mean = (f: (t: Timing) => number) => runs.reduce((s, t) => s + f(t), 0) / runs.length;
  return { cold, mean: { readyMs: mean((t) => t.readyMs), executedMs: mean((t) => t.executedMs) } };
}

export async function benchKernel(): Promise<Row[]> {
  const prefix = mkdtempSync(path.join(os.tmpdir(), "privacy-course-bench-"));
  try {
    const { kernelDir } = installKernelSpec({ prefix });
    const spec = JSON.parse(readFileSync(path.join(kernelDir, "kernel.json"), "utf8")) as KernelSpec;
    const ours = await measure(spec);
    const tslabSpec: KernelSpec = {
      ...spec,
      argv: [process.execPath, path.join(REPO_ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
    };
    const tslab = await measure(tslabSpec);
    const cold = (t: Timing) => `first start: ${Math.round(t.readyMs)} ms`;
    return [
      { name: `${KERNEL_NAME}: start → kernel_info_reply`, meanMs: ours.mean.readyMs, goalMs: READY_GOAL_MS, note: cold(ours.cold) },
      {
        name: `${KERNEL_NAME}: start → first execute_reply (1 + 1)`,
        meanMs: ours.mean.executedMs,
        note: `TypeScript loaded after kernel_info; first start: ${Math.round(ours.cold.executedMs)} ms`,
      },
      { name: "tslab 1.0.22: start → kernel_info_reply", meanMs: tslab.mean.readyMs, note: "reference" },
      { name: "tslab 1.0.22: start → first execute_reply (1 + 1)", meanMs: tslab.mean.executedMs, note: "reference" },
    ].map((r) => ({ ...r, meanMs: Math.round(r.meanMs) }));
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchKernel().then(
    (rows) => console.table(rows),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
