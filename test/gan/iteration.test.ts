import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/tensorflow";
import { loadCustomerDataset } from "../../src/data/datasets";
import { customerTable, CUSTOMER_ROLES, SPEND_BANDS } from "../../src/anonymity/customers";
import { checkKAnonymity } from "../../src/anonymity/kAnonymity";
import { selectRows, type Table } from "../../src/anonymity/table";
import { findTown, MAX_AGE, TOWNS } from "../../src/data/schema";
import { declareEncoding, fitEncoding } from "../../src/synthetic/encoding";
import { anonymityPipeline, generaliseRows, type PipelineSettings } from "../../src/gan/anonymityPipeline";
import { readFileSync } from "node:fs";
import path from "node:path";
import { QUIZZES } from "../../quizzes";
import { checkAnswer } from "../../src/quiz/check";
import { adjustSettings, GAN_FLOW, composeReleasePrivacy, runGanIteration, runGanIterations, type IterationFeedback, type ReleasePrivacy } from "../../src/gan/iteration";
import { computeEpsilon, createAccountant, RdpAccountant, sampledGaussianEvent } from "../../src/privacy/accountant";
import * as ganViews from "../../src/render/ganViews";
import type { Displayable } from "../../src/render/mime";

const htmlOf = (view: Displayable) => String(view.toMimeBundle()["text/html"]);
import { expectInputError, expectInputErrorAsync } from "../helpers/expectInputError";

const lesson10 = readFileSync(path.join(__dirname, "../../lessons/10-gan-iteration.md"), "utf8");
let train: Table;
let holdout: Table;

beforeAll(async () => {
  await useBackend();
  const { customers, split } = loadCustomerDataset();
  const all = customerTable(customers);
  train = selectRows(all, split.train.slice(0, 300));
  holdout = selectRows(all, split.test.slice(0, 120));
});

const exact: PipelineSettings = { levels: {}, groupSize: 1, targetEpsilon: Infinity };

describe("the anonymity pipeline", () => {
  it("drops the direct identifiers and generalises age to band midpoints and towns to their category", () => {
    const { output, trace } = anonymityPipeline(train, { settings: { levels: { age: 1, location: 1 }, groupSize: 1, targetEpsilon: 5 } });
    for (const direct of CUSTOMER_ROLES.direct) expect(output.columns).not.toContain(direct);
    expect(trace.droppedIdentifiers).toEqual(CUSTOMER_ROLES.direct);
    const ages = Array.from(output.data.age) as number[];
    const original = Array.from(train.data.age) as number[];
    ages.forEach((age, i) => expect(age).toBe(Math.floor(original[i] / 5) * 5 + 2.5));
    const towns = Array.from(train.data.location) as string[];
    Array.from(output.data.location).forEach((label, i) => expect(label).toBe(findTown(towns[i])?.category));
    const age = trace.generalised.find((g) => g.column === "age");
    expect(age?.distinctAfter).toBeLessThan(age?.distinctBefore ?? 0);
  });

  it("groups the released rows so that every quasi-identifier combination has at least k rows", () => {
    const { output, trace } = anonymityPipeline(train, { settings: { levels: { age: 1 }, groupSize: 5, targetEpsilon: 5 } });
    expect(checkKAnonymity(output, { quasi: ["age", "location"], k: 5 }).satisfied).toBe(true);
    expect(trace.kAnonymity.achieved).toBeGreaterThanOrEqual(5);
    expect(trace.grouping?.groups.smallest).toBeGreaterThanOrEqual(5);
    // Grouping couples people: the trace must say that ε is then per row, not per person.
    expect(trace.privacyNotes.join(" ")).toMatch(/per released row, not per person/);
  });

  it("leaves exact quasi-identifiers exact and is idempotent on rows already generalised", () => {
    const plain = anonymityPipeline(train, { settings: exact });
    expect(Array.from(plain.output.data.age)).toEqual(Array.from(train.data.age));
    expect(plain.trace.kAnonymity.achieved).toBeLessThan(5);
    const levels = { age: 2, location: 1 };
    const once = generaliseRows(train, { levels }).output;
    const twice = generaliseRows(once, { levels }).output;
    expect(Array.from(twice.data.age)).toEqual(Array.from(once.data.age));
    expect(Array.from(twice.data.location)).toEqual(Array.from(once.data.location));
  });

  it("rejects settings it cannot honour, naming the field", () => {
    expectInputError(() => anonymityPipeline(train, { settings: { ...exact, levels: { age: 4 } } }), "levels.age", /0 to 3/);
    expectInputError(() => anonymityPipeline(train, { settings: { ...exact, levels: { spendBand: 1 } } }), "levels", /quasi-identifiers/);
    expectInputError(() => anonymityPipeline(train, { settings: { ...exact, groupSize: 301 } }), "settings.groupSize", /number of rows/);
    expectInputError(() => anonymityPipeline(train, { settings: { ...exact, groupSize: 0 } }), "settings.groupSize");
    expectInputError(() => anonymityPipeline(train, { settings: { ...exact, targetEpsilon: 0 } }), "settings.targetEpsilon", /> 0/);
    expectInputError(() => anonymityPipeline(train, { settings: { ...exact, levels: { age: 1.5 } } }), "levels.age", /integer/);
  });
});

function feedback(counts: Partial<IterationFeedback["eventCounts"]>, utilityMet: boolean): IterationFeedback {
  const eventCounts = { "near-copy": 0, "small-group": 0, "rare-combination": 0, ...counts };
  return {
    utilityPoints: 80,
    gapPoints: utilityMet ? 2 : 9,
    eventCounts,
    penalty: 0,
    goals: {
      utility: { met: utilityMet, rule: "" },
      noCloseRecords: { met: eventCounts["near-copy"] === 0, rule: "", count: eventCounts["near-copy"] },
      percentile: { met: true, rule: "" },
    },
  };
}

describe("adjusting the pipeline between iterations", () => {
  it("answers near-copies with more noise, then with larger groups", () => {
    expect(adjustSettings(exact, feedback({ "near-copy": 3 }, true)).settings.targetEpsilon).toBe(10);
    expect(adjustSettings({ ...exact, targetEpsilon: 5 }, feedback({ "near-copy": 3 }, true)).settings.targetEpsilon).toBe(2);
    const atFloor = adjustSettings({ ...exact, targetEpsilon: 1 }, feedback({ "near-copy": 3 }, true));
    expect(atFloor.changed).toBe("groupSize");
    expect(atFloor.settings.groupSize).toBe(3);
  });

  it("answers small groups with a coarser quasi-identifier, the least generalised first", () => {
    const next = adjustSettings({ ...exact, levels: { age: 1 } }, feedback({ "small-group": 12 }, true));
    expect(next.changed).toBe("levels.location");
    expect(next.settings.levels).toEqual({ age: 1, location: 1 });
  });

  it("steps along ladders given in any order, and rejects a ladder it cannot use", () => {
    const ladders = { epsilon: [1, 10, Infinity, 2, 5], groupSize: [10, 1, 5, 3] };
    expect(adjustSettings({ ...exact, targetEpsilon: 5 }, feedback({ "near-copy": 1 }, true), { ladders }).settings.targetEpsilon).toBe(2);
    expect(adjustSettings({ ...exact, targetEpsilon: 2 }, feedback({}, false), { ladders }).settings.targetEpsilon).toBe(5);
    expectInputError(() => adjustSettings(exact, feedback({}, true), { ladders: { epsilon: [], groupSize: [1] } }), "ladders.epsilon", /non-empty/);
    expectInputError(() => adjustSettings(exact, feedback({}, true), { ladders: { epsilon: [0], groupSize: [1] } }), "ladders.epsilon[0]", /> 0/);
    expectInputError(() => adjustSettings(exact, feedback({}, true), { ladders: { epsilon: [1], groupSize: [1.5] } }), "ladders.groupSize[0]", /integer/);
  });

  it("relaxes when nothing went wrong but accuracy was lost, and keeps settings that meet every goal", () => {
    expect(adjustSettings({ ...exact, targetEpsilon: 2 }, feedback({}, false)).settings.targetEpsilon).toBe(5);
    const kept = adjustSettings({ ...exact, targetEpsilon: 2 }, feedback({}, true));
    expect(kept.changed).toBeNull();
    expect(kept.settings).toEqual({ ...exact, targetEpsilon: 2 });
  });
});

describe("one GAN iteration", () => {
  it("trains on the pipeline's rows, releases synthetic rows without identifiers, and reports ε from the accountant", async () => {
    const { output, trace } = await runGanIteration({
      train,
      holdout,
      settings: { levels: { age: 1 }, groupSize: 1, targetEpsilon: 5 },
      gan: { steps: 60, batchSize: 64 },
      syntheticRows: 200,
      seed: 3,
    });
    expect(output.synthetic.columns).not.toContain("name");
    expect(output.synthetic.columns).not.toContain("email");
    expect(output.synthetic.data.age).toHaveLength(200);
    // Released ages are snapped to 5-year band midpoints like the real ones.
    for (const age of Array.from(output.synthetic.data.age) as number[]) expect((age - 2.5) % 5).toBe(0);
    const p = trace.gan.privacy;
    expect(p.private).toBe(true);
    expect(p.epsilonSpent).toBeLessThanOrEqual(5 + 1e-6);
    // The reported ε is the accountant's for the steps actually taken.
    const recomputed = computeEpsilon({ noiseMultiplier: p.noiseMultiplier, sampleRate: p.sampleRate, steps: p.discriminatorSteps, delta: p.delta });
    expect(p.epsilonSpent).toBeCloseTo(recomputed.epsilon, 6);
    // Two ways of counting near-copies agree: the DCR report and the negative events.
    expect(trace.events.counts["near-copy"]).toBe(trace.dcr.closeRows);
    expect(trace.feedback.utilityPoints).toBeCloseTo(100 * output.utility.tstrAccuracy, 9);
    expect(trace.feedback.goals.utility.met).toBe(output.utility.gapPoints <= 5);
    // The views show what the trace says, escaped.
    const iterationHtml = htmlOf(ganViews.iterationView(trace));
    expect(iterationHtml).toContain(`${trace.dcr.closeRows} rows`);
    expect(iterationHtml).toContain(`ε = ${p.epsilonSpent.toFixed(2)}`);
    // What the trace says ε leaves out is what the lesson's quiz and text say.
    const notes = trace.privacyNotes.join(" ");
    expect(notes).toMatch(/NOT covered by ε: the encoding's statistics/);
    expect(notes).toMatch(/outside the encoding's \[min, max\] are discarded/);
    const q1 = QUIZZES["gan-iteration"].questions.find((q) => q.id === "who-is-covered");
    if (q1?.kind !== "choice") throw new Error("gan-iteration/who-is-covered should be a choice question");
    expect(q1.choices[q1.answer]).toMatch(/not the encoding's ranges and category lists, read from the real rows without noise, nor the rejection/);
    expect(checkAnswer(q1, "B").status).toBe("incorrect");
    expect(lesson10).toMatch(/encoding's statistics[^]*were read from the real rows without noise/);
    const pipelineHtml = htmlOf(ganViews.pipelineView(trace.pipeline));
    expect(pipelineHtml).toContain("5-wide intervals, released as their midpoints");
    expect(pipelineHtml).not.toMatch(/<script/);
  });

  it("repeats with the settings the feedback chose, one trace per iteration", async () => {
    const { output, trace } = await runGanIterations({
      train,
      holdout,
      initialSettings: { levels: {}, groupSize: 1, targetEpsilon: 5 },
      iterations: 2,
      gan: { steps: 30, batchSize: 64 },
      syntheticRows: 150,
      seed: 4,
    });
    expect(trace.iterations.map((i) => i.trace.iteration)).toEqual([1, 2]);
    expect(trace.iterations[0].trace.flow).toEqual(GAN_FLOW);
    expect(trace.iterations[1].trace.settings).toEqual(trace.iterations[0].adjustment.settings);
    expect(output.settings).toEqual(trace.iterations[1].adjustment.settings);
    const table = htmlOf(ganViews.iterationsView(trace));
    for (const { adjustment } of trace.iterations) expect(table).toContain(adjustment.reason.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));

    // Every iteration trained on the same people: the reported ε is one accountant fed every run.
    const accountant = new RdpAccountant();
    for (const { trace: t } of trace.iterations) {
      expect(t.privacy.runs.length).toBeGreaterThan(0);
      for (const run of t.privacy.runs) accountant.step(run);
    }
    const composed = accountant.getEpsilon(trace.privacy.delta).epsilon;
    expect(trace.privacy.epsilonSpent).toBeCloseTo(composed, 9);
    expect(trace.privacy.runs).toHaveLength(trace.iterations.reduce((n, i) => n + i.trace.privacy.runs.length, 0));
    // …which is more than any single iteration's ε, the number reported before.
    const single = Math.max(...trace.iterations.map((i) => i.trace.privacy.epsilonSpent));
    expect(trace.privacy.largestSingleEpsilon).toBe(single);
    expect(trace.privacy.epsilonSpent).toBeGreaterThan(single);
    // The steering feedback reads real rows: the trace and the view say the tuning is not covered.
    expect(trace.privacy.tuningCovered).toBe(false);
    expect(trace.privacy.notes.join(" ")).toMatch(/NOT covered/);
    expect(table).toContain(`ε = ${composed.toFixed(2)}`);
    expect(table).toContain("tuning between runs is not covered");
    for (const { trace: t } of trace.iterations) expect(t.privacyNotes.join(" ")).toMatch(/feedback .* not covered by ε/);
  });

  it("composes releases with one accountant, ∞ once any run had no noise, and refuses mixed δ", () => {
    const release = (noiseMultiplier: number, steps: number, delta = 1e-5, accountant: "rdp" | "pld" = "rdp"): ReleasePrivacy => ({
      epsilonSpent: noiseMultiplier > 0 ? computeEpsilon({ noiseMultiplier, sampleRate: 0.1, steps, delta }).epsilon : Infinity,
      delta,
      noiseMultiplier,
      calibration: null,
      runs: [{ name: "discriminator", sampleRate: 0.1, steps, noiseMultiplier }],
      coversRelease: true,
      coversEncoding: true,
      accountant,
    });
    const a = release(1.1, 100);
    const b = release(0.9, 50);
    const accountant = new RdpAccountant();
    accountant.step({ noiseMultiplier: 1.1, sampleRate: 0.1, steps: 100 });
    accountant.step({ noiseMultiplier: 0.9, sampleRate: 0.1, steps: 50 });
    expect(composeReleasePrivacy([a, b]).epsilonSpent).toBeCloseTo(accountant.getEpsilon(1e-5).epsilon, 9);
    // Composing a release with itself is not the same ε twice over: RDP adds curves, then converts.
    const twice = composeReleasePrivacy([a, a]).epsilonSpent;
    expect(twice).toBeGreaterThan(a.epsilonSpent);
    expect(twice).toBeLessThan(2 * a.epsilonSpent);
    expect(composeReleasePrivacy([a, release(0, 10)]).epsilonSpent).toBe(Infinity);
    expectInputError(() => composeReleasePrivacy([]), "releases");
    expectInputError(() => composeReleasePrivacy([a, release(1, 10, 1e-6)]), "releases[1].delta");
    // Releases accounted with PLD are composed with PLD; a mix falls back to the default; the caller may choose.
    const pld = createAccountant("pld");
    pld.compose(sampledGaussianEvent({ noiseMultiplier: 1.1, sampleRate: 0.1 }), 100);
    pld.compose(sampledGaussianEvent({ noiseMultiplier: 0.9, sampleRate: 0.1 }), 50);
    const byPld = composeReleasePrivacy([release(1.1, 100, 1e-5, "pld"), release(0.9, 50, 1e-5, "pld")]);
    expect(byPld.accountant).toBe("pld");
    expect(byPld.epsilonSpent).toBeCloseTo(pld.getEpsilon(1e-5).epsilon, 9);
    expect(byPld.notes[0]).toMatch(/one PLD accountant/);
    expect(byPld.epsilonSpent).toBeLessThan(composeReleasePrivacy([a, b]).epsilonSpent);
    expect(composeReleasePrivacy([a, release(0.9, 50, 1e-5, "pld")]).accountant).toBe("rdp");
    expect(composeReleasePrivacy([a, b], { accountant: "pld" }).epsilonSpent).toBeCloseTo(byPld.epsilonSpent, 9);
    expect(htmlOf(ganViews.composedPrivacyView(byPld))).toContain("one PLD accountant");
  });

  it("covers the encoding too when it is declared from public metadata instead of fitted on the rows", async () => {
    const encoding = declareEncoding([
      { name: "age", kind: "numeric", min: 18, max: MAX_AGE, integer: true },
      { name: "location", kind: "categorical", categories: TOWNS.map((t) => t.name) },
      { name: "purchaseFrequency", kind: "numeric", min: 0, max: 31 },
      { name: "averageSpend", kind: "numeric", min: 0, max: 1000 },
      { name: "recencyDays", kind: "numeric", min: 0, max: 364, integer: true },
      { name: "spendBand", kind: "categorical", categories: [...SPEND_BANDS] },
      { name: "buysNextMonth", kind: "categorical", categories: [0, 1] },
    ]);
    const { output, trace } = await runGanIteration({
      train,
      holdout,
      settings: { levels: {}, groupSize: 1, targetEpsilon: 5 },
      gan: { steps: 20, batchSize: 64 },
      syntheticRows: 100,
      encoding,
      seed: 5,
    });
    expect(output.encoding).toBe(encoding);
    expect(trace.privacy.coversEncoding).toBe(true);
    const notes = trace.privacyNotes.join(" ");
    expect(notes).not.toMatch(/NOT covered by ε: the encoding's statistics/);
    expect(notes).toMatch(/declared from public metadata/);
    expect(notes).toMatch(/declared public ones, so this reads no real row/);
    expect(htmlOf(ganViews.goalsView(trace))).toContain("the encoding declared from public metadata");
    // A fitted encoding passed as if it were declared is refused: its statistics read the rows.
    await expectInputErrorAsync(
      () => runGanIteration({ train, holdout, settings: exact, encoding: fitEncoding(train, { categorical: ["buysNextMonth"] }) }),
      "encoding",
    );
    expectInputError(() => declareEncoding([{ name: "age", kind: "numeric", min: 10, max: 5 }]), "declared[0].max");
    expectInputError(() => declareEncoding([{ name: "x", kind: "categorical", categories: [1, 1] }]), "declared[0].categories");
  });

  it("draws in lesson 10 the flow the code has: real rows reach only the discriminator", () => {
    expect(GAN_FLOW.join("\n")).toMatch(/real training rows → anonymity pipeline → discriminator/);
    for (const line of GAN_FLOW) expect(lesson10).toContain(line);
    // The old diagram fed the pipeline's rows to the generator.
    expect(lesson10).not.toMatch(/anonymity pipeline → generator/);
    expect(lesson10).toContain("gan.composeReleasePrivacy(");
  });

  it("reuses an earlier run's trained models for another release of them, and only for a run trained the same way", async () => {
    const base = { train, holdout, settings: { levels: {}, groupSize: 1, targetEpsilon: 5 }, gan: { steps: 30, batchSize: 64 }, labelModel: { epochs: 2 }, syntheticRows: 100, seed: 4 };
    const trained = await runGanIteration(base);
    expect(trained.trace.gan.reused).toBe(false);
    const filtered = await runGanIteration({ ...base, nearCopyFilter: true, reuseTraining: trained });
    expect(filtered.trace.gan.reused).toBe(true);
    // The same models, so the same DP-SGD runs and ε; what differs is what came after training.
    expect(filtered.output.generator).toBe(trained.output.generator);
    expect(filtered.output.labelModel).toBe(trained.output.labelModel);
    expect(filtered.trace.privacy.epsilonSpent).toBe(trained.trace.privacy.epsilonSpent);
    expect(filtered.trace.privacy.runs).toEqual(trained.trace.privacy.runs);
    expect(filtered.trace.release.nearCopyFilter).not.toBeNull();
    expect(filtered.trace.privacy.coversRelease).toBe(false);
    // Training again with the filter gives the very same release: reuse changes nothing but the time.
    const again = await runGanIteration({ ...base, nearCopyFilter: true });
    expect(again.output.synthetic).toEqual(filtered.output.synthetic);
    // Anything that shapes training must match.
    await expectInputErrorAsync(() => runGanIteration({ ...base, seed: 5, reuseTraining: trained }), "reuseTraining");
    await expectInputErrorAsync(() => runGanIteration({ ...base, gan: { steps: 31, batchSize: 64 }, reuseTraining: trained }), "reuseTraining");
    await expectInputErrorAsync(() => runGanIteration({ ...base, labelModel: { epochs: 3 }, reuseTraining: trained }), "reuseTraining");
    await expectInputErrorAsync(() => runGanIteration({ ...base, train: holdout, holdout: train, reuseTraining: trained }), "reuseTraining");
    await expectInputErrorAsync(() => runGanIteration({ ...base, reuseTraining: { output: {} } as never }), "reuseTraining");
  });

  it("rejects bad options with the field named", async () => {
    await expectInputErrorAsync(() => runGanIteration({ train, holdout, settings: { ...exact, targetEpsilon: -1 } }), "settings.targetEpsilon");
    await expectInputErrorAsync(() => runGanIteration({ train, holdout, settings: exact, k: 1 }), "k");
    await expectInputErrorAsync(() => runGanIterations({ train, holdout, initialSettings: exact, iterations: 0 }), "iterations");
  });
});

describe("negative events in the generator's objective", () => {
  it("adds a near-copy penalty on request, and the trace says ε no longer covers the generator", async () => {
    const base = { train, holdout, settings: { levels: {}, groupSize: 1, targetEpsilon: 5 }, gan: { steps: 40, batchSize: 64 }, syntheticRows: 100, seed: 5 };
    const plain = await runGanIteration(base);
    expect(plain.trace.gan.generatorPenalty).toBeNull();
    expect(plain.trace.gan.privacy.coversGenerator).toBe(true);
    const penalised = await runGanIteration({ ...base, nearCopyPenaltyWeight: 2 });
    expect(penalised.trace.gan.generatorPenalty).toMatchObject({ weight: 2, readsRealRows: true });
    expect(penalised.trace.gan.generatorPenalty?.name).toMatch(/near-copy/);
    expect(penalised.trace.gan.privacy.coversGenerator).toBe(false);
    expect(penalised.trace.gan.privacy.notes.join(" ")).toMatch(/NOT COVERED/);
    expect(penalised.trace.gan.log.some((r) => r.penalty !== null)).toBe(true);
    await expectInputErrorAsync(() => runGanIteration({ ...base, nearCopyPenaltyWeight: -1 }), "nearCopyPenaltyWeight");
  });
});
