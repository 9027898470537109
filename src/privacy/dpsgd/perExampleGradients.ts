/**
 * Per-example gradient norms and the sum of clipped per-example gradients for a stack of
 * dense layers, for the whole batch at once (no loop over examples).
 *
 * For a dense layer z = a·W + b and per-example loss ℓ_i, the gradient of ℓ_i w.r.t. W is the
 * outer product a_iᵀ g_i with g_i = ∂ℓ_i/∂z_i, so ‖∇_W ℓ_i‖ = ‖a_i‖·‖g_i‖ and ‖∇_b ℓ_i‖ = ‖g_i‖
 * (Goodfellow 2015, "Efficient per-example gradient computations"). The clipped sum
 * Σ_i c_i a_iᵀ g_i is the single matmul Aᵀ·diag(c)·G, as in DP-SGD (Abadi et al. 2016).
 */
import { tf } from "../../runtime/tensorflow";
import { flatParameters, type DenseTensors, type ModelTensors } from "../../models/tensors";

export interface Batch {
  x: tf.Tensor2D;
  /** Labels 0/1, one per row of x (a binary model: one logit, sigmoid cross-entropy). */
  y: tf.Tensor1D;
}

/** A multi-class model's batch (a next-word model): one-hot targets [B, classes], softmax cross-entropy. */
export interface OneHotBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/** Either batch: the per-example gradient machinery below serves both losses. */
export type AnyBatch = Batch | OneHotBatch;

export interface ClippedGradients {
  /** Σ_i clip(∇ℓ_i) per parameter, in flatParameters order. Caller disposes. */
  clippedSum: tf.Tensor[];
  /** ‖∇ℓ_i‖ before clipping, one per example. */
  norms: Float32Array;
  /** Share of examples whose norm exceeded the clip norm (0 for an empty batch). */
  clippedFraction: number;
}

interface Signals {
  /** a_l: the input of layer l, [B, in_l]. */
  inputs: tf.Tensor2D[];
  /** g_l = ∂ℓ_i/∂z_l per example, [B, out_l]. */
  outputGrads: tf.Tensor2D[];
}

/** Forward pass, then manual backprop of the per-example loss (BCE, or softmax CE for one-hot y). Call inside tf.tidy. */
function backprop(layers: readonly DenseTensors[], batch: AnyBatch): Signals {
  const inputs: tf.Tensor2D[] = [];
  const preActivations: tf.Tensor2D[] = [];
  let a: tf.Tensor2D = batch.x;
  layers.forEach((layer, l) => {
    inputs.push(a);
    const z = tf.add(tf.matMul(a, layer.weights), layer.bias) as tf.Tensor2D;
    preActivations.push(z);
    a = l + 1 < layers.length ? tf.relu(z) : z;
  });
  // ∂ BCE(z, y) / ∂z = σ(z) − y; ∂ softmax-CE(z, y) / ∂z = softmax(z) − y (same outer-product form).
  let g = (
    batch.y.rank === 2 ? tf.sub(tf.softmax(a), batch.y as tf.Tensor2D) : tf.sub(tf.sigmoid(a), tf.reshape(batch.y, [-1, 1]))
  ) as tf.Tensor2D;
  const outputGrads: tf.Tensor2D[] = new Array(layers.length);
  for (let l = layers.length - 1; l >= 0; l--) {
    outputGrads[l] = g;
    if (l > 0) g = tf.mul(tf.matMul(g, layers[l].weights, false, true), tf.step(preActivations[l - 1]));
  }
  return { inputs, outputGrads };
}

/** Σ_i w_i ∇ℓ_i per parameter: W_l ← A_lᵀ·(w ⊙ G_l), b_l ← Σ_i w_i g_i. Call inside tf.tidy. */
function weightedSum(signals: Signals, weights: tf.Tensor2D): tf.Tensor[] {
  return signals.inputs.flatMap((a, l) => {
    const wg = tf.mul(signals.outputGrads[l], weights);
    return [tf.matMul(a, wg, true, false), tf.sum(wg, 0)];
  });
}

/**
 * ‖∇ℓ_i‖ = sqrt(Σ_l ‖a_l,i‖²‖g_l,i‖² + ‖g_l,i‖²) per example. The row sums of squares are tf
 * ops; the [B] results are read back and combined in JS (float64), which at these sizes is
 * cheaper than more tensor ops (concat and broadcasting are slow paths on wasm).
 * Call inside tf.tidy.
 */
function normsOf(signals: Signals): Float32Array {
  const rowSquares = (t: tf.Tensor2D) =>
    (t.shape[1] === 1 ? tf.square(t) : tf.sum(tf.square(t), 1)).dataSync() as Float32Array;
  const n = signals.inputs[0].shape[0];
  const squared = new Float64Array(n);
  signals.inputs.forEach((a, l) => {
    const a2 = rowSquares(a);
    const g2 = rowSquares(signals.outputGrads[l]);
    for (let i = 0; i < n; i++) squared[i] += g2[i] * (a2[i] + 1);
  });
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) norms[i] = Math.sqrt(squared[i]);
  return norms;
}

function zerosLike(model: ModelTensors): tf.Tensor[] {
  // Explicit zeros: reductions over an empty axis are not reliably zero on every backend.
  return flatParameters(model).map((p) => tf.zeros(p.shape));
}

const isEmpty = (batch: AnyBatch) => batch.x.shape[0] === 0;

/** Per-example gradient norms ‖∇ℓ_i‖ (all parameters together). */
export function perExampleGradNorms(model: ModelTensors, batch: AnyBatch): Float32Array {
  if (isEmpty(batch)) return new Float32Array(0);
  let norms: Float32Array = new Float32Array(0);
  tf.tidy(() => {
    norms = normsOf(backprop(model.layers, batch));
  });
  return norms;
}

/**
 * scale · Σ_i c_i ∇ℓ_i with c_i = min(1, C/‖∇ℓ_i‖). `scale` (default 1) lets DP-SGD fold its
 * division by qN into the clip factors instead of spending extra ops on it.
 */
export function clippedGradientSum(
  model: ModelTensors,
  batch: AnyBatch,
  clipNorm: number,
  scale = 1,
): ClippedGradients {
  if (isEmpty(batch)) return { clippedSum: zerosLike(model), norms: new Float32Array(0), clippedFraction: 0 };
  const n = batch.x.shape[0];
  const result: { norms: Float32Array; clipped: number } = { norms: new Float32Array(0), clipped: 0 };
  const clippedSum = tf.tidy(() => {
    const signals = backprop(model.layers, batch);
    const norms = normsOf(signals);
    const factors = new Float32Array(n);
    let clipped = 0;
    for (let i = 0; i < n; i++) {
      // c_i = min(1, C/‖∇ℓ_i‖); a zero gradient keeps factor 1.
      const norm = norms[i];
      if (norm > clipNorm) clipped++;
      factors[i] = (norm > clipNorm ? clipNorm / norm : 1) * scale;
    }
    result.norms = norms;
    result.clipped = clipped;
    return weightedSum(signals, tf.tensor2d(factors, [n, 1]));
  });
  const { norms, clipped } = result;
  return { clippedSum, norms, clippedFraction: clipped / n };
}

/** The plain mean gradient of the batch loss (non-private baseline). Caller disposes. */
export function meanGradient(model: ModelTensors, batch: AnyBatch): tf.Tensor[] {
  if (isEmpty(batch)) return zerosLike(model);
  return tf.tidy(() => {
    const signals = backprop(model.layers, batch);
    return weightedSum(signals, tf.fill([batch.x.shape[0], 1], 1 / batch.x.shape[0]) as tf.Tensor2D);
  });
}
