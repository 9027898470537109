/**
 * Grading time per submission (default 20 honest submissions of two questions, as a class would
 * hand in), each in a bubblewrap sandbox and, for comparison, unsandboxed; the once-per-batch
 * cost of the sandbox (probe, quiz release) spread over the batch; the bare cost of a sandbox
 * (node started inside bubblewrap against outside); and one batch of the same submissions
 * (default 6) graded with --jobs 1 and with --jobs 2. The goal: the sandbox adds under 1 s per
 * submission; the jobs have none (the gain depends on the cores and the load).
 *
 *     npx tsx bench/grading.bench.ts          (GRADING_BENCH_SUBMISSIONS=4 GRADING_BENCH_JOBS_SUBMISSIONS=2 for a quick look)
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { QUIZZES } from "../quizzes";
import { REPO_ROOT } from "../src/course/jupyter";
import { installKernelSpec } from "../src/kernel/install";
import { assignmentOf, DEFAULT_LIMITS, gradeBatch, sandboxArgv, type SubmissionGrade } from "../src/quiz/grading";
import type { BenchRow } from "./run";

const SUBMISSIONS = Number(process.env.GRADING_BENCH_SUBMISSIONS ?? 20);
const JOBS_SUBMISSIONS = Number(process.env.GRADING_BENCH_JOBS_SUBMISSIONS ?? 6);
const SANDBOX_GOAL_MS = 1000;
const solution = (id: string) => QUIZZES.anonymisation.questions.find((q) => q.id === id)!.solution;
const code = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });
const NOTEBOOK = JSON.stringify({
  cells: [
    // As the lessons a class hands in import it: the built package.
    code('import { loadQuiz } from "privacy-course/quiz";\nconst quiz = loadQuiz("anonymisation");'),
    code(`// @answer anonymisation/quasi-identifiers\n${solution("quasi-identifiers")}`),
    code(`// @answer anonymisation/drop-identifiers\n${solution("drop-identifiers")}`),
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
});

const ASSIGNMENT = assignmentOf("bench", ["anonymisation/quasi-identifiers", "anonymisation/drop-identifiers"], QUIZZES);

function fullMarks(grade: SubmissionGrade, how: string): void {
  if (grade.points !== grade.maxPoints) throw new Error(`an honest submission got ${grade.points}/${grade.maxPoints} ${how}: ${JSON.stringify(grade.questions)}`);
}

interface Timing {
  /** Seconds grading the submissions took (what each SubmissionGrade reports), per submission. */
  perSubmission: number;
  /** Seconds the batch spent besides (checking --out, probing the sandbox, releasing the quizzes). */
  batchOverhead: number;
}

/**
 * Grades `count` honest submissions twice, sandboxed and unsandboxed, alternating one submission
 * of each so that a change in the machine's load falls on both alike.
 */
async function gradeAlternately(dir: string, count: number): Promise<{ sandboxed: Timing; unsandboxed: Timing }> {
  const totals = { sandboxed: { perSubmission: 0, batchOverhead: 0 }, unsandboxed: { perSubmission: 0, batchOverhead: 0 } };
  for (let i = 0; i < count; i++) {
    for (const mode of ["sandboxed", "unsandboxed"] as const) {
      const folder = path.join(dir, `${mode}-${i}`);
      mkdirSync(folder);
      const file = path.join(folder, "learner.ipynb");
      writeFileSync(file, NOTEBOOK);
      const started = performance.now();
      const report = await gradeBatch([{ file, assignment: ASSIGNMENT }], { out: path.join(folder, "grades"), cellTimeout: 120, unsandboxed: mode === "unsandboxed" });
      const wall = (performance.now() - started) / 1000;
      const [grade] = report.submissions;
      fullMarks(grade, mode);
      totals[mode].perSubmission += grade.seconds / count;
      totals[mode].batchOverhead += (wall - grade.seconds) / count;
    }
  }
  return totals;
}

/** Wall time of one sandboxed batch of `count` honest submissions, graded `jobs` at a time. */
async function gradeBatchWithJobs(dir: string, count: number, jobs: number): Promise<number> {
  const folder = path.join(dir, `jobs-${jobs}`);
  mkdirSync(folder);
  const entries = Array.from({ length: count }, (_, i) => {
    const file = path.join(folder, `learner-${i}.ipynb`);
    writeFileSync(file, NOTEBOOK);
    return { file, assignment: ASSIGNMENT };
  });
  const started = performance.now();
  const report = await gradeBatch(entries, { out: path.join(folder, "grades"), cellTimeout: 120, jobs });
  const wall = performance.now() - started;
  for (const grade of report.submissions) fullMarks(grade, `with --jobs ${jobs}`);
  return wall;
}

/** Median time to run `node -e 0` directly and inside a sandbox. */
export function sandboxStartMs(dir: string): { plain: number; sandboxed: number } {
  const scratch = path.join(dir, "scratch");
  mkdirSync(scratch);
  if (process.getuid?.() === 0) chownSync(scratch, 65534, 65534);
  const spec = { repoRoot: REPO_ROOT, scratch, overlays: [], hidden: [], cwd: REPO_ROOT, env: { PATH: "/usr/bin:/bin" }, limits: DEFAULT_LIMITS };
  const time = (argv: string[]) => {
    const runs = Array.from({ length: 9 }, () => {
      const started = performance.now();
      // The same environment inside and out (under tsx, ours would load its loader into node too).
      spawnSync(argv[0], argv.slice(1), { stdio: "ignore", env: spec.env });
      return performance.now() - started;
    });
    return runs.sort((a, b) => a - b)[4];
  };
  const node = [process.execPath, "-e", "0"];
  return { plain: time(node), sandboxed: time(sandboxArgv(spec, node)) };
}

export async function benchGrading(): Promise<BenchRow[]> {
  installKernelSpec({ projectLocal: true });
  const dir = mkdtempSync(path.join(tmpdir(), "grading-bench-"));
  chmodSync(dir, 0o755);
  try {
    const start = sandboxStartMs(dir);
    const { sandboxed, unsandboxed } = await gradeAlternately(dir, SUBMISSIONS);
    const oneJob = await gradeBatchWithJobs(dir, JOBS_SUBMISSIONS, 1);
    const twoJobs = await gradeBatchWithJobs(dir, JOBS_SUBMISSIONS, 2);
    const ms = (seconds: number) => Math.round(seconds * 1000);
    return [
      { name: "a process started in a sandbox (node -e 0), extra", meanMs: Math.round(start.sandboxed - start.plain), goalMs: SANDBOX_GOAL_MS, note: `median of 9: ${Math.round(start.plain)} ms outside, ${Math.round(start.sandboxed)} ms inside` },
      { name: `grading a submission, sandboxed (mean of ${SUBMISSIONS})`, meanMs: ms(sandboxed.perSubmission) },
      { name: `grading a submission, unsandboxed (mean of ${SUBMISSIONS})`, meanMs: ms(unsandboxed.perSubmission) },
      { name: "what the sandbox adds per submission", meanMs: ms(sandboxed.perSubmission - unsandboxed.perSubmission), goalMs: SANDBOX_GOAL_MS, note: "alternating sandboxed and unsandboxed submissions" },
      {
        name: "once per batch: --out check, sandbox probe, quiz release",
        meanMs: ms(sandboxed.batchOverhead),
        note: `unsandboxed ${ms(unsandboxed.batchOverhead)} ms; over a ${SUBMISSIONS}-submission batch, ${ms((sandboxed.batchOverhead - unsandboxed.batchOverhead) / SUBMISSIONS)} ms more per submission`,
      },
      { name: `a batch of ${JOBS_SUBMISSIONS} submissions, sandboxed, --jobs 1`, meanMs: Math.round(oneJob), note: "wall time of the whole batch" },
      { name: "the same batch, --jobs 2", meanMs: Math.round(twoJobs), note: `wall time of the whole batch; ${(oneJob / twoJobs).toFixed(2)}× as fast as --jobs 1` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchGrading().then((rows) => console.table(rows));
}
