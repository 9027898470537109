/**
 * Randomised response (Warner 1965), the oldest differentially private mechanism and the
 * local one: each person randomises their own answer before anyone sees it. With keep
 * probability p = e^ε/(e^ε + k − 1) a person reports the truth, otherwise one of the k − 1
 * other answers uniformly; the ratio of any report's probabilities under two true answers is
 * at most p/q = e^ε, so each report is ε-locally-DP, and the whole table of reports is ε-DP
 * when one person's answer is replaced by another (each person moves only their own report).
 * It is not DP for adding or removing a person: the table shows who answered, and how many did.
 * Estimators: Wang, Blocki, Li & Jha 2017, "Locally Differentially Private Protocols for
 * Frequency Estimation", Sec. 4.1 (direct encoding), which for k = 2 is Warner's.
 */
import { InputError, requireNumber } from "../../validation/errors";
import { freezeTrace, nextUp, pureGroupLoss, requireEpsilon } from "./params";
import { samplerFrom, type NoiseOptions } from "./sampler";
import type { Mechanism, MechanismTrace } from "./types";

/** p (report the truth) and q (report one given other answer) for k answers at ε. */
export function responseProbabilities(epsilon: number, categories = 2): { keep: number; other: number } {
  requireEpsilon(epsilon);
  requireNumber("categories", categories, { min: 2, integer: true });
  const keep = 1 / (1 + (categories - 1) * Math.exp(-epsilon));
  return { keep, other: (1 - keep) / (categories - 1) };
}

function trace(epsilon: number, categories: number, mode: MechanismTrace["mode"]): MechanismTrace {
  const { keep, other } = responseProbabilities(epsilon, categories);
  return freezeTrace({
    mechanism: categories === 2 ? "randomised response" : `${categories}-ary randomised response`,
    mode,
    noise: `each answer kept with probability ${keep.toPrecision(6)}, else replaced by ${categories === 2 ? "its opposite" : "another answer, uniformly"}`,
    sensitivity: 1,
    sensitivityNorm: "one answer",
    noiseScale: 1 - keep,
    // The flip is drawn with the double `keep` exactly, so its own ratio is the ε spent.
    epsilon: nextUp(Math.log(keep / other)),
    delta: 0,
    neighbouring: "replace one person's answer",
    notes: [
      "local DP: each person's report is ε-DP on its own, before any curator sees it",
      "the neighbours are one person's possible answers: the reports do not hide who answered, or how many did",
      "the estimate of the true proportion is post-processing of the reports: it costs nothing more",
    ],
  });
}

/** Binary randomised response: "did you buy in the last month?" answered through a biased coin. */
export function randomisedResponse(options: { epsilon: number } & NoiseOptions): Mechanism<readonly boolean[], boolean[]> {
  const epsilon = requireEpsilon(options.epsilon);
  const sampler = samplerFrom(options);
  const { keep } = responseProbabilities(epsilon);
  const t = trace(epsilon, 2, sampler.mode);
  return {
    trace: t,
    event: { kind: "pureDp", epsilon: t.epsilon, mechanism: t.mechanism },
    privacyMap: (distance) => pureGroupLoss(t.epsilon, distance),
    release(answers) {
      if (!Array.isArray(answers)) throw new InputError("answers", "an array of booleans", answers);
      const value = answers.map((answer, i) => {
        if (typeof answer !== "boolean") throw new InputError(`answers[${i}]`, "true or false", answer);
        return sampler.bernoulli(keep) ? answer : !answer;
      });
      return { value, trace: t };
    },
  };
}

/** k-ary randomised response over declared categories (never read from the data). */
export function kAryRandomisedResponse<T extends string>(
  options: { epsilon: number; categories: readonly T[] } & NoiseOptions,
): Mechanism<readonly T[], T[]> {
  const epsilon = requireEpsilon(options.epsilon);
  const categories = requireCategories(options.categories);
  const sampler = samplerFrom(options);
  const k = categories.length;
  const { keep } = responseProbabilities(epsilon, k);
  const t = trace(epsilon, k, sampler.mode);
  const index = new Map(categories.map((c, i) => [c as string, i]));
  return {
    trace: t,
    event: { kind: "pureDp", epsilon: t.epsilon, mechanism: t.mechanism },
    privacyMap: (distance) => pureGroupLoss(t.epsilon, distance),
    release(answers) {
      if (!Array.isArray(answers)) throw new InputError("answers", `an array of ${categories.join(", ")}`, answers);
      const value = answers.map((answer, i) => {
        const truth = index.get(answer);
        if (truth === undefined) throw new InputError(`answers[${i}]`, `one of ${categories.join(", ")}`, answer);
        if (sampler.bernoulli(keep)) return answer;
        const other = sampler.int(k - 1);
        return categories[other >= truth ? other + 1 : other];
      });
      return { value, trace: t };
    },
  };
}

function requireCategories<T extends string>(categories: readonly T[]): readonly T[] {
  if (!Array.isArray(categories) || categories.length < 2 || categories.some((c) => typeof c !== "string")) {
    throw new InputError("categories", "an array of at least 2 strings", categories);
  }
  if (new Set(categories).size !== categories.length) throw new InputError("categories", "distinct strings", categories);
  return [...categories];
}

export interface ProportionEstimate {
  /** Unbiased estimate of the true proportion (may fall outside [0, 1]: it is unbiased, not clamped). */
  estimate: number;
  /** Estimated variance of the estimate, f(1 − f)/(n(p − q)²) with f the observed rate. */
  variance: number;
  standardError: number;
  /** The share of reports that said yes (or named the category). */
  observedRate: number;
  reports: number;
}

/**
 * The unbiased estimator of the true proportion from randomised reports:
 * E[f] = q + π(p − q), so π̂ = (f − q)/(p − q), with variance f(1 − f)/(n(p − q)²) estimated from f.
 */
export function estimateProportion(reports: readonly boolean[], epsilon: number): ProportionEstimate {
  if (!Array.isArray(reports) || reports.length === 0) throw new InputError("reports", "a non-empty array of booleans", reports);
  const yes = reports.filter((r) => r === true).length;
  return estimateFromCount(yes, reports.length, epsilon, 2);
}

/** The same, for each category of k-ary randomised response. */
export function estimateFrequencies<T extends string>(
  reports: readonly T[],
  categories: readonly T[],
  epsilon: number,
): Record<T, ProportionEstimate> {
  requireCategories(categories);
  if (!Array.isArray(reports) || reports.length === 0) throw new InputError("reports", "a non-empty array of categories", reports);
  const counts = new Map<string, number>(categories.map((c) => [c, 0]));
  reports.forEach((r, i) => {
    const count = counts.get(r);
    if (count === undefined) throw new InputError(`reports[${i}]`, `one of ${categories.join(", ")}`, r);
    counts.set(r, count + 1);
  });
  return Object.fromEntries(
    categories.map((c) => [c, estimateFromCount(counts.get(c)!, reports.length, epsilon, categories.length)]),
  ) as Record<T, ProportionEstimate>;
}

function estimateFromCount(count: number, n: number, epsilon: number, categories: number): ProportionEstimate {
  const { keep, other } = responseProbabilities(epsilon, categories);
  const observedRate = count / n;
  const gap = keep - other;
  const variance = (observedRate * (1 - observedRate)) / (n * gap * gap);
  return { estimate: (observedRate - other) / gap, variance, standardError: Math.sqrt(variance), observedRate, reports: n };
}

/** The exact variance of the estimate for a true proportion π over n reports: λ(1 − λ)/(n(p − q)²), λ = q + π(p − q). */
export function proportionVariance(trueProportion: number, reports: number, epsilon: number, categories = 2): number {
  requireNumber("trueProportion", trueProportion, { min: 0, max: 1 });
  requireNumber("reports", reports, { min: 1, integer: true });
  const { keep, other } = responseProbabilities(epsilon, categories);
  const lambda = other + trueProportion * (keep - other);
  return (lambda * (1 - lambda)) / (reports * (keep - other) ** 2);
}
