import { describe, expect, it } from "vitest";
import {
  analyticGaussianDelta,
  analyticGaussianEpsilon,
  analyticGaussianSigma,
  classicGaussianSigma,
  discreteGaussianDelta,
  estimateFrequencies,
  estimateProportion,
  exponentialMechanism,
  exponentialProbabilities,
  gaussianMechanism,
  gaussianVectorMechanism,
  kAryRandomisedResponse,
  laplaceCount,
  laplaceMean,
  laplaceMechanism,
  laplaceSum,
  proportionVariance,
  randomisedResponse,
  reportNoisyMax,
  secureSampler,
  seededSampler,
} from "../../src/privacy/mechanisms";
import { expectInputError } from "../helpers/expectInputError";
import { chiSquareTest, ksOneSample, laplaceCdf, normalCdf } from "../helpers/goodnessOfFit";

/** Distribution tests run at fixed seeds and pass when their p-value is above this level. */
const SIGNIFICANCE = 0.01;
/**
 * The e^ε test on a histogram: in each bin with ≥ 50 draws on both sides, the log of the ratio
 * of the two empirical frequencies, minus Z standard errors (√(1/a + 1/b), the delta method),
 * is a lower confidence bound on the true log ratio; one-sided level ≈ 3·10⁻⁵ per bin.
 */
const Z = 4;

function histogram(draws: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const x of draws) {
    for (let i = 0; i < edges.length - 1; i++) {
      if (x >= edges[i] && x < edges[i + 1]) {
        counts[i]++;
        break;
      }
    }
  }
  return counts;
}

/** The largest lower confidence bound on |log P[bin | D]/P[bin | D']| over the bins. */
function logRatioLowerBound(onD: readonly number[], onNeighbour: readonly number[], edges: readonly number[]): number {
  const a = histogram(onD, edges);
  const b = histogram(onNeighbour, edges);
  let best = -Infinity;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 50 || b[i] < 50) continue;
    const bound = Math.abs(Math.log((a[i] / onD.length) / (b[i] / onNeighbour.length))) - Z * Math.sqrt(1 / a[i] + 1 / b[i]);
    best = Math.max(best, bound);
  }
  return best;
}

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step);
const repeat = <T>(n: number, f: () => T) => Array.from({ length: n }, f);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

interface Row {
  buys: boolean;
  spend: number;
}
const rows: Row[] = range(0, 99).map((i) => ({ buys: i % 5 < 2, spend: (i * 37) % 120 }));
const neighbour: Row[] = [...rows, { buys: true, spend: 500 }];

describe("the Laplace mechanism", () => {
  it("adds Laplace(1/ε) noise to a count: the noise passes a KS test at a fixed seed", () => {
    const count = laplaceCount<Row>({ epsilon: 0.5, where: (r) => r.buys, seed: 3 });
    const truth = rows.filter((r) => r.buys).length;
    const noise = repeat(4000, () => count.release(rows).value - truth);
    expect(count.trace.noiseScale).toBe(2);
    expect(ksOneSample(noise, laplaceCdf(2)).pValue).toBeGreaterThan(SIGNIFICANCE);
    expect(ksOneSample(noise, laplaceCdf(1)).pValue).toBeLessThan(SIGNIFICANCE);
  });

  it("keeps the output ratio on neighbouring datasets within e^ε, and an under-noised count breaks it", () => {
    const epsilon = 1;
    const edges = range(30, 52);
    const honest = laplaceCount<Row>({ epsilon, where: (r) => r.buys, seed: 4 });
    const onD = repeat(100_000, () => honest.release(rows).value);
    const onNeighbour = repeat(100_000, () => honest.release(neighbour).value);
    expect(logRatioLowerBound(onD, onNeighbour, edges)).toBeLessThanOrEqual(epsilon);
    // Claims ε = 1 but adds the noise of ε = 2.5: the histogram shows the larger ratio.
    const underNoised = laplaceCount<Row>({ epsilon: 2.5, where: (r) => r.buys, seed: 4 });
    const a = repeat(100_000, () => underNoised.release(rows).value);
    const b = repeat(100_000, () => underNoised.release(neighbour).value);
    expect(logRatioLowerBound(a, b, edges)).toBeGreaterThan(1.5 * epsilon);
  });

  it("derives a bounded sum's sensitivity from the declared bounds, never from the data, and clamps", () => {
    const sum = laplaceSum({ epsilon: 1, lower: 0, upper: 100, seed: 5 });
    expect(sum.trace.sensitivity).toBe(100);
    expect(sum.trace.noiseScale).toBe(100);
    expect(sum.event).toEqual({ kind: "laplace", noiseMultiplier: 1 });
    // A value of 10⁶ counts as 100: the mean release of [10⁶] centres on 100.
    const releases = repeat(4000, () => sum.release([1e6]).value);
    expect(Math.abs(mean(releases) - 100)).toBeLessThan(5 * Math.sqrt((2 * 100 * 100) / releases.length));
  });

  it("releases a bounded mean with ε split between a noisy sum and a noisy count", () => {
    const spends = rows.map((r) => r.spend);
    const mechanism = laplaceMean({ epsilon: 1, lower: 0, upper: 120, seed: 6 });
    expect(mechanism.trace.epsilon).toBeCloseTo(1, 12);
    expect(mechanism.trace.epsilon).toBeGreaterThanOrEqual(1);
    expect(mechanism.event).toEqual({ kind: "composed", events: [{ kind: "laplace", noiseMultiplier: 2 }, { kind: "laplace", noiseMultiplier: 2 }] });
    const estimates = repeat(2000, () => mechanism.release(spends).value);
    expect(estimates.every((m) => m >= 0 && m <= 120)).toBe(true);
    expect(Math.abs(mean(estimates) - mean(spends))).toBeLessThan(2);
  });

  it("in secure mode adds exact integer noise and says so", () => {
    const count = laplaceCount<Row>({ epsilon: 1, sampler: secureSampler() });
    const values = repeat(200, () => count.release(rows).value);
    expect(values.every(Number.isInteger)).toBe(true);
    expect(count.trace.mode).toBe("secure");
    expect(count.event).toMatchObject({ kind: "pureDp", epsilon: count.trace.epsilon });
    const sum = laplaceSum({ epsilon: 1, lower: 0, upper: 1, granularity: 0.25, sampler: secureSampler() });
    expect(sum.trace.sensitivity).toBe(1);
    expect(Number.isInteger(sum.release([0.3, 0.6]).value / 0.25)).toBe(true);
    expectInputError(() => laplaceMechanism({ epsilon: 1, sensitivity: 1, sampler: secureSampler() }).release(0.5), "value", /integer/);
  });

  it("names bad parameters", () => {
    expectInputError(() => laplaceCount({ epsilon: 0 }), "epsilon", /> 0/);
    expectInputError(() => laplaceCount({ epsilon: -1 }), "epsilon", /> 0/);
    expectInputError(() => laplaceMechanism({ epsilon: 1, sensitivity: 0 }), "sensitivity", /> 0/);
    expectInputError(() => laplaceSum({ epsilon: 1, lower: 10, upper: 0 }), "upper", /> lower/);
    expectInputError(() => laplaceMean({ epsilon: 1, lower: 0, upper: Infinity }), "upper");
    expectInputError(() => laplaceCount({ epsilon: 1, seed: 1, sampler: seededSampler(1) }), "seed", /absent/);
    expectInputError(() => laplaceSum({ epsilon: 1, lower: 0, upper: 1 }).release([0, Number.NaN]), "values[1]");
  });

  it("gives group privacy: d people apart cost d·ε", () => {
    const count = laplaceCount({ epsilon: 0.5 });
    expect(count.privacyMap(0).epsilon).toBe(0);
    expect(count.privacyMap(1).epsilon).toBeGreaterThanOrEqual(0.5);
    expect(count.privacyMap(4).epsilon).toBeCloseTo(2, 12);
    expectInputError(() => count.privacyMap(1.5), "distance", /integer/);
    // One trace serves every release: it cannot be rewritten by a caller.
    expect(Object.isFrozen(count.trace) && Object.isFrozen(count.trace.notes)).toBe(true);
  });
});

describe("randomised response", () => {
  const truthShare = 0.3;
  const answers = range(0, 499).map((i) => i < truthShare * 500);

  it("keeps the report's probability ratio for two different true answers within e^ε", () => {
    const epsilon = 1;
    const rr = randomisedResponse({ epsilon, seed: 7 });
    const yesWhenYes = repeat(100_000, () => rr.release([true]).value[0]).filter(Boolean).length;
    const yesWhenNo = repeat(100_000, () => rr.release([false]).value[0]).filter(Boolean).length;
    const logRatio = Math.log(yesWhenYes / yesWhenNo);
    const se = Math.sqrt(1 / yesWhenYes + 1 / yesWhenNo);
    expect(logRatio - Z * se).toBeLessThanOrEqual(epsilon);
    expect(Math.abs(logRatio - epsilon)).toBeLessThan(Z * se);
    // Claims ε = 1 but keeps the truth with the probability of ε = 2: the ratio shows it.
    const underNoised = randomisedResponse({ epsilon: 2, seed: 7 });
    const a = repeat(100_000, () => underNoised.release([true]).value[0]).filter(Boolean).length;
    const b = repeat(100_000, () => underNoised.release([false]).value[0]).filter(Boolean).length;
    expect(Math.log(a / b) - Z * Math.sqrt(1 / a + 1 / b)).toBeGreaterThan(1.5 * epsilon);
  });

  it("has an unbiased estimator, within its standard error, whose variance formula matches the spread", () => {
    const epsilon = 1;
    const rr = randomisedResponse({ epsilon, seed: 8 });
    const runs = repeat(600, () => estimateProportion(rr.release(answers).value, epsilon));
    const estimates = runs.map((r) => r.estimate);
    const exactVariance = proportionVariance(truthShare, answers.length, epsilon);
    expect(Math.abs(mean(estimates) - truthShare)).toBeLessThan(4 * Math.sqrt(exactVariance / runs.length));
    expect(Math.abs(variance(estimates) / exactVariance - 1)).toBeLessThan(0.2);
    expect(Math.abs(mean(runs.map((r) => r.variance)) / exactVariance - 1)).toBeLessThan(0.1);
    // The share of "yes" reports is not an estimate of the truth: it is pulled towards ½.
    const naive = mean(runs.map((r) => r.observedRate));
    expect(Math.abs(naive - truthShare)).toBeGreaterThan(10 * Math.sqrt(exactVariance / runs.length));
  });

  it("k-ary: each category's estimate is unbiased, and reports only name declared categories", () => {
    const categories = ["north", "south", "east", "west"] as const;
    const values = range(0, 399).map((i) => categories[i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : i % 10 < 9 ? 2 : 3]);
    const epsilon = 2;
    const rr = kAryRandomisedResponse({ epsilon, categories, seed: 9 });
    const runs = repeat(400, () => estimateFrequencies(rr.release(values).value, categories, epsilon));
    const truth = { north: 0.5, south: 0.3, east: 0.1, west: 0.1 };
    for (const c of categories) {
      const exactVariance = proportionVariance(truth[c], values.length, epsilon, categories.length);
      expect(Math.abs(mean(runs.map((r) => r[c].estimate)) - truth[c])).toBeLessThan(4 * Math.sqrt(exactVariance / runs.length));
    }
    expectInputError(() => rr.release(["north", "up" as never]), "answers[1]", /north/);
  });

  it("states its ε for a replaced answer, not for adding or removing a person (the reports show who answered)", () => {
    const rr = randomisedResponse({ epsilon: 1, seed: 1 });
    // One more person adds one more report: the table's length alone tells D from D′.
    expect(rr.release([true, false]).value).toHaveLength(2);
    expect(rr.release([true, false, true]).value).toHaveLength(3);
    expect(rr.trace.neighbouring).toBe("replace one person's answer");
    expect(kAryRandomisedResponse({ epsilon: 1, categories: ["a", "b", "c"], seed: 1 }).trace.neighbouring).toBe("replace one person's answer");
  });

  it("spends ε as a pure-DP event, and works from the secure sampler", () => {
    const rr = randomisedResponse({ epsilon: 1.5, sampler: secureSampler() });
    expect(rr.event).toEqual({ kind: "pureDp", epsilon: rr.trace.epsilon, mechanism: "randomised response" });
    expect(rr.trace.epsilon).toBeCloseTo(1.5, 12);
    expect(rr.trace.mode).toBe("secure");
    expect(rr.release([true, false]).value).toHaveLength(2);
    expectInputError(() => randomisedResponse({ epsilon: 0 }), "epsilon", /> 0/);
    expectInputError(() => kAryRandomisedResponse({ epsilon: 1, categories: ["a"] }), "categories", /at least 2/);
  });
});

/** δ(ε) = ∫ max(0, φ_σ(x) − e^ε φ_σ(x − Δ)) dx by Simpson's rule: the hockey-stick divergence itself. */
function bruteForceGaussianDelta(sigma: number, epsilon: number, sensitivity: number): number {
  const low = -40 * sigma;
  const high = 40 * sigma + sensitivity;
  const steps = 400_000;
  const h = (high - low) / steps;
  const density = (x: number) => Math.exp(-(x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
  const f = (x: number) => Math.max(0, density(x) - Math.exp(epsilon) * density(x - sensitivity));
  let sum = f(low) + f(high);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(low + i * h);
  return (sum * h) / 3;
}

describe("the Gaussian mechanism", () => {
  it.each([
    [3.73, 1, 1],
    [1, 0.5, 1],
    [10, 2, 3],
    [0.8, 4, 1],
  ])("the analytic δ(σ = %f, ε = %f, Δ = %f) equals the hockey-stick divergence integrated numerically", (sigma, epsilon, sensitivity) => {
    const exact = analyticGaussianDelta({ sigma, epsilon, sensitivity });
    expect(exact).toBeGreaterThan(0);
    expect(Math.abs(exact / bruteForceGaussianDelta(sigma, epsilon, sensitivity) - 1)).toBeLessThan(1e-6);
  });

  it("calibrates the smallest σ (Balle & Wang 2018): δ holds at σ, fails just below; the classic σ is larger", () => {
    for (const [epsilon, delta] of [[1, 1e-5], [0.5, 1e-6], [3, 1e-5]]) {
      const sigma = analyticGaussianSigma({ epsilon, delta });
      expect(analyticGaussianDelta({ sigma, epsilon })).toBeLessThanOrEqual(delta);
      expect(bruteForceGaussianDelta(sigma * (1 - 1e-4), epsilon, 1)).toBeGreaterThan(delta);
      expect(analyticGaussianEpsilon({ sigma, delta })).toBeCloseTo(epsilon, 6);
      if (epsilon < 1) expect(classicGaussianSigma({ epsilon, delta })).toBeGreaterThan(sigma);
    }
    // Balle & Wang's headline example: ε = 1, δ = 1e-5 needs σ ≈ 3.73, where the classic bound cannot be used.
    expect(analyticGaussianSigma({ epsilon: 1, delta: 1e-5 })).toBeCloseTo(3.7306, 3);
    expectInputError(() => classicGaussianSigma({ epsilon: 1, delta: 1e-5 }), "epsilon", /\(0, 1\)/);
  });

  it("adds N(0, σ²) noise (KS at a fixed seed) and reports the event and trace", () => {
    const mechanism = gaussianMechanism({ epsilon: 1, delta: 1e-5, sensitivity: 2, seed: 10 });
    const sigma = mechanism.trace.noiseScale;
    expect(sigma).toBeCloseTo(2 * analyticGaussianSigma({ epsilon: 1, delta: 1e-5 }), 6);
    expect(mechanism.event).toEqual({ kind: "gaussian", noiseMultiplier: sigma / 2 });
    const noise = repeat(4000, () => mechanism.release(50).value - 50);
    expect(ksOneSample(noise, normalCdf(sigma)).pValue).toBeGreaterThan(SIGNIFICANCE);
    const vector = gaussianVectorMechanism({ epsilon: 1, delta: 1e-5, sensitivity: 1, seed: 10 });
    expect(vector.release([1, 2, 3]).value).toHaveLength(3);
    // Group privacy: two people move the answer by 2Δ, so the same σ gives a larger ε.
    expect(mechanism.privacyMap(2).epsilon).toBeCloseTo(analyticGaussianEpsilon({ sigma, delta: 1e-5, sensitivity: 4 }), 12);
    expect(mechanism.privacyMap(2).epsilon).toBeGreaterThan(1);
  });

  it("the discrete Gaussian's δ equals Σ_y max(0, p(y) − e^ε p(y − Δ)), and approaches the continuous δ", () => {
    for (const [sigma, epsilon, sensitivity] of [[2, 1, 1], [5, 0.5, 2], [1.3, 2, 1]]) {
      const weight = (y: number) => Math.exp(-(y * y) / (2 * sigma * sigma));
      const ys = range(-200, 200);
      const normaliser = ys.reduce((s, y) => s + weight(y), 0);
      const brute = ys.reduce((s, y) => s + Math.max(0, weight(y) / normaliser - (Math.exp(epsilon) * weight(y - sensitivity)) / normaliser), 0);
      expect(Math.abs(discreteGaussianDelta({ sigma, epsilon, sensitivity }) / brute - 1)).toBeLessThan(1e-9);
    }
    const continuous = analyticGaussianDelta({ sigma: 40, epsilon: 0.05 });
    expect(Math.abs(discreteGaussianDelta({ sigma: 40, epsilon: 0.05 }) / continuous - 1)).toBeLessThan(0.01);
  });

  it("in secure mode calibrates σ on the discrete Gaussian and adds integer noise", () => {
    const mechanism = gaussianMechanism({ epsilon: 1, delta: 1e-5, sensitivity: 1, sampler: secureSampler() });
    const sigma = mechanism.trace.noiseScale;
    expect(discreteGaussianDelta({ sigma, epsilon: 1 })).toBeLessThanOrEqual(1e-5);
    expect(discreteGaussianDelta({ sigma: sigma * 0.999, epsilon: 1 })).toBeGreaterThan(1e-5);
    expect(Number.isInteger(mechanism.release(7).value)).toBe(true);
    expectInputError(() => gaussianMechanism({ epsilon: 1, delta: 1e-5, sensitivity: 0.5, sampler: secureSampler() }), "sensitivity", /integer/);
  });

  it("names bad parameters: δ outside (0, 1), ε ≤ 0, sensitivity ≤ 0", () => {
    expectInputError(() => gaussianMechanism({ epsilon: 1, delta: 0, sensitivity: 1 }), "delta", /\(0, 1\)/);
    expectInputError(() => gaussianMechanism({ epsilon: 1, delta: 1, sensitivity: 1 }), "delta", /\(0, 1\)/);
    expectInputError(() => gaussianMechanism({ epsilon: 0, delta: 1e-5, sensitivity: 1 }), "epsilon", /> 0/);
    expectInputError(() => gaussianMechanism({ epsilon: 1, delta: 1e-5, sensitivity: -2 }), "sensitivity", /> 0/);
    expectInputError(() => gaussianMechanism({ epsilon: 1, delta: 1e-5, sensitivity: 1, calibration: "best" as never }), "calibration");
  });
});

describe("choosing among candidates", () => {
  const towns = ["Ashby", "Brill", "Carrow", "Dunmore"];
  const scores = [40, 38, 12, 10];
  const byTown = (data: readonly number[], town: string) => data[towns.indexOf(town)];

  it("the exponential mechanism's probabilities differ by at most e^ε on neighbouring data; without the factor 2 they do not", () => {
    const epsilon = 1;
    // A neighbour moves every score by at most 1, in either direction.
    const pairs = [[scores, [41, 37, 12, 10]], [scores, [39, 39, 12, 10]], [scores, [40, 38, 13, 9]], [[40, 10, 10, 10], [39, 11, 10, 10]]];
    for (const [one, other] of pairs) {
      const p = exponentialProbabilities(one, epsilon, 1);
      const q = exponentialProbabilities(other, epsilon, 1);
      for (let i = 0; i < p.length; i++) expect(Math.abs(Math.log(p[i] / q[i]))).toBeLessThanOrEqual(epsilon + 1e-12);
    }
    // exp(ε·u/Δ) instead of exp(ε·u/(2Δ)): when a dominant candidate loses 1 and another gains 1, the
    // second one's probability grows by nearly e^{2ε}.
    const wrongP = exponentialProbabilities([40, 10, 10, 10], 2 * epsilon, 1);
    const wrongQ = exponentialProbabilities([39, 11, 10, 10], 2 * epsilon, 1);
    expect(Math.max(...wrongP.map((p, i) => Math.abs(Math.log(p / wrongQ[i]))))).toBeGreaterThan(1.5 * epsilon);
  });

  it("the exponential mechanism draws with those probabilities (χ² at a fixed seed)", () => {
    const mechanism = exponentialMechanism({ epsilon: 0.3, candidates: towns, utility: byTown, sensitivity: 1, seed: 11 });
    const picks = repeat(20_000, () => mechanism.release(scores).value);
    const observed = towns.map((t) => picks.filter((p) => p === t).length);
    expect(chiSquareTest(observed, exponentialProbabilities(scores, 0.3, 1)).pValue).toBeGreaterThan(SIGNIFICANCE);
    expect(mechanism.event).toMatchObject({ kind: "pureDp", mechanism: "exponential mechanism" });
  });

  it("report noisy max keeps each answer's frequency ratio on neighbouring data within e^ε", () => {
    const epsilon = 0.5;
    const mechanism = reportNoisyMax({ epsilon, candidates: towns, utility: byTown, sensitivity: 1, monotonic: true, seed: 12 });
    const neighbour = [41, 38, 12, 10];
    const onD = repeat(60_000, () => towns.indexOf(mechanism.release(scores).value));
    const onNeighbour = repeat(60_000, () => towns.indexOf(mechanism.release(neighbour).value));
    expect(logRatioLowerBound(onD, onNeighbour, [0, 1, 2, 3, 4])).toBeLessThanOrEqual(epsilon);
    expect(mechanism.trace.noiseScale).toBe(2);
    expect(reportNoisyMax({ epsilon, candidates: towns, utility: byTown, sensitivity: 1 }).trace.noiseScale).toBe(4);
  });

  it("refuses secure mode and an empty candidate list", () => {
    expectInputError(() => exponentialMechanism({ epsilon: 1, candidates: towns, utility: byTown, sensitivity: 1, sampler: secureSampler() }), "sampler", /seeded/);
    expectInputError(() => reportNoisyMax({ epsilon: 1, candidates: [], utility: byTown, sensitivity: 1 }), "candidates");
  });
});
