/**
 * Poisson sampling: every example joins a batch independently with probability q. This is
 * the sampling the RDP accountant's subsampled-Gaussian bound assumes (Mironov et al. 2019);
 * fixed-size shuffled batches would need a different analysis. Batches vary in size and
 * can be empty.
 */
import type { Rng } from "../../random/rng";
import { requireNumber } from "../../validation/errors";

/** Indices of the examples drawn into one batch, in increasing order. */
export function poissonSample(size: number, sampleRate: number, rng: Rng): Int32Array {
  requireNumber("size", size, { min: 0, integer: true });
  requireNumber("sampleRate", sampleRate, { min: 0, max: 1, minExclusive: true });
  const picked: number[] = [];
  for (let i = 0; i < size; i++) if (rng.uniform() < sampleRate) picked.push(i);
  return Int32Array.from(picked);
}

/** One epoch = round(1/q) steps, i.e. N / batchSize: each example is seen once on average. */
export function stepsPerEpoch(sampleRate: number): number {
  requireNumber("sampleRate", sampleRate, { min: 0, max: 1, minExclusive: true });
  return Math.max(1, Math.round(1 / sampleRate));
}
