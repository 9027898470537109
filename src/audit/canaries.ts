/**
 * Canaries for privacy audits: examples the auditor plants and later looks for.
 *
 * White-box GRADIENT canaries (Nasr et al. 2021, "Adversary instantiation"; Steinke, Nasr &
 * Jagielski 2023, §6): each canary is an example whose gradient is a Dirac vector, all of its
 * norm on one parameter. Here that parameter is a first-layer weight of an input column that
 * is zero in every real row ("padded inputs"), so real data never moves it and the model's
 * predictions never use it: after training, the parameter's total change is the canary's own
 * (clipped) contribution plus DP noise. That is the worst case DP-SGD must withstand, and the
 * sharpest test an audit can make of clipping, noise and accounting. The score of a canary is
 * the dot product of its direction with the total update, θ₀ − θ_T.
 *
 * Black-box INPUT canaries: unusual records (each column drawn independently from the data's
 * own values, with a random label), scored by how much training lowered their loss.
 */
import { createModel, DEFAULT_HIDDEN } from "../models/init";
import type { ModelData, ModelKind } from "../models/types";
import { createRng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";
import { perExampleLoss, type LabelledRows } from "../attacks/membershipInference";

/** All parameters in flatParameters order: W0 row by row, b0, W1, b1, … */
export function flattenModel(model: ModelData): number[] {
  return model.layers.flatMap((l) => [...l.weights.flat(), ...l.bias]);
}

/** Each canary included independently with probability 1/2 (Steinke et al.'s S_i). */
export function drawInclusion(count: number, seed: number | string): boolean[] {
  requireNumber("canaries", count, { min: 2, integer: true });
  const rng = createRng(seed).fork("audit/inclusion");
  return Array.from({ length: count }, () => rng.uniform() < 0.5);
}

export interface GradientCanaryPlan {
  /** Real input columns. */
  inputs: number;
  /** Zero columns appended to every row to carry the canaries' parameters. */
  paddedInputs: number;
  /** Width of the first layer's output (1 for logistic regression). */
  firstLayerWidth: number;
  /** Flat parameter index of canary c (of the padded model). */
  indices: number[];
}

/** Where m Dirac canaries live: one first-layer weight each, on ⌈m / width⌉ padded inputs. */
export function planGradientCanaries(params: {
  inputs: number;
  count: number;
  model: ModelKind;
  hidden?: readonly number[];
}): GradientCanaryPlan {
  const inputs = requireNumber("inputs", params.inputs, { min: 1, integer: true });
  const count = requireNumber("canaries", params.count, { min: 2, max: 100_000, integer: true });
  const width = params.model === "mlp" ? (params.hidden ?? DEFAULT_HIDDEN)[0] : 1;
  requireNumber("hidden[0]", width, { min: 1, integer: true });
  const paddedInputs = Math.ceil(count / width);
  // W0 is [inputs + padded][width], row-major: weight (row, unit) is at row·width + unit.
  const indices = Array.from({ length: count }, (_, c) => (inputs + Math.floor(c / width)) * width + (c % width));
  return { inputs, paddedInputs, firstLayerWidth: width, indices };
}

export function padRows(x: readonly number[][], padded: number): number[][] {
  const zeros = new Array<number>(padded).fill(0);
  return x.map((row) => [...row, ...zeros]);
}

/** The model without the padded inputs' weights: what would be released. */
export function stripPaddedInputs(model: ModelData, inputs: number): ModelData {
  return {
    kind: model.kind,
    layers: model.layers.map((l, k) => (k === 0 ? { weights: l.weights.slice(0, inputs), bias: l.bias } : l)),
  };
}

/** Dot product of each canary's unit direction e_index with the total update θ₀ − θ_T. */
export function gradientCanaryScores(initial: ModelData, final: ModelData, indices: readonly number[]): number[] {
  // Training holds the weights in float32: round the initial ones the same way, so a weight
  // nothing moved scores exactly 0.
  const before = flattenModel(initial).map(Math.fround);
  const after = flattenModel(final);
  if (before.length !== after.length) {
    throw new InputError("final", `a model with ${before.length} parameters, like the initial one`, after.length);
  }
  return indices.map((i) => before[i] - after[i]);
}

/** The initial weights trainPrivately starts from for these options (it calls createModel the same way). */
export function initialModelFor(params: { model: ModelKind; hidden?: readonly number[]; inputs: number; seed: number }): ModelData {
  return createModel({
    kind: params.model,
    inputSize: params.inputs,
    hidden: params.model === "mlp" ? params.hidden ?? DEFAULT_HIDDEN : undefined,
    seed: params.seed,
  });
}

/**
 * Input canaries: `count` records that look like no one in particular. Each column is drawn
 * from the column's own values in `like` (so every value is plausible but the combination is
 * not), and the label is a fair coin, so about half contradict what the data teaches.
 */
export function makeInputCanaries(like: LabelledRows, count: number, seed: number | string): LabelledRows {
  if (!like || !Array.isArray(like.x) || like.x.length === 0) throw new InputError("like.x", "a non-empty array of rows", like?.x);
  requireNumber("canaries", count, { min: 1, integer: true });
  const rng = createRng(seed).fork("input-canaries");
  const width = like.x[0].length;
  const x = Array.from({ length: count }, () => Array.from({ length: width }, (_, j) => like.x[rng.int(like.x.length)][j]));
  const y = x.map(() => (rng.uniform() < 0.5 ? 1 : 0));
  return { x, y };
}

/** How much training lowered each canary's loss: ℓ(θ₀) − ℓ(θ_T). */
export function inputCanaryScores(initial: ModelData, final: ModelData, canaries: LabelledRows): number[] {
  const before = perExampleLoss(initial, canaries);
  const after = perExampleLoss(final, canaries);
  return before.map((b, i) => b - after[i]);
}
