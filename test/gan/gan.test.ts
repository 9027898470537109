import { beforeAll, describe, expect, it } from "vitest";
import { tf, useBackend } from "../../src/runtime/tensorflow";
import { createRng } from "../../src/random/rng";
import { loadCustomerDataset } from "../../src/data/datasets";
import { customerTable } from "../../src/anonymity/customers";
import { dropColumns, selectRows, type Table } from "../../src/anonymity/table";
import { encodeTable, fitEncoding, ONE_HOT_SCALE, type TabularEncoding } from "../../src/synthetic/encoding";
import { nearestRecords } from "../../src/synthetic/distance";
import { computeEpsilon, calibrateNoise, PldAccountant, sampledGaussianEvent } from "../../src/privacy/accountant";
import { clippedGradientSum } from "../../src/privacy/dpsgd";
import { toTensors, disposeModel, flatParameters } from "../../src/models";
import { InputError } from "../../src/validation/errors";
import { expectInputError, expectInputErrorAsync } from "../helpers/expectInputError";
import { createGenerator, generateRows, generatorParameterCount, outputBlocks } from "../../src/gan/generator";
import { createDiscriminator, discriminatorGradients } from "../../src/gan/discriminator";
import { nearCopyPenalty } from "../../src/gan/penalty";
import { trainGan, GAN_ACCOUNTANT, type GanOptions } from "../../src/gan/trainGan";
import { discriminate, sampleSynthetic } from "../../src/gan/sample";

let table: Table;
let encoding: TabularEncoding;

beforeAll(async () => {
  await useBackend();
  const { customers, split } = loadCustomerDataset();
  table = selectRows(dropColumns(customerTable(customers), ["name", "email"]), split.train);
  encoding = fitEncoding(table, { categorical: ["buysNextMonth"] });
});

/** 1000 rows: kind ∈ {a, b, c} with probabilities 0.7 / 0.2 / 0.1, value ~ N(3, 0.5²). */
function knownTable(rows: number, seed: number): Table {
  const rng = createRng(seed);
  const kind: string[] = [];
  const value: number[] = [];
  for (let i = 0; i < rows; i++) {
    const u = rng.uniform();
    kind.push(u < 0.7 ? "a" : u < 0.9 ? "b" : "c");
    value.push(3 + 0.5 * rng.normal());
  }
  return { columns: ["kind", "value"], data: { kind, value } };
}

const quick: GanOptions = { steps: 20, logEvery: 5, seed: 3 };

describe("generator", () => {
  it("has one output block per column: linear numeric runs, a softmax per categorical column", () => {
    const blocks = outputBlocks(encoding);
    expect(blocks.map((b) => [b.activation, b.size])).toEqual([
      ["linear", 1], // age
      ["softmax", encoding.columns[1].kind === "categorical" ? encoding.columns[1].categories.length : -1],
      ["linear", 3], // purchaseFrequency, averageSpend, recencyDays merged
      ["softmax", 5],
      ["softmax", 2],
    ]);
    const g = createGenerator(encoding, { seed: 1 });
    expect(g.layers.map((l) => [l.weights.length, l.bias.length])).toEqual([
      [16, 64],
      [64, 64],
      [64, encoding.width],
    ]);
    expect(generatorParameterCount(g)).toBe(16 * 64 + 64 + 64 * 64 + 64 + 64 * encoding.width + encoding.width);
  });

  it("puts each categorical block on the simplex scaled by ONE_HOT_SCALE (softmax and gumbel-softmax)", () => {
    for (const categoricalOutput of ["softmax", "gumbel-softmax"] as const) {
      const g = createGenerator(encoding, { seed: 2, categoricalOutput });
      const rows = generateRows(g, 50, 1);
      for (const row of rows) {
        for (const c of encoding.columns) {
          if (c.kind !== "categorical") continue;
          let sum = 0;
          for (let k = 0; k < c.categories.length; k++) {
            expect(row[c.offset + k]).toBeGreaterThanOrEqual(0);
            sum += row[c.offset + k];
          }
          expect(sum).toBeCloseTo(ONE_HOT_SCALE, 4);
        }
      }
    }
  });

  it("samples a table with the encoding's schema: same columns, known categories, finite numbers, integers where the real column is", async () => {
    for (const categoricalOutput of ["softmax", "gumbel-softmax"] as const) {
      const generator = (await trainGan(table, encoding, { ...quick, categoricalOutput })).output.generator;
      const { output: sample, trace } = sampleSynthetic(generator, encoding, 300, 11);
      expect(sample.columns).toEqual(encoding.columns.map((c) => c.name));
      for (const column of encoding.columns) {
        const values = Array.from(sample.data[column.name]);
        expect(values).toHaveLength(300);
        if (column.kind === "categorical") {
          for (const v of values) expect(column.categories).toContain(v);
          const shares = Object.values(trace.categoryShares[column.name]);
          expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        } else {
          for (const v of values) {
            expect(typeof v).toBe("number");
            expect(Number.isFinite(v)).toBe(true);
            if (column.integer) expect(Number.isInteger(v)).toBe(true);
          }
        }
      }
      // The real table can be encoded back with the same encoding (the sample is in its space).
      expect(() => encodeTable(sample, encoding)).not.toThrow();
    }
    expect(encoding.columns.some((c) => c.kind === "numeric" && c.integer)).toBe(true);
  });
});

describe("trainGan", () => {
  it("is deterministic: same seed → identical generator and samples; another seed → different ones", async () => {
    const options: GanOptions = { ...quick, targetEpsilon: 3 };
    const a = await trainGan(table, encoding, options);
    const b = await trainGan(table, encoding, options);
    expect(b.output.generator).toEqual(a.output.generator);
    expect(b.output.discriminator).toEqual(a.output.discriminator);
    const sa = sampleSynthetic(a.output.generator, encoding, 200, 5).output;
    const sb = sampleSynthetic(b.output.generator, encoding, 200, 5).output;
    expect(sb).toEqual(sa);
    expect(sampleSynthetic(a.output.generator, encoding, 200, 6).output).not.toEqual(sa);
    const c = await trainGan(table, encoding, { ...options, seed: 4 });
    expect(c.output.generator.layers).not.toEqual(a.output.generator.layers);
  });

  it("calibrates σ for all discriminator steps and reports ε from the accountant (= computeEpsilon, ≤ target)", async () => {
    const targetEpsilon = 2;
    const delta = 1e-5;
    const { trace } = await trainGan(table, encoding, { ...quick, targetEpsilon, delta, steps: 15, dSteps: 2, batchSize: 64 });
    const p = trace.privacy;
    const sampleRate = 64 / 800;
    expect(p.private).toBe(true);
    expect(p.sampleRate).toBeCloseTo(sampleRate, 12);
    expect(p.discriminatorSteps).toBe(30);
    expect(p.noiseSource).toBe("calibrated");
    const calibrated = calibrateNoise({ targetEpsilon, delta, sampleRate, steps: 30 });
    expect(p.noiseMultiplier).toBe(calibrated.noiseMultiplier);
    const expected = computeEpsilon({ sampleRate, noiseMultiplier: p.noiseMultiplier, steps: 30, delta });
    expect(p.epsilonSpent).toBeCloseTo(expected.epsilon, 10);
    expect(p.rdpOrder).toBe(expected.order);
    expect(p.epsilonSpent).toBeLessThanOrEqual(targetEpsilon);
    expect(p.epsilonTarget).toBe(targetEpsilon);
    expect(p.delta).toBe(delta);
    expect(p.clipNorm).toBe(1);
    expect(p.accountant).toBe(GAN_ACCOUNTANT);
    expect(p.coversGenerator).toBe(true);
    // ε so far grows along the log and ends at the reported ε.
    const spent = trace.log.map((r) => r.epsilonSpent);
    for (let i = 1; i < spent.length; i++) expect(spent[i]).toBeGreaterThan(spent[i - 1]);
    expect(spent[spent.length - 1]).toBeCloseTo(p.epsilonSpent, 12);
    expect(trace.log.map((r) => r.step)).toEqual([1, 5, 10, 15]);
    expect(trace.log[trace.log.length - 1].discriminatorSteps).toBe(30);
    const notes = p.notes.join("\n");
    expect(notes).toMatch(/never reads a real row/);
    expect(notes).toMatch(/post-processing/);
    expect(notes).toMatch(/Xie et al\. 2018/);
    expect(notes).toMatch(/Jordon et al\. 2019/);
    expect(notes).toMatch(/NOT covered by ε: the encoding's statistics/);
    expect(notes).toMatch(/non-cryptographic/);
    expect(trace.parameterCounts.discriminator).toBe(encoding.width * 64 + 64 + 64 + 1);
    expect(trace.shapes).toMatchObject({ rows: 800, width: encoding.width, noiseDim: 16, fakeBatchSize: 64 });
    expect(trace.durations.trainingMs).toBeGreaterThan(0);
  });

  it("accounts with PLD when asked: less noise for the same target, ε from the PLD accountant, named in the trace", async () => {
    const run = { ...quick, targetEpsilon: 2, delta: 1e-5, steps: 15, dSteps: 2, batchSize: 64 };
    const byRdp = (await trainGan(table, encoding, run)).trace.privacy;
    const p = (await trainGan(table, encoding, { ...run, accountant: "pld" })).trace.privacy;
    expect(p.noiseMultiplier).toBeLessThan(byRdp.noiseMultiplier);
    expect(p.epsilonSpent).toBeLessThanOrEqual(2);
    const check = new PldAccountant();
    check.compose(sampledGaussianEvent({ sampleRate: 64 / 800, noiseMultiplier: p.noiseMultiplier }), 30);
    expect(p.epsilonSpent).toBeCloseTo(check.getEpsilon(1e-5).epsilon, 10);
    expect(p.discriminatorSteps).toBe(30);
    expect(p.rdpOrder).toBeNull();
    expect(p.accountant).toMatch(/^PLD .*one event per discriminator step$/);
    expect(p.accountantDetails).toMatchObject({ kind: "pld" });
    expect(p.calibration?.accountant.kind).toBe("pld");
    expect(p.notes.join("\n")).toMatch(/from the PLD accountant/);
  });

  it("with an explicit noise multiplier reports the accountant's ε for it", async () => {
    const { trace } = await trainGan(table, encoding, { ...quick, noiseMultiplier: 1.3, steps: 10, delta: 1e-6 });
    const p = trace.privacy;
    expect(p.noiseSource).toBe("given");
    expect(p.noiseMultiplier).toBe(1.3);
    expect(p.epsilonTarget).toBeNull();
    expect(p.epsilonSpent).toBeCloseTo(computeEpsilon({ sampleRate: 128 / 800, noiseMultiplier: 1.3, steps: 10, delta: 1e-6 }).epsilon, 10);
  });

  it("without privacy reports ε = ∞ and neither clips nor noises", async () => {
    const { trace } = await trainGan(table, encoding, { ...quick, targetEpsilon: Infinity });
    const p = trace.privacy;
    expect(p.private).toBe(false);
    expect(p.epsilonSpent).toBe(Infinity);
    expect(p.epsilonTarget).toBe(Infinity);
    expect(p.noiseMultiplier).toBe(0);
    expect(p.noiseSource).toBe("none");
    expect(p.clipNorm).toBeNull();
    expect(p.coversGenerator).toBe(false);
    expect(p.notes.join(" ")).toMatch(/non-private baseline/);
    for (const r of trace.log) {
      expect(r.epsilonSpent).toBe(Infinity);
      expect(r.clippedFraction).toBeNull();
      expect(r.meanGradNorm).toBeNull();
    }
  });

  it("clips the real rows' gradients per example: norms reported, most clipped under a tiny clip norm", async () => {
    const { trace } = await trainGan(table, encoding, { ...quick, clipNorm: 1e-3, targetEpsilon: 5 });
    for (const r of trace.log) {
      expect(r.clippedFraction).toBeGreaterThan(0.9);
      expect(r.meanGradNorm).toBeGreaterThan(1e-3);
      expect(r.meanRealBatchSize).toBeGreaterThan(0);
    }
    const loose = await trainGan(table, encoding, { ...quick, clipNorm: 1e6, targetEpsilon: 5 });
    for (const r of loose.trace.log) expect(r.clippedFraction).toBe(0);
  });

  it("records per-step diagnostics in range", async () => {
    const { trace } = await trainGan(table, encoding, { ...quick, logEvery: 1, steps: 6 });
    expect(trace.log).toHaveLength(6);
    for (const r of trace.log) {
      for (const v of [r.dLossReal, r.dLossFake, r.gLoss]) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
      for (const v of [r.dAccuracyReal, r.dAccuracyFake]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(r.penalty).toBeNull();
    }
  });

  it("accepts rows already encoded with the encoding (same result as the table)", async () => {
    const fromTable = await trainGan(table, encoding, { ...quick, steps: 5 });
    const fromRows = await trainGan(encodeTable(table, encoding), encoding, { ...quick, steps: 5 });
    expect(fromRows.output.generator).toEqual(fromTable.output.generator);
  });

  it("moves a simple known distribution clearly closer to the truth (non-private)", async () => {
    const known = knownTable(1000, 1);
    const enc = fitEncoding(known);
    const truth = { a: 0.7, b: 0.2, c: 0.1 };
    const distance = (sample: Table) => {
      const kinds = Array.from(sample.data.kind);
      const share = (k: string) => kinds.filter((v) => v === k).length / kinds.length;
      const tv = (Math.abs(share("a") - truth.a) + Math.abs(share("b") - truth.b) + Math.abs(share("c") - truth.c)) / 2;
      const values = Array.from(sample.data.value) as number[];
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      return { tv, meanError: Math.abs(mean - 3) };
    };
    for (const categoricalOutput of ["softmax", "gumbel-softmax"] as const) {
      const options: GanOptions = { targetEpsilon: Infinity, steps: 500, seed: 9, logEvery: 100, categoricalOutput };
      const initial = createGenerator(enc, { seed: 9, categoricalOutput });
      const { output } = await trainGan(known, enc, options);
      const before = distance(sampleSynthetic(initial, enc, 2000, 1).output);
      const after = distance(sampleSynthetic(output.generator, enc, 2000, 1).output);
      expect(before.tv).toBeGreaterThan(0.3);
      expect(before.meanError).toBeGreaterThan(0.25);
      expect(after.tv).toBeLessThan(before.tv / 2);
      expect(after.tv).toBeLessThan(0.15);
      expect(after.meanError).toBeLessThan(before.meanError / 3);
      expect(after.meanError).toBeLessThan(0.1);
    }
  });

  it("does not leak tensors: constant across steps, back to the start after training and sampling", async () => {
    const start = tf.memory().numTensors;
    const counts: number[] = [];
    const penalty = nearCopyPenalty(encodeTable(table, encoding).slice(0, 50), 0.5, { weight: 1 });
    for (const discriminatorOptimizer of ["sgd", "adam"] as const) {
      counts.length = 0;
      const result = await trainGan(table, encoding, {
        ...quick,
        discriminatorOptimizer,
        categoricalOutput: "gumbel-softmax",
        generatorPenalty: penalty,
        logEvery: 2,
        onLog: () => counts.push(tf.memory().numTensors),
      });
      expect(counts.length).toBeGreaterThan(5);
      expect(new Set(counts).size).toBe(1);
      expect(tf.memory().numTensors).toBe(start);
      sampleSynthetic(result.output.generator, encoding, 100, 1);
      discriminate(result.output.discriminator, table, encoding);
      expect(tf.memory().numTensors).toBe(start);
    }
  });
});

describe("discriminator gradient", () => {
  it("is Σ clip_C(∇ℓ_i)/qN on the real rows plus the fake rows' mean gradient (σ = 0 to compare)", () => {
    const d = createDiscriminator(encoding.width, { seed: 1 });
    const model = toTensors(d);
    const rows = encodeTable(selectRows(table, [0, 1, 2, 3, 4, 5, 6, 7]), encoding);
    const real = tf.tensor2d(rows.map((r) => Array.from(r)));
    const noFake = tf.zeros([0, encoding.width]) as tf.Tensor2D;
    const labels = tf.ones([8]) as tf.Tensor1D;
    try {
      const clipNorm = 0.05;
      const expectedBatchSize = 10;
      const got = discriminatorGradients(model, real, noFake, { clipNorm, noiseMultiplier: 0, expectedBatchSize, rng: createRng(1) });
      const reference = clippedGradientSum(model, { x: real, y: labels }, clipNorm);
      expect(got.norms).toEqual(reference.norms);
      expect(got.clippedFraction).toBe(reference.clippedFraction);
      expect(got.clippedFraction).toBeGreaterThan(0);
      const flat = (ts: tf.Tensor[]) => ts.flatMap((t) => Array.from(t.dataSync()));
      const a = flat(got.grads);
      const b = flat(reference.clippedSum).map((v) => v / expectedBatchSize);
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
      // Each real row contributes at most C: ‖Σ‖ ≤ 8·C.
      const norm = Math.sqrt(a.reduce((s, v) => s + v * v, 0)) * expectedBatchSize;
      expect(norm).toBeLessThanOrEqual(8 * clipNorm + 1e-6);
      tf.dispose([...got.grads, ...reference.clippedSum]);
      // With noise the gradient differs, and the difference has the scale σC/qN.
      const noisy = discriminatorGradients(model, real, noFake, { clipNorm, noiseMultiplier: 2, expectedBatchSize, rng: createRng(1) });
      const c = flat(noisy.grads);
      const diff = c.map((v, i) => v - a[i]);
      const std = Math.sqrt(diff.reduce((s, v) => s + v * v, 0) / diff.length);
      expect(std).toBeGreaterThan(0.5 * (2 * clipNorm) / expectedBatchSize);
      expect(std).toBeLessThan(1.5 * (2 * clipNorm) / expectedBatchSize);
      tf.dispose(noisy.grads);
      expect(flatParameters(model)).toHaveLength(4);
    } finally {
      tf.dispose([real, noFake, labels]);
      disposeModel(model);
    }
  });
});

describe("nearCopyPenalty", () => {
  const reference = [
    [0, 0, 0],
    [1, 1, 1],
  ];
  const value = (rows: number[][], margin: number) => {
    const p = nearCopyPenalty(reference, margin);
    return tf.tidy(() => p.fn(tf.tensor2d(rows)).dataSync()[0]);
  };

  it("is 0 for rows farther than the margin and positive for near-copies, as mean relu(margin − nearest distance)", () => {
    expect(value([[5, 5, 5], [-3, 0, 0], [0.5, 0.5, 2]], 0.5)).toBe(0);
    // One exact copy (distance 0) and one row 0.1 away from [1, 1, 1], one far row.
    const v = value([[0, 0, 0], [1.1, 1, 1], [9, 9, 9]], 0.5);
    expect(v).toBeCloseTo((0.5 + 0.4 + 0) / 3, 3);
    expect(nearCopyPenalty(reference, 0.5).readsRealRows).toBe(true);
    const start = tf.memory().numTensors;
    value([[0, 0, 0]], 0.5);
    expect(tf.memory().numTensors).toBe(start);
  });

  it("has a gradient that pushes a near-copy away from its reference row", () => {
    const p = nearCopyPenalty(reference, 0.5);
    const grad = tf.tidy(() => tf.grad((x: tf.Tensor) => p.fn(x as tf.Tensor2D))(tf.tensor2d([[0.1, 0, 0]])).arraySync() as number[][]);
    expect(grad[0][0]).toBeLessThan(0); // descending the penalty increases x[0], away from [0, 0, 0]
    expect(Math.abs(grad[0][1])).toBeLessThan(1e-6);
  });

  it("training with it yields fewer fake rows within the margin of a reference row", async () => {
    const rng = createRng(3);
    const centres = Array.from({ length: 8 }, () => [2 * rng.normal(), 2 * rng.normal()]);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 240; i++) {
      x.push(centres[i % 8][0]);
      y.push(centres[i % 8][1]);
    }
    const points: Table = { columns: ["x", "y"], data: { x, y } };
    const enc = fitEncoding(points);
    const ref = encodeTable({ columns: ["x", "y"], data: { x: centres.map((c) => c[0]), y: centres.map((c) => c[1]) } }, enc);
    const margin = 0.5;
    const options: GanOptions = { targetEpsilon: Infinity, steps: 600, logEvery: 100, generatorHidden: [32, 32], discriminatorHidden: [32], seed: 7 };
    const within = (rows: Float32Array[]) => Array.from(nearestRecords(rows, ref).distances).filter((d) => d < margin).length;
    const plain = await trainGan(points, enc, options);
    const penalised = await trainGan(points, enc, { ...options, generatorPenalty: nearCopyPenalty(ref, margin, { weight: 50 }) });
    const without = within(generateRows(plain.output.generator, 1000, 5));
    const withPenalty = within(generateRows(penalised.output.generator, 1000, 5));
    expect(without).toBeGreaterThan(300);
    expect(withPenalty).toBeLessThan(0.6 * without);
    const log = penalised.trace.log;
    expect(log.every((r) => typeof r.penalty === "number" && r.penalty >= 0)).toBe(true);
    expect(penalised.trace.options.generatorPenalty).toEqual({ name: "near-copy (margin 0.5)", weight: 50, readsRealRows: true });
  });

  it("takes the generator out of ε when it reads real rows, and says so", async () => {
    const real = encodeTable(table, encoding).slice(0, 100);
    const { trace } = await trainGan(table, encoding, { ...quick, steps: 3, generatorPenalty: nearCopyPenalty(real, 0.3) });
    expect(trace.privacy.coversGenerator).toBe(false);
    expect(trace.privacy.notes.join("\n")).toMatch(/NOT COVERED: the generator penalty "near-copy \(margin 0\.3\)" reads real rows/);
    expect(trace.warnings.join("\n")).toMatch(/NOT covered by ε/);
    // ε itself still describes the discriminator.
    expect(trace.privacy.epsilonSpent).toBeLessThanOrEqual(1);
    const publicRows = await trainGan(table, encoding, {
      ...quick,
      steps: 3,
      generatorPenalty: nearCopyPenalty([new Float32Array(encoding.width)], 0.3, { readsRealRows: false }),
    });
    expect(publicRows.trace.privacy.coversGenerator).toBe(true);
    expect(publicRows.trace.privacy.notes.join("\n")).toMatch(/declared not to read real rows/);
  });
});

describe("discriminate", () => {
  it("gives one probability per row, in (0, 1)", async () => {
    const { output } = await trainGan(table, encoding, quick);
    const { output: scores, trace } = discriminate(output.discriminator, selectRows(table, [0, 1, 2, 3, 4]), encoding);
    expect(scores.probabilities).toHaveLength(5);
    for (const p of scores.probabilities) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
    expect(trace.rows).toBe(5);
    expect(trace.meanProbabilityReal).toBeCloseTo(scores.probabilities.reduce((a, b) => a + b, 0) / 5, 10);
  });
});

describe("bad input", () => {
  it("rejects bad privacy and training options with InputErrors naming the field", async () => {
    const run = (options: GanOptions) => () => trainGan(table, encoding, { ...quick, ...options });
    await expectInputErrorAsync(run({ targetEpsilon: 0 }), "targetEpsilon", /> 0/);
    await expectInputErrorAsync(run({ targetEpsilon: -1 }), "targetEpsilon");
    await expectInputErrorAsync(run({ targetEpsilon: NaN }), "targetEpsilon");
    await expectInputErrorAsync(run({ delta: 0 }), "delta", /\(0, 1\)/);
    await expectInputErrorAsync(run({ delta: 1 }), "delta");
    await expectInputErrorAsync(run({ clipNorm: 0 }), "clipNorm", /> 0/);
    await expectInputErrorAsync(run({ steps: 0 }), "steps", /integer/);
    await expectInputErrorAsync(run({ steps: 1.5 }), "steps");
    await expectInputErrorAsync(run({ dSteps: 0 }), "dSteps");
    await expectInputErrorAsync(run({ batchSize: 801 }), "batchSize", /800/);
    await expectInputErrorAsync(run({ noiseMultiplier: 0 }), "noiseMultiplier");
    await expectInputErrorAsync(run({ noiseMultiplier: 1, targetEpsilon: 1 }), "noiseMultiplier", /not both/);
    await expectInputErrorAsync(run({ categoricalOutput: "sparsemax" as never }), "categoricalOutput", /softmax/);
    await expectInputErrorAsync(run({ temperature: 0 }), "temperature");
    await expectInputErrorAsync(run({ generatorHidden: [] }), "generatorHidden");
    await expectInputErrorAsync(run({ discriminatorHidden: [0] }), "discriminatorHidden[0]");
    await expectInputErrorAsync(run({ discriminatorOptimizer: "rmsprop" as never }), "discriminatorOptimizer");
    await expectInputErrorAsync(run({ momentum: 1 }), "momentum");
    await expectInputErrorAsync(run({ logEvery: 0 }), "logEvery");
    await expectInputErrorAsync(
      run({ generatorPenalty: { weight: 1, fn: () => tf.scalar(0), name: "x" } as never }),
      "generatorPenalty.readsRealRows",
    );
    const start = tf.memory().numTensors;
    await expectInputErrorAsync(
      run({ generatorPenalty: { weight: 1, fn: (fake) => tf.sum(fake, 1) as never, readsRealRows: false, name: "rows" } }),
      "generatorPenalty.fn",
      /scalar/,
    );
    expect(tf.memory().numTensors).toBe(start);
    await expectInputErrorAsync(
      run({ generatorPenalty: nearCopyPenalty([[1, 2]], 0.5) }),
      "generatorPenalty",
      new RegExp(`${encoding.width} numbers`),
    );
  });

  it("rejects a table or rows that do not match the encoding", async () => {
    await expectInputErrorAsync(() => trainGan(dropColumns(table, ["age"]), encoding, quick), "encoding.columns");
    const unseen: Table = { ...table, data: { ...table.data, location: Array.from(table.data.location, (v, i) => (i === 3 ? "Atlantis" : v)) } };
    await expectInputErrorAsync(() => trainGan(unseen, encoding, quick), "location[3]");
    await expectInputErrorAsync(() => trainGan([new Float32Array(3), new Float32Array(3)], encoding, quick), "real[0]", /width/);
    const unscaled = encodeTable(table, encoding).map((row) => {
      const copy = Float32Array.from(row);
      for (const c of encoding.columns) {
        if (c.kind === "categorical") for (let k = 0; k < c.categories.length; k++) if (copy[c.offset + k] !== 0) copy[c.offset + k] = 1;
      }
      return copy;
    });
    await expectInputErrorAsync(() => trainGan(unscaled, encoding, quick), "real[0]", /one-hot/);
    await expectInputErrorAsync(() => trainGan(encodeTable(table, encoding).slice(0, 1), encoding, quick), "real", /at least 2/);
    await expectInputErrorAsync(() => trainGan(table, { ...encoding, width: encoding.width + 1 }, quick), "encoding.width");
  });

  it("rejects bad sampling and penalty arguments", async () => {
    const { output } = await trainGan(table, encoding, { ...quick, steps: 2 });
    expectInputError(() => sampleSynthetic(output.generator, encoding, 0, 1), "rows");
    expectInputError(() => sampleSynthetic(output.generator, encoding, 1.5, 1), "rows");
    const other = fitEncoding(dropColumns(table, ["spendBand"]), { categorical: ["buysNextMonth"] });
    expectInputError(() => sampleSynthetic(output.generator, other, 10, 1), "generator.");
    expectInputError(() => discriminate(output.discriminator, table, other), "discriminator");
    expectInputError(() => nearCopyPenalty([[0, 0]], 0), "margin", /> 0/);
    expectInputError(() => nearCopyPenalty([], 1), "reference");
    expectInputError(() => nearCopyPenalty([[0, 0], [0]], 1), "reference[1]");
    expectInputError(() => createGenerator(encoding, { noiseDim: 0 }), "noiseDim");
  });
});

describe("numerical safety", () => {
  it("keeps every gradient norm finite through a private run that once hit a float32 Gumbel draw of exactly 1 (seed 9, ε = 5, 300 steps)", async () => {
    const { trace } = await trainGan(table, encoding, { targetEpsilon: 5, steps: 300, seed: 9, logEvery: 25 });
    for (const record of trace.log) {
      expect(Number.isFinite(record.meanGradNorm)).toBe(true);
      expect(Number.isFinite(record.dLossReal) && Number.isFinite(record.dLossFake) && Number.isFinite(record.gLoss)).toBe(true);
    }
  }, 120_000);
});

describe("generator averaging", () => {
  it("releases the moving average of the generator's weights (a different generator from the last weights), recorded in the trace", async () => {
    const options: GanOptions = { targetEpsilon: 5, steps: 40, batchSize: 64, seed: 4 };
    const averaged = await trainGan(table, encoding, options);
    const last = await trainGan(table, encoding, { ...options, generatorAveraging: 0 });
    expect(averaged.trace.options.generatorAveraging).toBe(0.99);
    expect(last.trace.options.generatorAveraging).toBe(0);
    // Same training run (same seed, the average does not feed back): same discriminator and log…
    expect(averaged.output.discriminator).toEqual(last.output.discriminator);
    expect(averaged.trace.log).toEqual(last.trace.log);
    // …but another released generator, closer to its initial weights after only 40 steps.
    const initial = createGenerator(encoding, { seed: 4 });
    const distance = (g: typeof initial) => g.layers[0].weights.flat().reduce((s, w, i) => s + (w - initial.layers[0].weights.flat()[i]) ** 2, 0);
    expect(distance(averaged.output.generator)).toBeLessThan(distance(last.output.generator));
    await expectInputErrorAsync(() => trainGan(table, encoding, { ...options, generatorAveraging: 1 }), "generatorAveraging");
    await expectInputErrorAsync(() => trainGan(table, encoding, { ...options, generatorAveraging: -0.1 }), "generatorAveraging");
  });
});
