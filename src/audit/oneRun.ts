/**
 * Privacy auditing with ONE training run (Steinke, Nasr & Jagielski 2023, NeurIPS). Insert m
 * canaries, each independently included with probability 1/2 (S_i = ±1). After training, the
 * auditor scores every canary, guesses "in" for the k₊ highest scores and "out" for the k₋
 * lowest, abstains on the rest, and counts the correct guesses W out of r = k₊ + k₋.
 *
 * Their Theorem 5.2: if training is (ε, δ)-DP, W is (nearly) stochastically dominated by
 * Binomial(r, e^ε/(1 + e^ε)), the accuracy of ε-randomised response on r independent bits;
 * δ adds at most 2m·δ·α to the tail, with α from their Algorithm 3. A count of correct
 * guesses too large for that tail at level β REJECTS (ε, δ)-DP, so the largest ε rejected
 * is a lower bound on the true ε, with confidence 1 − β. `oneRunPValue` and
 * `oneRunEpsilonLowerBound` follow the paper's reference code (Appendix D).
 */
import { InputError, requireNumber } from "../validation/errors";
import { binomialPmf, binomialUpperTail } from "./statistics";

function checkMrv(m: number, r: number, v: number): void {
  requireNumber("m", m, { min: 1, integer: true });
  requireNumber("r", r, { min: 0, max: m, integer: true });
  requireNumber("v", v, { min: 0, max: r, integer: true });
}

/** P[≥ v correct of r guesses] under the null "the training run is (ε, δ)-DP" (an upper bound). */
export function oneRunPValue({ m, r, v, epsilon, delta }: { m: number; r: number; v: number; epsilon: number; delta: number }): number {
  checkMrv(m, r, v);
  requireNumber("epsilon", epsilon, { min: 0 });
  requireNumber("delta", delta, { min: 0, max: 1 });
  const q = 1 / (1 + Math.exp(-epsilon)); // accuracy of ε-DP randomised response
  const beta = binomialUpperTail(v, r, q);
  // α = max_i P[v > Binomial(r, q) ≥ v − i] / i: the δ-term of their Theorem 5.2.
  let alpha = 0;
  let sum = 0;
  for (let i = 1; i <= v; i++) {
    sum += binomialPmf(v - i, r, q);
    if (sum > i * alpha) alpha = sum / i;
  }
  return Math.min(1, beta + alpha * delta * 2 * m);
}

/**
 * The largest ε that the observation (v correct of r guesses among m canaries) rejects at
 * level β, i.e. a lower bound on the true ε holding with probability ≥ 1 − β; 0 when even
 * ε = 0 cannot be rejected. Bisection to 2⁻³⁰ of the bracket, as in the reference code.
 */
export function oneRunEpsilonLowerBound({ m, r, v, delta, beta = 0.05 }: { m: number; r: number; v: number; delta: number; beta?: number }): number {
  checkMrv(m, r, v);
  requireNumber("delta", delta, { min: 0, max: 1 });
  requireNumber("beta", beta, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const p = (epsilon: number) => oneRunPValue({ m, r, v, epsilon, delta });
  if (p(0) >= beta) return 0;
  let low = 0;
  let high = 1;
  while (p(high) < beta) {
    high += 1;
    if (high > 200) return Infinity; // cannot happen for finite r; guards the loop
  }
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (p(mid) < beta) low = mid;
    else high = mid;
  }
  return low;
}

export interface GuessOutcome {
  /** Guesses "in" (top scores) and "out" (bottom scores). */
  kPositive: number;
  kNegative: number;
  /** r = kPositive + kNegative. */
  guesses: number;
  /** v: guesses that matched the truth. */
  correct: number;
  /** v / r. */
  accuracy: number;
}

/**
 * Guess "in" for the kPositive highest scores and "out" for the kNegative lowest; count the
 * hits. Ties are broken by index, never by the truth.
 */
export function scoreGuesses(
  scores: readonly number[],
  included: readonly boolean[],
  kPositive: number,
  kNegative: number,
): GuessOutcome {
  if (!Array.isArray(scores as unknown) || scores.length === 0) throw new InputError("scores", "a non-empty array of numbers", scores);
  if (!Array.isArray(included as unknown) || included.length !== scores.length) {
    throw new InputError("included", `an array of ${scores.length} booleans (one per canary)`, included);
  }
  scores.forEach((s, i) => {
    if (typeof s !== "number" || Number.isNaN(s)) throw new InputError(`scores[${i}]`, "a number", s);
  });
  requireNumber("kPositive", kPositive, { min: 0, integer: true });
  requireNumber("kNegative", kNegative, { min: 0, integer: true });
  if (kPositive + kNegative > scores.length) {
    throw new InputError("kPositive + kNegative", `at most the number of canaries (${scores.length})`, kPositive + kNegative);
  }
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  let correct = 0;
  for (let k = 0; k < kPositive; k++) if (included[order[k]]) correct++;
  for (let k = 0; k < kNegative; k++) if (!included[order[order.length - 1 - k]]) correct++;
  const guesses = kPositive + kNegative;
  return { kPositive, kNegative, guesses, correct, accuracy: guesses === 0 ? 0 : correct / guesses };
}

export interface OneRunAuditResult {
  /** The best bound over the guess sizes tried, valid at confidence 1 − β overall. */
  epsilonLowerBound: number;
  /** The guess size that gave it. */
  best: GuessOutcome & { epsilonLowerBound: number };
  /** Every guess size tried, each bounded at level β / (number tried). */
  candidates: (GuessOutcome & { epsilonLowerBound: number })[];
  canaries: number;
  included: number;
  delta: number;
  confidence: number;
  /** β / (number of guess sizes tried): the Bonferroni-corrected level of each. */
  levelPerCandidate: number;
}

/** Default guess sizes: k₊ = k₋ = k for k in this list (those with 2k ≤ m). */
export const DEFAULT_GUESS_SIZES: readonly number[] = [10, 25, 50, 100, 200, 400];

/**
 * The one-run audit from canary scores. Steinke et al. try several guess sizes and report
 * the best; choosing after looking makes each test's level wrong, so here each of the K
 * sizes is tested at β/K (Bonferroni) and the best of them holds at 1 − β overall.
 */
export function oneRunAudit(params: {
  scores: readonly number[];
  included: readonly boolean[];
  delta: number;
  confidence?: number;
  /** k₊ = k₋ = k for each k; default DEFAULT_GUESS_SIZES (capped at m/2). */
  guessSizes?: readonly number[];
}): OneRunAuditResult {
  const m = params.scores?.length ?? 0;
  if (m < 2) throw new InputError("scores", "scores of at least 2 canaries", params.scores);
  const confidence = requireNumber("confidence", params.confidence ?? 0.95, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const delta = requireNumber("delta", params.delta, { min: 0, max: 1, maxExclusive: true });
  const requested = params.guessSizes ?? DEFAULT_GUESS_SIZES;
  requested.forEach((k, i) => requireNumber(`guessSizes[${i}]`, k, { min: 1, integer: true }));
  let sizes = [...new Set(requested.filter((k) => 2 * k <= m))];
  if (sizes.length === 0) sizes = [Math.floor(m / 2)];
  const level = (1 - confidence) / sizes.length;
  const candidates = sizes.map((k) => {
    const outcome = scoreGuesses(params.scores, params.included, k, k);
    return { ...outcome, epsilonLowerBound: oneRunEpsilonLowerBound({ m, r: outcome.guesses, v: outcome.correct, delta, beta: level }) };
  });
  const best = candidates.reduce((a, b) => (b.epsilonLowerBound > a.epsilonLowerBound ? b : a));
  return {
    epsilonLowerBound: best.epsilonLowerBound,
    best,
    candidates,
    canaries: m,
    included: params.included.filter(Boolean).length,
    delta,
    confidence,
    levelPerCandidate: level,
  };
}
