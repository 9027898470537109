/**
 * Grading the course's own notebooks in their kernel (the release check: solutions score full
 * marks, blank answers 0): each question re-checked in a cell of its own. Learners' submissions
 * are untrusted and are graded by grading/ instead, in a sandbox, with checks kept out of it.
 */
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { InputError } from "../validation/errors";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CellError, FailedReplay, Notebook, NotebookRun } from "../course/notebookRunner";
import type { GradeReport } from "../render/quizViews";
import { answerCellRef } from "./answerCells";
import type { QuizDefinition } from "./types";

export const GRADE_MIME = "application/vnd.privacy-course.grade+json";

type Cell = Notebook["cells"][number];
type QuestionGrade = GradeReport["results"][number];

export interface NotebookGrade {
  notebook: string;
  questions: QuestionGrade[];
  points: number;
  maxPoints: number;
  /** Cells that raised or were stopped; they score through the questions they answer. */
  cellErrors: CellError[];
  /** Kernel restarts that could not restore every earlier cell: answers before them may be missing. */
  failedReplays: FailedReplay[];
}

const sourceOf = (cell: Cell): string => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);

/** The notebook's answer cells: where each is and which question it answers ("quiz/question"). */
export function answerCellsIn(notebook: Notebook): { index: number; key: string }[] {
  return notebook.cells.flatMap((cell, index) => {
    const ref = cell.cell_type === "code" ? answerCellRef(sourceOf(cell)) : null;
    return ref ? [{ index, key: `${ref.quizId}/${ref.questionId}` }] : [];
  });
}

/** The questions a notebook's answer cells promise, once each, so an unanswered one still counts as 0. */
export function questionsIn(notebook: Notebook): string[] {
  return [...new Set(answerCellsIn(notebook).map((a) => a.key))];
}

/**
 * The notebook followed by one grading cell per question it asks: each re-checks its question,
 * hidden cases included, under the cell time limit of its own.
 */
export function withGradeCells(notebook: Notebook): Notebook {
  const cells = questionsIn(notebook).map(
    (key): Cell => ({
      cell_type: "code",
      source: `import { gradeAll } from "privacy-course/quiz";\ngradeAll(${JSON.stringify([key])})`,
      metadata: {},
      outputs: [],
      execution_count: null,
    }),
  );
  return { ...notebook, cells: [...notebook.cells, ...cells] };
}

const failure = (e: CellError): string => `${e.ename}: ${e.evalue}`;

function question(key: string, fields: Pick<QuestionGrade, "status" | "message">, quizzes: Record<string, QuizDefinition>): QuestionGrade {
  const [quizId, questionId] = key.split("/");
  const maxPoints = quizzes[quizId]?.questions.find((q) => q.id === questionId)?.points ?? 1;
  return { quizId, questionId, ...fields, points: 0, maxPoints, casesRun: 0, hidden: false };
}

/**
 * The grade of `notebook` from a run of withGradeCells(notebook) (the run may go on after the
 * grading cells). A question whose answer cell raised or was stopped keeps what its check gave
 * (0 unless the check had passed before the failure) and says why; one whose check never ran,
 * or was itself stopped, scores 0.
 */
export function gradeFromRun(notebook: Notebook, run: NotebookRun, name: string, quizzes: Record<string, QuizDefinition>): NotebookGrade {
  const errorAt = new Map(run.errors.map((e) => [e.cell, e]));
  const answers = answerCellsIn(notebook);
  const questions = questionsIn(notebook).map((key, i): QuestionGrade => {
    const index = notebook.cells.length + i;
    const report = (run.notebook.cells[index]?.outputs ?? []).find((o) => o.data && GRADE_MIME in o.data)?.data?.[GRADE_MIME] as GradeReport | undefined;
    const checked = report?.results.find((r) => `${r.quizId}/${r.questionId}` === key);
    const gradeError = errorAt.get(index);
    const answerError = answers.map((a) => (a.key === key ? errorAt.get(a.index) : undefined)).find((e) => e !== undefined);
    const lostInReplay = !answerError && (!checked || checked.status === "not-attempted") ? replayLoss(run.failedReplays, answers, key, index) : undefined;
    if (lostInReplay) return question(key, { status: "incorrect", message: lostInReplay }, quizzes);
    if (!checked) {
      if (answerError) return question(key, { status: "incorrect", message: `The answer cell failed (${failure(answerError)})` }, quizzes);
      if (gradeError) return question(key, { status: "incorrect", message: `Checking the answer, hidden cases included, failed (${failure(gradeError)})` }, quizzes);
      return question(key, { status: "not-attempted", message: "The answer cell did not run to its check." }, quizzes);
    }
    if (!answerError) return checked;
    const failed = `The answer cell failed (${failure(answerError)})`;
    // Not attempted means the check never saw an answer: the failure is the whole story.
    if (checked.status === "not-attempted") return { ...checked, status: "incorrect", message: failed };
    return { ...checked, message: `${failed}. ${checked.message}` };
  });
  return {
    notebook: name,
    questions,
    points: questions.reduce((s, q) => s + q.points, 0),
    maxPoints: questions.reduce((s, q) => s + q.maxPoints, 0),
    cellErrors: run.errors.filter((e) => e.cell < notebook.cells.length),
    failedReplays: run.failedReplays,
  };
}

/**
 * Why an answer that had run could not be checked: the kernel was restarted between its answer
 * cell and its grading cell, and a cell up to the answer could not be replayed on the new one.
 */
function replayLoss(replays: FailedReplay[], answers: { index: number; key: string }[], key: string, gradeCell: number): string | undefined {
  const answerCell = Math.max(...answers.filter((a) => a.key === key).map((a) => a.index));
  for (const replay of replays) {
    if (replay.before <= answerCell || replay.before > gradeCell) continue;
    const lost = replay.problems.find((p) => p.cell <= answerCell);
    if (lost) {
      return (
        `The kernel had to be restarted before cell ${replay.before}, and cell ${lost.cell} could not be run again on the new one ` +
        `(${lost.outcome}${lost.ename ? `, ${failure(lost)}` : ""}): this answer could not be checked; run the notebook again to grade it.`
      );
    }
  }
  return undefined;
}

/** An environment for grading runs: a progress file of their own, never the learner's. */
export function gradingEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, PRIVACY_COURSE_PROGRESS: path.join(mkdtempSync(path.join(tmpdir(), "privacy-course-grade-")), "progress.json") };
}

/** A notebook file, or every .ipynb below a folder of submissions. */
export function notebookPaths(target: string): string[] {
  if (!existsSync(target)) throw new InputError("notebooks", "existing .ipynb files or folders of them", target);
  if (!statSync(target).isDirectory()) {
    if (!target.endsWith(".ipynb")) throw new InputError("notebooks", "existing .ipynb files or folders of them", target);
    return [target];
  }
  return readdirSync(target, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ipynb") && !f.includes(".ipynb_checkpoints"))
    .sort()
    .map((f) => path.join(target, f));
}
