/**
 * Executing notebooks headless with the course kernel, through Debian's nbclient (see
 * scripts/execute_notebook.py): for the course build, the tests and the grader.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { courseJupyterEnv, JUPYTER_PYTHON, jupyterAvailable, missingJupyterMessage, REPO_ROOT } from "./jupyter";
import { KERNEL_NAME } from "../kernel/install";

export interface CellError {
  cell: number;
  ename: string;
  evalue: string;
}

export interface NotebookRun {
  notebook: Notebook;
  errors: CellError[];
}

export interface Notebook {
  cells: { cell_type: string; source: string | string[]; outputs?: Output[]; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  [key: string]: unknown;
}

export interface ExecuteOptions {
  /** Seconds one cell may run before it is stopped. */
  cellTimeout?: number;
  /** The directory the cells run in (relative imports resolve from it). */
  cwd: string;
  html?: string;
  env?: NodeJS.ProcessEnv;
}

const SCRIPT = path.join(REPO_ROOT, "scripts", "execute_notebook.py");

export function executeNotebook(notebook: Notebook, options: ExecuteOptions): NotebookRun {
  if (!jupyterAvailable()) throw new Error(missingJupyterMessage());
  const dir = mkdtempSync(path.join(tmpdir(), "privacy-course-nb-"));
  const input = path.join(dir, "input.ipynb");
  const output = path.join(dir, "output.ipynb");
  writeFileSync(input, JSON.stringify(notebook));
  const args = [SCRIPT, input, output, "--kernel", KERNEL_NAME, "--timeout", String(options.cellTimeout ?? 120), "--cwd", options.cwd];
  if (options.html) args.push("--html", options.html);
  const run = spawnSync(JUPYTER_PYTHON, args, {
    env: courseJupyterEnv(options.env ?? process.env),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`executing the notebook failed (exit ${run.status}):\n${run.stderr.slice(-4000)}`);
  }
  const summary = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { errors: CellError[] };
  return { notebook: JSON.parse(readFileSync(output, "utf8")) as Notebook, errors: summary.errors };
}

export function readNotebook(file: string): Notebook {
  return JSON.parse(readFileSync(file, "utf8")) as Notebook;
}
