/**
 * Exact (ε, δ) curves of the mechanisms the PLD accountant builds distributions from, and the
 * discretisations that turn a curve into a PLD on a grid of losses.
 *
 * Each mechanism and neighbouring direction is described by its privacy loss L between the
 * output distributions P (on the dataset with the person) and Q (without), or the reverse:
 *   δ(ε)  = E_P[(1 − e^{ε − L})₊]  (the hockey-stick divergence, exact in closed form here),
 *   S(ε)  = P[L > ε]                (for the optimistic discretisation only).
 *
 * The Poisson-subsampled Gaussian with sensitivity 1 and noise σ (Mironov, Talwar & Zhang 2019;
 * dp_accounting `GaussianPrivacyLoss`; Zhu, Dong & Wang 2022 for the two directions):
 *   remove: P = (1 − q)N(0, σ²) + qN(1, σ²) against Q = N(0, σ²); losses ≥ log(1 − q),
 *   add:    P = N(0, σ²) against Q = (1 − q)N(0, σ²) + qN(1, σ²); losses ≤ −log(1 − q).
 * Both reduce to the un-subsampled Gaussian's curve (Balle & Wang 2018, Theorem 8):
 *   δ_G(ε) = Φ(1/(2σ) − εσ) − e^ε Φ(−1/(2σ) − εσ),
 *   remove: δ(ε) = q·δ_G(log(1 + (e^ε − 1)/q))              for ε > log(1 − q), else 1 − e^ε;
 *   add:    δ(ε) = (1 − e^ε(1 − q))·δ_G(−log(1 + (e^{−ε} − 1)/q))  for ε < −log(1 − q), else 0.
 */
import { logErfc, logSub } from "../logMath";
import type { LossPmf } from "./pmf";

export interface LossCurve {
  /** δ(ε), non-increasing. */
  deltaAt(epsilon: number): number;
  /** P[L > ε], non-increasing. */
  survivalAt(epsilon: number): number;
  /** Smallest loss worth a grid point: P[L ≤ it] is negligible (or zero). */
  lowestLoss: number;
  /** Largest loss worth a grid point: δ there is negligible (or zero). */
  highestLoss: number;
}

/** Mass a grid's ends may leave out of the curve's support (it is then placed pessimistically). */
export const GRID_TAIL_MASS = 1e-18;

const SQRT1_2 = Math.SQRT1_2;

/** log Φ(z), accurate in both tails. */
export function logNormalCdf(z: number): number {
  return logErfc(-z * SQRT1_2) - Math.LN2;
}

function normalCdf(z: number): number {
  return Math.exp(logNormalCdf(z));
}

/** Balle & Wang's δ_G(ε) for the Gaussian mechanism, sensitivity 1, noise σ; computed in logs. */
export function gaussianDelta(epsilon: number, sigma: number): number {
  if (epsilon === Infinity) return 0;
  if (epsilon === -Infinity) return 1;
  const a = logNormalCdf(1 / (2 * sigma) - epsilon * sigma);
  const b = epsilon + logNormalCdf(-1 / (2 * sigma) - epsilon * sigma);
  return b >= a ? 0 : Math.min(1, Math.exp(logSub(a, b)));
}

/** The loss curve of one Poisson-subsampled Gaussian step (q = 1: the plain Gaussian). */
export function sampledGaussianCurve(sampleRate: number, sigma: number, direction: "add" | "remove"): LossCurve {
  const q = sampleRate;
  const log1mQ = Math.log1p(-q); // −∞ when q = 1
  const sigma2 = sigma * sigma;
  if (direction === "remove" && q < 1) {
    // ε' = log(1 + (e^ε − 1)/q) is the un-subsampled loss; L > ε iff x > 1/2 + σ²ε'.
    const inner = (epsilon: number) => Math.log1p(Math.expm1(epsilon) / q);
    const curve: LossCurve = {
      deltaAt: (epsilon) => (epsilon <= log1mQ ? -Math.expm1(epsilon) : q * gaussianDelta(inner(epsilon), sigma)),
      survivalAt: (epsilon) => {
        if (epsilon <= log1mQ) return 1;
        const x = 0.5 + sigma2 * inner(epsilon);
        return (1 - q) * normalCdf(-x / sigma) + q * normalCdf((1 - x) / sigma);
      },
      lowestLoss: log1mQ,
      highestLoss: 0,
    };
    return { ...curve, highestLoss: highestLoss(curve.deltaAt) };
  }
  // add (any q), and remove for q = 1, which is the same curve.
  const ceiling = -log1mQ; // +∞ when q = 1
  const t = (epsilon: number) => Math.log1p(Math.expm1(-epsilon) / q);
  const curve: LossCurve = {
    deltaAt: (epsilon) =>
      epsilon >= ceiling ? 0 : -Math.expm1(epsilon + log1mQ) * gaussianDelta(-t(epsilon), sigma),
    survivalAt: (epsilon) => (epsilon >= ceiling ? 0 : normalCdf((0.5 + sigma2 * t(epsilon)) / sigma)),
    lowestLoss: 0,
    highestLoss: 0,
  };
  // L > ε iff x < x_ε = 1/2 + σ²t(ε); P[L ≤ ε] = Φ(−x_ε/σ) falls as ε falls.
  return {
    ...curve,
    highestLoss: Number.isFinite(ceiling) ? ceiling : highestLoss(curve.deltaAt),
    lowestLoss: lowestLoss((epsilon) => (epsilon >= ceiling ? 1 : normalCdf(-(0.5 + sigma2 * t(epsilon)) / sigma))),
  };
}

/** Laplace mechanism, scale b (sensitivity 1): losses in [−1/b, 1/b], δ(ε) = 1 − e^{(ε − 1/b)/2} inside. */
export function laplaceCurve(scale: number): LossCurve {
  const top = 1 / scale;
  return {
    deltaAt: (epsilon) => (epsilon >= top ? 0 : epsilon <= -top ? -Math.expm1(epsilon) : -Math.expm1((epsilon - top) / 2)),
    // P = Lap(0, b), Q = Lap(1, b): L = 1/b for x ≤ 0, −1/b for x ≥ 1, 1/b − 2x/b between.
    // L > ε iff x < (1 − εb)/2 for −1/b ≤ ε < 1/b.
    survivalAt: (epsilon) => (epsilon >= top ? 0 : epsilon < -top ? 1 : 1 - 0.5 * Math.exp(-(1 - epsilon * scale) / (2 * scale))),
    lowestLoss: -top,
    highestLoss: top,
  };
}

/**
 * A mechanism known only to be ε₀-DP: the worst case is randomised response on one bit
 * (Kairouz, Oh & Viswanath 2015), whose losses are ±ε₀ with probabilities e^{ε₀}/(1 + e^{ε₀})
 * and 1/(1 + e^{ε₀}).
 */
export function pureDpCurve(epsilon0: number): LossCurve {
  const pTop = 1 / (1 + Math.exp(-epsilon0));
  return {
    deltaAt: (epsilon) =>
      epsilon >= epsilon0 ? 0 : epsilon <= -epsilon0 ? -Math.expm1(epsilon) : pTop * -Math.expm1(epsilon - epsilon0),
    survivalAt: (epsilon) => (epsilon >= epsilon0 ? 0 : epsilon >= -epsilon0 ? pTop : 1),
    lowestLoss: -epsilon0,
    highestLoss: epsilon0,
  };
}

/** The smallest ε > 0 where δ(ε) ≤ GRID_TAIL_MASS, by doubling then bisection. */
function highestLoss(deltaAt: (epsilon: number) => number): number {
  let high = 1;
  while (deltaAt(high) > GRID_TAIL_MASS) {
    high *= 2;
    if (high > 1e6) return high; // cannot happen for σ > 0; a bound, not a loop
  }
  let low = 0;
  for (let k = 0; k < 60 && high - low > 1e-9 * high; k++) {
    const middle = (low + high) / 2;
    if (deltaAt(middle) > GRID_TAIL_MASS) low = middle;
    else high = middle;
  }
  return high;
}

/** The largest ε < 0 where P[L ≤ ε] ≤ GRID_TAIL_MASS. */
function lowestLoss(lowerTailAt: (epsilon: number) => number): number {
  let low = -1;
  while (lowerTailAt(low) > GRID_TAIL_MASS) {
    low *= 2;
    if (low < -1e6) return low;
  }
  let high = 0;
  for (let k = 0; k < 60 && high - low > 1e-9 * -low; k++) {
    const middle = (low + high) / 2;
    if (lowerTailAt(middle) > GRID_TAIL_MASS) high = middle;
    else low = middle;
  }
  return low;
}

/**
 * Pessimistic "connect the dots" discretisation (Doroshenko et al. 2022, Algorithm 1 with a
 * fixed gap, as dp_accounting's `create_pmf_pessimistic_connect_dots_fixed_gap`): the PLD on
 * the grid k·h whose δ(ε) is the line through the true (e^{ε_k}, δ(ε_k)) points, an upper bound
 * on the true curve at every ε, with δ(ε_top) at +∞.
 */
export function connectTheDots(curve: LossCurve, interval: number): LossPmf {
  const low = Math.floor(curve.lowestLoss / interval);
  const high = Math.max(low, Math.ceil(curve.highestLoss / interval));
  const n = high - low + 1;
  const deltas = new Float64Array(n);
  for (let k = 0; k < n; k++) deltas[k] = curve.deltaAt((low + k) * interval);
  for (let k = 1; k < n; k++) deltas[k] = Math.min(deltas[k], deltas[k - 1]); // monotone despite round-off
  const probs = new Float64Array(n);
  if (n === 1) {
    probs[0] = 1 - deltas[0];
  } else {
    const em1 = Math.expm1(interval);
    const e = Math.exp(interval);
    probs[0] = 1 - deltas[0] + (deltas[1] - deltas[0]) / em1;
    for (let k = 1; k < n - 1; k++) probs[k] = (deltas[k + 1] - deltas[k] - e * (deltas[k] - deltas[k - 1])) / em1;
    probs[n - 1] = (deltas[n - 1] - deltas[n - 2]) / Math.expm1(-interval);
    for (let k = 0; k < n; k++) if (probs[k] < 0) probs[k] = 0;
  }
  return { interval, offset: low, probs, infinityMass: deltas[n - 1] };
}

/**
 * Optimistic discretisation ("privacy buckets" rounded down, Meiser & Mohammadi 2018): the mass
 * of losses in [k·h, (k + 1)·h) sits at k·h, the mass above the grid at its top, the mass below
 * it is dropped. Its δ(ε) is a lower bound on the true one: for showing how tight the
 * pessimistic bound is, never for a guarantee.
 */
export function roundDown(curve: LossCurve, interval: number): LossPmf {
  const low = Math.floor(curve.lowestLoss / interval);
  const high = Math.max(low, Math.floor(curve.highestLoss / interval));
  const n = high - low + 1;
  const probs = new Float64Array(n);
  let above = curve.survivalAt(low * interval);
  for (let k = 0; k < n; k++) {
    const next = k === n - 1 ? 0 : curve.survivalAt((low + k + 1) * interval);
    probs[k] = Math.max(0, above - next);
    above = next;
  }
  return { interval, offset: low, probs, infinityMass: 0 };
}
