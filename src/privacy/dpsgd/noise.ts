/**
 * The Gaussian mechanism of DP-SGD (Abadi et al. 2016, Alg. 1): add N(0, (σC)²) to every
 * coordinate of the clipped gradient sum, then divide by the expected batch size q·N (as
 * Opacus does under Poisson sampling, so the sensitivity stays C / (qN) whatever the batch).
 *
 * The noise is seeded and float32: reproducible for the course, but not the secure
 * generator a deployment needs (Mironov 2012 on floating-point noise).
 */
import { tf } from "../../runtime/tensorflow";
import type { Rng } from "../../random/rng";

/** Fresh N(0, stdDev²) tensors of the given shapes, one seed per tensor from rng. Caller disposes. */
export function gaussianNoise(shapes: readonly number[][], stdDev: number, rng: Rng): tf.Tensor[] {
  const seeds = shapes.map(() => rng.seed()); // drawn even for stdDev = 0: same stream either way
  return shapes.map((shape, k) =>
    stdDev > 0 ? tf.randomNormal(shape, 0, stdDev, "float32", seeds[k]) : tf.zeros(shape),
  );
}

/** values + N(0, stdDev²) per coordinate. Caller disposes. */
export function addGaussianNoise(values: readonly tf.Tensor[], stdDev: number, rng: Rng): tf.Tensor[] {
  return tf.tidy(() => {
    const noise = gaussianNoise(values.map((v) => v.shape), stdDev, rng);
    return values.map((v, k) => tf.add(v, noise[k]));
  });
}

export interface PrivatizeOptions {
  noiseMultiplier: number;
  clipNorm: number;
  /** q·N: the divisor of the noisy sum. */
  expectedBatchSize: number;
  rng: Rng;
}

/** (Σ clipped + N(0, (σC)²)) / (qN) per parameter. Does not dispose its input. */
export function privatizeGradientSum(clippedSum: readonly tf.Tensor[], options: PrivatizeOptions): tf.Tensor[] {
  const noisy = addGaussianNoise(clippedSum, options.noiseMultiplier * options.clipNorm, options.rng);
  const averaged = tf.tidy(() => noisy.map((t) => tf.div(t, options.expectedBatchSize)));
  tf.dispose(noisy);
  return averaged;
}
