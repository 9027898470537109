/**
 * `privacy-course epsilon` and `privacy-course noise`: the accountant on the command line,
 * like TensorFlow Privacy's compute_dp_sgd_privacy.
 *
 * JSON has no ∞: with --json an infinite ε (no noise: --noise 0) is written as the string
 * "Infinity", the convention of every JSON the command line writes (see jsonReplacer).
 */
import { calibrateNoise, computeEpsilon } from "../../privacy/accountant";
import { InputError } from "../../validation/errors";
import { numberFlag, parseFlags, type FlagRange } from "../options";
import { jsonReplacer } from "../json";

const common = {
  "sample-rate": { type: "string" },
  steps: { type: "string" },
  delta: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

const SAMPLE_RATE: FlagRange = { min: 0, max: 1, minExclusive: true };
const DELTA: FlagRange = { min: 0, max: 1, minExclusive: true, maxExclusive: true };
/** A billion steps is beyond any training run; far beyond it the accountant's arithmetic overflows. */
const STEPS: FlagRange = { min: 1, max: 1e9, integer: true };
/**
 * σ = 0 is allowed (no noise: ε = ∞). Below 1e-6 the spent ε is astronomically large and σ²
 * underflows the accountant's floating point; the calibration searches σ up to 1e6.
 */
function noiseFlag(text: string | undefined): number {
  const sigma = numberFlag("noise", text, 1.1, { min: 0, max: 1e6 });
  if (sigma === 0 || sigma >= 1e-6) return sigma;
  throw new InputError("--noise", "0 (no noise) or a number in [0.000001, 1000000] (smaller σ underflows the accountant)", sigma);
}

export function epsilonCommand(args: string[]): string {
  const { values } = parseFlags("epsilon", args, { ...common, noise: { type: "string" } });
  const query = {
    sampleRate: numberFlag("sample-rate", values["sample-rate"], 0.04, SAMPLE_RATE),
    noiseMultiplier: noiseFlag(values.noise),
    steps: numberFlag("steps", values.steps, 250, STEPS),
    delta: numberFlag("delta", values.delta, 1e-5, DELTA),
  };
  const { epsilon, order } = computeEpsilon(query);
  if (values.json) return JSON.stringify({ ...query, epsilon, order }, jsonReplacer);
  return (
    `DP-SGD with sampling rate q = ${query.sampleRate}, noise multiplier σ = ${query.noiseMultiplier}, ` +
    `${query.steps} steps\n` +
    (Number.isFinite(epsilon)
      ? `satisfies (ε = ${epsilon.toFixed(4)}, δ = ${query.delta})-differential privacy (RDP accountant, best order α = ${order}).`
      : `gives no differential privacy guarantee: ε = ∞ (σ = 0 adds no noise).`)
  );
}

export function noiseCommand(args: string[]): string {
  const { values } = parseFlags("noise", args, { ...common, epsilon: { type: "string" } });
  const query = {
    targetEpsilon: numberFlag("epsilon", values.epsilon, 1, { min: 0, minExclusive: true }),
    sampleRate: numberFlag("sample-rate", values["sample-rate"], 0.04, SAMPLE_RATE),
    steps: numberFlag("steps", values.steps, 250, STEPS),
    delta: numberFlag("delta", values.delta, 1e-5, DELTA),
  };
  const { noiseMultiplier, epsilon, order } = calibrateNoise(query);
  if (values.json) return JSON.stringify({ ...query, noiseMultiplier, epsilon, order }, jsonReplacer);
  return (
    `To spend at most ε = ${query.targetEpsilon} (δ = ${query.delta}) over ${query.steps} steps ` +
    `at sampling rate q = ${query.sampleRate},\n` +
    `use noise multiplier σ = ${noiseMultiplier.toFixed(4)} (it spends ε = ${epsilon.toFixed(4)}, ` +
    `best order α = ${order}).`
  );
}
