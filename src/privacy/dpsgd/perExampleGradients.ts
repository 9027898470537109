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
  /** Labels 0/1, one per row of x. */
  y: tf.Tensor1D;
}

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

/** Forward pass, then manual backprop of the per-example BCE loss. Call inside tf.tidy. */
function backprop(layers: readonly DenseTensors[], batch: Batch): Signals {
  const inputs: tf.Tensor2D[] = [];
  const preActivations: tf.Tensor2D[] = [];
  let a: tf.Tensor2D = batch.x;
  layers.forEach((layer, l) => {
    inputs.push(a);
    const z = tf.add(tf.matMul(a, layer.weights), layer.bias) as tf.Tensor2D;
    preActivations.push(z);
    a = l + 1 < layers.length ? tf.relu(z) : z;
  });
  // ∂ BCE(z, y) / ∂z = σ(z) − y.
  let g = tf.sub(tf.sigmoid(a), tf.reshape(batch.y, [-1, 1])) as tf.Tensor2D;
  const outputGrads: tf.Tensor2D[] = new Array(layers.length);
  for (let l = layers.length - 1; l >= 0; l--) {
    outputGrads[l] = g;
    if (l > 0) g = tf.mul(tf.matMul(g, layers[l].weights, false, true), tf.step(preActivations[l - 1]));
  }
  return { inputs, outputGrads };
}

/** Σ_i w_i ∇ℓ_i per parameter: W_l ← A_lᵀ·(w ⊙ G_l), b_l ← Σ_i w_i g_i. Call inside tf.tidy. */
function weightedSum(signals: Signals, weights: tf.Tensor1D | null): tf.Tensor[] {
  return signals.inputs.flatMap((a, l) => {
    const g = signals.outputGrads[l];
    const wg = weights ? tf.mul(g, tf.reshape(weights, [-1, 1])) : g;
    return [tf.matMul(a, wg, true, false), tf.sum(wg, 0)];
  });
}

/** sqrt(Σ_l ‖a_l‖²‖g_l‖² + ‖g_l‖²) per example. Call inside tf.tidy. */
function normsOf(signals: Signals): tf.Tensor1D {
  const squares = signals.inputs.map((a, l) => {
    const g2 = tf.sum(tf.square(signals.outputGrads[l]), 1);
    return tf.mul(g2, tf.add(tf.sum(tf.square(a), 1), 1));
  });
  return tf.sqrt(tf.addN(squares)) as tf.Tensor1D;
}

function zerosLike(model: ModelTensors): tf.Tensor[] {
  // Explicit zeros: reductions over an empty axis are not reliably zero on every backend.
  return flatParameters(model).map((p) => tf.zeros(p.shape));
}

const isEmpty = (batch: Batch) => batch.x.shape[0] === 0;

/** Per-example gradient norms ‖∇ℓ_i‖ (all parameters together). Caller disposes. */
export function perExampleGradNorms(model: ModelTensors, batch: Batch): tf.Tensor1D {
  if (isEmpty(batch)) return tf.zeros([0]);
  return tf.tidy(() => normsOf(backprop(model.layers, batch)));
}

/** The sum of per-example gradients clipped to clipNorm: c_i = min(1, C/‖∇ℓ_i‖). */
export function clippedGradientSum(
  model: ModelTensors,
  batch: Batch,
  clipNorm: number,
): ClippedGradients {
  if (isEmpty(batch)) return { clippedSum: zerosLike(model), norms: new Float32Array(0), clippedFraction: 0 };
  let norms: Float32Array = new Float32Array(0);
  const clippedSum = tf.tidy(() => {
    const signals = backprop(model.layers, batch);
    const normTensor = normsOf(signals);
    norms = normTensor.dataSync() as Float32Array;
    // C/0 = ∞ → factor 1, so an exactly-zero gradient is left alone.
    const factors = tf.minimum(1, tf.div(clipNorm, normTensor)) as tf.Tensor1D;
    return weightedSum(signals, factors);
  });
  const clipped = norms.reduce((n, v) => n + (v > clipNorm ? 1 : 0), 0);
  return { clippedSum, norms, clippedFraction: clipped / norms.length };
}

/** The plain mean gradient of the batch loss (non-private baseline). Caller disposes. */
export function meanGradient(model: ModelTensors, batch: Batch): tf.Tensor[] {
  if (isEmpty(batch)) return zerosLike(model);
  return tf.tidy(() => {
    const scale = 1 / batch.x.shape[0];
    return weightedSum(backprop(model.layers, batch), null).map((g) => tf.mul(g, scale));
  });
}
