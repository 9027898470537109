/**
 * Calibration: the smallest value of a mechanism's parameter (a noise multiplier σ, a Laplace
 * scale) whose event keeps ε within a target, under either accountant. ε falls as the parameter
 * grows, so a bracket by doubling or halving followed by bisection finds it; the upper end is
 * returned, so ε ≤ target always.
 */
import { InputError, requireNumber } from "../../validation/errors";
import { requireDelta } from "./conversion";
import { sampledGaussianEvent, type DpEvent } from "./events";
import { accountantFor, accountantKindOf, DEFAULT_ACCOUNTANT, type AccountantChoice } from "./factory";
import type { AccountantDescription } from "./interface";
import { requireOrders } from "./orders";
import { requireSampleRate, requireSteps } from "./rdp";

export interface CalibrationResult {
  noiseMultiplier: number;
  /** ε at `noiseMultiplier` (≤ the target). */
  epsilon: number;
  /** The best RDP order at the result (null under PLD, which has no orders). */
  order: number | null;
  /** Number of ε evaluations. */
  iterations: number;
  /** The accountant that measured ε. */
  accountant: AccountantDescription;
}

export interface ParameterCalibration {
  parameter: number;
  epsilon: number;
  order: number | null;
  iterations: number;
  accountant: AccountantDescription;
}

/** Beyond this value the target is treated as unreachable (as Opacus's MAX_SIGMA). */
const MAX_PARAMETER = 1e6;
/** Below this value the target is met by almost no noise; stop halving. */
const MIN_PARAMETER = 1e-6;

/**
 * Generic calibration: `eventFor(parameter)` describes the whole release at that parameter, and
 * ε must fall as the parameter grows (more noise). Every evaluation uses a fresh accountant of
 * the chosen kind.
 */
export function calibrateParameter(params: {
  targetEpsilon: number;
  delta: number;
  eventFor: (parameter: number) => DpEvent;
  accountant?: AccountantChoice;
  /** Relative width of the final bracket; default 1e-4. */
  tolerance?: number;
  /** Name of the parameter in errors; default "parameter". */
  parameterName?: string;
  /**
   * The largest value the parameter may take (a flip probability stops at 1/2); doubling stops
   * there. Default 1e6.
   */
  maximum?: number;
}): ParameterCalibration {
  const target = requireNumber("epsilon", params.targetEpsilon, { min: 0, minExclusive: true });
  const delta = requireDelta(params.delta);
  const tolerance = requireNumber("tolerance", params.tolerance ?? 1e-4, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const name = params.parameterName ?? "parameter";
  const maximum = requireNumber("maximum", params.maximum ?? MAX_PARAMETER, { min: MIN_PARAMETER, max: MAX_PARAMETER });
  accountantFor(params.accountant); // validates the choice before any work
  let iterations = 0;
  const epsilonAt = (parameter: number) => {
    iterations++;
    const accountant = accountantFor(params.accountant);
    accountant.compose(params.eventFor(parameter));
    const report = accountant.getEpsilon(delta) as { epsilon: number; order?: number };
    return { epsilon: report.epsilon, order: report.order ?? null, accountant: accountant.describe() };
  };
  const result = (parameter: number, at: { epsilon: number; order: number | null; accountant: AccountantDescription }): ParameterCalibration => ({
    parameter,
    epsilon: at.epsilon,
    order: at.order,
    iterations,
    accountant: at.accountant,
  });

  // Bracket: ε(low) > target ≥ ε(high).
  let high = Math.min(1, maximum / 2);
  let atHigh = epsilonAt(high);
  let low = 0;
  if (atHigh.epsilon > target) {
    do {
      if (high >= maximum) {
        throw new InputError("epsilon", `a target reachable with ${name} ≤ ${maximum} at this delta, sampleRate and steps`, target);
      }
      low = high;
      high = Math.min(2 * high, maximum);
      atHigh = epsilonAt(high);
    } while (atHigh.epsilon > target);
  } else {
    for (;;) {
      const candidate = high / 2;
      if (candidate < MIN_PARAMETER) return result(high, atHigh);
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
  return result(high, atHigh);
}

export function calibrateNoise(params: {
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  /** Relative width of the final bracket on σ; default 1e-4. */
  tolerance?: number;
  /** RDP orders (RDP only). */
  orders?: readonly number[];
  /** Default "rdp". */
  accountant?: AccountantChoice;
}): CalibrationResult {
  return calibrateComposedNoise({ ...params, mechanisms: [{ sampleRate: params.sampleRate, steps: params.steps }] });
}

/** One Poisson-subsampled Gaussian mechanism run `steps` times on the same data. */
export interface SampledMechanism {
  sampleRate: number;
  steps: number;
}

/** The event of several DP-SGD runs on the same rows, all with noise multiplier σ. */
export function sampledRunsEvent(noiseMultiplier: number, mechanisms: readonly SampledMechanism[]): DpEvent {
  const events = mechanisms
    .filter((m) => m.steps > 0)
    .map((m) => sampledGaussianEvent({ noiseMultiplier, sampleRate: m.sampleRate, steps: m.steps }));
  return events.length === 1 ? events[0] : { kind: "composed", events };
}

/**
 * One noise multiplier σ for several DP-SGD runs on the same rows (a GAN's discriminator and a
 * label model, say): the smallest σ at which all of them together stay within the target ε.
 */
export function calibrateComposedNoise(params: {
  targetEpsilon: number;
  delta: number;
  mechanisms: readonly SampledMechanism[];
  tolerance?: number;
  orders?: readonly number[];
  accountant?: AccountantChoice;
}): CalibrationResult {
  requireNumber("epsilon", params.targetEpsilon, { min: 0, minExclusive: true });
  requireDelta(params.delta);
  if (!Array.isArray(params.mechanisms) || params.mechanisms.length === 0) {
    throw new InputError("mechanisms", "a non-empty list of { sampleRate, steps }", params.mechanisms);
  }
  const mechanisms = params.mechanisms.map((m) => ({ sampleRate: requireSampleRate(m?.sampleRate), steps: requireSteps(m?.steps) }));
  requireNumber("tolerance", params.tolerance ?? 1e-4, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const accountant = withOrders(params.accountant, params.orders);
  const eventFor = (sigma: number) => sampledRunsEvent(sigma, mechanisms);

  if (mechanisms.every((m) => m.steps === 0)) {
    const nothing = accountantFor(accountant);
    const report = nothing.getEpsilon(params.delta) as { epsilon: number; order?: number };
    return { noiseMultiplier: 0, epsilon: report.epsilon, order: report.order ?? null, iterations: 1, accountant: nothing.describe() };
  }
  const found = calibrateParameter({
    targetEpsilon: params.targetEpsilon,
    delta: params.delta,
    eventFor,
    accountant,
    tolerance: params.tolerance,
    parameterName: "noiseMultiplier",
  });
  return { noiseMultiplier: found.parameter, epsilon: found.epsilon, order: found.order, iterations: found.iterations, accountant: found.accountant };
}

/** `orders` is an RDP option; it joins an RDP choice and is refused with a PLD one. */
function withOrders(choice: AccountantChoice | undefined, orders: readonly number[] | undefined): AccountantChoice | undefined {
  if (orders === undefined) return choice;
  requireOrders(orders);
  const kind = accountantKindOf(choice);
  if (kind !== "rdp") throw new InputError("orders", "given only with the RDP accountant", orders);
  return { ...(typeof choice === "object" ? choice : {}), kind: "rdp", orders };
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
