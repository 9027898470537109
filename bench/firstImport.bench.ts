/**
 * The first library cell of a lesson in a fresh kernel, from execute_request to execute_reply
 * (the kernel already up, as when a learner opens a notebook and runs its first cell): the built
 * package by name, next to compiling the sources (../src) as lessons did before. Goal ≤ 4 s.
 *
 *     npx tsx bench/firstImport.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePackageBuilt } from "../src/course/packageBuild";
import { NOTEBOOKS_DIR } from "../src/course/lessons";
import { KernelClient } from "../src/kernel/client";
import { installKernelSpec, type KernelSpec } from "../src/kernel/install";
import type { BenchRow } from "./run";

const FIRST_CELL = 'import { runPipeline, views } from "privacy-course";';
const FROM_SOURCES = 'import { runPipeline, views } from "../src";';
const GOAL_MS = 4000;

/** Reading time before the first run: the kernel warms up (compiler, the package's declarations) 1.5 s after going quiet. */
const READING_MS = 5000;

async function firstCellMs(spec: KernelSpec, code: string, readingMs = 0): Promise<number> {
  const client = await KernelClient.launch(spec, { cwd: NOTEBOOKS_DIR });
  try {
    await client.waitForReady();
    await new Promise((resolve) => setTimeout(resolve, readingMs));
    const started = performance.now();
    const reply = await client.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, "shell", 180_000);
    if (reply.content.status !== "ok") throw new Error(`${code} failed: ${JSON.stringify(reply.content)}`);
    return performance.now() - started;
  } finally {
    await client.shutdown();
  }
}

export async function benchFirstImport(repeats = 3): Promise<BenchRow[]> {
  ensurePackageBuilt();
  const prefix = mkdtempSync(path.join(os.tmpdir(), "privacy-course-bench-"));
  try {
    const { kernelDir } = installKernelSpec({ prefix });
    const spec = JSON.parse(readFileSync(path.join(kernelDir, "kernel.json"), "utf8")) as KernelSpec;
    const cold = await firstCellMs(spec, FIRST_CELL); // fills the V8 code cache
    const runs: number[] = [];
    for (let i = 0; i < repeats; i++) runs.push(await firstCellMs(spec, FIRST_CELL));
    const afterReading = await firstCellMs(spec, FIRST_CELL, READING_MS);
    const sources = await firstCellMs(spec, FROM_SOURCES);
    const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
    return [
      { name: `fresh kernel: ${FIRST_CELL}`, meanMs: Math.round(mean), goalMs: GOAL_MS, note: `first start ${Math.round(cold)} ms; runs ${runs.map(Math.round).join(", ")}` },
      { name: `fresh kernel, run ${READING_MS / 1000} s after it is ready: ${FIRST_CELL}`, meanMs: Math.round(afterReading), note: "a learner reading the first cells: the kernel warmed up meanwhile; one run" },
      { name: `fresh kernel: ${FROM_SOURCES}`, meanMs: Math.round(sources), note: "the sources compiled by the kernel (before the package), one run" },
    ];
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchFirstImport().then(
    (rows) => console.table(rows),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
