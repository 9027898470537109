/**
 * Hostile submissions, graded in one batch next to an honest one: each attack of issue 17 is
 * graded as the wrong answer it is, the repository is byte-identical afterwards, nothing a
 * submission started outlives the batch, a symlink planted at the output is replaced rather than
 * followed, and the honest submission (and every honest answer next to an attack) keeps its score.
 */
import { createHash, randomInt, randomUUID } from "node:crypto";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { QUIZZES } from "../../quizzes";
import { REPO_ROOT } from "../../src/course/jupyter";
import { jupyterAvailable, missingJupyterMessage } from "../../src/course/jupyter";
import { assignmentOf, gradeBatch, type BatchReport, type SubmissionGrade } from "../../src/quiz/grading";

const Q1 = "anonymisation/quasi-identifiers";
const Q2 = "anonymisation/drop-identifiers";
const SOLUTION_Q2 = QUIZZES.anonymisation.questions.find((q) => q.id === "drop-identifiers")!.solution;
const code = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });
const answer = (key: string, source: string) => code(`// @answer ${key}\n${source}`);
// As the lessons import it: the built package (its quizzes replaced by the student release in the sandbox).
const SETUP = code('import { loadQuiz } from "privacy-course/quiz";\nconst quiz = loadQuiz("anonymisation");');
const notebook = (cells: object[]) => JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });

/** A marker no other process has in its command line: the background process of the attack sleeps for it. */
const MARKER = `${randomInt(100, 999)}.${randomInt(100000, 999999)}`;
const RUN = randomUUID();
const dir = mkdtempSync(path.join(tmpdir(), "hostile-"));
const out = path.join(dir, "grades");

const SUBMISSIONS: Record<string, string> = {
  "honest.ipynb": notebook([SETUP, answer(Q1, 'quiz.q1.check("B")'), answer(Q2, SOLUTION_Q2)]),
  // Patches that once made the in-kernel check say "correct": a prototype, the module cache, JSON.stringify, and a forged answer record.
  "tamper.ipynb": notebook([
    SETUP,
    code(
      'const upper = String.prototype.toUpperCase;\nString.prototype.toUpperCase = function (this: string) { return this.trim() === "A" ? "B" : upper.call(this); };\n' +
        "const stringify = JSON.stringify;\n" +
        'JSON.stringify = function (value: any, ...rest: any[]) { const text = (stringify as any).call(this, value, ...rest); return typeof text === "string" ? text.split(\'"incorrect"\').join(\'"correct"\') : text; } as typeof JSON.stringify;\n' +
        "for (const [id, mod] of Object.entries(require.cache)) {\n" +
        '  if (mod && /src[\\/\\\\]quiz[\\/\\\\]check\\.[jt]s$/.test(id)) mod.exports = { ...mod.exports, checkAnswer: () => ({ questionId: "x", status: "correct", message: "Correct", points: 1, maxPoints: 1, casesRun: 0, hidden: true }) };\n' +
        "}\n" +
        'import { writeFileSync } from "node:fs";\nimport { serialize } from "node:v8";\n' +
        `const forged = { exports: { collectAnswer: (key: string, _cases: string, dir: string) => writeFileSync(dir + "/" + key.replace("/", "__") + ".v8", serialize({ key, answered: true, kind: key.endsWith("identifiers") && key.includes("drop") ? "function" : "value", value: "A", source: "", outcomes: [], status: "correct", points: 1 })) } };\n` +
        `require.cache[${JSON.stringify(path.join(REPO_ROOT, "src/quiz/grading/collect.ts"))}] = forged as any;`,
    ),
    answer(Q1, 'quiz.q1.check("A")'),
    answer(Q2, "quiz.q2.check((rows: object[]) => rows)"),
  ]),
  // Reads for hidden cases, writes to the repository and the grades, plants a symlink and a background process; the q1 answer cell is gone, a foreign marker added.
  "snoop.ipynb": notebook([
    SETUP,
    code('quiz.q1.check("B") // answered, but not in the answer cell'),
    answer("differential-privacy/epsilon-spent", "quiz.q1.check(3.89)"),
    answer(
      Q2,
      'import * as fs from "node:fs";\nimport { spawn } from "node:child_process";\n' +
        'const attempt = (f: () => unknown) => { try { f(); return "done"; } catch (e: any) { return String(e.code ?? e.message); } };\n' +
        'const read = (p: string) => { try { return fs.readFileSync(p, "utf8"); } catch { try { return fs.readdirSync(p).join(","); } catch { return ""; } } };\n' +
        "const found = {\n" +
        '  sawHidden: read("../quizzes/anonymisation.ts").includes("Edsger"),\n' +
        '  gitVisible: read("../.git").length > 0,\n' +
        '  testsVisible: read("../test/quiz").length > 0,\n' +
        "  wrote: [\n" +
        '    attempt(() => fs.writeFileSync("../src/quiz/check.ts", "export const checkAnswer = () => ({ status: \'correct\' });")),\n' +
        '    attempt(() => fs.rmSync("../datasets", { recursive: true })),\n' +
        '    attempt(() => fs.unlinkSync("../quizzes/anonymisation.ts")),\n' +
        `    attempt(() => fs.symlinkSync(${JSON.stringify(path.join(REPO_ROOT, "README.md"))}, ${JSON.stringify(path.join(out, "grades.csv"))})),\n` +
        `    attempt(() => fs.writeFileSync(${JSON.stringify(path.join(out, "grades.csv"))}, "hacked")),\n` +
        "  ],\n" +
        "};\n" +
        `spawn("sh", ["-c", "(sleep ${MARKER}; echo hacked > ${path.join(out, "grades.csv")}) &"], { detached: true, stdio: "ignore" }).unref();\n` +
        "quiz.q2.check((rows: object[]) => found)",
    ),
  ]),
  "malformed.ipynb": notebook([SETUP, answer(Q1, 'quiz.q1.check("B")')]).slice(0, 120),
  // The answer to q1 is right; q2's cell kills the runner: q1 keeps its point.
  "kill-parent.ipynb": notebook([SETUP, answer(Q1, 'quiz.q1.check("B")'), answer(Q2, 'process.kill(process.ppid, "SIGKILL");')]),
  "memory-bomb.ipynb": notebook([
    SETUP,
    answer(Q1, 'quiz.q1.check("B")'),
    answer(Q2, "const hog: number[][] = [];\nfor (;;) hog.push(new Array(1e6).fill(Math.random()));"),
  ]),
  // A timer set by the q2 answer hangs the kernel while the honest q1 answer (which takes its time) runs.
  "timer-hang.ipynb": notebook([
    SETUP,
    answer(Q2, 'setTimeout(() => { for (;;) {} }, 2000);\nquiz.q2.check("not a function")'),
    answer(Q1, 'await new Promise((resolve) => setTimeout(resolve, 4000));\nquiz.q1.check("B")'),
  ]),
};

/** A digest of each file in the parts of the repository a submission would attack. */
function repoDigests(): Record<string, string> {
  const digests: Record<string, string> = {};
  const walk = (p: string): void => {
    const stat = lstatSync(p);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p).sort()) walk(path.join(p, entry));
    } else {
      digests[path.relative(REPO_ROOT, p)] = stat.isSymbolicLink() ? "symlink" : createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  for (const part of ["src", "quizzes", "datasets", "notebooks", "lessons", "scripts", "bin", "README.md", "package.json"]) walk(path.join(REPO_ROOT, part));
  return digests;
}

/** Processes whose command line contains `text`, or whose environment holds `variable`. */
function processesWith(text: string, variable = "\0no such variable\0"): string[] {
  return readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid)
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ");
        const marked = cmdline.includes(text) || readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(variable);
        return marked ? [`${pid}: ${cmdline}`] : [];
      } catch {
        return [];
      }
    });
}

let report: BatchReport;
let before: Record<string, string>;
const sentinel = path.join(dir, "sentinel.txt");
const byName = (name: string): SubmissionGrade => report.submissions.find((s) => path.basename(s.submission) === name)!;
const statuses = (name: string) => byName(name).questions.map((q) => [`${q.quizId}/${q.questionId}`, q.status, q.points]);

beforeAll(async () => {
  if (!jupyterAvailable()) throw new Error(missingJupyterMessage());
  const submissions = path.join(dir, "submissions");
  mkdirSync(submissions);
  for (const [name, text] of Object.entries(SUBMISSIONS)) writeFileSync(path.join(submissions, name), text);
  // A symlink planted where the grades go, pointing at a file that must stay as it is.
  writeFileSync(sentinel, "untouched\n");
  mkdirSync(out);
  symlinkSync(sentinel, path.join(out, "grades.csv"));
  before = repoDigests();
  const assignment = assignmentOf("hostile", [Q1, Q2], QUIZZES);
  const entries = Object.keys(SUBMISSIONS).map((name) => ({ file: path.join(submissions, name), assignment }));
  // The sandboxes inherit this marker (inside them the environment is cleared; what runs there dies with them).
  process.env.PRIVACY_COURSE_TEST_RUN = RUN;
  try {
    report = await gradeBatch(entries, { out, overwrite: true, cellTimeout: 10, jobs: 2, limits: { memoryMB: 1536, processes: 256, fileMB: 64, tmpMB: 128 } });
  } finally {
    delete process.env.PRIVACY_COURSE_TEST_RUN;
  }
}, 1_500_000);

describe("a batch of hostile submissions", () => {
  it("grades in a sandbox, and leaves the repository byte-identical and no process behind", () => {
    expect(report.sandbox).toMatch(/^bubblewrap/);
    expect(report.submissions.every((s) => s.sandboxed)).toBe(true);
    expect(repoDigests()).toEqual(before);
    expect(processesWith(`sleep ${MARKER}`, `PRIVACY_COURSE_TEST_RUN=${RUN}`)).toEqual([]);
  });

  it("keeps the honest submission's full score", () => {
    expect(statuses("honest.ipynb")).toEqual([[Q1, "correct", 1], [Q2, "correct", 1]]);
  });

  it("judges answers outside the submission's process: patched prototypes, module cache, JSON and forged records change nothing", () => {
    const [q1, q2] = byName("tamper.ipynb").questions;
    expect([q1.status, q1.points, q1.message]).toEqual(["incorrect", 0, "Name and email are direct identifiers: each points at one person on its own."]);
    expect([q2.status, q2.points]).toEqual(["incorrect", 0]);
  });

  it("shows a submission no hidden case, no .git, no tests, and lets it write nothing outside its scratch", () => {
    const snoop = byName("snoop.ipynb");
    const [q1, q2] = snoop.questions;
    expect([q1.status, q1.points, q1.message]).toEqual(["incorrect", 0, `No answer cell for this question: the cell marked "// @answer ${Q1}" was deleted, or its marker changed.`]);
    expect([q2.status, q2.points]).toEqual(["incorrect", 0]);
    const got = q2.failingCase?.got ?? "";
    expect(got).toMatch(/sawHidden: false/);
    expect(got).toMatch(/gitVisible: false/);
    expect(got).toMatch(/testsVisible: false/);
    expect(got).not.toMatch(/'done'/);
    expect(snoop.foreignMarkers).toEqual([{ cell: 2, key: "differential-privacy/epsilon-spent" }]);
  });

  it("writes grades through neither a planted symlink nor anything a submission started", () => {
    expect(readFileSync(sentinel, "utf8")).toBe("untouched\n");
    expect(lstatSync(path.join(out, "grades.csv")).isFile()).toBe(true);
    const csv = readFileSync(path.join(out, "grades.csv"), "utf8");
    expect(csv).not.toMatch(/hacked/);
    expect(csv.trim().split("\n")).toHaveLength(1 + 2 * Object.keys(SUBMISSIONS).length);
    expect(readdirSync(path.join(out, "submissions"))).toHaveLength(Object.keys(SUBMISSIONS).length);
  });

  it("scores a malformed notebook 0 with the reason, and goes on", () => {
    const malformed = byName("malformed.ipynb");
    expect(malformed.points).toBe(0);
    expect(malformed.maxPoints).toBe(2);
    expect(malformed.problem).toMatch(/^The notebook could not be read: the notebook is not valid JSON/);
  });

  it("keeps an honest answer's point next to a cell that kills the runner, a memory bomb, or a timer that hangs the kernel", () => {
    for (const name of ["kill-parent.ipynb", "memory-bomb.ipynb", "timer-hang.ipynb"]) {
      expect([name, ...statuses(name)]).toEqual([name, [Q1, "correct", 1], [Q2, "incorrect", 0]]);
    }
    // The timer really hung the kernel in the first run, and q1 was graded again on its own.
    expect(byName("timer-hang.ipynb").isolated).toContain(Q1);
    expect(byName("kill-parent.ipynb").questions[1].message).toMatch(/ended before its end|not collected/);
  });
});
