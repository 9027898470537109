import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditTrainingRun } from "../../src/audit/canaryAudit";
import { flattenModel, gradientCanaryScores, initialModelFor, padRows, planGradientCanaries, stripPaddedInputs } from "../../src/audit/canaries";
import { multiRunAudit } from "../../src/audit/multiRun";
import { runAuditSweep } from "../../src/audit/sweep";
import { loadMembershipData } from "../../src/data/membershipData";
import { trainPrivately } from "../../src/pipeline/train";
import { useBackend } from "../../src/runtime/tensorflow";
import { expectInputError } from "../helpers/expectInputError";

beforeAll(async () => {
  await useBackend();
  // The broken runs warn loudly on purpose; keep the test log readable.
  vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
});

/** 221 members of the real diabetes data, 10 features: small and quick. */
const diabetes = loadMembershipData("diabetes", { seed: 7 });
const data = diabetes.members;

describe("gradient canaries", () => {
  it("live on first-layer weights of zero input columns, which data never moves", async () => {
    const plan = planGradientCanaries({ inputs: 10, count: 40, model: "mlp", hidden: [16] });
    expect(plan.paddedInputs).toBe(3);
    expect(plan.indices[0]).toBe(10 * 16); // W0 row 10 (first padded input), unit 0
    expect(plan.indices[17]).toBe(11 * 16 + 1);
    const x = padRows(data.x, plan.paddedInputs);
    // No canary inserted, no noise: the padded inputs' weights must not move at all.
    const trained = await trainPrivately({ x, y: data.y }, { epsilon: 1, model: "mlp", hidden: [16], epochs: 2, seed: 5, unsafeForAudit: { skipNoise: true }, gradientCanaries: { indices: [], magnitude: 1 } });
    const initial = initialModelFor({ model: "mlp", hidden: [16], inputs: 13, seed: 5 });
    expect(gradientCanaryScores(initial, trained.output.model, plan.indices)).toEqual(plan.indices.map(() => 0));
    // …while the real weights did move, and stripping leaves a model for the 10 real inputs.
    expect(flattenModel(trained.output.model)).not.toEqual(flattenModel(initial));
    expect(stripPaddedInputs(trained.output.model, 10).layers[0].weights).toHaveLength(10);
  });

  it("are Poisson-sampled, clipped to C and counted in the trace", async () => {
    const plan = planGradientCanaries({ inputs: 10, count: 20, model: "logistic" });
    const x = padRows(data.x, plan.paddedInputs);
    const run = (unsafe?: { skipClipping: true }) =>
      trainPrivately({ x, y: data.y }, {
        epsilon: 1,
        epochs: 3,
        seed: 5,
        gradientCanaries: { indices: plan.indices, magnitude: 50 },
        unsafeForAudit: { skipNoise: true, ...(unsafe ?? {}) },
      });
    const clipped = await run();
    const t = clipped.trace;
    expect(t.gradientCanaries).toEqual({ count: 20, magnitude: 50, sampledTotal: expect.any(Number) });
    expect(t.gradientCanaries!.sampledTotal).toBeGreaterThan(0.5 * 20 * t.steps * t.sampleRate);
    expect(t.gradientCanaries!.sampledTotal).toBeLessThan(1.5 * 20 * t.steps * t.sampleRate);
    const initial = initialModelFor({ model: "logistic", inputs: 10 + plan.paddedInputs, seed: 5 });
    const clippedScores = gradientCanaryScores(initial, clipped.output.model, plan.indices);
    const unclippedScores = gradientCanaryScores(initial, (await run({ skipClipping: true })).output.model, plan.indices);
    // Without noise, an unclipped canary moves its weight exactly 50× as far as a clipped one (C = 1).
    clippedScores.forEach((s, i) => expect(unclippedScores[i]).toBeCloseTo(50 * s, 3));
  });

  it("reject bad canary options", async () => {
    await expect(trainPrivately(data, { epochs: 1, gradientCanaries: { indices: [11], magnitude: 1 } })).rejects.toMatchObject({ field: "gradientCanaries.indices[0]" });
    await expect(trainPrivately(data, { epochs: 1, gradientCanaries: { indices: [1, 1], magnitude: 1 } })).rejects.toMatchObject({ field: "gradientCanaries.indices[1]" });
    await expect(trainPrivately(data, { epochs: 1, gradientCanaries: { indices: [1], magnitude: 0 } })).rejects.toMatchObject({ field: "gradientCanaries.magnitude" });
    expectInputError(() => planGradientCanaries({ inputs: 10, count: 1, model: "logistic" }), "canaries");
  });
});

describe("the deliberately broken DP-SGD mode", () => {
  it("needs an explicit, finite-ε opt-in and says loudly that ε is false", async () => {
    const { trace } = await trainPrivately(data, { epsilon: 1, epochs: 1, seed: 1, unsafeForAudit: { skipClipping: true } });
    expect(trace.unsafeForAudit).toEqual({ skipClipping: true });
    expect(trace.warnings.join(" ")).toMatch(/BROKEN DP-SGD.*per-example clipping SKIPPED.*FALSE/);
    expect(trace.epsilonSpent).toBeLessThanOrEqual(1); // still claimed: that is the bug the audit must catch
    await expect(trainPrivately(data, { epsilon: Infinity, unsafeForAudit: { skipNoise: true } })).rejects.toMatchObject({ field: "unsafeForAudit" });
    await expect(trainPrivately(data, { unsafeForAudit: {} as never })).rejects.toMatchObject({ field: "unsafeForAudit" });
    await expect(trainPrivately(data, { unsafeForAudit: { skipNoise: false } as never })).rejects.toMatchObject({ field: "unsafeForAudit" });
    // Default runs carry no audit fields at all.
    const normal = await trainPrivately(data, { epsilon: 1, epochs: 1, seed: 1 });
    expect("unsafeForAudit" in normal.trace || "gradientCanaries" in normal.trace).toBe(false);
  });
});

describe("one-run audit (Steinke, Nasr & Jagielski 2023)", () => {
  it("never proves more than the accountant's ε for correct DP-SGD (seeded runs)", async () => {
    for (const [epsilon, seed] of [[1, 7], [1, 11], [4, 7], [4, 11]]) {
      const { trace } = await auditTrainingRun({ data, training: { epsilon, seed } });
      expect(trace.epsilonLowerBound, `ε = ${epsilon}, seed ${seed}`).toBeLessThanOrEqual(trace.accountantEpsilon);
      expect(trace.violation).toBe(false);
      expect(trace.verdict).toMatch(/^Consistent/);
    }
  });

  it("proves clearly MORE than the claimed ε when clipping is skipped", async () => {
    const { trace } = await auditTrainingRun({ data, training: { epsilon: 1, seed: 7, unsafeForAudit: { skipClipping: true } } });
    expect(trace.accountantEpsilon).toBeLessThanOrEqual(1);
    expect(trace.epsilonLowerBound).toBeGreaterThan(2);
    expect(trace.violation).toBe(true);
    expect(trace.verdict).toMatch(/^VIOLATION.*deliberately broken/);
  });

  it("proves clearly MORE than the claimed ε when the noise is skipped", async () => {
    const { trace } = await auditTrainingRun({ data, training: { epsilon: 1, seed: 7, unsafeForAudit: { skipNoise: true } } });
    expect(trace.epsilonLowerBound).toBeGreaterThan(3);
    expect(trace.violation).toBe(true);
  });

  it("shows the leak of non-private training", async () => {
    const { output, trace } = await auditTrainingRun({ data, training: { epsilon: Infinity, seed: 7 } });
    expect(trace.epsilonLowerBound).toBeGreaterThan(3);
    expect(trace.verdict).toMatch(/No privacy claimed/);
    expect(output.model.layers[0].weights).toHaveLength(10); // released model: real inputs only
    expect(output.scores).toHaveLength(1000);
  });

  it("runs with black-box input canaries too (weaker, still below the claim)", async () => {
    const { trace } = await auditTrainingRun({ data, kind: "input", canaries: 60, training: { epsilon: 2, seed: 7 } });
    expect(trace.kind).toBe("input");
    expect(trace.paddedInputs).toBe(0);
    expect(trace.epsilonLowerBound).toBeLessThanOrEqual(trace.accountantEpsilon);
  });

  it("rejects bad audit options", async () => {
    await expect(auditTrainingRun({ data, kind: "box" as never })).rejects.toMatchObject({ field: "kind" });
    await expect(auditTrainingRun({ data, canaries: 1 })).rejects.toMatchObject({ field: "canaries" });
    await expect(auditTrainingRun({ data, confidence: 1 })).rejects.toMatchObject({ field: "confidence" });
    await expect(auditTrainingRun({ data: { x: [], y: [] } })).rejects.toMatchObject({ field: "data.x" });
    await expect(auditTrainingRun({ data, training: { gradientCanaries: { indices: [], magnitude: 1 } } as never })).rejects.toMatchObject({ field: "training.gradientCanaries" });
  });
});

describe("multi-run audit with Clopper–Pearson bounds", () => {
  const tiny = { x: data.x.slice(0, 60), y: data.y.slice(0, 60) };
  it("refutes a no-noise run's claim and stays below a correct run's ε", async () => {
    const broken = await multiRunAudit({ data: tiny, runs: 120, training: { epsilon: 1, epochs: 1, unsafeForAudit: { skipNoise: true } } });
    // 60 evaluation trials, perfectly separated: ln((1 − δ − u)/u) with u the CP upper bound of 0 errors in ~30.
    const { counts, bound } = broken.output;
    expect(counts.falsePositives + counts.falseNegatives).toBe(0);
    expect(bound.epsilonLowerBound).toBeGreaterThan(1.5);
    expect(broken.output.trials).toHaveLength(120);
    const correct = await multiRunAudit({ data: tiny, runs: 120, training: { epsilon: 1, epochs: 1 } });
    expect(correct.output.bound.epsilonLowerBound).toBeLessThanOrEqual(correct.output.accountantEpsilon);
  });

  it("rejects bad options", async () => {
    await expect(multiRunAudit({ data: tiny, runs: 7 })).rejects.toMatchObject({ field: "runs" });
    await expect(multiRunAudit({ data: tiny, training: { seed: 1 } as never })).rejects.toMatchObject({ field: "training" });
  });
});

describe("audit sweep", () => {
  it("reports accuracy, attack AUC and the audited bound per ε, and flags a broken sweep", async () => {
    const { output, trace } = await runAuditSweep({ dataset: diabetes, epsilons: [1, Infinity], canaries: 200 });
    expect(output.points.map((p) => p.epsilonTarget)).toEqual([1, Infinity]);
    expect(output.points[0].auditLowerBound).toBeLessThanOrEqual(output.points[0].accountantEpsilon);
    expect(output.points[1].auditLowerBound).toBeGreaterThan(2);
    expect(output.points.every((p) => p.testAccuracy > 0.6 && p.attackAuc > 0.4 && p.attackAuc < 0.65)).toBe(true);
    expect(trace.canaries).toBe(200);
    const broken = await runAuditSweep({ dataset: diabetes, epsilons: [1], canaries: 200, unsafeForAudit: { skipClipping: true } });
    expect(broken.output.points[0].violation).toBe(true);
    expect(broken.trace.notes.join(" ")).toMatch(/BROKEN/);
    await expect(runAuditSweep({ dataset: diabetes, epsilons: [0] })).rejects.toMatchObject({ field: "epsilons[0]" });
  });
});
