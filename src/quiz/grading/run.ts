/**
 * One run of a submission's cells, followed by one collection cell per question, in a sandbox of
 * its own (or, when the teacher says so, unsandboxed). The run hands back data only: each
 * question's answer record and the runner's summary of cells that raised or were stopped.
 */
import { chownSync, closeSync, existsSync, fstatSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { serialize } from "node:v8";
import { JUPYTER_PYTHON, REPO_ROOT } from "../../course/jupyter";
import { defaultDeadline, executeNotebook, type CellError, type FailedReplay, type Notebook } from "../../course/notebookRunner";
import { KERNEL_NAME } from "../../kernel/install";
import { runLogged } from "../../runtime/loggedProcess";
import { answerFileName, type AnswerRecord } from "./answers";
import type { AssignedQuestion, SubmittedCell } from "./assignment";
import { SANDBOX_SCRATCH, SANDBOX_UID, sandboxArgv, type SandboxLimits } from "./sandbox";
import { caseArguments, readAnswerRecord, readBoundedFile } from "./verdicts";

const DRIVER = path.join(REPO_ROOT, "scripts", "execute_notebook.py");
const COLLECT_MODULE = path.join(REPO_ROOT, "src", "quiz", "grading", "collect");
/** The least time a cell that answers no question gets. */
const SETUP_CELL_TIMEOUT_S = 300;
/** Room past the run's own deadline for the driver to stop its kernel and write its summary, before the sandbox is killed. */
const KILL_MARGIN_S = 60;

export interface RunOptions {
  /** Seconds one cell may run before it is stopped. */
  cellTimeout: number;
  /** The directory the cells run in (a notebook's relative imports resolve from it). */
  cwd: string;
  /** false: run with the grader's rights, no isolation at all (the report says so). */
  sandboxed: boolean;
  /** The student release of quizzes/, shown to the sandbox in place of the grader's. */
  releasedQuizzes?: string;
  /** The same release compiled, shown in place of the built package's dist/quizzes. */
  releasedBuild?: string;
  /** Paths the sandbox must not see. */
  hidden: string[];
  limits: SandboxLimits;
}

export interface CollectedRun {
  /** Each question's answer as collected, or why it could not be read back; absent: never written. */
  answers: Map<string, AnswerRecord | { problem: string }>;
  /** Submission cells that raised or were stopped (numbered as in the submission). */
  errors: CellError[];
  /** Collection cells that raised or were stopped, by question. */
  collectErrors: Map<string, CellError>;
  /** Kernel restarts whose replay failed, `before` numbered as in the submission. */
  failedReplays: FailedReplay[];
  /** Why the run ended without the runner's summary (its driver was killed, the wall time ran out). */
  ended?: string;
}

function collectCellSource(question: AssignedQuestion, answersDir: string): string {
  const cases = serialize(caseArguments(question.question)).toString("base64");
  // require, not import: the kernel keeps an import's name for later cells, this leaves none behind.
  return `require(${JSON.stringify(COLLECT_MODULE)}).collectAnswer(${JSON.stringify(question.key)}, ${JSON.stringify(cases)}, ${JSON.stringify(answersDir)});`;
}

/** Where each cell of the run comes from: a submission cell (its index) or the collection of a question (its key). */
type Origin = { cell: number } | { collect: string };

/**
 * The notebook the driver runs: the cells as submitted (no outputs, no metadata), each question's
 * collection cell right after its last answer cell, so that what later cells do cannot reach an
 * answer already collected.
 */
export function runNotebook(cells: SubmittedCell[], collectAfter: Map<string, number>, questions: AssignedQuestion[], answersDir: string, cellTimeout: number, answerCells: Set<number>): { notebook: Notebook; origins: Origin[] } {
  const origins: Origin[] = [];
  const runCells: Notebook["cells"] = [];
  const push = (origin: Origin, cellType: string, source: string, metadata: Record<string, unknown> = {}) => {
    origins.push(origin);
    runCells.push({ id: `cell-${runCells.length}`, cell_type: cellType, source, metadata, ...(cellType === "code" ? { outputs: [], execution_count: null } : {}) });
  };
  cells.forEach((c, index) => {
    // Cells that answer nothing (imports, the lesson's own code) get more time: compiling the library on a busy machine is slow, and no grade is at stake in them.
    const metadata = answerCells.has(index) || c.cell_type !== "code" ? {} : { privacy_course_timeout: Math.max(cellTimeout, SETUP_CELL_TIMEOUT_S) };
    push({ cell: index }, c.cell_type, c.source, metadata);
    for (const q of questions) if (collectAfter.get(q.key) === index) push({ collect: q.key }, "code", collectCellSource(q, answersDir));
  });
  const notebook = {
    cells: runCells,
    metadata: { kernelspec: { name: KERNEL_NAME, display_name: "TypeScript (privacy course)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return { notebook, origins };
}

function kernelSpecIn(dir: string): void {
  const kernelDir = path.join(dir, "kernels", KERNEL_NAME);
  mkdirSync(kernelDir, { recursive: true });
  const spec = {
    argv: [process.execPath, path.join(REPO_ROOT, "bin", "privacy-course.js"), "kernel", "--connection-file", "{connection_file}"],
    display_name: "TypeScript (privacy course, grading)",
    language: "typescript",
    interrupt_mode: "signal",
  };
  writeFileSync(path.join(kernelDir, "kernel.json"), JSON.stringify(spec));
}

function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid);
    else chownSync(full, uid, uid);
  }
}

interface Summary {
  errors: CellError[];
  failedReplays: FailedReplay[];
}

const OUTCOMES = new Set(["error", "stopped", "killed", "died", "not-run"]);
const validError = (e: unknown): e is CellError => {
  const x = e as CellError;
  return typeof x === "object" && x !== null && Number.isInteger(x.cell) && typeof x.ename === "string" && typeof x.evalue === "string" && (x.outcome === undefined || OUTCOMES.has(x.outcome));
};

/** The driver's summary; it was written inside the sandbox, so it is read like any of the submission's data. */
function readSummary(file: string): Summary | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const json = JSON.parse(readBoundedFile(file, 4 * 1024 * 1024).toString("utf8")) as Summary;
    if (!Array.isArray(json.errors) || !json.errors.every(validError) || !Array.isArray(json.failedReplays)) return undefined;
    const replays = json.failedReplays.filter((r) => Number.isInteger(r?.before) && Array.isArray(r.problems) && r.problems.every(validError));
    return { errors: json.errors, failedReplays: replays };
  } catch {
    return undefined;
  }
}

/**
 * Runs `cells`, collecting the answer to each of `questions` after the cell given by
 * `collectAfter`; `answerCells` (all of them) keep the cell time limit, other cells get more.
 */
export async function runAndCollect(cells: SubmittedCell[], answerCells: Set<number>, collectAfter: Map<string, number>, questions: AssignedQuestion[], options: RunOptions): Promise<CollectedRun> {
  const scratch = mkdtempSync(path.join(tmpdir(), "privacy-course-grading-"));
  const logDir = mkdtempSync(path.join(tmpdir(), "privacy-course-grading-log-"));
  const inside = options.sandboxed ? SANDBOX_SCRATCH : scratch;
  const answersDir = path.join(scratch, "answers");
  mkdirSync(answersDir);
  mkdirSync(path.join(scratch, "home"));
  kernelSpecIn(path.join(scratch, "jupyter"));
  const { notebook, origins } = runNotebook(cells, collectAfter, questions, path.join(inside, "answers"), options.cellTimeout, answerCells);
  // Cells answering nothing may take their longer time, on the first kernel and on a replay.
  const setupCells = notebook.cells.filter((c) => c.metadata && "privacy_course_timeout" in (c.metadata as object)).length;
  const deadline = defaultDeadline(notebook, options.cellTimeout) + 2 * setupCells * SETUP_CELL_TIMEOUT_S;
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    HOME: path.join(inside, "home"),
    LANG: "C.UTF-8",
    JUPYTER_PATH: path.join(inside, "jupyter"),
    JUPYTER_CONFIG_DIR: path.join(inside, "jupyter-config"),
    JUPYTER_DATA_DIR: path.join(inside, "jupyter-data"),
    JUPYTER_RUNTIME_DIR: path.join(inside, "jupyter-runtime"),
    PYTHONDONTWRITEBYTECODE: "1",
    PRIVACY_COURSE_PROGRESS: path.join(inside, "home", "progress.json"),
  };
  let summary: Summary | undefined;
  let ended: string | undefined;
  try {
    if (options.sandboxed) {
      if (process.getuid?.() === 0) chownTree(scratch, SANDBOX_UID);
      const command = [JUPYTER_PYTHON, DRIVER, "-", path.join(inside, "output.ipynb"), "--kernel", KERNEL_NAME, "--cwd", options.cwd];
      command.push("--timeout", String(options.cellTimeout), "--deadline", String(deadline), "--summary", path.join(inside, "summary.json"));
      const spec = { repoRoot: REPO_ROOT, scratch, overlays: [
          ...(options.releasedQuizzes ? [{ source: options.releasedQuizzes, target: path.join(REPO_ROOT, "quizzes") }] : []),
          ...(options.releasedBuild ? [{ source: options.releasedBuild, target: path.join(REPO_ROOT, "dist", "quizzes") }] : []),
        ], hidden: options.hidden, cwd: options.cwd, env, limits: options.limits };
      const run = await runLogged(sandboxArgv(spec, command), { input: JSON.stringify(notebook), log: path.join(logDir, "log.txt"), timeoutSeconds: deadline + KILL_MARGIN_S });
      summary = readSummary(path.join(scratch, "summary.json"));
      if (!summary) {
        const why = run.signal ? `the sandbox was ${run.reason}` : run.reason;
        const tail = readBoundedTail(path.join(logDir, "log.txt"));
        ended = `the notebook's run ended before its end (${why})${tail ? `: ${tail}` : ""}`;
      }
    } else {
      try {
        const run = await executeNotebook(notebook, { cwd: options.cwd, cellTimeout: options.cellTimeout, deadline, env: { ...process.env, ...env } });
        summary = { errors: run.errors, failedReplays: run.failedReplays };
      } catch (error) {
        ended = `the notebook's run ended before its end (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
      }
    }
    const answers = new Map<string, AnswerRecord | { problem: string }>();
    for (const question of questions) {
      const file = path.join(answersDir, answerFileName(question.key));
      if (pathExists(file)) answers.set(question.key, readAnswerRecord(file, question.key));
    }
    const errors = (summary?.errors ?? []).flatMap((e) => {
      const origin = origins[e.cell];
      return origin && "cell" in origin ? [{ ...e, cell: origin.cell }] : [];
    });
    const collectErrors = new Map((summary?.errors ?? []).flatMap((e) => {
      const origin = origins[e.cell];
      return origin && "collect" in origin ? [[origin.collect, e] as const] : [];
    }));
    // A restart before a collection cell counts as before the submission cell that follows it.
    const submissionIndex = (runIndex: number) => origins.slice(0, runIndex).filter((o) => "cell" in o).length;
    const failedReplays = (summary?.failedReplays ?? []).map((r) => ({
      before: submissionIndex(r.before),
      problems: r.problems.flatMap((p) => {
        const origin = origins[p.cell];
        return origin && "cell" in origin ? [{ ...p, cell: origin.cell }] : [];
      }),
    }));
    return { answers, errors, collectErrors, failedReplays, ended };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** Whether anything, a symlink included, is at `file`. */
function pathExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The last lines of the run's log, for a reason (only its end is read: the log is written from inside the sandbox). */
function readBoundedTail(file: string): string {
  try {
    const fd = openSync(file, "r");
    try {
      const size = fstatSync(fd).size;
      const buffer = Buffer.alloc(Math.min(size, 4096));
      readSync(fd, buffer, 0, buffer.length, size - buffer.length);
      return buffer.toString("utf8").trim().split("\n").slice(-2).join(" ").slice(-300);
    } finally {
      closeSync(fd);
    }
  } catch {
    return "";
  }
}
