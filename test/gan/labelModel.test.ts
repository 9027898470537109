/**
 * The label model: a DP-SGD classifier of the outcome that draws the released outcomes, and its
 * budget shared with the discriminator's. The last test is the 1000-row example's utility goal.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/tensorflow";
import { loadCustomerDataset } from "../../src/data/datasets";
import { customerTable } from "../../src/anonymity/customers";
import { dropColumns, selectRows, type Table } from "../../src/anonymity/table";
import { fitEncoding } from "../../src/synthetic/encoding";
import { labelModelPlan, relabelRows, trainLabelModel } from "../../src/gan/labelModel";
import { runGanIteration } from "../../src/gan/iteration";
import { computeEpsilon, RdpAccountant } from "../../src/privacy/accountant";
import * as ganViews from "../../src/render/ganViews";
import { expectInputError, expectInputErrorAsync } from "../helpers/expectInputError";

let train: Table;
let holdout: Table;
let fullTrain: Table;
let fullHoldout: Table;

beforeAll(async () => {
  await useBackend();
  const { customers, split } = loadCustomerDataset();
  const all = customerTable(customers);
  fullTrain = selectRows(all, split.train);
  fullHoldout = selectRows(all, split.test);
  train = selectRows(all, split.train.slice(0, 300));
  holdout = selectRows(all, split.test.slice(0, 120));
});

const people = () => dropColumns(train, ["name", "email"]);
const encodingOf = (table: Table) => fitEncoding(table, { categorical: ["buysNextMonth"] });

describe("trainLabelModel and relabelRows", () => {
  it("learns the outcome from the other columns and plans exactly the DP-SGD steps it takes", async () => {
    const table = people();
    const encoding = encodingOf(table);
    const { output, trace } = await trainLabelModel(table, encoding, { label: "buysNextMonth", noiseMultiplier: 1.2, epochs: 10, seed: 3 });
    const plan = labelModelPlan(300, { epochs: 10 });
    expect([trace.training.steps, trace.training.sampleRate]).toEqual([plan.steps, plan.sampleRate]);
    expect(trace.training.noiseMultiplier).toBe(1.2);
    expect(trace.training.epsilonSpent).toBeCloseTo(computeEpsilon({ noiseMultiplier: 1.2, ...plan, delta: 1e-5 }).epsilon, 6);
    expect(output.featureSlots).toHaveLength(encoding.width - 2);
    // Better than always answering the majority outcome.
    const ones = (Array.from(table.data.buysNextMonth) as number[]).filter((v) => v === 1).length / 300;
    expect(trace.trainAccuracy).toBeGreaterThan(Math.max(ones, 1 - ones) + 0.1);
  });

  it("redraws outcomes from the model's probabilities, the same for the same seed", async () => {
    const table = people();
    const encoding = encodingOf(table);
    const { output: model } = await trainLabelModel(table, encoding, { label: "buysNextMonth", targetEpsilon: Infinity, epochs: 20, seed: 3 });
    const a = relabelRows(table, model, encoding, 11);
    expect(relabelRows(table, model, encoding, 11).output.data.buysNextMonth).toEqual(a.output.data.buysNextMonth);
    expect(relabelRows(table, model, encoding, 12).output.data.buysNextMonth).not.toEqual(a.output.data.buysNextMonth);
    // Only the outcome changes; drawn outcomes agree with the real ones far more often than chance.
    for (const column of table.columns.filter((c) => c !== "buysNextMonth")) expect(a.output.data[column]).toBe(table.data[column]);
    const real = Array.from(table.data.buysNextMonth);
    const agree = (Array.from(a.output.data.buysNextMonth) as number[]).filter((v, i) => v === real[i]).length / real.length;
    expect(agree).toBeGreaterThan(0.75);
    expect(a.trace.changed).toBe(real.length - Math.round(agree * real.length));
  });

  it("rejects an outcome it cannot model and a budget given twice or not at all", async () => {
    const table = people();
    const encoding = encodingOf(table);
    await expectInputErrorAsync(() => trainLabelModel(table, encoding, { label: "location", noiseMultiplier: 1 }), "label");
    await expectInputErrorAsync(() => trainLabelModel(table, encoding, { label: "age", noiseMultiplier: 1 }), "label");
    await expectInputErrorAsync(() => trainLabelModel(table, encoding, { label: "buysNextMonth" }), "noiseMultiplier");
    await expectInputErrorAsync(() => trainLabelModel(table, encoding, { label: "buysNextMonth", noiseMultiplier: 1, targetEpsilon: 1 }), "noiseMultiplier");
    expectInputError(() => labelModelPlan(0), "rows");
    expectInputError(() => labelModelPlan(300, { epochs: 0 }), "epochs");
  });
});

describe("what an iteration releases: outcomes from a label model, the near-copy filter, the goal", () => {
  it("spends the settings' ε on the discriminator and the label model together, one σ for both", async () => {
    const { output, trace } = await runGanIteration({
      train,
      holdout,
      settings: { levels: {}, groupSize: 1, targetEpsilon: 3 },
      gan: { steps: 60, batchSize: 64 },
      labelModel: { epochs: 5 },
      syntheticRows: 200,
      seed: 3,
    });
    expect(output.labelModel?.label).toBe("buysNextMonth");
    expect(trace.privacy.runs.map((r) => r.name)).toEqual(["discriminator", "label model"]);
    const accountant = new RdpAccountant();
    for (const run of trace.privacy.runs) accountant.step({ noiseMultiplier: trace.privacy.noiseMultiplier, sampleRate: run.sampleRate, steps: run.steps });
    expect(trace.privacy.epsilonSpent).toBeCloseTo(accountant.getEpsilon(trace.privacy.delta).epsilon, 9);
    expect(trace.privacy.epsilonSpent).toBeLessThanOrEqual(3);
    expect(trace.privacy.epsilonSpent).toBeGreaterThan(2.9);
    // Each run alone spends less than the whole; the runs took the steps the plan counted.
    expect(trace.gan.privacy.noiseMultiplier).toBe(trace.privacy.noiseMultiplier);
    expect(trace.gan.privacy.epsilonSpent).toBeLessThan(trace.privacy.epsilonSpent);
    expect(trace.labelModel?.training.noiseMultiplier).toBe(trace.privacy.noiseMultiplier);
    expect(trace.labelModel?.training.steps).toBe(trace.privacy.runs[1].steps);
    expect(trace.gan.privacy.discriminatorSteps).toBe(trace.privacy.runs[0].steps);
    expect(trace.summary).toContain(`ε = ${trace.privacy.epsilonSpent.toFixed(2)}`);
    const html = String(ganViews.iterationView(trace).toMimeBundle()["text/html"]);
    expect(html).toContain("label model");
    expect(html).toContain(`redrew ${trace.labelModel?.relabelled.changed} of 200`);
  });

  it("without one, the release's ε is the discriminator's", async () => {
    const { trace } = await runGanIteration({ train, holdout, settings: { levels: {}, groupSize: 1, targetEpsilon: 3 }, gan: { steps: 30, batchSize: 64 }, syntheticRows: 100, seed: 3 });
    expect(trace.labelModel).toBeNull();
    expect(trace.privacy.runs.map((r) => r.name)).toEqual(["discriminator"]);
    expect(trace.privacy.epsilonSpent).toBe(trace.gan.privacy.epsilonSpent);
  });

  it("with the near-copy filter releases no row closer than the holdout's 5th percentile, and says ε no longer covers it", async () => {
    const settings = { levels: {}, groupSize: 1, targetEpsilon: 5 };
    const plain = await runGanIteration({ train, holdout, settings, gan: { steps: 200, batchSize: 64 }, syntheticRows: 200, seed: 5 });
    const { output, trace } = await runGanIteration({ train, holdout, settings, gan: { steps: 200, batchSize: 64 }, syntheticRows: 200, nearCopyFilter: true, seed: 5 });
    expect(plain.trace.dcr.closeRows).toBeGreaterThan(0); // something to filter
    expect(trace.dcr.closeRows).toBe(0);
    expect(trace.feedback.goals.noCloseRecords.met).toBe(true);
    expect(output.synthetic.data.age).toHaveLength(200);
    expect(trace.release.nearCopyFilter).toMatchObject({ candidates: 250, threshold: trace.dcr.holdoutP5 });
    expect(trace.release.nearCopyFilter!.tooClose).toBeGreaterThan(0);
    expect([plain.trace.privacy.coversRelease, trace.privacy.coversRelease]).toEqual([true, false]);
    expect(trace.privacyNotes.join(" ")).toMatch(/does NOT cover this release/);
    const goals = String(ganViews.goalsView(trace).toMimeBundle()["text/html"]);
    expect(goals).toContain("does not cover this release");
    await expectInputErrorAsync(() => runGanIteration({ train, holdout, settings, nearCopyFilter: "yes" as unknown as boolean }), "nearCopyFilter");
  });

  it("meets the 1000-row example's utility goal at ε = 5: train-on-synthetic within 5 points of train-on-real", async () => {
    for (const seed of [7, 8, 9]) {
      const { trace } = await runGanIteration({
        train: fullTrain,
        holdout: fullHoldout,
        settings: { levels: {}, groupSize: 1, targetEpsilon: 5 },
        gan: { steps: 500 },
        labelModel: {},
        seed,
      });
      expect([seed, trace.privacy.epsilonSpent <= 5, trace.feedback.goals.utility.met]).toEqual([seed, true, true]);
      expect(trace.utility.trtrAccuracy - trace.utility.tstrAccuracy).toBeLessThanOrEqual(0.05);
    }
  }, 180_000);
});
