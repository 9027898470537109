/**
 * The teacher's grader: execute a learner's notebook with the course kernel (a broken cell does
 * not stop the others; a cell that runs too long is stopped and the kernel restored), then
 * re-check every question answered in it, hidden test cases included.
 */
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { InputError } from "../validation/errors";
import { tmpdir } from "node:os";
import path from "node:path";
import { NOTEBOOKS_DIR } from "../course/lessons";
import { executeNotebook, readNotebook, type Notebook } from "../course/notebookRunner";
import type { GradeReport } from "../render/quizViews";
import { answerCellRef } from "./answerCells";

export const GRADE_MIME = "application/vnd.privacy-course.grade+json";
const GRADE_CELL = `import { gradeAll } from "../quizzes";\ngradeAll()`;

export interface NotebookGrade {
  notebook: string;
  questions: GradeReport["results"];
  points: number;
  maxPoints: number;
  /** Cells that raised or were stopped; they score through the questions they answer. */
  cellErrors: { cell: number; ename: string; evalue: string }[];
}

const sourceOf = (cell: Notebook["cells"][number]): string => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);

/** The questions a notebook's answer cells promise, so an unanswered one still counts as 0. */
export function questionsIn(notebook: Notebook): string[] {
  return notebook.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => answerCellRef(sourceOf(c)))
    .filter((ref): ref is NonNullable<typeof ref> => ref !== null)
    .map((ref) => `${ref.quizId}/${ref.questionId}`);
}

export function gradeNotebook(notebook: Notebook, name: string, { cellTimeout = 60 } = {}): NotebookGrade {
  const expected = questionsIn(notebook);
  const withGrader: Notebook = {
    ...notebook,
    cells: [...notebook.cells, { cell_type: "code", source: GRADE_CELL, metadata: {}, outputs: [], execution_count: null }],
  };
  // Grading never touches the learner's own progress file.
  const progress = path.join(mkdtempSync(path.join(tmpdir(), "privacy-course-grade-")), "progress.json");
  const run = executeNotebook(withGrader, {
    cwd: NOTEBOOKS_DIR,
    cellTimeout,
    env: { ...process.env, PRIVACY_COURSE_PROGRESS: progress },
  });
  const last = run.notebook.cells[run.notebook.cells.length - 1];
  const output = (last.outputs ?? []).find((o) => o.data && GRADE_MIME in o.data);
  const report = output?.data?.[GRADE_MIME] as GradeReport | undefined;
  const graded = new Map((report?.results ?? []).map((r) => [`${r.quizId}/${r.questionId}`, r]));
  // A question the notebook asks but never checked (its cell failed or timed out) scores 0.
  const questions = expected.map(
    (key) =>
      graded.get(key) ?? {
        quizId: key.split("/")[0],
        questionId: key.split("/")[1],
        status: "not-attempted" as const,
        message: "The answer cell did not run to its check.",
        points: 0,
        maxPoints: 1,
        casesRun: 0,
        hidden: false,
      },
  );
  return {
    notebook: name,
    questions,
    points: questions.reduce((s, q) => s + q.points, 0),
    maxPoints: questions.reduce((s, q) => s + q.maxPoints, 0),
    cellErrors: run.errors.filter((e) => e.cell < notebook.cells.length),
  };
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

export function gradePaths(targets: string[], options: { cellTimeout?: number } = {}): NotebookGrade[] {
  return targets.flatMap(notebookPaths).map((file) => gradeNotebook(readNotebook(file), file, options));
}
