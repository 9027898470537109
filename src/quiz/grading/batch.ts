/**
 * A batch of submissions: the output directory is checked before anything runs, the sandbox is
 * probed once (grading refuses to go on unprotected unless told), and each submission's result is
 * written the moment it is graded, so a batch that stops half-way keeps what it graded. Up to
 * `jobs` runs (each a sandbox and a kernel) go at once, shared by the submissions being graded
 * and their isolated re-runs.
 */
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../../course/jupyter";
import { concurrencyLimit, settleAll } from "../../runtime/limit";
import { InputError, requireNumber } from "../../validation/errors";
import type { Assignment } from "./assignment";
import { gradeSubmissionText, type SubmissionGrade } from "./grade";
import { writeReleasedBuild, writeReleasedQuizzes } from "./release";
import { DEFAULT_LIMITS, sandboxProblem, SANDBOX_UID, type SandboxLimits } from "./sandbox";
import { writeFileAtomic } from "./safeWrite";
import { readBoundedFile } from "./verdicts";

export interface BatchEntry {
  file: string;
  assignment: Assignment;
}

export interface BatchOptions {
  out: string;
  /** Replace the grades an earlier run left in `out` (otherwise a non-empty `out` is refused). */
  overwrite?: boolean;
  cellTimeout: number;
  /** Grade without a sandbox: the submission runs with the grader's rights. The report says so. */
  unsandboxed?: boolean;
  limits?: SandboxLimits;
  /** The grader's quizzes/ source, released (hidden cases and solutions left out) for the sandbox. */
  quizzesDir?: string;
  /** Runs at once (default 1): each is a sandbox with a kernel of its own, so memory grows with it. */
  jobs?: number;
  /** Called as each submission is graded (in the order they finish); `index` is its place in the entries. */
  onGraded?: (grade: SubmissionGrade, index: number) => void;
}

export interface BatchReport {
  sandbox: string;
  submissions: SubmissionGrade[];
}

/** Raised when bubblewrap cannot run here and the teacher did not ask for --unsandboxed. */
export class SandboxUnavailableError extends Error {
  /** The command line's exit status for it. */
  readonly exitCode = 3;
  constructor(reason: string) {
    super(
      `Grading refuses to run learners' code unprotected: ${reason}. ` +
        "Install bubblewrap (sh scripts/setup-jupyter.sh) on a system that allows unprivileged user namespaces, " +
        "or pass --unsandboxed to grade with your own rights and no isolation (the report will say so).",
    );
    this.name = "SandboxUnavailableError";
  }
}

/** The output directory must be a real directory (not a symlink) that is new or empty, unless overwriting. */
export function validateOutDir(out: string, overwrite = false): void {
  let stat;
  try {
    stat = lstatSync(out);
  } catch {
    // Created when grading starts, in a folder that must already exist (a mistyped parent is an error, not a new tree).
    const parent = path.dirname(path.resolve(out));
    let parentStat;
    try {
      parentStat = lstatSync(parent);
    } catch {
      throw new InputError("--out", "a path in an existing directory", out);
    }
    if (!parentStat.isDirectory()) throw new InputError("--out", "a path in an existing directory", out);
    return;
  }
  if (stat.isSymbolicLink()) throw new InputError("--out", "a directory path that is not a symlink", out);
  if (!stat.isDirectory()) throw new InputError("--out", "a new or existing directory, not a file", out);
  if (!overwrite && readdirSync(out).length > 0) throw new InputError("--out", "a new or empty directory (or pass --overwrite to replace the grades in it)", out);
}

const CSV_HEADER = ["submission", "question", "status", "points", "max_points", "message"];
const csvField = (value: string | number): string => (/[",\n\r]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));

export function gradeRows(grades: SubmissionGrade[]): (string | number)[][] {
  return grades.flatMap((g) => g.questions.map((q) => [g.submission, `${q.quizId}/${q.questionId}`, q.status, q.points, q.maxPoints, q.message]));
}

/**
 * Synchronous on purpose: two submissions finishing at once cannot interleave their writes, since
 * each one's files are all written before the other's continuation runs.
 */
function writeReports(out: string, report: BatchReport, latest: SubmissionGrade, index: number): void {
  const name = `${String(index + 1).padStart(3, "0")}-${path.basename(latest.submission).replace(/[^\w.-]/g, "_")}.json`;
  writeFileAtomic(path.join(out, "submissions", name), JSON.stringify(latest, null, 2) + "\n");
  writeFileAtomic(path.join(out, "grades.json"), JSON.stringify(report, null, 2) + "\n");
  const csv = [CSV_HEADER, ...gradeRows(report.submissions)].map((r) => r.map(csvField).join(",")).join("\n");
  writeFileAtomic(path.join(out, "grades.csv"), csv + "\n");
}

const SUBMISSION_LIMIT_BYTES = 20 * 1024 * 1024;

export async function gradeBatch(entries: BatchEntry[], options: BatchOptions): Promise<BatchReport> {
  if (!(options.cellTimeout > 0 && Number.isFinite(options.cellTimeout))) throw new InputError("cellTimeout", "a number of seconds > 0", options.cellTimeout);
  const jobs = requireNumber("jobs", options.jobs ?? 1, { min: 1, integer: true });
  validateOutDir(options.out, options.overwrite);
  const work = mkdtempSync(path.join(tmpdir(), "privacy-course-batch-"));
  // The sandbox's user must read the released quizzes kept here.
  chmodSync(work, 0o755);
  try {
    const sandboxed = !options.unsandboxed;
    if (sandboxed) {
      const probeDir = path.join(work, "probe");
      mkdirSync(probeDir);
      if (process.getuid?.() === 0) chownSync(probeDir, SANDBOX_UID, SANDBOX_UID);
      const problem = sandboxProblem(REPO_ROOT, probeDir);
      if (problem) throw new SandboxUnavailableError(problem);
    }
    const released = path.join(work, "quizzes");
    writeReleasedQuizzes(options.quizzesDir ?? path.join(REPO_ROOT, "quizzes"), released);
    // The built package's quizzes, released the same way (lessons import "privacy-course/quiz").
    const builtQuizzes = path.join(REPO_ROOT, "dist", "quizzes");
    const releasedBuild = existsSync(builtQuizzes) ? path.join(work, "dist-quizzes") : undefined;
    if (releasedBuild) writeReleasedBuild(released, builtQuizzes, releasedBuild);
    mkdirSync(path.join(options.out, "submissions"), { recursive: true });
    const hidden = [".git", "test", "bench", ".jupyter", ".course-progress", "build", "grades"].map((p) => path.join(REPO_ROOT, p));
    hidden.push(path.resolve(options.out), ...entries.map((e) => path.resolve(e.file)));
    const sandbox = sandboxed ? "bubblewrap: one sandbox per submission" : "none: graded with --unsandboxed, the submissions ran with the grader's rights";
    // In entry order, whatever order they finish in.
    const graded: (SubmissionGrade | undefined)[] = entries.map(() => undefined);
    const report = (): BatchReport => ({ sandbox, submissions: graded.filter((g): g is SubmissionGrade => g !== undefined) });
    const runSlots = concurrencyLimit(jobs);
    const gradeEntry = async (entry: BatchEntry, index: number) => {
      const runOptions = {
        assignment: entry.assignment,
        cellTimeout: options.cellTimeout,
        cwd: path.join(REPO_ROOT, "notebooks"),
        sandboxed,
        releasedQuizzes: released,
        releasedBuild,
        hidden: hidden.filter((h) => h.startsWith(REPO_ROOT + path.sep)),
        limits: options.limits ?? DEFAULT_LIMITS,
        runSlots,
      };
      let grade: SubmissionGrade;
      try {
        const text = readBoundedFile(entry.file, SUBMISSION_LIMIT_BYTES).toString("utf8");
        grade = await gradeSubmissionText(entry.file, text, runOptions);
      } catch (error) {
        // Whatever went wrong with this one submission, the batch goes on.
        const problem = `The submission could not be graded: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
        const questions = entry.assignment.questions.map((q) => ({ quizId: q.quizId, questionId: q.questionId, status: "incorrect" as const, message: problem, points: 0, maxPoints: q.points, casesRun: 0, hidden: false }));
        grade = { submission: entry.file, assignment: entry.assignment.name, questions, points: 0, maxPoints: questions.reduce((s, q) => s + q.maxPoints, 0), problem, foreignMarkers: [], cellErrors: [], isolated: [], sandboxed, seconds: 0 };
      }
      graded[index] = grade;
      writeReports(options.out, report(), grade, index);
      options.onGraded?.(grade, index);
    };
    // `jobs` submissions in hand at a time (each waits for a slot for every run); a failure to
    // write stops the others from taking new ones, and is thrown once the runs in flight ended.
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (!failed && next < entries.length) {
        const index = next++;
        try {
          await gradeEntry(entries[index], index);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await settleAll(Array.from({ length: Math.min(jobs, entries.length) }, worker));
    return report();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
