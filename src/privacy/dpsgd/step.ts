/**
 * One training step. The DP-SGD step is clip → sum → noise → divide by qN → SGD update
 * (Abadi et al. 2016, Alg. 1); the non-private step uses the plain mean gradient of the same
 * manual backprop. Parameters are tf.Variables updated in place, so a step leaves the tensor
 * count unchanged.
 */
import { tf } from "../../runtime/tensorflow";
import type { Rng } from "../../random/rng";
import { flatParameters, type ModelVariables } from "../../models/tensors";
import { clippedGradientSum, meanGradient, type AnyBatch } from "./perExampleGradients";
import { gaussianNoise } from "./noise";

export interface SgdOptions {
  learningRate: number;
  /** Heavy-ball momentum μ (PyTorch form v ← μv + g, p ← p − lr·v). 0 = plain SGD. */
  momentum?: number;
}

export interface Sgd {
  readonly model: ModelVariables;
  readonly learningRate: number;
  readonly momentum: number;
  /** One buffer per parameter when momentum > 0. */
  readonly velocity: tf.Variable[] | null;
}

export function createSgd(model: ModelVariables, options: SgdOptions): Sgd {
  const momentum = options.momentum ?? 0;
  const velocity =
    momentum > 0 ? flatParameters(model).map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false))) : null;
  return { model, learningRate: options.learningRate, momentum, velocity };
}

/** Disposes the optimiser's buffers (not the model). */
export function disposeSgd(sgd: Sgd): void {
  if (sgd.velocity) tf.dispose(sgd.velocity);
}

/**
 * p ← p − lr·(g + noise) (through the momentum buffer if any). Taking the noise here lets
 * one tf.addN do g + noise (+ μv), a pass fewer per parameter. Disposes neither argument.
 */
export function applyGradients(sgd: Sgd, grads: readonly tf.Tensor[], noise?: readonly tf.Tensor[]): void {
  const params = flatParameters(sgd.model) as tf.Variable[];
  tf.tidy(() => {
    params.forEach((p, k) => {
      const v = sgd.velocity?.[k];
      const terms = [grads[k], ...(noise ? [noise[k]] : []), ...(v ? [tf.mul(v, sgd.momentum)] : [])];
      const direction = terms.length === 1 ? terms[0] : tf.addN(terms);
      if (v) v.assign(direction);
      p.assign(tf.sub(p, tf.mul(direction, sgd.learningRate)));
    });
  });
}

export interface DpSgdStepOptions {
  clipNorm: number;
  /** σ; 0 turns the noise off (tests only: no privacy then). */
  noiseMultiplier: number;
  /** q·N. */
  expectedBatchSize: number;
  rng: Rng;
  /**
   * Audit hook: the sum of already-clipped gradients of examples that are not rows of the
   * batch (gradient canaries, Steinke et al. 2023), one tensor per parameter. Scaled by 1/qN
   * and noised together with the batch's sum, exactly as if they were rows. Not disposed.
   */
  extraGradientSum?: readonly tf.Tensor[];
  /**
   * DELIBERATELY BROKEN DP-SGD, for privacy audits only: skip the per-example clipping and/or
   * the noise while the caller still claims the calibrated ε. See TrainOptions.unsafeForAudit.
   */
  unsafeForAudit?: { skipClipping?: boolean; skipNoise?: boolean };
}

export interface StepStats {
  batchSize: number;
  /** Per-example gradient norms before clipping (empty for the non-private step). */
  norms: Float32Array;
  clippedFraction: number;
}

/** One DP-SGD step on a (Poisson-sampled, possibly empty) batch. */
export function dpSgdStep(sgd: Sgd, batch: AnyBatch, options: DpSgdStepOptions): StepStats {
  // (Σ clip(∇ℓ_i) + N(0, (σC)²)) / qN, computed as Σ clip(∇ℓ_i)/qN + N(0, (σC/qN)²): the
  // division is folded into the clip factors (same distribution, fewer ops).
  const scale = 1 / options.expectedBatchSize;
  const clipAt = options.unsafeForAudit?.skipClipping ? Infinity : options.clipNorm;
  const { clippedSum, norms, clippedFraction } = clippedGradientSum(sgd.model, batch, clipAt, scale);
  // Empty batch: the sum is zero but the noise is still added (Opacus does the same).
  const std = options.unsafeForAudit?.skipNoise ? 0 : options.noiseMultiplier * options.clipNorm * scale;
  const noise = gaussianNoise(clippedSum.map((g) => g.shape), std, options.rng);
  const extra = options.extraGradientSum;
  const grads = extra ? tf.tidy(() => clippedSum.map((g, k) => tf.add(g, tf.mul(extra[k], scale)))) : clippedSum;
  applyGradients(sgd, grads, noise);
  tf.dispose([clippedSum, noise]);
  if (extra) tf.dispose(grads);
  return { batchSize: batch.x.shape[0], norms, clippedFraction };
}

/**
 * One non-private step: the mean gradient, no clipping, no noise. An empty batch is skipped.
 * `extra` (audit hook) adds examples given by their gradients: the step then takes the mean
 * over batch rows and extra examples together, still unclipped.
 */
export function nonPrivateStep(sgd: Sgd, batch: AnyBatch, extra?: { sum: readonly tf.Tensor[]; count: number }): StepStats {
  const batchSize = batch.x.shape[0];
  if (extra && batchSize + extra.count > 0) {
    const total = batchSize + extra.count;
    const { clippedSum } = clippedGradientSum(sgd.model, batch, Infinity, 1 / total);
    const grads = tf.tidy(() => clippedSum.map((g, k) => tf.add(g, tf.div(extra.sum[k], total))));
    applyGradients(sgd, grads);
    tf.dispose([clippedSum, grads]);
  } else if (batchSize > 0) {
    const grads = meanGradient(sgd.model, batch);
    applyGradients(sgd, grads);
    tf.dispose(grads);
  }
  return { batchSize, norms: new Float32Array(0), clippedFraction: 0 };
}
