/**
 * Choosing among candidates privately. The candidates are declared up front (never read from
 * the data); each gets a utility score from the data, and one person can move any score by at
 * most Δ (the utility's sensitivity).
 * - The exponential mechanism (McSherry & Talwar 2007; Dwork & Roth 2014, Thm 3.10) picks
 *   candidate c with probability ∝ exp(ε·u(c)/(2Δ)): ε-DP.
 * - Report noisy max (Dwork & Roth 2014, Claim 3.9) adds Laplace noise to every score and
 *   reports the index of the largest, nothing else: ε-DP with scale 2Δ/ε, or Δ/ε when every
 *   score moves in the same direction when a person is added (counts: `monotonic: true`).
 * Both are seeded only: their probabilities are floating point, not the exact integer sampling
 * of secure mode.
 */
import { InputError, requireNumber } from "../../validation/errors";
import { freezeTrace, pureGroupLoss, nextUp, requireEpsilon, requireSensitivity } from "./params";
import { samplerFrom, type NoiseOptions, type NoiseSampler } from "./sampler";
import type { Mechanism, MechanismTrace } from "./types";

interface SelectionOptions<D, T> extends NoiseOptions {
  epsilon: number;
  candidates: readonly T[];
  /** The score of a candidate on the data. */
  utility: (data: D, candidate: T) => number;
  /** How far one person can move any score. */
  sensitivity: number;
}

function requireSeeded(sampler: NoiseSampler, mechanism: string): void {
  if (sampler.mode !== "seeded") {
    throw new InputError("sampler", `a seeded sampler: the ${mechanism} samples with floating-point probabilities, which secure mode does not offer`, sampler.mode);
  }
}

function requireCandidates<T>(candidates: readonly T[]): readonly T[] {
  if (!Array.isArray(candidates) || candidates.length < 1) throw new InputError("candidates", "a non-empty array declared before looking at the data", candidates);
  return [...candidates];
}

function scoresOf<D, T>(data: D, candidates: readonly T[], utility: (data: D, candidate: T) => number): number[] {
  return candidates.map((c, i) => requireNumber(`utility(candidates[${i}])`, utility(data, c)));
}

/** The exponential mechanism's probabilities, ∝ exp(ε·u/(2Δ)), computed stably (log-sum-exp). */
export function exponentialProbabilities(scores: readonly number[], epsilon: number, sensitivity: number): number[] {
  requireEpsilon(epsilon);
  requireSensitivity(sensitivity);
  if (!Array.isArray(scores) || scores.length === 0) throw new InputError("scores", "a non-empty array of finite numbers", scores);
  const logits = scores.map((u, i) => (requireNumber(`scores[${i}]`, u) * epsilon) / (2 * sensitivity));
  const max = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - max));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

function selectionTrace(mechanism: string, noise: string, sensitivity: number, noiseScale: number, epsilon: number, notes: string[]): MechanismTrace {
  return freezeTrace({
    mechanism,
    mode: "seeded",
    noise,
    sensitivity,
    sensitivityNorm: "utility",
    noiseScale,
    epsilon: nextUp(epsilon),
    delta: 0,
    neighbouring: "add-remove one person",
    notes: [...notes, "releases only the chosen candidate: the scores themselves stay private"],
  });
}

export function exponentialMechanism<D, T>(options: SelectionOptions<D, T>): Mechanism<D, T> {
  const epsilon = requireEpsilon(options.epsilon);
  const sensitivity = requireSensitivity(options.sensitivity);
  const candidates = requireCandidates(options.candidates);
  const sampler = samplerFrom(options);
  requireSeeded(sampler, "exponential mechanism");
  const trace = selectionTrace("exponential mechanism", `P[c] ∝ exp(ε·u(c)/(2Δ))`, sensitivity, (2 * sensitivity) / epsilon, epsilon, [
    "McSherry & Talwar 2007: ε-DP whatever the utility, as long as one person moves each score by at most Δ",
  ]);
  return {
    trace,
    event: { kind: "pureDp", epsilon: trace.epsilon, mechanism: trace.mechanism },
    privacyMap: (distance) => pureGroupLoss(trace.epsilon, distance),
    release(data) {
      const probabilities = exponentialProbabilities(scoresOf(data, candidates, options.utility), epsilon, sensitivity);
      const u = sampler.uniform();
      let cumulative = 0;
      for (let i = 0; i < candidates.length; i++) {
        cumulative += probabilities[i];
        if (u < cumulative) return { value: candidates[i], trace };
      }
      // Rounding can leave the cumulative sum a hair below 1: the last candidate with weight takes it.
      const last = probabilities.map((p, i) => (p > 0 ? i : -1)).reduce((a, b) => Math.max(a, b));
      return { value: candidates[last], trace };
    },
  };
}

export function reportNoisyMax<D, T>(options: SelectionOptions<D, T> & { monotonic?: boolean }): Mechanism<D, T> {
  const epsilon = requireEpsilon(options.epsilon);
  const sensitivity = requireSensitivity(options.sensitivity);
  const candidates = requireCandidates(options.candidates);
  const monotonic = options.monotonic ?? false;
  if (typeof monotonic !== "boolean") throw new InputError("monotonic", "true or false", monotonic);
  const sampler = samplerFrom(options);
  requireSeeded(sampler, "report-noisy-max");
  const scale = ((monotonic ? 1 : 2) * sensitivity) / epsilon;
  const trace = selectionTrace("report noisy max", `Laplace(0, ${scale}) on every score, the largest reported`, sensitivity, scale, epsilon, [
    monotonic ? "monotonic scores (counts): scale Δ/ε suffices" : "scores may move in opposite directions: scale 2Δ/ε",
  ]);
  return {
    trace,
    event: { kind: "pureDp", epsilon: trace.epsilon, mechanism: trace.mechanism },
    privacyMap: (distance) => pureGroupLoss(trace.epsilon, distance),
    release(data) {
      const noisy = scoresOf(data, candidates, options.utility).map((u) => u + sampler.laplace(scale));
      let best = 0;
      for (let i = 1; i < noisy.length; i++) if (noisy[i] > noisy[best]) best = i;
      return { value: candidates[best], trace };
    },
  };
}
