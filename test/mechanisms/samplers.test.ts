import { describe, expect, it } from "vitest";
import { rationalFromDouble } from "../../src/privacy/mechanisms/exact";
import { secureSampler, seededSampler } from "../../src/privacy/mechanisms";
import { expectInputError } from "../helpers/expectInputError";
import { chiSquareTest, ksOneSample, laplaceCdf, normalCdf } from "../helpers/goodnessOfFit";

/** Seeded tests run at a fixed seed; a distribution test passes when its p-value is above this level. */
const SIGNIFICANCE = 0.01;
/**
 * The secure sampler cannot be seeded, so its tests see fresh draws on every run: they use a
 * level at which a correct sampler fails once in a million runs, and moment bounds of ≥ 5
 * standard errors.
 */
const SECURE_SIGNIFICANCE = 1e-6;

/** Counts of each integer in [−cut, cut], the two tails pooled into one last cell. */
function integerHistogram(draws: readonly number[], cut: number): number[] {
  const counts = new Array<number>(2 * cut + 2).fill(0);
  for (const y of draws) counts[Math.abs(y) <= cut ? y + cut : 2 * cut + 1]++;
  return counts;
}

/** The matching probabilities of a symmetric pmf ∝ weight(|y|) on ℤ (normaliser summed far out). */
function integerProbabilities(weight: (k: number) => number, cut: number): number[] {
  let normaliser = weight(0);
  for (let k = 1; k < 100_000 && weight(k) > 1e-300; k++) normaliser += 2 * weight(k);
  const cells = Array.from({ length: 2 * cut + 1 }, (_, i) => weight(Math.abs(i - cut)) / normaliser);
  return [...cells, 1 - cells.reduce((a, b) => a + b, 0)];
}

const draw = (n: number, f: () => number) => Array.from({ length: n }, f);

describe("the exact integer samplers (Canonne, Kamath & Steinke 2020)", () => {
  it.each([
    ["seeded", () => seededSampler(11), SIGNIFICANCE],
    ["secure", () => secureSampler(), SECURE_SIGNIFICANCE],
  ] as const)("discrete Laplace (%s): pmf ∝ e^{−|y|/b} by χ², and its moments", (_mode, make, level) => {
    const sampler = make();
    const scale = 1 / 0.7;
    const draws = draw(40_000, () => sampler.discreteLaplace(scale));
    const cut = 6;
    const test = chiSquareTest(integerHistogram(draws, cut), integerProbabilities((k) => Math.exp(-k / scale), cut));
    expect(test.pValue).toBeGreaterThan(level);
    // Var = 2r/(1 − r)² with r = e^{−1/b}; the sample mean is within 5 standard errors of 0, the variance within 6 % (≥ 5 SE).
    const r = Math.exp(-1 / scale);
    const variance = (2 * r) / (1 - r) ** 2;
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sampleVariance = draws.reduce((a, b) => a + b * b, 0) / draws.length - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(variance / draws.length));
    expect(Math.abs(sampleVariance / variance - 1)).toBeLessThan(0.06);
    expect(draws.every(Number.isInteger)).toBe(true);
  });

  it.each([
    ["seeded", () => seededSampler(12), SIGNIFICANCE],
    ["secure", () => secureSampler(), SECURE_SIGNIFICANCE],
  ] as const)("discrete Gaussian (%s): pmf ∝ e^{−y²/2σ²} by χ², and its moments", (_mode, make, level) => {
    const sampler = make();
    const sigma = 2.5;
    const draws = draw(40_000, () => sampler.discreteGaussian(sigma));
    const weight = (k: number) => Math.exp(-(k * k) / (2 * sigma * sigma));
    const cut = 7;
    const test = chiSquareTest(integerHistogram(draws, cut), integerProbabilities(weight, cut));
    expect(test.pValue).toBeGreaterThan(level);
    // The exact variance Σ y² p(y), not σ² (the discrete Gaussian's is a little smaller for small σ).
    let normaliser = 1;
    let second = 0;
    for (let k = 1; k < 200; k++) {
      normaliser += 2 * weight(k);
      second += 2 * k * k * weight(k);
    }
    const variance = second / normaliser;
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sampleVariance = draws.reduce((a, b) => a + b * b, 0) / draws.length - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(variance / draws.length));
    expect(Math.abs(sampleVariance / variance - 1)).toBeLessThan(0.06);
  });

  it("agrees with its continuous limit: a discrete Gaussian of large σ passes a KS test against N(0, σ²)", () => {
    const sampler = seededSampler(13);
    const sigma = 200;
    // Continuity correction: spread each integer uniformly over [y − ½, y + ½).
    const draws = draw(5000, () => sampler.discreteGaussian(sigma) + sampler.uniform() - 0.5);
    expect(ksOneSample(draws, normalCdf(sigma)).pValue).toBeGreaterThan(SIGNIFICANCE);
  });

  it("Bernoulli(p) is exact for the double p: p = 0 and p = 1 never err, p = 0.3 matches by χ²", () => {
    const sampler = seededSampler(14);
    expect(draw(2000, () => Number(sampler.bernoulli(0))).some(Boolean)).toBe(false);
    expect(draw(2000, () => Number(sampler.bernoulli(1))).every(Boolean)).toBe(true);
    const ones = draw(20_000, () => Number(sampler.bernoulli(0.3))).reduce((a, b) => a + b, 0);
    expect(chiSquareTest([ones, 20_000 - ones], [0.3, 0.7]).pValue).toBeGreaterThan(SIGNIFICANCE);
  });

  it("reads a double as the exact rational it denotes", () => {
    expect(rationalFromDouble(0.5)).toEqual({ numerator: 1n, denominator: 2n });
    expect(rationalFromDouble(3)).toEqual({ numerator: 3n, denominator: 1n });
    const tenth = rationalFromDouble(0.1);
    expect(Number(tenth.numerator) / Number(tenth.denominator)).toBe(0.1);
    expect(tenth.denominator).toBe(2n ** 55n);
  });
});

describe("the continuous seeded samplers", () => {
  it("Laplace noise passes a KS test against the Laplace CDF; Gaussian noise against N(0, σ²)", () => {
    const sampler = seededSampler(21);
    expect(ksOneSample(draw(5000, () => sampler.laplace(2)), laplaceCdf(2)).pValue).toBeGreaterThan(SIGNIFICANCE);
    expect(ksOneSample(draw(5000, () => sampler.gaussian(3)), normalCdf(3)).pValue).toBeGreaterThan(SIGNIFICANCE);
  });

  it("are detected when wrong: Laplace draws of scale 2.3 fail the KS test for scale 2", () => {
    const sampler = seededSampler(21);
    expect(ksOneSample(draw(5000, () => sampler.laplace(2.3)), laplaceCdf(2)).pValue).toBeLessThan(SIGNIFICANCE);
  });

  it("repeat with the seed, differ across seeds", () => {
    const a = draw(5, () => seededSampler(5).laplace(1));
    expect(draw(5, () => seededSampler(5).laplace(1))).toEqual(a);
    expect(seededSampler(6).laplace(1)).not.toBe(a[0]);
  });
});

describe("the secure sampler", () => {
  it("refuses a seed, and refuses continuous float noise, with named errors", () => {
    expectInputError(() => secureSampler(7), "seed", /cannot be seeded/);
    const sampler = secureSampler();
    expect(sampler.mode).toBe("secure");
    expectInputError(() => sampler.laplace(1), "sampler", /integers/);
    expectInputError(() => sampler.gaussian(1), "sampler", /integers/);
  });

  it("draws differently on every construction (no hidden seed)", () => {
    const a = draw(8, () => secureSampler().int(2 ** 30));
    const b = draw(8, () => secureSampler().int(2 ** 30));
    expect(a).not.toEqual(b);
  });

  it("names bad scales", () => {
    expectInputError(() => seededSampler(1).discreteLaplace(0), "scale", /> 0/);
    expectInputError(() => seededSampler(1).discreteGaussian(-1), "sigma", /> 0/);
    expectInputError(() => seededSampler(1).bernoulli(1.5), "p", /\[0, 1\]/);
  });
});
