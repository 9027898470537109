/**
 * gradeFromRun on hand-made runs (no kernel): what each question scores from its answer cell,
 * its grading cell and the kernel restarts in between.
 */
import { describe, expect, it } from "vitest";
import type { Notebook, NotebookRun } from "../../src/course/notebookRunner";
import { QUIZZES } from "../../quizzes";
import { GRADE_MIME, gradeFromRun, withGradeCells } from "../../src/quiz/grade";

const code = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });
const NOTEBOOK: Notebook = {
  cells: [
    code('import { loadQuiz } from "privacy-course/quiz";\nconst quiz = loadQuiz("differential-privacy");'),
    code("// @answer differential-privacy/epsilon-spent\nquiz.q1.check(3.89)"),
    code('import { execSync } from "node:child_process";\nexecSync("sleep 600");'),
  ],
};
const KEY = { quizId: "differential-privacy", questionId: "epsilon-spent" };

/** The run of withGradeCells(NOTEBOOK) whose grading cell (index 3) shows `status`. */
function runWith(status: "correct" | "not-attempted", extra: Partial<NotebookRun> = {}): NotebookRun {
  const graded = withGradeCells(NOTEBOOK);
  const result = { ...KEY, status, message: status, points: status === "correct" ? 1 : 0, maxPoints: 1, casesRun: 1, hidden: false };
  graded.cells[3].outputs = [{ output_type: "display_data", data: { [GRADE_MIME]: { results: [result], points: result.points, maxPoints: 1 } } }];
  return { notebook: graded, errors: [{ cell: 2, ename: "CellTimeoutError", evalue: "stopped" }], failedReplays: [], ...extra };
}

describe("gradeFromRun", () => {
  it("keeps what the grading cell found when the kernel restart restored everything", () => {
    const grade = gradeFromRun(NOTEBOOK, runWith("correct"), "x.ipynb", QUIZZES);
    expect(grade.questions.map((q) => [q.status, q.points])).toEqual([["correct", 1]]);
    expect(grade.cellErrors.map((e) => e.cell)).toEqual([2]);
  });

  it("says a restart lost the answer when the answer cell could not be replayed", () => {
    const failedReplays = [{ before: 3, problems: [{ cell: 1, outcome: "error" as const, ename: "TypeError", evalue: "boom" }] }];
    const grade = gradeFromRun(NOTEBOOK, runWith("not-attempted", { failedReplays }), "x.ipynb", QUIZZES);
    expect(grade.questions[0].status).toBe("incorrect");
    expect(grade.questions[0].message).toMatch(/restarted before cell 3, and cell 1 could not be run again .*TypeError: boom.*run the notebook again/);
    expect(grade.failedReplays).toEqual(failedReplays);
  });

  it("does not blame a restart that came before the answer, or one that restored the answer's cells", () => {
    const before = [{ before: 1, problems: [{ cell: 0, outcome: "stopped" as const, ename: "", evalue: "" }] }];
    expect(gradeFromRun(NOTEBOOK, runWith("not-attempted", { failedReplays: before }), "x", QUIZZES).questions[0].status).toBe("not-attempted");
    const later = [{ before: 3, problems: [{ cell: 2, outcome: "error" as const, ename: "E", evalue: "e" }] }];
    expect(gradeFromRun(NOTEBOOK, runWith("not-attempted", { failedReplays: later }), "x", QUIZZES).questions[0].status).toBe("not-attempted");
  });
});
