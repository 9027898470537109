/** What the quiz tests share: a scratch progress file per test, a question by id, and its check with the hidden cases. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach } from "vitest";
import { QUIZZES } from "../../quizzes";
import { checkAnswer } from "../../src/quiz/check";
import type { Question } from "../../src/quiz/types";

/** Each test records quiz progress in a file of its own, never the learner's. */
export function scratchProgressPerTest(): void {
  beforeEach(() => {
    process.env.PRIVACY_COURSE_PROGRESS = path.join(mkdtempSync(path.join(tmpdir(), "quiz-")), "progress.json");
  });
}

export function question(quizId: string, questionId: string): Question {
  const found = QUIZZES[quizId]?.questions.find((q) => q.id === questionId);
  if (!found) throw new Error(`no question ${quizId}/${questionId}`);
  return found;
}

export const statusOf = (q: Question, answer: unknown, includeHidden = true) => checkAnswer(q, answer, { includeHidden });
