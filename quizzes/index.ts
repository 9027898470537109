/** Every quiz of the course, by id: `const quiz = loadQuiz("pipeline")` in a notebook. */
import { createQuiz, type Quiz } from "../src/quiz/quiz";
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
