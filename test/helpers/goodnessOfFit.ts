/**
 * Goodness-of-fit tests for the mechanisms' statistical tests: the one-sample Kolmogorov–Smirnov
 * test (p-value from the library's Kolmogorov distribution) and Pearson's χ² test (p-value from
 * the regularised upper incomplete gamma function, Numerical Recipes §6.2).
 */
import { logGamma } from "../../src/audit/statistics";
import { logErfc } from "../../src/privacy/accountant/logMath";
import { kolmogorovSurvival } from "../../src/synthetic/fidelity";

/** One-sample KS: D = sup |F_n − F| over the sorted sample, and P(K > √n·D). */
export function ksOneSample(sample: readonly number[], cdf: (x: number) => number): { statistic: number; pValue: number } {
  const sorted = [...sample].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  });
  return { statistic: d, pValue: kolmogorovSurvival(Math.sqrt(n) * d) };
}

export function laplaceCdf(scale: number): (x: number) => number {
  return (x) => (x < 0 ? 0.5 * Math.exp(x / scale) : 1 - 0.5 * Math.exp(-x / scale));
}

export function normalCdf(sigma: number): (x: number) => number {
  return (x) => 0.5 * Math.exp(logErfc(-x / (sigma * Math.SQRT2)));
}

/** Q(a, x) = Γ(a, x)/Γ(a): series below a + 1, continued fraction above. */
function regularisedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-15) break;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(logPrefix) * h;
}

/**
 * Pearson's χ² test of observed counts against expected probabilities (which must sum to 1 over
 * the cells given; put the rest in a last "other" cell). Degrees of freedom: cells − 1.
 */
export function chiSquareTest(observed: readonly number[], probabilities: readonly number[]): { statistic: number; pValue: number; cells: number } {
  const n = observed.reduce((a, b) => a + b, 0);
  let statistic = 0;
  observed.forEach((o, i) => {
    const e = n * probabilities[i];
    statistic += ((o - e) * (o - e)) / e;
  });
  return { statistic, pValue: regularisedUpperGamma((observed.length - 1) / 2, statistic / 2), cells: observed.length };
}
