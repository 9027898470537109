/**
 * The Gaussian mechanism: a query of L2 sensitivity Δ released with N(0, σ²) noise on each
 * coordinate. Two calibrations of σ for a target (ε, δ):
 * - classic (Dwork & Roth 2014, Thm A.1): σ = Δ·√(2 ln(1.25/δ))/ε, proven only for ε < 1;
 * - analytic (Balle & Wang 2018, "Improving the Gaussian Mechanism for Differential Privacy",
 *   ICML, Thm 8): the mechanism is (ε, δ)-DP if and only if
 *     Φ(Δ/(2σ) − εσ/Δ) − e^ε · Φ(−Δ/(2σ) − εσ/Δ) ≤ δ,
 *   so the smallest such σ is found by bisection; it is exact, and smaller than the classic σ.
 * δ is additive slack in the definition P[M(D) ∈ S] ≤ e^ε·P[M(D') ∈ S] + δ, not "the
 * probability that the guarantee fails".
 *
 * Secure mode adds discrete Gaussian noise N_ℤ(0, σ²) to an integer answer (CKS 2020,
 * Algorithm 3, exact) with an integer sensitivity; σ is calibrated on the discrete Gaussian's
 * own (ε, δ) (the hockey-stick divergence summed over ℤ, CKS 2020 v3, Thm 7), and its Rényi DP is at
 * most that of the continuous Gaussian (½(Δ/σ)²-concentrated DP, CKS 2020 Sec. 2), so the
 * `gaussian` event accounts for it correctly.
 */
import { logErfc, logSub } from "../accountant/logMath";
import { InputError, requireNumber, requireOneOf } from "../../validation/errors";
import { smallestPassing } from "./calibrate";
import { freezeTrace, requireDistance, requireEpsilon, requireMechanismDelta, requireNumbers, requireSensitivity } from "./params";
import { samplerFrom, type NoiseOptions } from "./sampler";
import type { Mechanism, MechanismTrace, PrivacyLoss } from "./types";

/** log Φ(x), Φ the standard normal CDF, accurate far into both tails. */
function logNormalCdf(x: number): number {
  return logErfc(-x / Math.SQRT2) - Math.LN2;
}

/** The smallest δ at which σ gives ε: Balle & Wang 2018, Thm 8 (exact for the continuous Gaussian). */
export function analyticGaussianDelta(params: { sigma: number; epsilon: number; sensitivity?: number }): number {
  const sigma = requireNumber("sigma", params.sigma, { min: 0, minExclusive: true });
  const epsilon = requireNumber("epsilon", params.epsilon, { min: 0 });
  const sensitivity = requireSensitivity(params.sensitivity ?? 1);
  const a = sensitivity / (2 * sigma);
  const b = (epsilon * sigma) / sensitivity;
  const positive = logNormalCdf(a - b);
  const negative = epsilon + logNormalCdf(-a - b);
  // The difference is ≥ 0 in exact arithmetic; rounding can only make the two sides meet.
  return negative >= positive ? 0 : Math.exp(logSub(positive, negative));
}

/** The smallest σ for which the Gaussian mechanism is (ε, δ)-DP (Balle & Wang 2018, Alg. 1 by bisection). */
export function analyticGaussianSigma(params: { epsilon: number; delta: number; sensitivity?: number }): number {
  const epsilon = requireEpsilon(params.epsilon);
  const delta = requireMechanismDelta(params.delta);
  const sensitivity = requireSensitivity(params.sensitivity ?? 1);
  return smallestPassing((sigma) => analyticGaussianDelta({ sigma, epsilon, sensitivity }) <= delta, { field: "sigma", start: sensitivity });
}

/** The smallest ε for which N(0, σ²) noise gives (ε, δ)-DP at sensitivity Δ. */
export function analyticGaussianEpsilon(params: { sigma: number; delta: number; sensitivity?: number }): number {
  const sigma = requireNumber("sigma", params.sigma, { min: 0, minExclusive: true });
  const delta = requireMechanismDelta(params.delta);
  const sensitivity = requireSensitivity(params.sensitivity ?? 1);
  const meets = (epsilon: number) => analyticGaussianDelta({ sigma, epsilon, sensitivity }) <= delta;
  if (meets(0)) return 0;
  return smallestPassing(meets, { field: "epsilon", max: 1e6 });
}

/** Dwork & Roth 2014, Thm A.1: σ = Δ·√(2 ln(1.25/δ))/ε, valid for ε ∈ (0, 1) only. */
export function classicGaussianSigma(params: { epsilon: number; delta: number; sensitivity?: number }): number {
  const epsilon = requireNumber("epsilon", params.epsilon, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const delta = requireMechanismDelta(params.delta);
  const sensitivity = requireSensitivity(params.sensitivity ?? 1);
  return (sensitivity * Math.sqrt(2 * Math.log(1.25 / delta))) / epsilon;
}

/**
 * δ of the discrete Gaussian N_ℤ(0, σ²) at ε for an integer sensitivity Δ (CKS 2020, Thm 7):
 * δ = P[Y > εσ²/Δ − Δ/2] − e^ε·P[Y > εσ²/Δ + Δ/2], the tails summed term by term.
 */
export function discreteGaussianDelta(params: { sigma: number; epsilon: number; sensitivity?: number }): number {
  const sigma = requireNumber("sigma", params.sigma, { min: 0, minExclusive: true, max: 1e6 });
  const epsilon = requireNumber("epsilon", params.epsilon, { min: 0 });
  const sensitivity = requireNumber("sensitivity", params.sensitivity ?? 1, { min: 1, integer: true });
  const twoSigma2 = 2 * sigma * sigma;
  // Terms past 40σ are below e^{−800}: zero in double precision.
  const last = Math.ceil(40 * sigma) + sensitivity;
  let normaliser = 1;
  for (let k = last; k >= 1; k--) normaliser += 2 * Math.exp(-(k * k) / twoSigma2);
  const tailAbove = (threshold: number) => {
    let sum = 0;
    for (let k = last; k > threshold; k--) sum += Math.exp(-(k * k) / twoSigma2);
    // Below −last the terms vanish too; a negative threshold also takes the centre and left.
    if (threshold < 0) for (let k = 0; k > threshold && k >= -last; k--) sum += Math.exp(-(k * k) / twoSigma2);
    return sum / normaliser;
  };
  const centre = (epsilon * sigma * sigma) / sensitivity;
  return Math.max(0, tailAbove(centre - sensitivity / 2) - Math.exp(epsilon) * tailAbove(centre + sensitivity / 2));
}

export type GaussianCalibration = "analytic" | "classic";

interface GaussianOptions extends NoiseOptions {
  epsilon: number;
  delta: number;
  /** L2 sensitivity: how far (Euclidean) one person can move the answer. */
  sensitivity: number;
  calibration?: GaussianCalibration;
}

/** Validated parameters, calibrated σ, trace, event and privacy map: shared by the scalar and vector forms. */
function gaussianParts(options: GaussianOptions) {
  const epsilon = requireEpsilon(options.epsilon);
  const delta = requireMechanismDelta(options.delta);
  const sensitivity = requireSensitivity(options.sensitivity);
  const calibration = requireOneOf("calibration", options.calibration ?? "analytic", ["analytic", "classic"] as const);
  const sampler = samplerFrom(options);
  const secure = sampler.mode === "secure";
  if (secure) {
    requireNumber("sensitivity", sensitivity, { min: 1, integer: true });
    if (calibration !== "analytic") throw new InputError("calibration", '"analytic" in secure mode (σ is calibrated on the discrete Gaussian itself)', calibration);
  }
  const discreteEpsilon = (s: number, d: number) =>
    smallestPassing((e) => discreteGaussianDelta({ sigma: s, epsilon: e, sensitivity: d }) <= delta, { field: "epsilon", max: 1e6, relativeTolerance: 1e-6 });
  const sigma = secure
    ? smallestPassing((s) => discreteGaussianDelta({ sigma: s, epsilon, sensitivity }) <= delta, { field: "sigma", start: sensitivity, max: 1e6, relativeTolerance: 1e-6 })
    : calibration === "analytic"
      ? analyticGaussianSigma({ epsilon, delta, sensitivity })
      : classicGaussianSigma({ epsilon, delta, sensitivity });
  const trace: MechanismTrace = freezeTrace({
    mechanism: "Gaussian mechanism",
    mode: sampler.mode,
    noise: secure ? `discrete Gaussian on ℤ, σ = ${sigma}` : `N(0, σ²), σ = ${sigma}`,
    sensitivity,
    sensitivityNorm: "L2",
    noiseScale: sigma,
    epsilon,
    delta,
    neighbouring: "add-remove one person",
    notes: [
      secure
        ? "σ calibrated on the discrete Gaussian's exact (ε, δ) (Canonne, Kamath & Steinke 2020, Thm 7)"
        : calibration === "analytic"
          ? "σ calibrated exactly (Balle & Wang 2018, Thm 8)"
          : "σ from the classic bound √(2 ln(1.25/δ))·Δ/ε (Dwork & Roth 2014, Thm A.1): valid for ε < 1, larger than needed",
      "δ is additive slack: P[M(D) ∈ S] ≤ e^ε·P[M(D') ∈ S] + δ for every set S of outputs",
      secure
        ? "secure: cryptographic randomness, noise sampled exactly on the integers"
        : "seeded float noise: reproducible for teaching; a release needs the secure sampler (Mironov 2012)",
    ],
  });
  const noisy = (value: number, field: string) => {
    if (!secure) return value + sampler.gaussian(sigma);
    if (!Number.isSafeInteger(value)) throw new InputError(field, "an integer (secure mode adds integer noise)", value);
    return value + sampler.discreteGaussian(sigma);
  };
  return {
    secure,
    trace,
    noisy,
    event: { kind: "gaussian", noiseMultiplier: sigma / sensitivity } as const,
    privacyMap(distance: number): PrivacyLoss {
      // A group of d people moves the answer by at most d·Δ (L2): the same σ at sensitivity d·Δ.
      const d = requireDistance(distance);
      if (d === 0) return { epsilon: 0, delta };
      if (secure) return { epsilon: discreteEpsilon(sigma, d * sensitivity), delta };
      return { epsilon: analyticGaussianEpsilon({ sigma, delta, sensitivity: d * sensitivity }), delta };
    },
  };
}

/** Gaussian noise on one number of declared sensitivity, calibrated to (ε, δ). */
export function gaussianMechanism(options: GaussianOptions): Mechanism<number, number> {
  const { trace, event, privacyMap, noisy } = gaussianParts(options);
  return { trace, event, privacyMap, release: (value) => ({ value: noisy(requireNumber("value", value), "value"), trace }) };
}

/** Gaussian noise on every coordinate of a vector of declared L2 sensitivity (seeded mode: continuous noise). */
export function gaussianVectorMechanism(options: GaussianOptions): Mechanism<readonly number[], number[]> {
  const { trace, event, privacyMap, noisy, secure } = gaussianParts(options);
  if (secure) throw new InputError("sampler", "a seeded sampler: the secure form's calibration is for one integer answer (use gaussianMechanism)", "secure");
  return {
    trace,
    event,
    privacyMap,
    release: (value) => ({ value: requireNumbers("value", value).map((v, i) => noisy(v, `value[${i}]`)), trace }),
  };
}
