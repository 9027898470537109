/**
 * A quiz in a notebook: `quiz.q1.check(answer)`, `quiz.q1.hint()`, `quiz.q1.solution()`.
 * Every quiz made in this process is remembered with each question's last answer, so the
 * grader can re-check them all, hidden test cases included, with gradeAll().
 */
import { checkAnswer } from "./check";
import { updateProgress } from "./progress";
import type { CheckResult, Question, QuizDefinition } from "./types";
import { checkResultView, gradeView, hintView, questionView, solutionView, type GradeReport } from "../render/quizViews";
import type { Displayable } from "../render/mime";

export interface QuestionHandle extends Displayable {
  readonly id: string;
  readonly prompt: string;
  check(answer: unknown): Displayable & { result: CheckResult };
  hint(): Displayable;
  solution(): Displayable;
}

export type Quiz = { readonly id: string; readonly title: string; readonly questions: QuestionHandle[] } & Record<string, QuestionHandle>;

interface LiveQuestion {
  quizId: string;
  question: Question;
  answered: boolean;
  lastAnswer: unknown;
}

/**
 * Kept on the global object under a registered symbol, so that every copy of this module in a
 * kernel (the notebook's import, the grader's collection cell, a packaged build) sees the same
 * quizzes.
 */
const LIVE_KEY = Symbol.for("privacy-course.quiz.live");
const live: Map<string, LiveQuestion> = ((globalThis as Record<symbol, unknown>)[LIVE_KEY] as Map<string, LiveQuestion> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[LIVE_KEY] = new Map<string, LiveQuestion>());

/** The last answer given to a question ("quiz/question") in this process, if it was checked at all. */
export function lastAnswerTo(key: string): { answered: boolean; answer: unknown } | undefined {
  const state = live.get(key);
  return state && { answered: state.answered, answer: state.lastAnswer };
}

function handle(quizId: string, question: Question, number: number): QuestionHandle {
  const key = `${quizId}/${question.id}`;
  const state: LiveQuestion = live.get(key) ?? { quizId, question, answered: false, lastAnswer: undefined };
  live.set(key, state);
  let hintsShown = 0;
  return {
    id: question.id,
    prompt: question.prompt,
    toMimeBundle: () => questionView(number, question).toMimeBundle(),
    check(answer) {
      state.answered = true;
      state.lastAnswer = answer;
      const result = checkAnswer(question, answer);
      updateProgress(key, (p) => ({
        ...p,
        attempts: p.attempts + (result.status === "not-attempted" ? 0 : 1),
        correct: p.correct || result.status === "correct",
        lastStatus: result.status,
      }));
      return Object.assign(checkResultView(question, result), { result });
    },
    hint() {
      const level = Math.min(hintsShown, question.hints.length - 1);
      hintsShown = Math.min(hintsShown + 1, question.hints.length);
      updateProgress(key, (p) => ({ ...p, hintsUsed: Math.max(p.hintsUsed, level + 1) }));
      return hintView(question, level);
    },
    solution() {
      updateProgress(key, (p) => ({ ...p, solutionViewed: true }));
      return solutionView(question);
    },
  };
}

export function createQuiz(definition: QuizDefinition): Quiz {
  const questions = definition.questions.map((q, i) => handle(definition.id, q, i + 1));
  const quiz: Record<string, unknown> = { id: definition.id, title: definition.title, questions };
  questions.forEach((q, i) => {
    quiz[`q${i + 1}`] = q;
  });
  return quiz as Quiz;
}

/**
 * Re-checks every question of every quiz made in this process, hidden cases included; or only
 * the questions named ("quiz/question"): the grader checks each in a cell of its own, so an
 * answer that loops forever on a hidden case costs its own question only.
 */
export function gradeAll(only?: string[]): Displayable & { report: GradeReport } {
  const chosen = [...live.entries()].filter(([key]) => !only || only.includes(key)).map(([, state]) => state);
  const results = chosen.map(({ quizId, question, answered, lastAnswer }) => ({
    quizId,
    ...checkAnswer(question, answered ? lastAnswer : undefined, { includeHidden: true }),
  }));
  const report: GradeReport = {
    results,
    points: results.reduce((sum, r) => sum + r.points, 0),
    maxPoints: results.reduce((sum, r) => sum + r.maxPoints, 0),
  };
  return Object.assign(gradeView(report), { report });
}

/** For tests: forget the quizzes of this process. */
export function resetLiveQuizzes(): void {
  live.clear();
}
