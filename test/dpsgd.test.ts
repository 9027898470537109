import { beforeAll, describe, expect, it } from "vitest";
import { tf, useBackend } from "../src/runtime/tensorflow";
import { createRng } from "../src/random/rng";
import { createModel, disposeModel, flatParameters, toTensors, toVariables, type ModelKind } from "../src/models";
import {
  autodiffMeanGradient,
  clippedGradientSum,
  createSgd,
  disposeSgd,
  dpSgdStep,
  meanGradient,
  naiveClippedGradientSum,
  nonPrivateStep,
  perExampleGradNorms,
  poissonSample,
  privatizeGradientSum,
  stepsPerEpoch,
  type Batch,
} from "../src/privacy/dpsgd";

beforeAll(async () => {
  await useBackend();
});

/** A synthetic batch: 5 standard-normal features, labels from a noisy linear rule. */
function makeBatch(rows: number, seed: number): Batch {
  const rng = createRng(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: 5 }, () => 2 * rng.normal()));
  const y = x.map((r) => (r[0] - r[1] + 0.5 * r[2] + rng.normal() > 0 ? 1 : 0));
  return { x: tf.tensor2d(x), y: tf.tensor1d(y) };
}

const flat = (ts: tf.Tensor[]) => Float64Array.from(ts.flatMap((t) => Array.from(t.dataSync())));

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < b.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    ref += b[i] ** 2;
  }
  return Math.sqrt(diff / ref);
}

/** A clip norm between two distinct norms near the median, so rounding cannot flip an example. */
function midClipNorm(values: Float32Array): number {
  const sorted = Array.from(values).sort((p, q) => p - q);
  let k = Math.floor(sorted.length / 2);
  while (sorted[k + 1] - sorted[k] < 1e-4 * sorted[k]) k++;
  return (sorted[k] + sorted[k + 1]) / 2;
}

describe.each<[ModelKind, number[]]>([
  ["logistic", []],
  ["mlp", [16]],
  ["mlp", [8, 4]],
])("per-example gradients (%s %j)", (kind, hidden) => {
  it("vectorised norms and clipped sum match the naive per-example loop", () => {
    const model = toTensors(createModel({ kind, inputSize: 5, hidden, seed: 3 }));
    const batch = makeBatch(64, 11);
    const clipNorm = midClipNorm(perExampleGradNorms(model, batch)); // clips about half

    const fast = clippedGradientSum(model, batch, clipNorm);
    const slow = naiveClippedGradientSum(model, batch, clipNorm);
    expect(fast.clippedFraction).toBeGreaterThan(0);
    expect(fast.clippedFraction).toBeLessThan(1);
    expect(fast.clippedFraction).toBe(slow.clippedFraction);
    expect(relativeError(fast.norms, slow.norms)).toBeLessThan(1e-5);
    for (let i = 0; i < slow.norms.length; i++) {
      expect(Math.abs(fast.norms[i] - slow.norms[i]) / slow.norms[i]).toBeLessThan(1e-5);
    }
    expect(fast.clippedSum.map((t) => t.shape)).toEqual(flatParameters(model).map((p) => p.shape));
    expect(relativeError(flat(fast.clippedSum), flat(slow.clippedSum))).toBeLessThan(1e-5);
    tf.dispose([fast.clippedSum, slow.clippedSum, batch.x, batch.y]);
    disposeModel(model);
  });

  it("non-private manual-backprop gradient equals autodiff's gradient of the mean loss", () => {
    const model = toTensors(createModel({ kind, inputSize: 5, hidden, seed: 4 }));
    const batch = makeBatch(50, 12);
    const manual = meanGradient(model, batch);
    const auto = autodiffMeanGradient(model, batch);
    expect(relativeError(flat(manual), flat(auto))).toBeLessThan(1e-5);
    tf.dispose([manual, auto, batch.x, batch.y]);
    disposeModel(model);
  });

  it("leaks no tensors across steps (DP, non-private, empty batch)", () => {
    const start = tf.memory().numTensors;
    const model = toVariables(createModel({ kind, inputSize: 5, hidden, seed: 5 }));
    const sgd = createSgd(model, { learningRate: 0.1, momentum: 0.9 });
    const batch = makeBatch(32, 13);
    const empty: Batch = { x: tf.zeros([0, 5]), y: tf.zeros([0]) };
    const rng = createRng(1);
    const options = { clipNorm: 1, noiseMultiplier: 1.1, expectedBatchSize: 32, rng };
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      dpSgdStep(sgd, batch, options);
      expect(tf.memory().numTensors).toBe(before);
      dpSgdStep(sgd, empty, options);
      expect(tf.memory().numTensors).toBe(before);
      nonPrivateStep(sgd, batch);
      expect(tf.memory().numTensors).toBe(before);
      nonPrivateStep(sgd, empty);
      expect(tf.memory().numTensors).toBe(before);
    }
    disposeSgd(sgd);
    disposeModel(model);
    tf.dispose([batch.x, batch.y, empty.x, empty.y]);
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe("clipping and noise", () => {
  it("bounds every example's contribution by C when there is no noise", () => {
    const model = toTensors(createModel({ kind: "mlp", inputSize: 5, seed: 6 }));
    const batch = makeBatch(40, 14);
    const clipNorm = 0.3;
    const all = clippedGradientSum(model, batch, clipNorm);
    expect(all.clippedFraction).toBeGreaterThan(0);
    for (let i = 0; i < 40; i++) {
      const one: Batch = { x: tf.slice(batch.x, [i, 0], [1, -1]), y: tf.slice(batch.y, [i], [1]) };
      const { clippedSum } = clippedGradientSum(model, one, clipNorm);
      const norm = Math.hypot(...flat(clippedSum));
      expect(norm).toBeLessThanOrEqual(clipNorm * (1 + 1e-5));
      expect(norm).toBeCloseTo(Math.min(clipNorm, all.norms[i]), 5);
      tf.dispose([clippedSum, one.x, one.y]);
    }
    tf.dispose([all.clippedSum, batch.x, batch.y]);
    disposeModel(model);
  });

  it("with σ = 0 the DP step is exactly SGD on the clipped sum divided by qN", () => {
    const data = createModel({ kind: "logistic", inputSize: 5, seed: 8 });
    const model = toVariables(data);
    const sgd = createSgd(model, { learningRate: 0.5 });
    const batch = makeBatch(30, 15);
    const expected = clippedGradientSum(model, batch, 0.2);
    const before = flat(flatParameters(model));
    dpSgdStep(sgd, batch, { clipNorm: 0.2, noiseMultiplier: 0, expectedBatchSize: 25, rng: createRng(1) });
    const after = flat(flatParameters(model));
    const want = flat(expected.clippedSum).map((g, i) => before[i] - (0.5 * g) / 25);
    expect(relativeError(after, want)).toBeLessThan(1e-6);
    tf.dispose([expected.clippedSum, batch.x, batch.y]);
    disposeSgd(sgd);
    disposeModel(model);
  });

  it("adds N(0, (σC)²) noise per coordinate, seeded", () => {
    const sigma = 1.3;
    const clipNorm = 0.7;
    const zeros = [tf.zeros([200, 100]), tf.zeros([100])];
    const options = { noiseMultiplier: sigma, clipNorm, expectedBatchSize: 1 };
    const noisy = privatizeGradientSum(zeros, { ...options, rng: createRng(42) });
    const values = flat(noisy);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    // 20 100 draws: the sample std is within ~1% of σC with overwhelming probability.
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(std / (sigma * clipNorm)).toBeGreaterThan(0.97);
    expect(std / (sigma * clipNorm)).toBeLessThan(1.03);
    const again = privatizeGradientSum(zeros, { ...options, rng: createRng(42) });
    expect(flat(again)).toEqual(values);
    const other = privatizeGradientSum(zeros, { ...options, rng: createRng(43) });
    expect(flat(other)).not.toEqual(values);
    // Divided by the expected batch size.
    const halved = privatizeGradientSum(zeros, { ...options, expectedBatchSize: 2, rng: createRng(42) });
    expect(relativeError(flat(halved).map((v) => 2 * v), values)).toBeLessThan(1e-7);
    tf.dispose([zeros, noisy, again, other, halved]);
  });

  it("the DP step's update carries noise of std σC/(qN) (empty batch, lr 1, no momentum)", () => {
    const model = toVariables(createModel({ kind: "logistic", inputSize: 4999, seed: 10 }));
    const sgd = createSgd(model, { learningRate: 1 });
    const before = flat(flatParameters(model));
    const empty: Batch = { x: tf.zeros([0, 4999]), y: tf.zeros([0]) };
    const options = { clipNorm: 0.8, noiseMultiplier: 1.5, expectedBatchSize: 40, rng: createRng(4) };
    dpSgdStep(sgd, empty, options);
    const delta = flat(flatParameters(model)).map((v, i) => v - before[i]);
    const std = Math.sqrt(delta.reduce((s, v) => s + v * v, 0) / delta.length);
    expect(std / ((1.5 * 0.8) / 40)).toBeGreaterThan(0.95); // 5000 draws: ±2% is 3 sd
    expect(std / ((1.5 * 0.8) / 40)).toBeLessThan(1.05);
    tf.dispose([empty.x, empty.y]);
    disposeSgd(sgd);
    disposeModel(model);
  });

  it("still adds noise on an empty batch", () => {
    const model = toVariables(createModel({ kind: "logistic", inputSize: 5, seed: 9 }));
    const sgd = createSgd(model, { learningRate: 0.1 });
    const before = flat(flatParameters(model));
    const empty: Batch = { x: tf.zeros([0, 5]), y: tf.zeros([0]) };
    const stats = dpSgdStep(sgd, empty, { clipNorm: 1, noiseMultiplier: 1, expectedBatchSize: 10, rng: createRng(2) });
    const after = flat(flatParameters(model));
    expect(stats.batchSize).toBe(0);
    expect(after.every(Number.isFinite)).toBe(true);
    expect(after).not.toEqual(before);
    tf.dispose([empty.x, empty.y]);
    disposeSgd(sgd);
    disposeModel(model);
  });
});

describe("Poisson sampling", () => {
  it("draws qN examples per batch on average", () => {
    const rng = createRng(3);
    const n = 500;
    const q = 0.05;
    let total = 0;
    let empty = 0;
    const steps = 2000;
    for (let s = 0; s < steps; s++) {
      const idx = poissonSample(n, q, rng);
      total += idx.length;
      if (idx.length === 0) empty++;
      for (let k = 1; k < idx.length; k++) expect(idx[k]).toBeGreaterThan(idx[k - 1]);
    }
    expect(Math.abs(total / steps - q * n)).toBeLessThan(0.5); // sd of the mean ≈ 0.11
    expect(empty).toBe(0);
    // Small q: empty batches happen (P = 0.99^50 ≈ 0.6).
    const tiny = Array.from({ length: 50 }, () => poissonSample(50, 0.01, rng).length);
    expect(tiny).toContain(0);
  });

  it("is deterministic given the seed", () => {
    const a = Array.from({ length: 5 }, ((rng) => () => Array.from(poissonSample(100, 0.1, rng)))(createRng(9)));
    const b = Array.from({ length: 5 }, ((rng) => () => Array.from(poissonSample(100, 0.1, rng)))(createRng(9)));
    const c = Array.from({ length: 5 }, ((rng) => () => Array.from(poissonSample(100, 0.1, rng)))(createRng(10)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("an epoch is round(1/q) = N / batchSize steps", () => {
    expect(stepsPerEpoch(32 / 800)).toBe(25);
    expect(stepsPerEpoch(256 / 800)).toBe(3);
    expect(stepsPerEpoch(1)).toBe(1);
    expect(() => poissonSample(10, 0, createRng(1))).toThrow(/sampleRate/);
    expect(() => poissonSample(10, 1.5, createRng(1))).toThrow(/sampleRate/);
  });
});
