/**
 * The grader on a generated submission: correct answers, a cell that throws, a cell that loops
 * forever (interrupted), an answer that loops only on a hidden case (its collection is stopped),
 * and a cell stuck where an interrupt cannot reach it (the kernel is killed, a fresh one replays
 * what had succeeded). Graded in its sandbox through gradeBatch, so the report files are checked
 * too. No sandbox (nor anything in it) may be left running.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { QUIZZES } from "../../quizzes";
import { jupyterAvailable, missingJupyterMessage } from "../../src/course/jupyter";
import { assignmentOf, gradeBatch, gradeRows, type BatchReport } from "../../src/quiz/grading";
import { textTable } from "../../src/render/text/textTable";

const solution = (quizId: string, questionId: string): string => QUIZZES[quizId].questions.find((q) => q.id === questionId)!.solution;
const code = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });
const answer = (key: string, source: string) => code(`// @answer ${key}\n${source}`);

const CELLS = [
  { cell_type: "markdown", source: "# A submission", metadata: {} },
  code('import { loadQuiz } from "privacy-course/quiz";\nimport { calibrateNoise, computeEpsilon } from "privacy-course";\nlet quiz = loadQuiz("pipeline");'),
  answer("pipeline/anonymisation-purpose", 'quiz.q1.check("A")'),
  answer("pipeline/dp-noise", "const letter: string = (undefined as any).trim();\nquiz.q2.check(letter)"),
  answer("pipeline/prediction-privacy", 'while (true) {}\nquiz.q3.check("C")'),
  code('quiz = loadQuiz("anonymisation");'),
  answer("anonymisation/quasi-identifiers", 'quiz.q1.check("B")'),
  // Passes the visible cases; loops forever on the hidden empty table.
  answer(
    "anonymisation/drop-identifiers",
    "function removeIdentifiers(rows: Record<string, string | number>[]) {\n  while (rows.length === 0) {}\n" +
      "  return rows.map(({ name, email, phone, ...rest }) => rest);\n}\nquiz.q2.check(removeIdentifiers)",
  ),
  code('quiz = loadQuiz("differential-privacy");'),
  answer("differential-privacy/epsilon-spent", solution("differential-privacy", "epsilon-spent")),
  // Blocked in a child that ignores SIGINT: the interrupt cannot stop it, the kernel is killed.
  answer("differential-privacy/clip", `import { execSync } from "node:child_process";\nexecSync("trap '' INT; sleep 600");\n${solution("differential-privacy", "clip")}`),
  // Runs on the fresh kernel: right only if the cells before were replayed.
  answer("differential-privacy/choose-sigma", solution("differential-privacy", "choose-sigma")),
];

/**
 * Seconds per answer cell. Cells that answer nothing (the import) get the grader's longer setup
 * time; the answers here take well under a second, so 10 s leaves a loaded machine room while
 * each looping cell's stop (three of them, each also in its isolated re-run) stays short.
 */
const CELL_TIMEOUT = 10;
const RIGHT = ["pipeline/anonymisation-purpose", "anonymisation/quasi-identifiers", "differential-privacy/epsilon-spent", "differential-privacy/choose-sigma"];
const pointsOf = (key: string) => QUIZZES[key.split("/")[0]].questions.find((q) => q.id === key.split("/")[1])!.points ?? 1;

/** Processes whose environment holds the marker: the sandboxes started for this test (what runs inside dies with them). */
function processesMarked(marker: string): string[] {
  return readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid)
    .flatMap((pid) => {
      try {
        if (!readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(marker)) return [];
        return [`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ")}`];
      } catch {
        return []; // exited meanwhile
      }
    });
}

beforeAll(() => {
  if (!jupyterAvailable()) throw new Error(missingJupyterMessage());
});

describe("processesMarked", () => {
  it("finds a running process by the marker in its environment", async () => {
    const marker = `PRIVACY_COURSE_TEST_RUN=${randomUUID()}`;
    const child = spawn("sleep", ["30"], { env: { ...process.env, PRIVACY_COURSE_TEST_RUN: marker.split("=")[1] }, stdio: "ignore" });
    await new Promise((resolve) => child.once("spawn", resolve));
    try {
      expect(processesMarked(marker)).toHaveLength(1);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("grading a submission with broken, looping and stuck cells", () => {
  it("scores those questions 0 with the reason, the others in full, and leaves no sandbox behind", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "grade-test-"));
    const file = path.join(dir, "submission.ipynb");
    writeFileSync(file, JSON.stringify({ cells: CELLS, metadata: { kernelspec: { name: "privacy-course", display_name: "TypeScript", language: "typescript" } }, nbformat: 4, nbformat_minor: 5 }));
    const keys = CELLS.flatMap((c) => /^\/\/ @answer (\S+)/.exec(c.source)?.[1] ?? []);
    const run = randomUUID();
    process.env.PRIVACY_COURSE_TEST_RUN = run;
    let report: BatchReport;
    try {
      // Two jobs: the questions graded again on their own re-run side by side.
      report = await gradeBatch([{ file, assignment: assignmentOf("broken cells", keys, QUIZZES) }], { out: path.join(dir, "grades"), cellTimeout: CELL_TIMEOUT, jobs: 2 });
    } finally {
      delete process.env.PRIVACY_COURSE_TEST_RUN;
    }
    expect(processesMarked(`PRIVACY_COURSE_TEST_RUN=${run}`)).toEqual([]);

    const grade = (JSON.parse(readFileSync(path.join(dir, "grades", "grades.json"), "utf8")) as BatchReport).submissions[0];
    expect(grade).toEqual(report.submissions[0]);
    const byKey = Object.fromEntries(grade.questions.map((q) => [`${q.quizId}/${q.questionId}`, q]));
    expect(Object.keys(byKey)).toEqual(keys);
    // The message too, so that a failure says why.
    for (const key of RIGHT) expect([key, byKey[key].status, byKey[key].points, byKey[key].message]).toEqual([key, "correct", pointsOf(key), expect.stringMatching(/^Correct/)]);
    const stopped = `(CellTimeoutError: The cell ran for more than ${CELL_TIMEOUT} s and was stopped.)`;
    const zero = (key: string, message: string) => expect([key, byKey[key].status, byKey[key].points, byKey[key].message]).toEqual([key, "incorrect", 0, message]);
    zero("pipeline/dp-noise", "The answer cell failed (TypeError: Cannot read properties of undefined (reading 'trim'))");
    zero("pipeline/prediction-privacy", `The answer cell failed ${stopped}`);
    zero("anonymisation/drop-identifiers", `Running the answer on the test cases, hidden ones included, failed ${stopped}`);
    zero("differential-privacy/clip", `The answer cell failed ${stopped}`);
    expect(grade.points).toBe(RIGHT.reduce((s, key) => s + pointsOf(key), 0));
    expect(grade.maxPoints).toBe(keys.reduce((s, key) => s + pointsOf(key), 0));
    expect(grade.cellErrors.map((e) => [e.cell, e.ename, e.outcome])).toEqual([
      [3, "TypeError", "error"],
      [4, "CellTimeoutError", "stopped"],
      [10, "CellTimeoutError", "killed"],
    ]);

    const csv = readFileSync(path.join(dir, "grades", "grades.csv"), "utf8");
    expect(csv).toContain(`,pipeline/prediction-privacy,incorrect,0,1,The answer cell failed ${stopped}\n`);
    expect(textTable(["submission", "question", "status", "points", "max", "message"], gradeRows(report.submissions))).toMatch(/│ pipeline\/prediction-privacy +│ incorrect +│ 0 +│ 1 +│ The answer cell failed/);
  }, 900_000);
});
