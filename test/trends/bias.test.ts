import { describe, expect, it } from "vitest";
import { findBiases, holmAdjust, metricsByGroup, twoProportionZTest, twoSidedNormalPValue } from "../../src/trends";
import { expectInputError } from "../helpers/expectInputError";
import { simulateScores } from "./simulate";

/** Rows with the given confusion counts for one group (probabilities 0.9 / 0.1 so predictions are exact). */
function rowsFromCounts(group: string, counts: { tp: number; fn: number; fp: number; tn: number }) {
  const rows: { label: number; p: number; group: string }[] = [];
  const add = (k: number, label: number, p: number) => {
    for (let i = 0; i < k; i++) rows.push({ label, p, group });
  };
  add(counts.tp, 1, 0.9);
  add(counts.fn, 1, 0.1);
  add(counts.fp, 0, 0.9);
  add(counts.tn, 0, 0.1);
  return rows;
}

describe("the two-proportion z-test", () => {
  it("matches R's prop.test(c(30, 45), c(100, 100), correct = FALSE): X² = 4.8, p = 0.02846", () => {
    const { z, pValue } = twoProportionZTest(30, 100, 45, 100);
    expect(z * z).toBeCloseTo(4.8, 10);
    expect(z).toBeLessThan(0);
    expect(pValue).toBeCloseTo(0.02846, 5);
    expect(twoProportionZTest(45, 100, 30, 100).pValue).toBeCloseTo(pValue, 14);
  });

  it("normal tail values, and identical all-or-nothing samples give p = 1", () => {
    expect(twoSidedNormalPValue(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(twoSidedNormalPValue(0)).toBe(1);
    expect(twoSidedNormalPValue(-2.5758293035489)).toBeCloseTo(0.01, 12);
    expect(twoProportionZTest(10, 10, 20, 20)).toEqual({ z: 0, pValue: 1 });
  });
});

describe("Holm's correction", () => {
  it("a hand-worked example", () => {
    // sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });

  it("never below the raw p-value, never above Bonferroni, and in the raw order", () => {
    const raw = Array.from({ length: 30 }, (_, i) => ((i * 7919) % 101) / 1000);
    const adjusted = holmAdjust(raw);
    raw.forEach((p, i) => {
      expect(adjusted[i]).toBeGreaterThanOrEqual(p);
      expect(adjusted[i]).toBeLessThanOrEqual(Math.min(1, raw.length * p) + 1e-15);
      raw.forEach((q, j) => {
        if (p < q) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j]);
      });
    });
  });

  it("findBiases corrects over every test it makes: a gap significant alone is not flagged among six tests", () => {
    // Accuracy 60/100 vs 75/100 (raw p ≈ 0.024); recall 30/50 vs 38/50 and precision 30/50 vs 38/51 differ less.
    const rows = [...rowsFromCounts("a", { tp: 30, fn: 20, fp: 20, tn: 30 }), ...rowsFromCounts("b", { tp: 38, fn: 12, fp: 13, tn: 37 })];
    const report = metricsByGroup({ labels: rows.map((r) => r.label), probabilities: rows.map((r) => r.p), groups: { team: rows.map((r) => r.group) } }).output;

    const accuracyOnly = findBiases(report, { metrics: ["accuracy"] });
    const all = findBiases(report);
    const rawP = twoProportionZTest(60, 100, 75, 100).pValue;
    expect(rawP).toBeLessThan(0.05);
    expect(accuracyOnly.trace.testsMade).toBe(2); // team a vs b and team b vs a: the same test, counted twice
    expect(all.trace.testsMade).toBe(6);
    const test2 = accuracyOnly.output.tests.find((t) => t.group === "a")!;
    const test6 = all.output.tests.find((t) => t.group === "a" && t.metric === "accuracy")!;
    expect(test2.pValue).toBeCloseTo(rawP, 14);
    expect(test6.pValue).toBeCloseTo(rawP, 14);
    // The accuracy p-value is the smallest of the six, so Holm multiplies it by m.
    expect(all.output.tests.every((t) => t.pValue >= test6.pValue - 1e-15)).toBe(true);
    expect(test2.adjustedPValue).toBeCloseTo(2 * rawP, 12);
    expect(test6.adjustedPValue).toBeCloseTo(6 * rawP, 12);
    expect(accuracyOnly.output.findings.map((f) => [f.group, f.metric])).toEqual([
      ["a", "accuracy"],
      ["b", "accuracy"],
    ]);
    expect(all.output.findings).toEqual([]);
    expect(all.trace.definitions.correction).toMatch(/Holm.*6 tests/);
  });
});

describe("findBiases on seeded data", () => {
  it("flags a planted bias: the group whose buyers the model under-scores", () => {
    const planted = simulateScores({ seed: 1, rows: 2000, degraded: "C" });
    const { output, trace } = findBiases(metricsByGroup(planted).output);
    const recallC = output.findings.find((f) => f.group === "C" && f.metric === "recall");
    expect(recallC).toBeDefined();
    expect(recallC!.gap).toBeLessThan(-0.05);
    expect(recallC!.value).toBeCloseTo(recallC!.successes / recallC!.trials, 14);
    expect(recallC!.restValue).toBeCloseTo(recallC!.restSuccesses / recallC!.restTrials, 14);
    expect(recallC!.sentence).toMatch(/^Recall for segment "C" is .* lower; p = .*Holm-adjusted/);
    expect(output.findings.some((f) => f.group === "C" && f.metric === "accuracy" && f.gap < 0)).toBe(true);
    // No other group is worse than the rest in recall: C is the one that was degraded.
    expect(output.findings.filter((f) => f.metric === "recall" && f.gap < 0).map((f) => f.group)).toEqual(["C"]);
    // Every finding meets both conditions.
    for (const f of output.findings) {
      expect(Math.abs(f.gap)).toBeGreaterThanOrEqual(0.05);
      expect(f.adjustedPValue).toBeLessThanOrEqual(0.05);
    }
    expect(trace.flagged).toBe(output.findings.length);
    expect(trace.testsMade).toBe(4 * 3);
  });

  it("rarely flags anything when every group has the same distribution (family-wise error ≤ alpha)", () => {
    const datasets = 40;
    let withAnyFlag = 0;
    let tests = 0;
    for (let seed = 100; seed < 100 + datasets; seed++) {
      const same = simulateScores({ seed, rows: 2000 });
      const { output, trace } = findBiases(metricsByGroup(same).output);
      tests += trace.testsMade;
      if (output.findings.length > 0) withAnyFlag++;
    }
    expect(tests).toBe(datasets * 12);
    // Expected ≤ 2 of 40 at alpha = 0.05; P(≥ 5) < 5% even if the rate were exactly alpha.
    expect(withAnyFlag).toBeLessThanOrEqual(4);
  });

  it("does not flag a small gap, and skips groups without enough support", () => {
    const planted = simulateScores({ seed: 3, rows: 2000, degraded: "C", shift: 2 });
    const report = metricsByGroup(planted).output;
    const strict = findBiases(report, { minGap: 0.9 });
    expect(strict.output.findings).toEqual([]);
    expect(strict.output.tests.length).toBe(12);
    const small = simulateScores({ seed: 4, rows: 120, degraded: "C" });
    const sparse = findBiases(metricsByGroup(small).output, { minSupport: 40 });
    expect(sparse.output.skipped.length).toBeGreaterThan(0);
    for (const s of sparse.output.skipped) expect(s.reason).toMatch(/fewer than minSupport = 40|undefined/);
    expect(sparse.output.tests.length + sparse.output.skipped.length).toBe(12);
  });

  it("bad options are InputErrors naming the field", () => {
    const report = metricsByGroup(simulateScores({ seed: 5, rows: 200 })).output;
    expectInputError(() => findBiases(report, { minGap: 1 }), "minGap", /\[0, 1\)/);
    expectInputError(() => findBiases(report, { alpha: 0 }), "alpha", /\(0, 1\)/);
    expectInputError(() => findBiases(report, { minSupport: 0 }), "minSupport", /≥ 1/);
    expectInputError(() => findBiases(report, { metrics: ["f1" as "accuracy"] }), "metrics[0]", /accuracy, precision, recall/);
    expectInputError(() => findBiases({} as typeof report), "groupMetrics", /metricsByGroup/);
  });
});
