import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { tf, useBackend } from "../src/runtime/tensorflow";
import { createRng } from "../src/random/rng";
import { evaluateModel, parameterCount } from "../src/models";
import { observeEpoch, trainPrivately, type EpochTrace, type TrainOptions } from "../src/pipeline/train";
import { InputError } from "../src/validation/errors";
import { computeEpsilon, PldAccountant, sampledGaussianEvent } from "../src/privacy/accountant";

beforeAll(async () => {
  await useBackend();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** 1000 rows of 5 standard-normal features; labels drawn from a logistic ground truth. */
function synthetic(seed: number) {
  const rng = createRng(seed);
  const rows = Array.from({ length: 1000 }, () => {
    const x = Array.from({ length: 5 }, () => rng.normal());
    const logit = 2.5 * x[0] - 1.5 * x[1] + 1.0 * x[2] + 0.5 * x[3] + 0.3;
    return { x, y: rng.uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0 };
  });
  const part = (from: number, to: number) => ({
    x: rows.slice(from, to).map((r) => r.x),
    y: rows.slice(from, to).map((r) => r.y),
  });
  return { train: part(0, 800), test: part(800, 1000) };
}

const data = synthetic(1);
const small = { x: data.train.x.slice(0, 200), y: data.train.y.slice(0, 200) };
const quick: TrainOptions = { epochs: 2, seed: 3 };

describe("trainPrivately", () => {
  it("is deterministic: same seed, identical trace and model", async () => {
    const a = await trainPrivately(small, quick);
    const b = await trainPrivately(small, quick);
    expect(b.trace).toEqual(a.trace);
    expect(b.output.model).toEqual(a.output.model);
    const c = await trainPrivately(small, { ...quick, seed: 4 });
    expect(c.output.model).not.toEqual(a.output.model);
  });

  it("trains with a given noise multiplier and reports the ε the accountant gives it", async () => {
    const { trace } = await trainPrivately(small, { ...quick, noiseMultiplier: 1.5 });
    expect(trace.private).toBe(true);
    expect(trace.noiseMultiplier).toBe(1.5);
    const expected = computeEpsilon({ sampleRate: trace.sampleRate, noiseMultiplier: 1.5, steps: trace.steps, delta: trace.delta }).epsilon;
    expect(trace.epsilonSpent).toBeCloseTo(expected, 10);
    expect(trace.epsilonTarget).toBeCloseTo(expected, 10);
    await expect(trainPrivately(small, { ...quick, noiseMultiplier: 1.5, epsilon: 1 })).rejects.toMatchObject({ field: "noiseMultiplier" });
    await expect(trainPrivately(small, { ...quick, noiseMultiplier: 0 })).rejects.toMatchObject({ field: "noiseMultiplier" });
  });

  it("spends at most the target ε, growing epoch by epoch", async () => {
    const { trace } = await trainPrivately(data.train, { epsilon: 1, delta: 1e-5, epochs: 4 });
    expect(trace.private).toBe(true);
    expect(trace.epsilonTarget).toBe(1);
    expect(trace.epsilonSpent).toBeLessThanOrEqual(1);
    expect(trace.epsilonSpent).toBeGreaterThan(0.9); // calibrated: close to the target, not far below
    const eps = trace.epochs.map((e) => e.epsilonSpent);
    for (let k = 1; k < eps.length; k++) expect(eps[k]).toBeGreaterThan(eps[k - 1]);
    expect(eps[eps.length - 1]).toBe(trace.epsilonSpent);
    expect(trace.noiseMultiplier).toBeGreaterThan(0);
    expect(trace.steps).toBe(4 * Math.round(800 / trace.batchSize));
    expect(trace.sampleRate).toBe(trace.batchSize / 800);
    expect(trace.accountant).toBe("RDP (Mironov et al. 2019), Poisson-subsampled Gaussian");
    expect(trace.rdpOrder).toBeGreaterThan(1);
  });

  it("accounts with PLD when asked: less noise for the same target, and the trace names the accountant and its grid", async () => {
    const options: TrainOptions = { epsilon: 1, delta: 1e-5, epochs: 4 };
    const byRdp = (await trainPrivately(data.train, options)).trace;
    const { trace } = await trainPrivately(data.train, { ...options, accountant: "pld" });
    expect(trace.noiseMultiplier).toBeLessThan(byRdp.noiseMultiplier);
    expect(trace.epsilonSpent).toBeLessThanOrEqual(1);
    expect(trace.epsilonSpent).toBeGreaterThan(0.9);
    expect(trace.rdpOrder).toBeNull();
    expect(trace.accountant).toMatch(/^PLD .*h = 0\.001.*Poisson-subsampled Gaussian$/);
    expect(trace.accountantDetails).toMatchObject({ kind: "pld", neighbouring: "add-remove", unit: "example" });
    expect(byRdp.accountantDetails).toMatchObject({ kind: "rdp" });
    expect(trace.notes.join(" ")).toMatch(/from the PLD accountant/);
    // The reported ε is the PLD accountant's for the steps taken.
    const check = new PldAccountant();
    check.compose(sampledGaussianEvent({ sampleRate: trace.sampleRate, noiseMultiplier: trace.noiseMultiplier }), trace.steps);
    expect(trace.epsilonSpent).toBeCloseTo(check.getEpsilon(1e-5).epsilon, 10);
    await expect(trainPrivately(small, { ...quick, accountant: "prv" as never })).rejects.toMatchObject({ field: "accountant" });
  });

  it("reports every field of the epoch trace and calls onEpoch / onStep", async () => {
    const epochs: EpochTrace[] = [];
    let steps = 0;
    const { trace } = await trainPrivately(data.train, {
      epochs: 3,
      onEpoch: (e) => epochs.push(e),
      onStep: () => steps++,
    });
    expect(epochs).toEqual(trace.epochs);
    expect(steps).toBe(trace.steps);
    for (const e of trace.epochs) {
      expect(e.loss).toBeGreaterThan(0);
      expect(e.trainAccuracy).toBeGreaterThan(0.5);
      expect(e.meanGradNorm).toBeGreaterThan(0);
      expect(e.clippedFraction).toBeGreaterThanOrEqual(0);
      expect(e.clippedFraction).toBeLessThanOrEqual(1);
      expect(e.meanBatchSize).toBeGreaterThan(0.7 * trace.batchSize);
      expect(e.meanBatchSize).toBeLessThan(1.3 * trace.batchSize);
      expect(e.observation.length).toBeGreaterThan(10);
      expect(e.noiseMultiplier).toBe(trace.noiseMultiplier);
    }
    expect(trace.notes.join(" ")).toMatch(/non-cryptographic/);
    expect(trace.notes.join(" ")).toMatch(/float32/);
    expect(trace.notes.join(" ")).toMatch(/not tuned privately/);
    expect(JSON.parse(JSON.stringify(trace)).stage).toBe("trainPrivately");
  });

  it("leaks no tensors, per step or per run", async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await trainPrivately(small, { ...quick, model: "mlp", onStep: () => counts.push(tf.memory().numTensors) });
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    await trainPrivately(small, { ...quick, epsilon: Infinity });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("trains without privacy when ε = ∞", async () => {
    const { trace } = await trainPrivately(small, { ...quick, epsilon: Infinity });
    expect(trace.private).toBe(false);
    expect(trace.epsilonSpent).toBe(Infinity);
    expect(trace.epochs.every((e) => e.epsilonSpent === Infinity)).toBe(true);
    expect(trace.noiseMultiplier).toBe(0);
    expect(trace.clipNorm).toBeNull();
    expect(trace.notes.join(" ")).toMatch(/ε = ∞/);
  });

  it("gets close to the non-private accuracy on a synthetic problem (ε = 1)", async () => {
    const accuracy = async (options: TrainOptions) => {
      const { output } = await trainPrivately(data.train, options);
      return evaluateModel(output.model, data.test.x, data.test.y).accuracy;
    };
    for (const model of ["logistic", "mlp"] as const) {
      const dp = await accuracy({ model, epsilon: 1 });
      const baseline = await accuracy({ model, epsilon: Infinity });
      expect(baseline).toBeGreaterThan(0.8);
      expect(dp).toBeGreaterThan(0.8);
      expect(baseline - dp).toBeLessThan(0.05);
    }
  });

  it("builds the requested model", async () => {
    const { output, trace } = await trainPrivately(small, { ...quick, model: "mlp", hidden: [8, 4] });
    expect(output.model.kind).toBe("mlp");
    expect(output.model.layers.map((l) => l.bias.length)).toEqual([8, 4, 1]);
    expect(trace.parameterCount).toBe(parameterCount(output.model));
    expect(trace.hidden).toEqual([8, 4]);
  });

  it("warns when δ ≥ 1/N", async () => {
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const { trace } = await trainPrivately(small, { ...quick, delta: 0.01 });
    expect(trace.warnings).toHaveLength(1);
    expect(trace.warnings[0]).toMatch(/1\/N/);
    expect(emit).toHaveBeenCalledTimes(1);
  });

  const bad: [string, Partial<TrainOptions>, RegExp?][] = [
    ["epsilon", { epsilon: 0 }],
    ["epsilon", { epsilon: -1 }],
    ["epsilon", { epsilon: Number.NaN }],
    ["delta", { delta: 0 }],
    ["delta", { delta: 1 }],
    ["epochs", { epochs: 0 }],
    ["epochs", { epochs: 2.5 }],
    ["batchSize", { batchSize: 0 }],
    ["batchSize", { batchSize: 201 }, /larger than the data/],
    ["batchSize", { batchSize: 3.5 }],
    ["clipNorm", { clipNorm: 0 }],
    ["learningRate", { learningRate: 0 }],
    ["learningRate", { learningRate: -0.1 }],
    ["momentum", { momentum: 1 }],
    ["model", { model: "tree" as never }],
    ["hidden[0]", { model: "mlp", hidden: [0] }],
  ];
  it.each(bad)("rejects a bad %s (%j)", async (field, options, message) => {
    const error = await trainPrivately(small, { ...quick, ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe(field);
    if (message) expect((error as InputError).message).toMatch(message);
  });

  it("rejects malformed data, naming the row and column", async () => {
    const field = async (x: number[][], y: number[]) =>
      ((await trainPrivately({ x, y }, quick).catch((e: unknown) => e)) as InputError).field;
    const x = small.x.map((r) => [...r]);
    expect(await field([], [])).toBe("x");
    expect(await field(x, small.y.slice(1))).toBe("y");
    const ragged = x.map((r, i) => (i === 3 ? r.slice(1) : r));
    expect(await field(ragged, small.y)).toBe("x[3]");
    const nan = x.map((r, i) => (i === 5 ? r.map((v, j) => (j === 2 ? Number.NaN : v)) : r));
    expect(await field(nan, small.y)).toBe("x[5][2]");
    expect(await field(x, small.y.map((v, i) => (i === 4 ? 2 : v)))).toBe("y[4]");
    expect(await field(x, small.y.map((v, i) => (i === 6 ? Number.NaN : v)))).toBe("y[6]");
  });
});

describe("observeEpoch", () => {
  const epoch = (loss: number, trainAccuracy: number): EpochTrace => ({
    epoch: 2,
    loss,
    trainAccuracy,
    epsilonSpent: 0.5,
    noiseMultiplier: 1,
    meanGradNorm: 1,
    clippedFraction: 0.1,
    meanBatchSize: 64,
    observation: "",
  });
  it("reads the change against the previous epoch", () => {
    expect(observeEpoch(epoch(0.4, 0.85), epoch(0.5, 0.8), true)).toMatch(/^Loss decreases, accuracy improves/);
    expect(observeEpoch(epoch(0.4, 0.8), epoch(0.4, 0.8), true)).toMatch(/^Training converges/);
    expect(observeEpoch(epoch(0.45, 0.75), epoch(0.4, 0.8), true)).toMatch(/privacy noise outweighed/);
    expect(observeEpoch(epoch(0.4, 0.8), undefined, true)).toMatch(/^First pass/);
  });
});
