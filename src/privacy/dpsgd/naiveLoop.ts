/**
 * The slow reference for clippedGradientSum: one autodiff pass per example, clip, sum.
 * Independent of the manual backprop (it differentiates the model's own forward pass and
 * loss), so the tests compare the two. Used by tests and the benchmark only.
 */
import { tf } from "../../runtime/tensorflow";
import {
  bceWithLogits,
  flatParameters,
  forwardLogits,
  layersFromFlat,
  type ModelTensors,
} from "../../models/tensors";
import type { Batch, ClippedGradients } from "./perExampleGradients";

/** Loss of one example as a function of the flat parameter list. */
function exampleLoss(x: tf.Tensor2D, y: tf.Tensor1D) {
  return (...params: tf.Tensor[]) => tf.sum(bceWithLogits(forwardLogits(layersFromFlat(params), x), y));
}

export function naiveClippedGradientSum(
  model: ModelTensors,
  batch: Batch,
  clipNorm: number,
): ClippedGradients {
  const params = flatParameters(model);
  const n = batch.x.shape[0];
  const norms = new Float32Array(n);
  let sums = params.map((p) => tf.zeros(p.shape));
  for (let i = 0; i < n; i++) {
    const next = tf.tidy(() => {
      const x = tf.slice(batch.x, [i, 0], [1, -1]);
      const y = tf.slice(batch.y, [i], [1]);
      const grads = tf.grads(exampleLoss(x, y))(params);
      const norm = Math.sqrt(grads.reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0], 0));
      norms[i] = norm;
      const factor = Math.min(1, clipNorm / norm);
      return sums.map((s, k) => tf.add(s, tf.mul(grads[k], factor)));
    });
    tf.dispose(sums);
    sums = next;
  }
  const clipped = norms.reduce((c, v) => c + (v > clipNorm ? 1 : 0), 0);
  return { clippedSum: sums, norms, clippedFraction: n === 0 ? 0 : clipped / n };
}

/** Autodiff gradient of the mean batch loss (to check meanGradient). Caller disposes. */
export function autodiffMeanGradient(model: ModelTensors, batch: Batch): tf.Tensor[] {
  return tf.tidy(() =>
    tf.grads((...params: tf.Tensor[]) =>
      tf.mean(bceWithLogits(forwardLogits(layersFromFlat(params), batch.x), batch.y)),
    )(flatParameters(model)),
  );
}
