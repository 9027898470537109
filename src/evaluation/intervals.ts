/**
 * Confidence intervals for the numbers the course compares: a proportion measured on a test set
 * (Wilson), a mean over repeated seeded runs (Student's t), and both together.
 */
import { requireNumber } from "../validation/errors";

/** z with Φ(z) = 0.975: the two-sided 95% normal quantile. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval for successes / trials (Wilson 1927): the set of proportions p
 * for which |p̂ − p| ≤ z·√(p(1 − p)/n). Unlike p̂ ± z·√(p̂(1 − p̂)/n) it stays inside [0, 1]
 * and is not zero-width at 0 or n successes. null when trials = 0.
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): Interval | null {
  requireNumber("trials", trials, { min: 0, integer: true });
  requireNumber("successes", successes, { min: 0, max: trials, integer: true });
  requireNumber("z", z, { min: 0, minExclusive: true });
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // Clamp rounding only: at 0 or n successes the exact bound is 0 or 1.
  return { low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === trials ? 1 : Math.min(1, centre + half) };
}

/** t with P(T ≤ t) = 0.975 for Student's t with 1–30 degrees of freedom (standard tables, 3 decimals rounded up). */
const T_975 = [12.707, 4.303, 3.183, 2.777, 2.571, 2.447, 2.365, 2.307, 2.263, 2.229, 2.201, 2.179, 2.161, 2.145, 2.132, 2.12, 2.11, 2.101, 2.094, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.049, 2.046, 2.043];

/**
 * The 97.5% quantile of Student's t with `df` degrees of freedom. Beyond 30 the value of the
 * next tabulated df below (40, 60, 120) is used, which is slightly larger: a conservative interval.
 */
export function studentT975(df: number): number {
  requireNumber("df", df, { min: 1, integer: true });
  if (df <= 30) return T_975[df - 1];
  if (df < 40) return T_975[29];
  if (df < 60) return 2.022;
  if (df < 120) return 2.001;
  return 1.98;
}

export interface MeanInterval extends Interval {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  std: number;
  /** t·std/√n: half the 95% interval of the mean (0 for one value: no spread can be estimated). */
  halfWidth: number;
}

/** The mean of repeated runs with its 95% t-interval (the runs' spread, e.g. over seeds). */
export function meanInterval(values: readonly number[]): MeanInterval {
  if (values.length === 0) throw new RangeError("meanInterval needs at least one value");
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? 0 : Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const halfWidth = n < 2 ? 0 : (studentT975(n - 1) * std) / Math.sqrt(n);
  return { mean, std, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}

/**
 * A mean accuracy over seeded runs, all tested on the same `testRows` people, with a 95% interval
 * for both sources of noise: the test set's (Wilson, on testRows trials) and the seeds' (the
 * t half-width), added in quadrature on each side. The test set is shared, so its noise does not
 * average out over seeds.
 */
export function accuracyInterval(accuracies: readonly number[], testRows: number): MeanInterval & { testSet: Interval; seeds: Interval } {
  requireNumber("testRows", testRows, { min: 1, integer: true });
  const seeds = meanInterval(accuracies);
  const testSet = wilsonInterval(Math.round(seeds.mean * testRows), testRows) as Interval;
  const below = Math.max(0, seeds.mean - testSet.low);
  const above = Math.max(0, testSet.high - seeds.mean);
  return {
    ...seeds,
    low: Math.max(0, seeds.mean - Math.hypot(below, seeds.halfWidth)),
    high: Math.min(1, seeds.mean + Math.hypot(above, seeds.halfWidth)),
    testSet,
    seeds: { low: seeds.low, high: seeds.high },
  };
}

/** Whether two 95% intervals are apart (a conservative test of a difference: no overlap). */
export function intervalsApart(a: Interval, b: Interval): boolean {
  return a.high < b.low || b.high < a.low;
}
