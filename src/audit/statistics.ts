/**
 * Exact binomial statistics for the audits: probabilities, tails and Clopper–Pearson
 * intervals. An empirical ε lower bound is only as honest as its confidence interval: a
 * point estimate of a false-positive rate from 200 trials is not a bound (Jagielski et al.
 * 2020, "Auditing differentially private machine learning: how private is private SGD?").
 */
import { InputError, requireNumber } from "../validation/errors";

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; ~15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function checkBinomial(k: number, n: number, p: number): void {
  requireNumber("n", n, { min: 0, integer: true });
  requireNumber("k", k, { integer: true });
  requireNumber("p", p, { min: 0, max: 1 });
}

/** ln P[Binomial(n, p) = k] (−∞ outside 0..n). */
export function logBinomialPmf(k: number, n: number, p: number): number {
  checkBinomial(k, n, p);
  if (k < 0 || k > n) return -Infinity;
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return (
    logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p)
  );
}

export function binomialPmf(k: number, n: number, p: number): number {
  return Math.exp(logBinomialPmf(k, n, p));
}

/** P[Binomial(n, p) ≥ k]. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  checkBinomial(k, n, p);
  if (k <= 0) return 1;
  if (k > n) return 0;
  // Sum the shorter side for accuracy.
  if (k > n * p) {
    let sum = 0;
    for (let j = k; j <= n; j++) sum += Math.exp(logBinomialPmf(j, n, p));
    return Math.min(1, sum);
  }
  return Math.max(0, 1 - binomialCdf(k - 1, n, p));
}

/** P[Binomial(n, p) ≤ k]. */
export function binomialCdf(k: number, n: number, p: number): number {
  checkBinomial(k, n, p);
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (k < n * p) {
    let sum = 0;
    for (let j = 0; j <= k; j++) sum += Math.exp(logBinomialPmf(j, n, p));
    return Math.min(1, sum);
  }
  return Math.max(0, 1 - binomialUpperTail(k + 1, n, p));
}

/** The p in [0, 1] where an increasing function f crosses `target`, by bisection. */
function solveIncreasing(f: (p: number) => number, target: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Interval {
  lower: number;
  upper: number;
  confidence: number;
}

/**
 * The exact (Clopper & Pearson 1934) two-sided interval for a binomial proportion: it covers
 * the true rate with probability at least `confidence`, whatever the rate. Each end is the
 * rate at which observing k or a more extreme count has probability (1 − confidence)/2.
 */
export function clopperPearson(successes: number, trials: number, confidence = 0.95): Interval {
  requireNumber("trials", trials, { min: 1, integer: true });
  requireNumber("successes", successes, { min: 0, max: trials, integer: true });
  requireNumber("confidence", confidence, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const tail = (1 - confidence) / 2;
  const lower = successes === 0 ? 0 : solveIncreasing((p) => binomialUpperTail(successes, trials, p), tail);
  const upper =
    successes === trials ? 1 : solveIncreasing((p) => 1 - binomialCdf(successes, trials, p), 1 - tail);
  return { lower, upper, confidence };
}

/** Throws unless every entry of `values` is a non-negative integer count. */
export function requireCounts(values: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(values)) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new InputError(field, "a count (an integer ≥ 0)", value);
    }
  }
}
