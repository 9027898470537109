/**
 * `privacy-course epsilon` and `privacy-course noise`: the accountant on the command line,
 * like TensorFlow Privacy's compute_dp_sgd_privacy. `--accountant pld` uses the PLD accountant
 * (tighter) instead of RDP; `--discretisation H` sets its loss grid.
 */
import { parseArgs } from "node:util";
import { accountantFor, calibrateNoise, sampledGaussianEvent, type AccountantDescription } from "../../privacy/accountant";
import { requireNumber } from "../../validation/errors";
import { ACCOUNTANT_FLAGS, parseAccountantFlags, parseNumberFlag } from "../options";

const common = {
  "sample-rate": { type: "string" },
  steps: { type: "string" },
  delta: { type: "string" },
  json: { type: "boolean", default: false },
  ...ACCOUNTANT_FLAGS,
} as const;

/** "best order α = 5" under RDP; the loss grid under PLD. */
function howMeasured(description: AccountantDescription, order: number | null): string {
  if (description.kind === "rdp") return `RDP accountant, best order α = ${order}`;
  const grid = description.discretisation;
  return `PLD accountant, loss grid h = ${grid?.interval}${grid?.automatic ? " (automatic)" : ""}, ${grid?.pessimistic ? "pessimistic" : "optimistic: NOT a guarantee"}`;
}

export function epsilonCommand(args: string[]): string {
  const { values } = parseArgs({ args, options: { ...common, noise: { type: "string" } } });
  const query = {
    sampleRate: parseNumberFlag("sample-rate", values["sample-rate"], 0.04),
    noiseMultiplier: parseNumberFlag("noise", values.noise, 1.1),
    steps: parseNumberFlag("steps", values.steps, 250),
    delta: parseNumberFlag("delta", values.delta, 1e-5),
  };
  const accountant = accountantFor(parseAccountantFlags(values));
  const steps = requireNumber("steps", query.steps, { min: 0, integer: true });
  accountant.compose(sampledGaussianEvent({ sampleRate: query.sampleRate, noiseMultiplier: query.noiseMultiplier }), steps);
  const report = accountant.getEpsilon(query.delta) as { epsilon: number; order?: number; warnings: readonly string[] };
  const { epsilon } = report;
  const order = report.order ?? null;
  const description = accountant.describe();
  if (values.json) return JSON.stringify({ ...query, epsilon, order, accountant: description.kind, accountantDetails: description, warnings: report.warnings });
  return (
    `DP-SGD with sampling rate q = ${query.sampleRate}, noise multiplier σ = ${query.noiseMultiplier}, ` +
    `${query.steps} steps\n` +
    `satisfies (ε = ${epsilon.toFixed(4)}, δ = ${query.delta})-differential privacy ` +
    `(${howMeasured(description, order)}).` +
    report.warnings.map((warning) => `\nWarning: ${warning}`).join("")
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
  const result = calibrateNoise({ ...query, accountant: parseAccountantFlags(values) });
  const { noiseMultiplier, epsilon, order } = result;
  if (values.json) return JSON.stringify({ ...query, noiseMultiplier, epsilon, order, accountant: result.accountant.kind, accountantDetails: result.accountant });
  return (
    `To spend at most ε = ${query.targetEpsilon} (δ = ${query.delta}) over ${query.steps} steps ` +
    `at sampling rate q = ${query.sampleRate},\n` +
    `use noise multiplier σ = ${noiseMultiplier.toFixed(4)} (it spends ε = ${epsilon.toFixed(4)}, ` +
    `${howMeasured(result.accountant, order)}).`
  );
}
