/**
 * `privacy-course epsilon` and `privacy-course noise`: the accountant on the command line,
 * like TensorFlow Privacy's compute_dp_sgd_privacy.
 */
import { parseArgs } from "node:util";
import { calibrateNoise, computeEpsilon } from "../../privacy/accountant";
import { parseNumberFlag } from "../options";

const common = {
  "sample-rate": { type: "string" },
  steps: { type: "string" },
  delta: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

export function epsilonCommand(args: string[]): string {
  const { values } = parseArgs({ args, options: { ...common, noise: { type: "string" } } });
  const query = {
    sampleRate: parseNumberFlag("sample-rate", values["sample-rate"], 0.04),
    noiseMultiplier: parseNumberFlag("noise", values.noise, 1.1),
    steps: parseNumberFlag("steps", values.steps, 250),
    delta: parseNumberFlag("delta", values.delta, 1e-5),
  };
  const { epsilon, order } = computeEpsilon(query);
  if (values.json) return JSON.stringify({ ...query, epsilon, order });
  return (
    `DP-SGD with sampling rate q = ${query.sampleRate}, noise multiplier σ = ${query.noiseMultiplier}, ` +
    `${query.steps} steps\n` +
    `satisfies (ε = ${epsilon.toFixed(4)}, δ = ${query.delta})-differential privacy ` +
    `(RDP accountant, best order α = ${order}).`
  );
}

export function noiseCommand(args: string[]): string {
  const { values } = parseArgs({ args, options: { ...common, epsilon: { type: "string" } } });
  const query = {
    targetEpsilon: parseNumberFlag("epsilon", values.epsilon, 1),
    sampleRate: parseNumberFlag("sample-rate", values["sample-rate"], 0.04),
    steps: parseNumberFlag("steps", values.steps, 250),
    delta: parseNumberFlag("delta", values.delta, 1e-5),
  };
  const { noiseMultiplier, epsilon, order } = calibrateNoise(query);
  if (values.json) return JSON.stringify({ ...query, noiseMultiplier, epsilon, order });
  return (
    `To spend at most ε = ${query.targetEpsilon} (δ = ${query.delta}) over ${query.steps} steps ` +
    `at sampling rate q = ${query.sampleRate},\n` +
    `use noise multiplier σ = ${noiseMultiplier.toFixed(4)} (it spends ε = ${epsilon.toFixed(4)}, ` +
    `best order α = ${order}).`
  );
}
