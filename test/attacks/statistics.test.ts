import { describe, expect, it } from "vitest";
import { epsilonLowerBoundFromCounts } from "../../src/audit/hypothesisTest";
import { oneRunAudit, oneRunEpsilonLowerBound, oneRunPValue, scoreGuesses } from "../../src/audit/oneRun";
import { binomialCdf, binomialPmf, binomialUpperTail, clopperPearson, logGamma } from "../../src/audit/statistics";
import { expectInputError } from "../helpers/expectInputError";

describe("binomial statistics", () => {
  it("computes ln Γ, probabilities and tails exactly on small cases", () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(binomialPmf(2, 4, 0.5)).toBeCloseTo(6 / 16, 14);
    expect(binomialUpperTail(3, 4, 0.5)).toBeCloseTo(5 / 16, 14);
    expect(binomialCdf(1, 4, 0.5)).toBeCloseTo(5 / 16, 14);
    expect(binomialUpperTail(0, 4, 0.3)).toBe(1);
    expect(binomialUpperTail(5, 4, 0.3)).toBe(0);
    expect(binomialCdf(4, 4, 0.3)).toBe(1);
    // Deep tails stay accurate: P[Bin(1000, ½) ≥ 1000] = 2^-1000.
    expect(Math.log2(binomialUpperTail(1000, 1000, 0.5))).toBeCloseTo(-1000, 8);
  });
});

describe("Clopper–Pearson intervals (hand-worked)", () => {
  it("0 of n: [0, 1 − (α/2)^(1/n)]; n of n: [(α/2)^(1/n), 1]", () => {
    const none = clopperPearson(0, 10, 0.95);
    expect(none.lower).toBe(0);
    expect(none.upper).toBeCloseTo(1 - 0.025 ** (1 / 10), 10); // 0.30850
    const all = clopperPearson(10, 10, 0.95);
    expect(all.lower).toBeCloseTo(0.025 ** (1 / 10), 10); // 0.69150
    expect(all.upper).toBe(1);
  });

  it("5 of 10 at 95% is [0.1871, 0.8129] (the textbook values)", () => {
    const { lower, upper, confidence } = clopperPearson(5, 10);
    expect(lower).toBeCloseTo(0.187086, 5);
    expect(upper).toBeCloseTo(0.812914, 5);
    expect(confidence).toBe(0.95);
  });

  it("each end is where the tail of the observed count has probability α/2", () => {
    const { lower, upper } = clopperPearson(7, 40, 0.9);
    expect(binomialUpperTail(7, 40, lower)).toBeCloseTo(0.05, 10);
    expect(binomialCdf(7, 40, upper)).toBeCloseTo(0.05, 10);
  });

  it("rejects bad inputs", () => {
    expectInputError(() => clopperPearson(3, 2), "successes", /\[0, 2\]/);
    expectInputError(() => clopperPearson(1, 0), "trials");
    expectInputError(() => clopperPearson(1, 2, 1), "confidence", /\(0, 1\)/);
    expectInputError(() => clopperPearson(1.5, 2), "successes", /integer/);
  });
});

describe("ε lower bound from an attack's counts (hypothesis-testing view)", () => {
  it("a perfect attack on 100 + 100 trials proves ε ≥ ln((1 − δ − u)/u) with u = 1 − 0.025^(1/100)", () => {
    const u = 1 - 0.025 ** (1 / 100); // 0.03622: the CP upper bound of 0 errors in 100
    const result = epsilonLowerBoundFromCounts(
      { truePositives: 100, falseNegatives: 0, trueNegatives: 100, falsePositives: 0 },
      { delta: 1e-5, confidence: 0.95 },
    );
    expect(result.fprUpper).toBeCloseTo(u, 10);
    expect(result.fnrUpper).toBeCloseTo(u, 10);
    expect(result.epsilonLowerBound).toBeCloseTo(Math.log((1 - 1e-5 - u) / u), 8); // ≈ 3.28
    expect(result.pointEstimate).toBe(Infinity); // what a careless audit would claim
  });

  it("uses both directions: many false positives but no false negatives bounds via FNR", () => {
    // FPR ≈ 0.5 (50 of 100), FNR = 0 of 100: ln((1 − δ − FNR_u) / FPR_u) is the useful side.
    const r = epsilonLowerBoundFromCounts(
      { truePositives: 100, falseNegatives: 0, trueNegatives: 50, falsePositives: 50 },
      { delta: 0 },
    );
    const fprU = clopperPearson(50, 100).upper;
    const fnrU = clopperPearson(0, 100).upper;
    expect(r.direction).toBe("fpr");
    expect(r.epsilonLowerBound).toBeCloseTo(Math.log((1 - fprU) / fnrU), 10);
    const mirrored = epsilonLowerBoundFromCounts(
      { truePositives: 50, falseNegatives: 50, trueNegatives: 100, falsePositives: 0 },
      { delta: 0 },
    );
    expect(mirrored.direction).toBe("fnr");
    expect(mirrored.epsilonLowerBound).toBeCloseTo(r.epsilonLowerBound, 10);
  });

  it("gives 0 for a coin-flip attack", () => {
    const r = epsilonLowerBoundFromCounts({ truePositives: 50, falseNegatives: 50, trueNegatives: 50, falsePositives: 50 }, { delta: 1e-5 });
    expect(r.epsilonLowerBound).toBe(0);
    expect(r.direction).toBeNull();
  });

  it("rejects bad counts", () => {
    expectInputError(() => epsilonLowerBoundFromCounts({ truePositives: -1, falseNegatives: 0, trueNegatives: 1, falsePositives: 0 }, { delta: 0 }), "truePositives", /count/);
    expectInputError(() => epsilonLowerBoundFromCounts({ truePositives: 0, falseNegatives: 0, trueNegatives: 1, falsePositives: 0 }, { delta: 0 }), "counts", /canary in/);
    expectInputError(() => epsilonLowerBoundFromCounts({ truePositives: 1, falseNegatives: 0, trueNegatives: 1, falsePositives: 0 }, { delta: 1 }), "delta");
  });
});

describe("one-run audit (Steinke, Nasr & Jagielski 2023)", () => {
  it("with δ = 0 and all r guesses right, ε_lb solves (e^ε/(1+e^ε))^r = β", () => {
    // P[Bin(r, q) ≥ r] = q^r = β  ⇒  q = β^(1/r), ε = ln(q/(1−q)).
    const q = 0.05 ** (1 / 100);
    expect(oneRunEpsilonLowerBound({ m: 1000, r: 100, v: 100, delta: 0, beta: 0.05 })).toBeCloseTo(Math.log(q / (1 - q)), 6);
    expect(oneRunPValue({ m: 1000, r: 100, v: 100, epsilon: Math.log(q / (1 - q)), delta: 0 })).toBeCloseTo(0.05, 8);
  });

  it("cannot reject ε = 0 with guessing-level accuracy, and δ only weakens the bound", () => {
    expect(oneRunEpsilonLowerBound({ m: 1000, r: 200, v: 100, delta: 0 })).toBe(0);
    const strict = oneRunEpsilonLowerBound({ m: 1000, r: 200, v: 180, delta: 0 });
    const loose = oneRunEpsilonLowerBound({ m: 1000, r: 200, v: 180, delta: 1e-5 });
    expect(strict).toBeGreaterThan(1.5);
    expect(loose).toBeLessThanOrEqual(strict);
    // The p-value grows with ε (bigger ε makes many correct guesses likelier).
    expect(oneRunPValue({ m: 1000, r: 200, v: 180, epsilon: 3, delta: 0 })).toBeGreaterThan(oneRunPValue({ m: 1000, r: 200, v: 180, epsilon: 1, delta: 0 }));
  });

  it("scores top-k 'in' and bottom-k 'out' guesses by hand", () => {
    const scores = [9, 8, 7, 6, 5, 4, 3, 2];
    const included = [true, false, true, true, false, false, true, false];
    // top 2: canaries 0 (in ✓), 1 (out ✗); bottom 2: canaries 7 (out ✓), 6 (in ✗).
    expect(scoreGuesses(scores, included, 2, 2)).toEqual({ kPositive: 2, kNegative: 2, guesses: 4, correct: 2, accuracy: 0.5 });
    expect(scoreGuesses(scores, included, 1, 1).correct).toBe(2);
  });

  it("corrects for trying several guess sizes (Bonferroni)", () => {
    const scores = Array.from({ length: 200 }, (_, i) => 200 - i);
    const included = scores.map((_, i) => i < 100); // perfectly separated
    const one = oneRunAudit({ scores, included, delta: 0, guessSizes: [50] });
    const many = oneRunAudit({ scores, included, delta: 0, guessSizes: [10, 25, 50] });
    expect(one.levelPerCandidate).toBeCloseTo(0.05, 12);
    expect(many.levelPerCandidate).toBeCloseTo(0.05 / 3, 12);
    expect(many.best.kPositive).toBe(50);
    expect(many.epsilonLowerBound).toBeLessThan(one.epsilonLowerBound);
    expect(many.epsilonLowerBound).toBeCloseTo(oneRunEpsilonLowerBound({ m: 200, r: 100, v: 100, delta: 0, beta: 0.05 / 3 }), 8);
  });

  it("rejects bad inputs", () => {
    expectInputError(() => oneRunPValue({ m: 10, r: 11, v: 1, epsilon: 1, delta: 0 }), "r", /\[0, 10\]/);
    expectInputError(() => oneRunPValue({ m: 10, r: 5, v: 6, epsilon: 1, delta: 0 }), "v", /\[0, 5\]/);
    expectInputError(() => oneRunPValue({ m: 10, r: 5, v: 2, epsilon: -1, delta: 0 }), "epsilon");
    expectInputError(() => oneRunEpsilonLowerBound({ m: 10, r: 5, v: 2, delta: 0, beta: 0 }), "beta");
    expectInputError(() => scoreGuesses([1, 2], [true], 1, 0), "included", /2 booleans/);
    expectInputError(() => scoreGuesses([1, 2], [true, false], 2, 1), "kPositive + kNegative", /at most/);
    expectInputError(() => oneRunAudit({ scores: [1], included: [true], delta: 0 }), "scores", /at least 2/);
    expectInputError(() => oneRunAudit({ scores: [1, 2], included: [true, false], delta: 0, guessSizes: [0] }), "guessSizes[0]");
  });
});
