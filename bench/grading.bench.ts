/**
 * Grading time per submission for a batch (default 20 honest submissions of two questions, as a
 * class would hand in), in a bubblewrap sandbox each and, for comparison, unsandboxed; and the
 * bare cost of a sandbox (node started inside bubblewrap against outside). The goal: the sandbox
 * adds under 1 s per submission.
 *
 *     npx tsx bench/grading.bench.ts          (GRADING_BENCH_SUBMISSIONS=4 for a quick look)
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { QUIZZES } from "../quizzes";
import { REPO_ROOT } from "../src/course/jupyter";
import { installKernelSpec } from "../src/kernel/install";
import { assignmentOf, DEFAULT_LIMITS, gradeBatch, sandboxArgv } from "../src/quiz/grading";
import type { BenchRow } from "./run";

const SUBMISSIONS = Number(process.env.GRADING_BENCH_SUBMISSIONS ?? 20);
const SANDBOX_GOAL_MS = 1000;
const solution = (id: string) => QUIZZES.anonymisation.questions.find((q) => q.id === id)!.solution;
const code = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });
const NOTEBOOK = JSON.stringify({
  cells: [
    code('import { loadQuiz } from "../quizzes";\nconst quiz = loadQuiz("anonymisation");'),
    code(`// @answer anonymisation/quasi-identifiers\n${solution("quasi-identifiers")}`),
    code(`// @answer anonymisation/drop-identifiers\n${solution("drop-identifiers")}`),
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
});

function batchMs(dir: string, unsandboxed: boolean): number {
  const folder = path.join(dir, unsandboxed ? "plain" : "sandboxed");
  mkdirSync(folder);
  const assignment = assignmentOf("bench", ["anonymisation/quasi-identifiers", "anonymisation/drop-identifiers"], QUIZZES);
  const entries = Array.from({ length: SUBMISSIONS }, (_, i) => {
    const file = path.join(folder, `learner-${i}.ipynb`);
    writeFileSync(file, NOTEBOOK);
    return { file, assignment };
  });
  const started = performance.now();
  const report = gradeBatch(entries, { out: path.join(folder, "grades"), cellTimeout: 120, unsandboxed });
  const ms = performance.now() - started;
  const full = report.submissions.filter((s) => s.points === s.maxPoints).length;
  if (full !== SUBMISSIONS) throw new Error(`only ${full} of ${SUBMISSIONS} honest submissions got full marks`);
  return ms / SUBMISSIONS;
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
      spawnSync(argv[0], argv.slice(1), { stdio: "ignore" });
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
    const sandboxed = batchMs(dir, false);
    const plain = batchMs(dir, true);
    return [
      { name: "a process started in a sandbox (node -e 0), extra", meanMs: Math.round(start.sandboxed - start.plain), goalMs: SANDBOX_GOAL_MS, note: `median of 9: ${Math.round(start.plain)} ms outside, ${Math.round(start.sandboxed)} ms inside` },
      { name: `grading, per submission, sandboxed (${SUBMISSIONS}-submission batch)`, meanMs: Math.round(sandboxed) },
      { name: `grading, per submission, unsandboxed (${SUBMISSIONS}-submission batch)`, meanMs: Math.round(plain) },
      { name: "what the sandbox adds per submission", meanMs: Math.round(sandboxed - plain), goalMs: SANDBOX_GOAL_MS, note: "includes the release of the quizzes and the sandbox probe, once per batch" },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchGrading().then((rows) => console.table(rows));
}
