/**
 * Executing notebooks headless with the course kernel, through Debian's nbclient (see
 * scripts/execute_notebook.py): for the course build, the tests and the grader.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { courseJupyterEnv, JUPYTER_PYTHON, jupyterAvailable, missingJupyterMessage, REPO_ROOT } from "./jupyter";
import { KERNEL_NAME } from "../kernel/install";
import { ensurePackageBuilt } from "./packageBuild";
import { runLogged, type ProcessEnd } from "../runtime/loggedProcess";

export interface CellError {
  cell: number;
  ename: string;
  evalue: string;
  /** Raised, or stopped by the runner: interrupted, killed (it did not answer the interrupt), the kernel died, or never reached. */
  outcome?: "error" | "stopped" | "killed" | "died" | "not-run";
}

/** A kernel restart (after a cell had to be killed) whose replay of the cells that had succeeded, tried twice, still failed for some. */
export interface FailedReplay {
  /** The cell the fresh kernel was started for. */
  before: number;
  problems: (CellError & { outcome: "error" | "stopped" | "killed" | "died" })[];
}

export interface NotebookRun {
  notebook: Notebook;
  errors: CellError[];
  failedReplays: FailedReplay[];
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
  /** Seconds one cell may run before it is stopped (default 120). */
  cellTimeout?: number;
  /** Seconds the whole run may take (default: every code cell using its full time, plus room for kernel restarts). */
  deadline?: number;
  /** The directory the cells run in (relative imports resolve from it). */
  cwd: string;
  html?: string;
  env?: NodeJS.ProcessEnv;
}

const SCRIPT = path.join(REPO_ROOT, "scripts", "execute_notebook.py");
/** Starting a kernel (and its TypeScript), and replaying cells on a fresh one, within the run's default deadline. */
const KERNEL_ALLOWANCE_S = 300;
/** How long past its own deadline the script may take to stop its kernel and write the notebook before it is killed. */
const KILL_MARGIN_S = 300;

/** The default deadline: a run stops in bounded time, however many cells loop forever. */
export function defaultDeadline(notebook: Notebook, cellTimeout: number): number {
  const codeCells = notebook.cells.filter((c) => c.cell_type === "code").length;
  return KERNEL_ALLOWANCE_S + 2 * codeCells * cellTimeout;
}

/**
 * Runs scripts/execute_notebook.py with its output in files rather than pipes, so that no
 * process left behind can keep this waiting; past the deadline the script is killed, and so
 * is every kernel it had started (they run in process groups of their own). Asynchronous, so
 * that the grader can keep several runs going at once.
 */
export async function executeNotebook(notebook: Notebook, options: ExecuteOptions): Promise<NotebookRun> {
  if (!jupyterAvailable()) throw new Error(missingJupyterMessage());
  ensurePackageBuilt(); // notebooks import the built package
  const cellTimeout = options.cellTimeout ?? 120;
  const deadline = options.deadline ?? defaultDeadline(notebook, cellTimeout);
  if (!(cellTimeout > 0 && Number.isFinite(cellTimeout))) throw new RangeError(`cellTimeout must be a positive number of seconds; got ${cellTimeout}`);
  if (!(deadline > 0 && Number.isFinite(deadline))) throw new RangeError(`deadline must be a positive number of seconds; got ${deadline}`);
  const dir = mkdtempSync(path.join(tmpdir(), "privacy-course-nb-"));
  const file = (name: string) => path.join(dir, name);
  try {
    writeFileSync(file("input.ipynb"), JSON.stringify(notebook));
    const args = [SCRIPT, file("input.ipynb"), file("output.ipynb"), "--kernel", KERNEL_NAME, "--cwd", options.cwd];
    args.push("--timeout", String(cellTimeout), "--deadline", String(deadline), "--summary", file("summary.json"), "--pids", file("kernels"));
    if (options.html) args.push("--html", options.html);
    let run: ProcessEnd;
    try {
      run = await runLogged([JUPYTER_PYTHON, ...args], {
        env: courseJupyterEnv(options.env ?? process.env),
        log: file("log.txt"),
        timeoutSeconds: deadline + KILL_MARGIN_S,
        cleanupOnExit: () => killKernels(file("kernels")),
      });
    } finally {
      killKernels(file("kernels"));
    }
    if (run.status !== 0 || !existsSync(file("summary.json"))) {
      throw new Error(`executing the notebook failed (${run.reason}):\n${readFileSync(file("log.txt"), "utf8").slice(-4000)}`);
    }
    const summary = JSON.parse(readFileSync(file("summary.json"), "utf8")) as Omit<NotebookRun, "notebook">;
    const executed = JSON.parse(readFileSync(file("output.ipynb"), "utf8")) as Notebook;
    return { notebook: executed, errors: summary.errors, failedReplays: summary.failedReplays };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Kills the kernels listed by the script ("pid pgid" lines) that are still running: the script
 * kills them itself, unless it was killed first. A pid is only signalled while it is still a
 * Jupyter kernel, in case it was reused.
 */
function killKernels(listing: string): void {
  if (!existsSync(listing)) return;
  for (const line of readFileSync(listing, "utf8").split("\n")) {
    const [pid, pgid] = line.trim().split(/\s+/).map(Number);
    if (!pid || !isKernel(pid)) continue;
    // The group only when the kernel leads it (Jupyter starts each kernel in a session of its own).
    for (const target of pgid === pid ? [-pgid, pid] : [pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // gone already
      }
    }
  }
}

function isKernel(pid: number): boolean {
  if (!existsSync("/proc/self")) return true; // no way to tell: trust the listing
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--connection-file");
  } catch {
    return false;
  }
}

export function readNotebook(file: string): Notebook {
  return JSON.parse(readFileSync(file, "utf8")) as Notebook;
}
