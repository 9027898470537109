/** Every quiz of the course, by id: `const quiz = loadQuiz("pipeline")` in a notebook. */
import { readProgress } from "../src/quiz/progress";
import { createQuiz, type Quiz } from "../src/quiz/quiz";
import { progressView } from "../src/render/quizViews";
import type { QuizDefinition } from "../src/quiz/types";
import { anonymisationQuiz } from "./anonymisation";
import { differentialPrivacyQuiz } from "./differential-privacy";
import { pipelineQuiz } from "./pipeline";

export const QUIZZES: Record<string, QuizDefinition> = {
  [pipelineQuiz.id]: pipelineQuiz,
  [anonymisationQuiz.id]: anonymisationQuiz,
  [differentialPrivacyQuiz.id]: differentialPrivacyQuiz,
};

export function loadQuiz(id: string): Quiz {
  const definition = QUIZZES[id];
  if (!definition) throw new RangeError(`quiz id must be one of ${Object.keys(QUIZZES).join(", ")}; got "${id}"`);
  return createQuiz(definition);
}

export { gradeAll } from "../src/quiz/quiz";
export { TODO } from "../src/quiz/check";

/** The learner's progress across every quiz of the course, from the local progress file. */
export function showProgress() {
  const progress = readProgress();
  return progressView(
    Object.values(QUIZZES).flatMap((quiz) =>
      quiz.questions.map((q) => {
        const p = progress[`${quiz.id}/${q.id}`];
        return {
          quiz: quiz.title,
          question: q.id,
          status: p ? (p.correct ? "correct" : p.lastStatus.replace("-", " ")) : "not attempted",
          attempts: p?.attempts ?? 0,
          hintsUsed: p?.hintsUsed ?? 0,
          solutionViewed: p?.solutionViewed ?? false,
        };
      }),
    ),
  );
}
