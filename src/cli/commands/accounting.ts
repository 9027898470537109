/**
 * `privacy-course epsilon` and `privacy-course noise`: the accountant on the command line,
 * like TensorFlow Privacy's compute_dp_sgd_privacy. `--accountant pld` uses the PLD accountant
 * (tighter) instead of RDP; `--discretisation H` sets its loss grid.
 *
 * JSON has no ∞: with --json an infinite ε (no noise: --noise 0) is written as the string
 * "Infinity", the convention of every JSON the command line writes (see jsonReplacer).
 */
import { accountantFor, calibrateNoise, sampledGaussianEvent, type AccountantDescription } from "../../privacy/accountant";
import { InputError } from "../../validation/errors";
import { ACCOUNTANT_FLAGS, numberFlag, parseAccountantFlags, parseFlags, type FlagRange } from "../options";
import { jsonReplacer } from "../json";

const common = {
  "sample-rate": { type: "string" },
  steps: { type: "string" },
  delta: { type: "string" },
  json: { type: "boolean", default: false },
  ...ACCOUNTANT_FLAGS,
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

/** "best order α = 5" under RDP; the loss grid under PLD. */
function howMeasured(description: AccountantDescription, order: number | null): string {
  if (description.kind === "rdp") return `RDP accountant, best order α = ${order}`;
  const grid = description.discretisation;
  return `PLD accountant, loss grid h = ${grid?.interval}${grid?.automatic ? " (automatic)" : ""}, ${grid?.pessimistic ? "pessimistic" : "optimistic: NOT a guarantee"}`;
}

export function epsilonCommand(args: string[]): string {
  const { values } = parseFlags("epsilon", args, { ...common, noise: { type: "string" } });
  const query = {
    sampleRate: numberFlag("sample-rate", values["sample-rate"], 0.04, SAMPLE_RATE),
    noiseMultiplier: noiseFlag(values.noise),
    steps: numberFlag("steps", values.steps, 250, STEPS),
    delta: numberFlag("delta", values.delta, 1e-5, DELTA),
  };
  const choice = parseAccountantFlags(values);
  if (query.noiseMultiplier === 0) {
    if (values.json) return JSON.stringify({ ...query, epsilon: Infinity, order: null }, jsonReplacer);
    return `DP-SGD with sampling rate q = ${query.sampleRate}, noise multiplier σ = 0, ${query.steps} steps\ngives no differential privacy guarantee: ε = ∞ (σ = 0 adds no noise).`;
  }
  const accountant = accountantFor(choice);
  accountant.compose(sampledGaussianEvent({ sampleRate: query.sampleRate, noiseMultiplier: query.noiseMultiplier }), query.steps);
  const report = accountant.getEpsilon(query.delta) as { epsilon: number; order?: number; warnings: readonly string[] };
  const { epsilon } = report;
  const order = report.order ?? null;
  const description = accountant.describe();
  if (values.json) {
    return JSON.stringify({ ...query, epsilon, order, accountant: description.kind, accountantDetails: description, warnings: report.warnings }, jsonReplacer);
  }
  return (
    `DP-SGD with sampling rate q = ${query.sampleRate}, noise multiplier σ = ${query.noiseMultiplier}, ` +
    `${query.steps} steps\n` +
    (Number.isFinite(epsilon)
      ? `satisfies (ε = ${epsilon.toFixed(4)}, δ = ${query.delta})-differential privacy (${howMeasured(description, order)}).`
      : `gives no useful differential privacy guarantee: ε = ∞.`) +
    report.warnings.map((warning) => `\nWarning: ${warning}`).join("")
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
  const result = calibrateNoise({ ...query, accountant: parseAccountantFlags(values) });
  const { noiseMultiplier, epsilon, order } = result;
  if (values.json) {
    return JSON.stringify({ ...query, noiseMultiplier, epsilon, order, accountant: result.accountant.kind, accountantDetails: result.accountant }, jsonReplacer);
  }
  return (
    `To spend at most ε = ${query.targetEpsilon} (δ = ${query.delta}) over ${query.steps} steps ` +
    `at sampling rate q = ${query.sampleRate},\n` +
    `use noise multiplier σ = ${noiseMultiplier.toFixed(4)} (it spends ε = ${epsilon.toFixed(4)}, ` +
    `${howMeasured(result.accountant, order)}).`
  );
}
