/**
 * Answer cells are marked by a first line `// @answer <quiz>/<question>`. The release check
 * swaps each for the question's solution, and the grader knows which cell answers what.
 */
import type { QuizDefinition } from "./types";

export const ANSWER_MARKER = /^\/\/ @answer ([\w-]+)\/([\w-]+)\s*$/;

export interface AnswerCellRef {
  quizId: string;
  questionId: string;
}

export function answerCellRef(source: string): AnswerCellRef | null {
  const match = ANSWER_MARKER.exec(source.split("\n", 1)[0]);
  return match ? { quizId: match[1], questionId: match[2] } : null;
}

interface NotebookCell {
  cell_type: string;
  source: string | string[];
  [key: string]: unknown;
}

const text = (source: string | string[]): string => (Array.isArray(source) ? source.join("") : source);

/** A copy of the notebook whose answer cells hold the solutions. */
export function withSolutions<N extends { cells: NotebookCell[] }>(notebook: N, quizzes: Record<string, QuizDefinition>): N {
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      if (cell.cell_type !== "code") return cell;
      const ref = answerCellRef(text(cell.source));
      if (!ref) return cell;
      const question = quizzes[ref.quizId]?.questions.find((q) => q.id === ref.questionId);
      if (!question) throw new Error(`answer cell names an unknown question ${ref.quizId}/${ref.questionId}`);
      return { ...cell, source: `// @answer ${ref.quizId}/${ref.questionId}\n${question.solution}` };
    }),
  };
}
