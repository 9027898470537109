import { describe, expect, it, beforeAll } from "vitest";
import { runPipeline, TRAIN_SUBSET_SEED, type PipelineResult } from "../src/pipeline/run";
import { collect } from "../src/pipeline/collect";
import { evaluate } from "../src/pipeline/evaluate";
import type { ModelData } from "../src/models";
import { withTrainSize } from "../src/data/split";
import { intervalsApart, wilsonInterval } from "../src/evaluation/intervals";
import { InputError } from "../src/validation/errors";
import { renderPrediction } from "../src/render/text/pipelineReport";

describe("runPipeline with the default configuration (ε = 1, δ = 1e-5, 5 epochs, logistic)", () => {
  let result: PipelineResult;
  beforeAll(async () => {
    result = await runPipeline();
  });

  it("reaches ≥ 0.83 test accuracy within 4 points of the non-private model", () => {
    const { private: dp, nonPrivate } = result.stages.evaluate.metrics;
    expect(dp.accuracy).toBeGreaterThanOrEqual(0.83);
    expect(nonPrivate).not.toBeNull();
    expect(nonPrivate!.accuracy - dp.accuracy).toBeLessThanOrEqual(0.04);
  });

  it("spends no more than the target ε, as reported by the accountant", () => {
    const train = result.stages.trainPrivately;
    expect(train.epsilonSpent).toBeLessThanOrEqual(1);
    expect(train.epsilonSpent).toBeGreaterThan(0.9); // calibrated, not wildly over-noised
    expect(result.stages.evaluate.metrics.privacy.epsilon).toBe(train.epsilonSpent);
    expect(result.stages.evaluate.metrics.privacy.delta).toBe(1e-5);
  });

  it("keeps the seed document's shapes in the data-flow table", () => {
    expect(result.dataFlow.map((r) => r.output)).toEqual([
      "1000 rows x 5 columns",
      "1000 rows x 3 columns",
      "1000 rows x 5 columns",
      expect.stringMatching(/^Trained logistic weights/),
      "Accuracy score and privacy loss measure",
      "Prediction result",
    ]);
    expect(result.dataFlow[4].input).toBe("Test set 200 rows x 5 columns");
  });

  it("traces five epochs with loss, accuracy, ε, σ, gradient norms and an observation", () => {
    const epochs = result.stages.trainPrivately.epochs;
    expect(epochs).toHaveLength(5);
    for (const e of epochs) {
      expect(e.loss).toBeGreaterThan(0);
      expect(e.trainAccuracy).toBeGreaterThan(0.5);
      expect(e.clippedFraction).toBeGreaterThanOrEqual(0);
      expect(e.clippedFraction).toBeLessThanOrEqual(1);
      expect(e.observation.length).toBeGreaterThan(10);
    }
    const spent = epochs.map((e) => e.epsilonSpent);
    expect([...spent].sort((a, b) => a - b)).toEqual(spent); // ε only grows
  });

  it("predicts for a new raw row with a four-layer trace that states its guarantee instead of scanning for names", () => {
    const predict = result.stages.predict;
    expect(predict.layers.map((l) => l.name)).toEqual([
      "Input preprocessing",
      "Model forward pass",
      "Output activation",
      "Privacy guarantee",
    ]);
    const [input, forward, activation, guarantee] = predict.layers;
    expect(input.removed).toEqual(expect.arrayContaining(["name", "email"]));
    expect(activation.probability).toBeCloseTo(1 / (1 + Math.exp(-forward.logit)), 10);
    expect(predict.output.probability).toBe(activation.probability);
    // No scan offered as evidence: the guarantee is post-processing of the DP model, theorem cited…
    expect(guarantee).not.toHaveProperty("checks");
    expect(JSON.stringify(guarantee)).not.toMatch(/scann/i);
    expect(guarantee.private).toBe(true);
    expect(guarantee.epsilon).toBe(result.stages.evaluate.privacy.epsilon);
    expect(guarantee.theorem).toMatch(/post-processing/);
    expect(guarantee.theorem).toMatch(/Dwork & Roth 2014.*Proposition 2\.1/);
    expect(guarantee.statement).toContain(`ε = ${guarantee.epsilon.toFixed(3)}`);
    // …and what it does not cover, the scaler fitted without noise first.
    expect(guarantee.notCovered[0]).toMatch(/scaler .*without noise/);
    expect(renderPrediction(predict)).toMatch(/not covered: The feature scaler/);
  });

  it("evaluates with the test set's 95% intervals and says when privacy's cost is within them", () => {
    const evaluation = result.stages.evaluate;
    const { accuracyIntervals: intervals, costSignificant } = evaluation;
    const n = evaluation.shape.rows;
    expect(intervals.private).toEqual(wilsonInterval(Math.round(evaluation.metrics.private.accuracy * n), n));
    expect(intervals.nonPrivate).not.toBeNull();
    expect(costSignificant).toBe(intervalsApart(intervals.private, intervals.nonPrivate!));
    // On the default task the difference is inside the noise of 200 test rows: no "privacy costs" claim.
    expect(costSignificant).toBe(false);
    expect(evaluation.summary).toMatch(/within the noise of testing on 200 rows/);
    expect(evaluation.summary).not.toMatch(/Privacy costs/);
    expect(evaluation.summary).toContain(`[95% ${(100 * intervals.private.low).toFixed(1)}%–${(100 * intervals.private.high).toFixed(1)}%]`);
  });

  it("says privacy costs points only when the intervals are apart", () => {
    // One feature; the baseline reads it right, the "private" model calls everyone a non-buyer (half right).
    const x = Array.from({ length: 200 }, (_, i) => [i % 2 === 0 ? 1 : -1]);
    const y = x.map(([v]) => (v > 0 ? 1 : 0));
    const model = (w: number, b: number): ModelData => ({ kind: "logistic", layers: [{ weights: [[w]], bias: [b] }] });
    const privacy = { epsilon: 1, delta: 1e-5, epsilonTarget: 1, accountant: "rdp" };
    const far = evaluate({ test: { x, y }, model: model(3, -4), baseline: model(3, 0), privacy });
    expect(far.output.private.accuracy).toBe(0.5);
    expect(far.trace.costSignificant).toBe(true);
    expect(far.trace.summary).toMatch(/Privacy costs 50\.0 points, more than the noise of testing on 200 rows/);
    const near = evaluate({ test: { x: x.slice(0, 20), y: y.slice(0, 20) }, model: model(3, 0), baseline: model(3, 0), privacy });
    expect(near.trace.costSignificant).toBe(false);
    expect(near.trace.summary).toMatch(/within the noise of testing on 20 rows/);
  });

  it("trains on a fixed subset when given trainSize: the same people for every seed, smaller inside larger", () => {
    const { split } = collect().output;
    const small = withTrainSize(split, 100, TRAIN_SUBSET_SEED);
    const large = withTrainSize(split, 200, TRAIN_SUBSET_SEED);
    expect(small.train).toHaveLength(100);
    expect(small.test).toEqual(split.test);
    expect(small.train.every((i) => large.train.includes(i))).toBe(true);
    expect(small.train.every((i) => split.train.includes(i))).toBe(true);
    expect(() => withTrainSize(split, 801, TRAIN_SUBSET_SEED)).toThrow(InputError);
  });

  it("gives the same numbers on every run with the same seed", async () => {
    const again = await runPipeline();
    expect(again.stages.trainPrivately.epochs).toEqual(result.stages.trainPrivately.epochs);
    expect(again.stages.predict.output).toEqual(result.stages.predict.output);
  });
});

describe("runPipeline rejects bad configuration with the field named", () => {
  const cases: [string, Record<string, number>, RegExp][] = [
    ["ε ≤ 0", { epsilon: 0 }, /epsilon/],
    ["negative ε", { epsilon: -1 }, /epsilon/],
    ["δ = 0", { delta: 0 }, /delta/],
    ["δ ≥ 1", { delta: 1 }, /delta/],
    ["batch larger than the data", { batchSize: 801 }, /batchSize/],
    ["epochs ≤ 0", { epochs: 0 }, /epochs/],
    ["fractional epochs", { epochs: 1.5 }, /epochs/],
  ];
  it.each(cases)("%s", async (_name, config, field) => {
    const run = runPipeline(config);
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(runPipeline(config)).rejects.toThrow(field);
  });
});
