/**
 * Noise calibration: the smallest noise multiplier σ whose ε stays within a target. ε falls as
 * σ grows (each order's RDP does, and so does their minimum), so a bracket by doubling or
 * halving followed by bisection finds it; the upper end is returned, so ε ≤ target always.
 */
import { InputError, requireNumber } from "../../validation/errors";
import { rdpToEpsilon, requireDelta } from "./conversion";
import { DEFAULT_ORDERS, requireOrders } from "./orders";
import { computeRdp, requireSampleRate, requireSteps } from "./rdp";

export interface CalibrationResult {
  noiseMultiplier: number;
  /** ε at `noiseMultiplier` (≤ the target). */
  epsilon: number;
  order: number;
  /** Number of ε evaluations. */
  iterations: number;
}

/** Beyond this σ the target is treated as unreachable (as Opacus's MAX_SIGMA). */
const MAX_NOISE_MULTIPLIER = 1e6;
/** Below this σ the target is met by almost no noise; stop halving. */
const MIN_NOISE_MULTIPLIER = 1e-6;

export function calibrateNoise(params: {
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  /** Relative width of the final bracket on σ; default 1e-4. */
  tolerance?: number;
  orders?: readonly number[];
}): CalibrationResult {
  return calibrateComposedNoise({ ...params, mechanisms: [{ sampleRate: params.sampleRate, steps: params.steps }] });
}

/** One Poisson-subsampled Gaussian mechanism run `steps` times on the same data. */
export interface SampledMechanism {
  sampleRate: number;
  steps: number;
}

/**
 * One noise multiplier σ for several DP-SGD runs on the same rows (a GAN's discriminator and a
 * label model, say): the smallest σ at which all of them together, their RDP curves added order
 * by order, stay within the target ε.
 */
export function calibrateComposedNoise(params: {
  targetEpsilon: number;
  delta: number;
  mechanisms: readonly SampledMechanism[];
  tolerance?: number;
  orders?: readonly number[];
}): CalibrationResult {
  const target = requireNumber("epsilon", params.targetEpsilon, { min: 0, minExclusive: true });
  const delta = requireDelta(params.delta);
  if (!Array.isArray(params.mechanisms) || params.mechanisms.length === 0) {
    throw new InputError("mechanisms", "a non-empty list of { sampleRate, steps }", params.mechanisms);
  }
  const mechanisms = params.mechanisms.map((m) => ({ sampleRate: requireSampleRate(m?.sampleRate), steps: requireSteps(m?.steps) }));
  const tolerance = requireNumber("tolerance", params.tolerance ?? 1e-4, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  const orders = params.orders === undefined ? DEFAULT_ORDERS : requireOrders(params.orders);

  let iterations = 0;
  const epsilonAt = (noiseMultiplier: number) => {
    iterations++;
    const rdp = new Array<number>(orders.length).fill(0);
    for (const { sampleRate, steps } of mechanisms) {
      if (steps === 0) continue;
      computeRdp({ sampleRate, noiseMultiplier, steps, orders }).forEach((value, k) => (rdp[k] += value));
    }
    return rdpToEpsilon({ orders, rdp, delta });
  };

  if (mechanisms.every((m) => m.steps === 0)) return { noiseMultiplier: 0, ...epsilonAt(0), iterations };

  // Bracket: ε(low) > target ≥ ε(high).
  let high = 1;
  let atHigh = epsilonAt(high);
  let low = 0;
  if (atHigh.epsilon > target) {
    do {
      low = high;
      high *= 2;
      if (high > MAX_NOISE_MULTIPLIER) {
        throw new InputError(
          "epsilon",
          `a target reachable with noiseMultiplier ≤ ${MAX_NOISE_MULTIPLIER} at this delta, sampleRate and steps`,
          target,
        );
      }
      atHigh = epsilonAt(high);
    } while (atHigh.epsilon > target);
  } else {
    for (;;) {
      const candidate = high / 2;
      if (candidate < MIN_NOISE_MULTIPLIER) return { noiseMultiplier: high, ...atHigh, iterations };
      const atCandidate = epsilonAt(candidate);
      if (atCandidate.epsilon > target) {
        low = candidate;
        break;
      }
      high = candidate;
      atHigh = atCandidate;
    }
  }

  while (high - low > tolerance * high) {
    const middle = (low + high) / 2;
    const atMiddle = epsilonAt(middle);
    if (atMiddle.epsilon <= target) {
      high = middle;
      atHigh = atMiddle;
    } else {
      low = middle;
    }
  }
  return { noiseMultiplier: high, ...atHigh, iterations };
}

/**
 * Steps for `epochs` passes at sampling rate q: ⌈epochs / q⌉, as TF Privacy counts them
 * (Opacus truncates instead).
 */
export function stepsFor(params: { epochs: number; sampleRate: number }): number {
  const epochs = requireNumber("epochs", params.epochs, { min: 0 });
  const q = requireSampleRate(params.sampleRate);
  const exact = epochs / q;
  // 3 / 0.3 is 10.000000000000002 in floating point: a quotient a rounding error away from an
  // integer is that integer, not the next one.
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) <= 1e-9 * Math.max(1, nearest) ? nearest : Math.ceil(exact);
}
