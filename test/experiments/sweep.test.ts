import { beforeAll, describe, expect, it } from "vitest";
import { accuracyInterval, intervalsApart, meanInterval, studentT975, wilsonInterval } from "../../src/evaluation/intervals";
import { runSweep, summariseSweep, sweepJobs, type SweepRun } from "../../src/experiments/sweep";
import { privacyUtilityFigure } from "../../src/render/charts/privacyUtility";
import { privacyUtilityView } from "../../src/render/views";
import { useBackend } from "../../src/runtime/tensorflow";
import { expectInputError } from "../helpers/expectInputError";

beforeAll(async () => {
  await useBackend();
});

/** ln Γ(x) by Lanczos (g = 7, n = 9), for the reference t density. */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(T ≤ t) for Student's t with ν degrees of freedom, by Simpson's rule on the density (an independent reference). */
function tCdf(t: number, nu: number): number {
  const logC = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
  const density = (x: number) => Math.exp(logC - ((nu + 1) / 2) * Math.log(1 + (x * x) / nu));
  const n = 20_000;
  const h = t / n;
  let sum = density(0) + density(t);
  for (let i = 1; i < n; i++) sum += density(i * h) * (i % 2 === 1 ? 4 : 2);
  return 0.5 + (sum * h) / 3;
}

describe("intervals", () => {
  it("takes t quantiles that cover 97.5% (never less, at most 0.001 more) for 1–30 degrees of freedom", () => {
    for (let df = 1; df <= 30; df++) {
      const p = tCdf(studentT975(df), df);
      expect(p).toBeGreaterThanOrEqual(0.975 - 1e-7);
      expect(studentT975(df) - 0.001).toBeLessThan(studentT975(df));
      expect(tCdf(studentT975(df) - 0.0011, df)).toBeLessThan(0.975);
    }
    // Beyond the table: conservative (covers at least 97.5%), and close to the normal quantile.
    for (const df of [31, 45, 90, 500]) {
      expect(tCdf(studentT975(df), df)).toBeGreaterThanOrEqual(0.975 - 1e-7);
      expect(studentT975(df)).toBeLessThan(2.05);
    }
    expectInputError(() => studentT975(0), "df");
  });

  it("gives a mean's t-interval, and an accuracy interval that adds the test set's noise", () => {
    const m = meanInterval([0.8, 0.82, 0.84]);
    expect(m.mean).toBeCloseTo(0.82, 12);
    expect(m.std).toBeCloseTo(0.02, 12);
    expect(m.halfWidth).toBeCloseTo((studentT975(2) * 0.02) / Math.sqrt(3), 12);
    expect(meanInterval([0.9]).halfWidth).toBe(0);
    const a = accuracyInterval([0.8, 0.82, 0.84], 200);
    const wilson = wilsonInterval(164, 200)!;
    expect(a.testSet).toEqual(wilson);
    // Both sources together are wider than either alone.
    expect(a.low).toBeLessThan(Math.min(wilson.low, m.low));
    expect(a.high).toBeGreaterThan(Math.max(wilson.high, m.high));
    expect(a.high - a.mean).toBeCloseTo(Math.hypot(wilson.high - a.mean, m.halfWidth), 12);
    // With 200 test rows an accuracy near 0.9 is uncertain by about ± 4 points: the differences are inside it.
    const ninety = accuracyInterval([0.9], 200);
    expect(ninety.high - ninety.low).toBeGreaterThan(0.07);
    expect(intervalsApart({ low: 0, high: 0.5 }, { low: 0.6, high: 1 })).toBe(true);
    expect(intervalsApart({ low: 0, high: 0.7 }, { low: 0.6, high: 1 })).toBe(false);
  });
});

const run = (trainRows: number, epsilon: number, seed: number, accuracy: number): SweepRun => ({
  epsilon, seed, delta: 1e-5, epochs: 5, model: "logistic", trainRows, testRows: 200, accuracy, rocAuc: 0.9, epsilonSpent: epsilon, noiseMultiplier: 1,
});

describe("the sweep's summary", () => {
  it("groups by (training rows, ε), and calls a drop significant only when the intervals are apart", () => {
    const runs = [
      ...[0.6, 0.62, 0.61].map((a, i) => run(100, 0.1, 7 + i, a)),
      ...[0.9, 0.91, 0.9].map((a, i) => run(100, Infinity, 7 + i, a)),
      ...[0.895, 0.9, 0.89].map((a, i) => run(800, 0.1, 7 + i, a)),
      ...[0.915, 0.915, 0.915].map((a, i) => run(800, Infinity, 7 + i, a)),
    ];
    const summary = summariseSweep(runs);
    expect(summary.map((r) => [r.trainRows, r.epsilon, r.runs])).toEqual([[100, 0.1, 3], [100, Infinity, 3], [800, 0.1, 3], [800, Infinity, 3]]);
    expect(summary.map((r) => r.belowNonPrivate)).toEqual(["significant", null, "not significant", null]);
    for (const r of summary) {
      expect(r.interval.low).toBeLessThanOrEqual(r.meanAccuracy);
      expect(r.interval.high).toBeGreaterThanOrEqual(r.meanAccuracy);
    }
    // The chart: one curve and one dashed non-private line per size, error bars from the intervals.
    const figure = privacyUtilityFigure(summary);
    expect(figure.data.map((t) => t.name)).toEqual([
      "DP-SGD, 100 training rows",
      expect.stringMatching(/^no privacy, 100 rows \(0\.903 \[/),
      "DP-SGD, 800 training rows",
      expect.stringMatching(/^no privacy, 800 rows \(0\.915 \[/),
    ]);
    const bars = figure.data[0].error_y as { array: number[]; arrayminus: number[] };
    expect(bars.array[0]).toBeCloseTo(summary[0].interval.high - summary[0].meanAccuracy, 12);
    expect(bars.arrayminus[0]).toBeCloseTo(summary[0].meanAccuracy - summary[0].interval.low, 12);
    const text = String(privacyUtilityView(summary).toMimeBundle()["text/plain"]);
    expect(text).toContain("significantly lower");
    expect(text).toContain("no significant difference");
  });

  it("makes one job per size, ε and seed, and rejects a size outside 10–800", () => {
    const jobs = sweepJobs({ epsilons: [1, Infinity], repeats: 2, trainSizes: [100, 200] });
    expect(jobs.map((j) => [j.trainSize, j.epsilon, j.seed])).toEqual([
      [100, 1, 7], [100, 1, 8], [100, Infinity, 7], [100, Infinity, 8], [200, 1, 7], [200, 1, 8], [200, Infinity, 7], [200, Infinity, 8],
    ]);
    expect(sweepJobs({ epsilons: [1], repeats: 1 })[0]).not.toHaveProperty("trainSize");
    expectInputError(() => sweepJobs({ epsilons: [1], repeats: 1, trainSizes: [5] }), "trainSizes[0]");
    expectInputError(() => sweepJobs({ epsilons: [1], repeats: 1, trainSizes: [801] }), "trainSizes[0]");
    expectInputError(() => sweepJobs({ epsilons: [1], repeats: 1, trainSizes: [] }), "trainSizes");
  });

  it("trains on the asked number of rows and tests on the same 200", async () => {
    const { runs } = await runSweep({ epsilons: [1], repeats: 1, epochs: 1, trainSizes: [60], workers: 0 });
    expect(runs.map((r) => [r.trainRows, r.testRows])).toEqual([[60, 200]]);
  });
});
