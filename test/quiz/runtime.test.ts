import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { gradeAll, loadQuiz, QUIZZES } from "../../quizzes";
import { resetLiveQuizzes } from "../../src/quiz/quiz";

let progressPath: string;
beforeEach(() => {
  progressPath = path.join(mkdtempSync(path.join(tmpdir(), "quiz-")), "progress.json");
  process.env.PRIVACY_COURSE_PROGRESS = progressPath;
  resetLiveQuizzes();
});

describe("a quiz in the notebook", () => {
  it("shows Correct / Incorrect / Not attempted as HTML with a text twin", () => {
    const quiz = loadQuiz("pipeline");
    const right = quiz.q1.check("A").toMimeBundle();
    expect(right["text/html"]).toContain("Correct");
    expect(right["text/plain"]).toMatch(/^Correct/);
    expect(quiz.q1.check("B").toMimeBundle()["text/plain"]).toMatch(/^Incorrect/);
    expect(quiz.q2.check(undefined).toMimeBundle()["text/plain"]).toMatch(/^Not attempted/);
  });

  it("shows the first failing case of a coding exercise", () => {
    const quiz = loadQuiz("differential-privacy");
    const bundle = quiz.q2.check((g: number[][]) => g).toMimeBundle();
    expect(bundle["text/html"]).toContain("one long vector");
    expect(bundle["text/plain"]).toMatch(/input: .*expected: .*got: /s);
  });

  it("gives hints level by level, then the solution", () => {
    const quiz = loadQuiz("differential-privacy");
    expect(quiz.q2.hint().toMimeBundle()["text/plain"]).toMatch(/^Hint 1 of 2/);
    expect(quiz.q2.hint().toMimeBundle()["text/plain"]).toMatch(/^Hint 2 of 2/);
    expect(quiz.q2.hint().toMimeBundle()["text/plain"]).toMatch(/^Hint 2 of 2/);
    expect(quiz.q2.solution().toMimeBundle()["text/plain"]).toContain("function clip");
  });

  it("keeps progress in a local file", () => {
    const quiz = loadQuiz("pipeline");
    quiz.q1.check("B");
    quiz.q1.check("A");
    quiz.q2.hint();
    const progress = JSON.parse(readFileSync(progressPath, "utf8"));
    expect(progress["pipeline/anonymisation-purpose"]).toMatchObject({ attempts: 2, correct: true, lastStatus: "correct" });
    expect(progress["pipeline/dp-noise"]).toMatchObject({ attempts: 0, hintsUsed: 1 });
  });

  it("grades every question of the session with hidden cases, scoring unanswered ones 0", () => {
    const pipeline = loadQuiz("pipeline");
    const dp = loadQuiz("differential-privacy");
    pipeline.q1.check("A");
    pipeline.q2.check("C");
    // Passes the visible cases but not the hidden zero-vector case.
    dp.q2.check((gradients: number[][], C: number) =>
      gradients.map((g) => {
        const n = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
        return g.map((x) => (x * Math.min(1, C / n)) * (n === 0 ? NaN : 1));
      }),
    );
    const { report } = gradeAll();
    const status = Object.fromEntries(report.results.map((r) => [`${r.quizId}/${r.questionId}`, r.status]));
    expect(status).toMatchObject({
      "pipeline/anonymisation-purpose": "correct",
      "pipeline/dp-noise": "incorrect",
      "pipeline/prediction-privacy": "not-attempted",
      "differential-privacy/clip": "incorrect",
      "differential-privacy/epsilon-spent": "not-attempted",
    });
    expect(report.points).toBe(1);
    // Every question of the two quizzes loaded counts, answered or not.
    expect(report.maxPoints).toBe(QUIZZES["pipeline"].questions.length + QUIZZES["differential-privacy"].questions.length);
  });
});
