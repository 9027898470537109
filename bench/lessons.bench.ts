/**
 * Every lesson notebook, as shipped, run headless top to bottom by the course kernel (a fresh
 * kernel each, as when a learner opens it and runs all cells). Goals: ≤ 15 s for every lesson
 * but the two that train many models, ≤ 45 s for lesson 10 (the GAN iterations, issue #14) and
 * ≤ 60 s for the voice assistant (six federated and pooled trainings, issue #18).
 *
 *     npm run bench -- lessons
 */
import { lessonFiles, notebookFor, NOTEBOOKS_DIR } from "../src/course/lessons";
import { executeNotebook, type Notebook } from "../src/course/notebookRunner";
import { installKernelSpec } from "../src/kernel/install";
import type { BenchRow } from "./run";

/** Lessons that train many models by design, with their own goals. */
const LONG_LESSONS: Record<string, number> = { "10-gan-iteration": 45_000, "08-voice-assistant": 60_000 };
const GOAL_MS = 15_000;

interface CellTiming {
  ms: number;
  firstLine: string;
}

/** The slowest cells of a run, from the execution timestamps nbclient records in each cell's metadata. */
function slowestCells(notebook: Notebook, count: number): CellTiming[] {
  const timings: CellTiming[] = [];
  for (const cell of notebook.cells) {
    const execution = (cell.metadata as { execution?: Record<string, string> } | undefined)?.execution;
    if (!execution?.["iopub.execute_input"] || !execution["shell.execute_reply"]) continue;
    const ms = Date.parse(execution["shell.execute_reply"]) - Date.parse(execution["iopub.execute_input"]);
    const source = Array.isArray(cell.source) ? cell.source.join("") : String(cell.source);
    timings.push({ ms, firstLine: source.split("\n")[0]!.slice(0, 40) });
  }
  return timings.sort((a, b) => b.ms - a.ms).slice(0, count);
}

export async function benchLessons(): Promise<BenchRow[]> {
  installKernelSpec({ projectLocal: true });
  const rows: BenchRow[] = [];
  for (const lesson of lessonFiles()) {
    const name = lesson.replace(/\.md$/, "");
    const notebook = JSON.parse(notebookFor(lesson).text) as Notebook;
    const started = performance.now();
    const run = await executeNotebook(notebook, { cwd: NOTEBOOKS_DIR, cellTimeout: 300 });
    const ms = Math.round(performance.now() - started);
    const slow = slowestCells(run.notebook, 2).map((c) => `${(c.ms / 1000).toFixed(1)} s ${c.firstLine}`);
    const errors = run.errors.length > 0 ? `; ${run.errors.length} cell error(s)` : "";
    rows.push({ name, meanMs: ms, goalMs: LONG_LESSONS[name] ?? GOAL_MS, note: `slowest: ${slow.join(" | ")}${errors}` });
  }
  return rows;
}

if (require.main === module) {
  benchLessons().then(
    (rows) => console.table(rows),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
