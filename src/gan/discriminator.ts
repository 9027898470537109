/**
 * The discriminator of the tabular GAN, and its differentially private gradient.
 *
 * The discriminator is an ordinary `ModelData` MLP (ReLU hidden layers, one logit) on encoded
 * rows, so DP-SGD's vectorised per-example clipping (`clippedGradientSum`) applies unchanged.
 * Its loss is binary cross-entropy with real rows labelled 1 and fake rows labelled 0:
 *
 *   L(D) = E_real[BCE(D(x), 1)] + E_fake[BCE(D(G(z)), 0)].
 *
 * Only the real half touches the private data. Its gradient is computed as DP-SGD does
 * (Abadi et al. 2016, Alg. 1): a Poisson-sampled batch (rate q), each example's gradient
 * clipped to norm C, the sum noised with N(0, (σC)²) and divided by the expected batch size qN
 * (`privatizeGradientSum`). Adding or removing one real row changes the clipped sum by at most
 * C, so each step is one Poisson-subsampled Gaussian mechanism, as the RDP accountant assumes.
 * The fake half depends only on the generator (itself a function of earlier privatised
 * gradients and of seeded noise) and uses the plain mean gradient: no privacy cost (Xie et al.
 * 2018, DPGAN; the same split as Torkzadehmahani et al. 2019 and DP-CTGAN).
 */
import { tf } from "../runtime/tensorflow";
import type { Rng } from "../random/rng";
import { createModel, type ModelData, type ModelTensors } from "../models";
import { bceWithLogits, forwardLogits } from "../models/tensors";
import { clippedGradientSum, meanGradient, privatizeGradientSum } from "../privacy/dpsgd";
import { requireWidths } from "./generator";
import { requireNumber } from "../validation/errors";

export const DISCRIMINATOR_DEFAULT_HIDDEN: readonly number[] = Object.freeze([64]);

export interface CreateDiscriminatorOptions {
  /** Hidden layer widths. Default [64]. */
  hidden?: readonly number[];
  seed?: number | string;
}

/** An MLP classifier on rows of `width` numbers: logit > 0 means "real". */
export function createDiscriminator(width: number, options: CreateDiscriminatorOptions = {}): ModelData {
  requireNumber("width", width, { min: 1, integer: true });
  const hidden = requireWidths("discriminatorHidden", options.hidden ?? DISCRIMINATOR_DEFAULT_HIDDEN);
  return createModel({ kind: "mlp", inputSize: width, hidden, seed: `${options.seed ?? 7}/discriminator` });
}

export interface DiscriminatorPrivacy {
  clipNorm: number;
  /** σ. 0 only in tests (then nothing is private). */
  noiseMultiplier: number;
  /** q·N, the divisor of the noisy sum. */
  expectedBatchSize: number;
  /** The noise stream. */
  rng: Rng;
}

export interface DiscriminatorGradients {
  /** ∇L(D) per parameter (flatParameters order): privatised real part + plain fake part. Caller disposes. */
  grads: tf.Tensor[];
  realBatchSize: number;
  fakeBatchSize: number;
  /** Per-example gradient norms of the real rows before clipping (empty without privacy: not computed). */
  norms: Float32Array;
  clippedFraction: number;
}

/**
 * The discriminator's gradient for one step. `real` is the Poisson-sampled batch of real rows
 * (possibly empty), `fake` a batch of generated rows. With `privacy` the real half is
 * (Σ clip_C(∇ℓ_i) + N(0, (σC)²)) / qN; with `privacy = null` (ε = ∞) it is the plain mean gradient
 * (an empty batch contributes 0). Disposes neither input.
 */
export function discriminatorGradients(
  model: ModelTensors,
  real: tf.Tensor2D,
  fake: tf.Tensor2D,
  privacy: DiscriminatorPrivacy | null,
): DiscriminatorGradients {
  const realBatchSize = real.shape[0];
  const fakeBatchSize = fake.shape[0];
  const realLabels = tf.ones([realBatchSize]) as tf.Tensor1D;
  const fakeLabels = tf.zeros([fakeBatchSize]) as tf.Tensor1D;
  try {
    let realPart: tf.Tensor[];
    let norms: Float32Array = new Float32Array(0);
    let clippedFraction = 0;
    if (privacy) {
      const clipped = clippedGradientSum(model, { x: real, y: realLabels }, privacy.clipNorm);
      // Empty batch: the sum is 0 but the noise is still added (as dpSgdStep and Opacus do).
      realPart = privatizeGradientSum(clipped.clippedSum, {
        noiseMultiplier: privacy.noiseMultiplier,
        clipNorm: privacy.clipNorm,
        expectedBatchSize: privacy.expectedBatchSize,
        rng: privacy.rng,
      });
      tf.dispose(clipped.clippedSum);
      norms = clipped.norms;
      clippedFraction = clipped.clippedFraction;
    } else {
      realPart = meanGradient(model, { x: real, y: realLabels });
    }
    const fakePart = meanGradient(model, { x: fake, y: fakeLabels });
    const grads = tf.tidy(() => realPart.map((g, k) => tf.add(g, fakePart[k])));
    tf.dispose([...realPart, ...fakePart]);
    return { grads, realBatchSize, fakeBatchSize, norms, clippedFraction };
  } finally {
    tf.dispose([realLabels, fakeLabels]);
  }
}

export interface DiscriminatorDiagnostics {
  /** Mean BCE(D(x), 1) over the real rows (NaN for none). */
  lossReal: number;
  /** Mean BCE(D(x), 0) over the fake rows. */
  lossFake: number;
  /** Share of real rows with logit > 0. */
  accuracyReal: number;
  /** Share of fake rows with logit ≤ 0. */
  accuracyFake: number;
}

/**
 * Loss and accuracy of the discriminator on a real and a fake batch. Read from the real rows
 * without noise: a diagnostic, not covered by ε.
 */
export function discriminatorDiagnostics(model: ModelTensors, real: tf.Tensor2D, fake: tf.Tensor2D): DiscriminatorDiagnostics {
  const one = (x: tf.Tensor2D, label: number): { loss: number; accuracy: number } => {
    const n = x.shape[0];
    if (n === 0) return { loss: NaN, accuracy: NaN };
    return tf.tidy(() => {
      const logits = forwardLogits(model.layers, x);
      const loss = tf.mean(bceWithLogits(logits, tf.fill([n], label) as tf.Tensor1D)).dataSync()[0];
      const z = logits.dataSync();
      let correct = 0;
      for (let i = 0; i < n; i++) if ((z[i] > 0 ? 1 : 0) === label) correct++;
      return { loss, accuracy: correct / n };
    });
  };
  const r = one(real, 1);
  const f = one(fake, 0);
  return { lossReal: r.loss, lossFake: f.loss, accuracyReal: r.accuracy, accuracyFake: f.accuracy };
}
