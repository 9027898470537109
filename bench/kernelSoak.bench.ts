/**
 * The kernel through a day of learning (the workload of test/kernel/soak.test.ts): 1000 mixed cells
 * pipelined to one kernel, then one cell with 5000 display outputs; memory at cells 100 and 1000.
 *
 *     npx tsx bench/kernelSoak.bench.ts
 */
import * as path from "node:path";
import { KernelClient } from "../src/kernel/client";
import { kernelSpec, REPO_ROOT } from "../src/kernel/install";
import { runSoak } from "../src/kernel/soak";
import type { BenchRow } from "./run";

const CELLS = 1000;
const DISPLAYS = 5000;
const MB = 1024 * 1024;

export async function benchKernelSoak(): Promise<BenchRow[]> {
  const client = await KernelClient.launch(kernelSpec(), { cwd: path.join(REPO_ROOT, "notebooks") });
  try {
    await client.waitForReady();
    const report = await runSoak(client, { cells: CELLS, displays: DISPLAYS, memoryAt: [100, 250, 500, CELLS], displayModule: "../src/kernel/display" });
    if (report.failures.length > 0) throw new Error(`soak failed:\n${report.failures.slice(0, 20).join("\n")}`);
    const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
    const first = report.memory[0]!;
    const last = report.memory.at(-1)!;
    return [
      { name: `${CELLS} mixed cells, pipelined (ms per cell)`, meanMs: Math.round(report.cellsMs / CELLS) },
      { name: `one cell with ${DISPLAYS} display outputs`, meanMs: Math.round(report.displaysMs) },
      ...report.memory.map((m) => ({
        name: `memory at cell ${m.cell}`,
        meanMs: 0,
        note: `RSS ${mb(m.rss)} (after GC ${mb(m.rssAfterGc)}), V8 heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)}`,
      })),
      {
        name: `growth from cell ${first.cell} to ${last.cell}`,
        meanMs: 0,
        note: `RSS ×${(last.rss / first.rss).toFixed(2)}, RSS after GC ×${(last.rssAfterGc / first.rssAfterGc).toFixed(2)}, heap used ×${(last.heapUsed / first.heapUsed).toFixed(2)}`,
      },
    ];
  } finally {
    await client.shutdown();
  }
}

if (require.main === module) {
  benchKernelSoak().then(
    (rows) => console.table(rows),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
