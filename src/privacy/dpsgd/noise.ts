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

/** N(0, stdDev²) of the given shape, seeded from rng. Caller disposes. */
export function gaussianNoise(shape: number[], stdDev: number, rng: Rng): tf.Tensor {
  return tf.randomNormal(shape, 0, stdDev, "float32", rng.seed());
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
  const std = options.noiseMultiplier * options.clipNorm;
  const seeds = clippedSum.map(() => options.rng.seed()); // drawn even for σ = 0: same stream either way
  return tf.tidy(() =>
    clippedSum.map((sum, k) => {
      const noisy = std > 0 ? tf.add(sum, tf.randomNormal(sum.shape, 0, std, "float32", seeds[k])) : sum;
      return tf.div(noisy, options.expectedBatchSize);
    }),
  );
}
