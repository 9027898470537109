import { beforeAll, describe, expect, it } from "vitest";
import { likelihoodRatioAttack, lossThresholdAttack, perExampleLoss, scaledConfidences } from "../../src/attacks/membershipInference";
import { trainerFor } from "../../src/attacks/trainer";
import { loadPatients, patientFeatures } from "../../src/data/patients";
import { createModel } from "../../src/models/init";
import { trainPrivately } from "../../src/pipeline/train";
import { useBackend } from "../../src/runtime/tensorflow";
import { expectInputError } from "../helpers/expectInputError";

beforeAll(async () => {
  await useBackend();
});

/** Three disjoint groups of 500 patients from the same population, scaled like the first. */
function groups() {
  const patients = loadPatients();
  const a = patients.slice(0, 500);
  const b = patients.slice(500, 1000);
  const c = patients.slice(1000, 1500);
  const rows = (p: typeof a) => {
    const f = patientFeatures(p, a);
    return { x: f.x, y: f.y };
  };
  return { a: rows(a), b: rows(b), c: rows(c) };
}
const { a, b, c } = groups();
/** An over-fitting recipe: wide MLP, many epochs, no privacy. */
const overfit = { epsilon: Infinity, model: "mlp" as const, hidden: [32], epochs: 40, batchSize: 32 };

describe("loss-threshold attack (Yeom et al. 2018)", () => {
  it("scores by −loss; the loss comes from the scaled confidence φ = ±logit", () => {
    const model = createModel({ kind: "logistic", inputSize: 2, seed: 1 });
    model.layers[0].weights = [[1], [0]];
    const rows = { x: [[2, 0], [2, 0]], y: [1, 0] };
    expect(scaledConfidences(model, rows)).toEqual([2, -2]);
    const loss = perExampleLoss(model, rows);
    expect(loss[0]).toBeCloseTo(Math.log1p(Math.exp(-2)), 12);
    expect(loss[1]).toBeCloseTo(2 + Math.log1p(Math.exp(-2)), 12);
  });

  it("is near chance (AUC ≈ 0.5) against a model trained on NEITHER members nor non-members", async () => {
    const model = (await trainPrivately(a, { ...overfit, seed: 3 })).output.model;
    const { output, trace } = lossThresholdAttack({ model, members: b, nonMembers: c });
    expect(Math.abs(output.roc.auc - 0.5)).toBeLessThan(0.06);
    expect(Math.abs(trace.yeomAdvantage)).toBeLessThan(0.1);
    expect(output.roc.members).toBe(500);
  });

  it("finds the members of an over-fitted model", async () => {
    const model = (await trainPrivately(a, { ...overfit, seed: 3 })).output.model;
    const { output, trace } = lossThresholdAttack({ model, members: a, nonMembers: b });
    expect(output.roc.auc).toBeGreaterThan(0.56);
    expect(trace.meanLossMembers).toBeLessThan(trace.meanLossNonMembers);
    expect(trace.yeomAdvantage).toBeGreaterThan(0.05);
  });

  it("rejects bad inputs", () => {
    const model = createModel({ kind: "logistic", inputSize: 2 });
    expectInputError(() => lossThresholdAttack({ model, members: { x: [], y: [] }, nonMembers: { x: [[1, 1]], y: [0] } }), "members.x");
    expectInputError(() => lossThresholdAttack({ model, members: { x: [[1, 1]], y: [2] }, nonMembers: { x: [[1, 1]], y: [0] } }), "members.y[0]", /0 or 1/);
    expectInputError(() => lossThresholdAttack({ model, members: { x: [[1, 1]], y: [1] }, nonMembers: { x: [[1, 1]], y: [] } }), "nonMembers.y");
  });
});

describe("LiRA (Carlini et al. 2022)", () => {
  it("is near chance against a model trained on neither group, and beats chance on an over-fitted target", async () => {
    const candidates = { x: [...b.x, ...c.x], y: [...b.y, ...c.y] };
    const isMember = [...b.y.map(() => 1), ...c.y.map(() => 0)];
    const train = trainerFor(overfit);
    const independent = (await trainPrivately(a, { ...overfit, seed: 3 })).output.model;
    const blind = await likelihoodRatioAttack({ targetModel: independent, candidates, isMember, train, shadows: 4, seed: 3 });
    expect(Math.abs(blind.output.roc.auc - 0.5)).toBeLessThan(0.07);
    expect(blind.trace.shadows).toBe(4);
    expect(blind.trace.meanInOutGap).toBeGreaterThan(0); // shadows are more confident on what they saw

    const target = (await trainPrivately(b, { ...overfit, seed: 3 })).output.model;
    const sighted = await likelihoodRatioAttack({ targetModel: target, candidates, isMember, train, shadows: 4, seed: 3 });
    expect(sighted.output.roc.auc).toBeGreaterThan(0.56);
    expect(sighted.output.attack).toBe("lira");
  });

  it("rejects bad inputs before training anything", async () => {
    const model = createModel({ kind: "logistic", inputSize: 2 });
    const candidates = { x: [[1, 1], [0, 1]], y: [1, 0] };
    const train = async () => model;
    await expect(likelihoodRatioAttack({ targetModel: model, candidates, isMember: [1, 0], train, shadows: 3 })).rejects.toMatchObject({ field: "shadows" });
    await expect(likelihoodRatioAttack({ targetModel: model, candidates, isMember: [1], train })).rejects.toMatchObject({ field: "isMember" });
    await expect(likelihoodRatioAttack({ targetModel: model, candidates, isMember: [1, 1], train })).rejects.toMatchObject({ field: "isMember" });
    await expect(likelihoodRatioAttack({ targetModel: model, candidates, isMember: [1, 0], train, variance: "x" as never })).rejects.toMatchObject({ field: "variance" });
  });
});
