/** Every quiz of the course, by id: `const quiz = loadQuiz("pipeline")` in a notebook. */
import { readProgress } from "../src/quiz/progress";
import { createQuiz, type Quiz } from "../src/quiz/quiz";
import { progressView } from "../src/render/quizViews";
import type { QuizDefinition } from "../src/quiz/types";
import { anonymisationQuiz } from "./anonymisation";
import { auditingQuiz } from "./auditing";
import { dataCollectionQuiz } from "./data-collection";
import { differentialPrivacyQuiz } from "./differential-privacy";
import { dpPromisesQuiz } from "./dp-promises";
import { noiseCalibrationQuiz } from "./noise-calibration";
import { compositionQuiz } from "./composition";
import { featureEngineeringQuiz } from "./feature-engineering";
import { hospitalAttacksQuiz } from "./hospital-attacks";
import { voiceAssistantQuiz } from "./voice-assistant";
import { kAnonymityQuiz } from "./k-anonymity";
import { ganIterationQuiz } from "./gan-iteration";
import { accurateTrendsQuiz } from "./accurate-trends";
import { pipelineQuiz } from "./pipeline";
import { privacyBudgetsQuiz } from "./privacy-budgets";
import { welcomeQuiz } from "./welcome";

/** In the order of the lessons that end with them (the progress table follows it). */
export const QUIZZES: Record<string, QuizDefinition> = {
  [welcomeQuiz.id]: welcomeQuiz,
  [dataCollectionQuiz.id]: dataCollectionQuiz,
  [anonymisationQuiz.id]: anonymisationQuiz,
  [featureEngineeringQuiz.id]: featureEngineeringQuiz,
  [dpPromisesQuiz.id]: dpPromisesQuiz,
  [noiseCalibrationQuiz.id]: noiseCalibrationQuiz,
  [compositionQuiz.id]: compositionQuiz,
  [differentialPrivacyQuiz.id]: differentialPrivacyQuiz,
  [pipelineQuiz.id]: pipelineQuiz,
  [privacyBudgetsQuiz.id]: privacyBudgetsQuiz,
  [kAnonymityQuiz.id]: kAnonymityQuiz,
  [hospitalAttacksQuiz.id]: hospitalAttacksQuiz,
  [voiceAssistantQuiz.id]: voiceAssistantQuiz,
  [auditingQuiz.id]: auditingQuiz,
  [ganIterationQuiz.id]: ganIterationQuiz,
  [accurateTrendsQuiz.id]: accurateTrendsQuiz,
};

export function loadQuiz(id: string): Quiz {
  const definition = QUIZZES[id];
  if (!definition) throw new RangeError(`quiz id must be one of ${Object.keys(QUIZZES).join(", ")}; got "${id}"`);
  return createQuiz(definition);
}

export { gradeAll } from "../src/quiz/quiz";
export { TODO } from "../src/quiz/check";
export { REGIONS, VISITS, informationLoss } from "./k-anonymity";

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
