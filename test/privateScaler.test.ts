import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { runPipeline } from "../src/pipeline/run";
import { FEATURE_NAMES } from "../src/pipeline/featureNames";
import { fitScaler } from "../src/pipeline/features";
import { clampedSums, FEATURE_BOUNDS, fitPrivateScaler, SCALER_NOISE_RATIO, SCALER_SENSITIVITY, scalerEvent } from "../src/pipeline/privateScaler";
import { accountantFor, sampledGaussianEvent } from "../src/privacy/accountant";
import { useBackend } from "../src/runtime/tensorflow";
import { expectInputError } from "./helpers/expectInputError";

beforeAll(async () => {
  await useBackend();
});

/** Rows inside the public bounds, so that clamping changes nothing. */
const inside = [
  [0.5, 3.2, 0, 10, 1],
  [1.5, 3.8, 1, 200, 2],
  [2.5, 2.9, 2, 40, 4],
  [0.8, 4.4, 3, 300, 6],
  [1.1, 3.0, 3, 0, 3],
];
const all = inside.map((_, i) => i);

describe("a scaler released with differential privacy", () => {
  it("approaches the exact scaler as the noise vanishes, and clamps values outside the public bounds", () => {
    const exact = fitScaler(inside, all);
    const nearlyExact = fitPrivateScaler(inside, all, { noiseMultiplier: 1e-9, seed: 1 });
    nearlyExact.means.forEach((m, j) => expect(m).toBeCloseTo(exact.means[j]!, 6));
    nearlyExact.stds.forEach((s, j) => expect(s).toBeCloseTo(exact.stds[j]!, 6));
    // A purchase frequency of 40 a month is clamped to the bound 4 before it enters the sums.
    const outlier = [...inside, [40, 3, 1, 100, 2]];
    const clamped = [...inside, [FEATURE_BOUNDS.purchaseFrequency[1], 3, 1, 100, 2]];
    expect(fitPrivateScaler(outlier, [...all, 5], { noiseMultiplier: 1e-9, seed: 1 }).means[0]).toBeCloseTo(fitScaler(clamped, [...all, 5]).means[0]!, 6);
  });

  it("adds noise of σ × √11 to each sum: seeded, so the same seed gives the same scaler and another seed another", () => {
    const a = fitPrivateScaler(inside, all, { noiseMultiplier: 0.5, seed: 7 });
    expect(a.privacy.noiseStd).toBeCloseTo(0.5 * Math.sqrt(11), 12);
    expect(a.privacy.event).toEqual(scalerEvent(0.5));
    expect(fitPrivateScaler(inside, all, { noiseMultiplier: 0.5, seed: 7 })).toEqual(a);
    expect(fitPrivateScaler(inside, all, { noiseMultiplier: 0.5, seed: 8 }).means).not.toEqual(a.means);
    for (const s of a.stds) expect(s).toBeGreaterThan(0);
  });

  it("has the sensitivity it claims: one person, whatever their values, moves the released vector by at most √11", () => {
    const row = fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(row, { minLength: 0, maxLength: 20 }), row, (rows, extra) => {
        const before = clampedSums(rows, rows.map((_, i) => i), FEATURE_BOUNDS);
        const withExtra = [...rows, extra];
        const after = clampedSums(withExtra, withExtra.map((_, i) => i), FEATURE_BOUNDS);
        const diff = [...after.sums.map((v, j) => v - before.sums[j]!), ...after.squares.map((v, j) => v - before.squares[j]!), after.count - before.count];
        return Math.hypot(...diff) <= SCALER_SENSITIVITY + 1e-9;
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(SCALER_SENSITIVITY).toBeCloseTo(Math.sqrt(2 * FEATURE_NAMES.length + 1), 12);
  });

  it("refuses bounds and noise it cannot use, naming the field", () => {
    expectInputError(() => fitPrivateScaler(inside, all, { noiseMultiplier: 0, seed: 1 }), "noiseMultiplier");
    expectInputError(() => fitPrivateScaler(inside, all, { noiseMultiplier: 1, seed: 1, bounds: { recencyDays: [10, 10] } }), "bounds.recencyDays[1]");
    expectInputError(() => fitPrivateScaler(inside, all, { noiseMultiplier: 1, seed: 1, bounds: { ageBand: [0] as never } }), "bounds.ageBand");
  });
});

describe("runPipeline({ privateScaler: true })", () => {
  it("spends the target ε on the scaler and the training together, from one accountant, and the prediction trace says ε covers the scaler", async () => {
    const plain = await runPipeline({ epsilon: 1, compareWithNonPrivate: false });
    const covered = await runPipeline({ epsilon: 1, privateScaler: true, compareWithNonPrivate: false });
    const sigma = covered.stages.trainPrivately.noiseMultiplier;
    const scaler = covered.stages.engineerFeatures.scaler.privacy;
    expect(scaler?.noiseMultiplier).toBeCloseTo(SCALER_NOISE_RATIO * sigma, 12);
    // Both releases on the same people share the budget: more noise on the training than alone.
    expect(sigma).toBeGreaterThan(plain.stages.trainPrivately.noiseMultiplier);
    const byHand = accountantFor("rdp");
    byHand.compose(scalerEvent(SCALER_NOISE_RATIO * sigma));
    const t = covered.stages.trainPrivately;
    byHand.compose(sampledGaussianEvent({ noiseMultiplier: sigma, sampleRate: t.sampleRate, steps: t.steps }));
    const epsilon = covered.stages.evaluate.privacy.epsilon;
    expect(epsilon).toBeCloseTo(byHand.getEpsilon(1e-5).epsilon, 9);
    expect(epsilon).toBeLessThanOrEqual(1 + 1e-3);
    expect(t.epsilonSpent).toBeLessThan(epsilon);
    const layer = covered.stages.predict.layers.find((l) => l.layer === 4) as { statement: string; notCovered: string[] };
    expect(layer.statement).toMatch(/scaler was released with DP too/);
    expect(layer.notCovered.join(" ")).not.toMatch(/fitted on the training rows without noise/);
    const plainLayer = plain.stages.predict.layers.find((l) => l.layer === 4) as { notCovered: string[] };
    expect(plainLayer.notCovered[0]).toMatch(/fitted on the training rows without noise/);
    expect(plain.stages.engineerFeatures.scaler.privacy).toBeNull();
  });

  it("rejects a privateScaler that is not true or false", async () => {
    await expect(runPipeline({ privateScaler: "yes" as never })).rejects.toThrow(/privateScaler/);
  });
});
