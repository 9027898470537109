/** How far a mechanism's releases fall from the truth across budgets: the error-vs-ε curve. */
import { InputError, requireNumber } from "../../validation/errors";
import { requireEpsilon } from "./params";

export interface ErrorAtEpsilon {
  epsilon: number;
  /** Mean of |release − truth| over the repeats. */
  meanAbsoluteError: number;
  rootMeanSquaredError: number;
  repeats: number;
}

/**
 * Runs `release(ε, seed)` `repeats` times at each ε, with seeds seed, seed + 1, …, and measures
 * the error against `truth` (which the caller knows because it holds the data: this is a study
 * of the mechanism, not a release).
 */
export function errorAcrossEpsilons(params: {
  epsilons: readonly number[];
  repeats: number;
  truth: number;
  release: (epsilon: number, seed: number) => number;
  seed?: number;
}): ErrorAtEpsilon[] {
  if (!Array.isArray(params.epsilons) || params.epsilons.length === 0) throw new InputError("epsilons", "a non-empty array of numbers > 0", params.epsilons);
  const epsilons = params.epsilons.map((e, i) => requireEpsilon(e, `epsilons[${i}]`));
  const repeats = requireNumber("repeats", params.repeats, { min: 1, integer: true });
  const truth = requireNumber("truth", params.truth);
  const seed = requireNumber("seed", params.seed ?? 1, { integer: true });
  return epsilons.map((epsilon) => {
    let absolute = 0;
    let squared = 0;
    for (let r = 0; r < repeats; r++) {
      const error = requireNumber("release(epsilon, seed)", params.release(epsilon, seed + r)) - truth;
      absolute += Math.abs(error);
      squared += error * error;
    }
    return { epsilon, meanAbsoluteError: absolute / repeats, rootMeanSquaredError: Math.sqrt(squared / repeats), repeats };
  });
}
