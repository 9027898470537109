import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { QUIZZES } from "../../quizzes";
import { checkAnswer, TODO } from "../../src/quiz/check";
import type { Question } from "../../src/quiz/types";
import { calibrateNoise, computeEpsilon } from "../../src/privacy/accountant";

beforeEach(() => {
  process.env.PRIVACY_COURSE_PROGRESS = path.join(mkdtempSync(path.join(tmpdir(), "quiz-")), "progress.json");
});

function question(quizId: string, questionId: string): Question {
  const found = QUIZZES[quizId].questions.find((q) => q.id === questionId);
  if (!found) throw new Error(`no question ${quizId}/${questionId}`);
  return found;
}

const statusOf = (q: Question, answer: unknown, includeHidden = true) => checkAnswer(q, answer, { includeHidden });

describe("every question: no answer is 'not attempted'", () => {
  const all = Object.values(QUIZZES).flatMap((quiz) => quiz.questions.map((q) => [`${quiz.id}/${q.id}`, q] as const));
  it.each(all)("%s", (_id, q) => {
    expect(statusOf(q, undefined).status).toBe("not-attempted");
    expect(statusOf(q, TODO).status).toBe("not-attempted");
    expect(q.hints.length).toBeGreaterThan(0);
    expect(q.solution.length).toBeGreaterThan(0);
  });
});

describe("pipeline quiz (the seed's three questions)", () => {
  it("accepts A for the purpose of anonymisation, in any case, and explains the tempting wrong ones", () => {
    const q = question("pipeline", "anonymisation-purpose");
    expect(statusOf(q, "A").status).toBe("correct");
    expect(statusOf(q, " a ").status).toBe("correct");
    const d = statusOf(q, "D");
    expect(d.status).toBe("incorrect");
    expect(d.message).toMatch(/gradients/);
    expect(statusOf(q, "E").message).toMatch(/one of A, B, C, D/);
  });

  it("grades the DP and prediction-privacy questions", () => {
    expect(statusOf(question("pipeline", "dp-noise"), "B").status).toBe("correct");
    expect(statusOf(question("pipeline", "dp-noise"), "C").message).toMatch(/Nobody is removed/);
    expect(statusOf(question("pipeline", "prediction-privacy"), "C").status).toBe("correct");
    expect(statusOf(question("pipeline", "prediction-privacy"), "A").status).toBe("incorrect");
  });
});

describe("differential-privacy quiz", () => {
  it("checks ε against the accountant, and names the tempting wrong answers", () => {
    const q = question("differential-privacy", "epsilon-spent");
    const right = computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 }).epsilon;
    expect(statusOf(q, Number(right.toFixed(2))).status).toBe("correct");
    expect(statusOf(q, right + 0.05).status).toBe("incorrect");
    const unsampled = computeEpsilon({ sampleRate: 1, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 }).epsilon;
    expect(statusOf(q, unsampled).message).toMatch(/without subsampling/);
    const oneStep = computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 1, delta: 1e-5 }).epsilon;
    expect(statusOf(q, oneStep).message).toMatch(/single step/);
    expect(statusOf(q, "abc").message).toMatch(/finite number/);
  });

  const clip = (gradients: number[][], C: number) =>
    gradients.map((g) => {
      const n = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
      return g.map((x) => x * (n > C ? C / n : 1));
    });

  it("passes a correct clip(), visible and hidden cases", () => {
    const result = statusOf(question("differential-privacy", "clip"), clip);
    expect(result.status).toBe("correct");
    expect(result.hidden).toBe(true);
    expect(result.casesRun).toBe(7);
  });

  it("fails the tempting wrong clips with the first failing case", () => {
    const q = question("differential-privacy", "clip");
    const byValue = (gradients: number[][], C: number) => gradients.map((g) => g.map((x) => Math.max(-C, Math.min(C, x))));
    const wrong = statusOf(q, byValue);
    expect(wrong.status).toBe("incorrect");
    expect(wrong.failingCase?.name).toBe("one long vector");
    expect(wrong.message).toMatch(/norm/);

    // Clipping the batch as a whole rather than each example.
    const wholeBatch = (gradients: number[][], C: number) => {
      const n = Math.sqrt(gradients.flat().reduce((s, x) => s + x * x, 0));
      return gradients.map((g) => g.map((x) => x * (n > C ? C / n : 1)));
    };
    expect(statusOf(q, wholeBatch).status).toBe("incorrect");

    // Ignores the zero vector: divides by a zero norm (NaN) — caught only by a hidden case.
    const noZeroGuard = (gradients: number[][], C: number) =>
      gradients.map((g) => {
        const n = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
        return g.map((x) => x * Math.min(1, C / n) * (n === 0 ? NaN : 1));
      });
    expect(statusOf(q, noZeroGuard, false).status).toBe("correct");
    expect(statusOf(q, noZeroGuard, true).status).toBe("incorrect");

    // A constant cannot pass: the cases expect different outputs.
    expect(statusOf(q, () => [[0.6, 0.8]]).status).toBe("incorrect");
    expect(statusOf(q, () => { throw new Error("boom"); }).failingCase?.got).toMatch(/boom/);
    expect(statusOf(q, () => { throw new Error("not implemented"); }).status).toBe("not-attempted");
    expect(statusOf(q, 42).message).toMatch(/Expected a function/);
  });

  it("accepts a calibrated σ and rejects too little or far too much noise", () => {
    const q = question("differential-privacy", "choose-sigma");
    const needed = calibrateNoise({ targetEpsilon: 2, delta: 1e-5, sampleRate: 64 / 800, steps: 130 }).noiseMultiplier;
    expect(statusOf(q, needed).status).toBe("correct");
    expect(statusOf(q, needed * 1.03).status).toBe("correct");
    expect(statusOf(q, needed * 0.9).message).toMatch(/more noise is needed/);
    expect(statusOf(q, needed * 2).message).toMatch(/more noise than needed/);
    expect(statusOf(q, -1).message).toMatch(/positive number/);
  });
});

describe("anonymisation quiz", () => {
  it("identifies the quasi-identifiers", () => {
    const q = question("anonymisation", "quasi-identifiers");
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "D").message).toMatch(/linkage/);
  });

  it("checks identifier removal by behaviour, including a phone column only in hidden cases", () => {
    const q = question("anonymisation", "drop-identifiers");
    const right = (rows: Record<string, unknown>[]) => rows.map(({ name, email, phone, ...rest }) => rest);
    expect(statusOf(q, right).status).toBe("correct");

    const forgetsPhone = (rows: Record<string, unknown>[]) => rows.map(({ name, email, ...rest }) => rest);
    const phone = statusOf(q, forgetsPhone);
    expect(phone.status).toBe("incorrect");
    expect(phone.message).toMatch(/phone/);

    const hashes = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, name: `${r.name}`.toUpperCase() }));
    expect(statusOf(q, hashes).message).toMatch(/still contains its name/);

    const dropsAge = (rows: Record<string, unknown>[]) => rows.map(({ name, email, phone, age, ...rest }) => rest);
    expect(statusOf(q, dropsAge).message).toMatch(/"age"/);
    expect(statusOf(q, () => []).status).toBe("incorrect");
  });
});
