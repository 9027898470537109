/**
 * What is graded: the questions of an assignment and their points come from the grader's quiz
 * definitions, never from the cells a submission happens to contain. A submission is read as
 * untrusted text: anything that is not a well-formed notebook is a reason, not a crash.
 */
import { InputError } from "../../validation/errors";
import { answerCellRef } from "../answerCells";
import type { Question, QuizDefinition } from "../types";

export interface AssignedQuestion {
  /** "quiz/question" */
  key: string;
  quizId: string;
  questionId: string;
  question: Question;
  points: number;
}

export interface Assignment {
  name: string;
  questions: AssignedQuestion[];
}

/** The assignment made of these questions ("quiz/question"), each looked up in `quizzes`. */
export function assignmentOf(name: string, keys: string[], quizzes: Record<string, QuizDefinition>): Assignment {
  if (keys.length === 0) throw new InputError("assignment questions", "at least one \"quiz/question\"", keys);
  const questions = [...new Set(keys)].map((key): AssignedQuestion => {
    const [quizId, questionId, ...rest] = key.split("/");
    const question = rest.length === 0 ? quizzes[quizId]?.questions.find((q) => q.id === questionId) : undefined;
    if (!question) throw new InputError("assignment question", `one of the quizzes' questions ("quiz/question")`, key);
    return { key, quizId, questionId, question, points: question.points ?? 1 };
  });
  return { name, questions };
}

export interface SubmittedCell {
  cell_type: "code" | "markdown" | "raw";
  source: string;
}

/** A submission reduced to what runs: cell kinds and sources (outputs, metadata and attachments dropped). */
export interface Submission {
  cells: SubmittedCell[];
}

const MAX_SUBMISSION_BYTES = 20 * 1024 * 1024;

/** Parses a submitted .ipynb; throws an Error whose message says what is wrong with it. */
export function parseSubmission(text: string): Submission {
  if (text.length > MAX_SUBMISSION_BYTES) throw new Error(`the notebook is larger than ${MAX_SUBMISSION_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`the notebook is not valid JSON (${error instanceof Error ? error.message : String(error)}); was it saved completely?`);
  }
  if (typeof json !== "object" || json === null || !Array.isArray((json as { cells?: unknown }).cells)) {
    throw new Error("the notebook has no list of cells (not an .ipynb of nbformat 4)");
  }
  const cells = (json as { cells: unknown[] }).cells.map((cell, index): SubmittedCell => {
    const { cell_type: type, source } = (cell ?? {}) as { cell_type?: unknown; source?: unknown };
    if (type !== "code" && type !== "markdown" && type !== "raw") throw new Error(`cell ${index} has no valid cell_type`);
    const text = typeof source === "string" ? source : Array.isArray(source) && source.every((s) => typeof s === "string") ? source.join("") : undefined;
    if (text === undefined) throw new Error(`cell ${index} has no valid source`);
    return { cell_type: type, source: text };
  });
  return { cells };
}

export interface SubmissionScan {
  /** Code cells answering each assigned question, by key (absent: deleted or renamed). */
  answerCells: Map<string, number[]>;
  /** Answer markers of questions outside the assignment: their cells run as ordinary code and are not graded. */
  foreignMarkers: { cell: number; key: string }[];
}

export function scanSubmission(submission: Submission, assignment: Assignment): SubmissionScan {
  const assigned = new Set(assignment.questions.map((q) => q.key));
  const answerCells = new Map<string, number[]>();
  const foreignMarkers: { cell: number; key: string }[] = [];
  submission.cells.forEach((cell, index) => {
    const ref = cell.cell_type === "code" ? answerCellRef(cell.source) : null;
    if (!ref) return;
    const key = `${ref.quizId}/${ref.questionId}`;
    if (assigned.has(key)) answerCells.set(key, [...(answerCells.get(key) ?? []), index]);
    else foreignMarkers.push({ cell: index, key });
  });
  return { answerCells, foreignMarkers };
}
