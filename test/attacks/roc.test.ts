import { describe, expect, it } from "vitest";
import { areaUnderCurve, rocCurve, summariseRoc, thinCurve, tprAtFpr } from "../../src/attacks/roc";
import { rocAuc } from "../../src/evaluation/metrics";
import { createRng } from "../../src/random/rng";
import { expectInputError } from "../helpers/expectInputError";

describe("ROC curve, AUC and TPR at low FPR (hand-worked)", () => {
  it("traces a perfect attack from (0,0) through (0,1) to (1,1)", () => {
    const points = rocCurve([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.1]);
    expect(points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0, 1],
      [0.5, 1],
      [1, 1],
    ]);
    expect(points[0].threshold).toBe(Infinity);
    expect(areaUnderCurve(points)).toBe(1);
    expect(tprAtFpr(points, 0.01)).toBe(1);
  });

  it("works a mixed case by hand: labels 1,0,1,0 with scores 4,3,2,1", () => {
    // Thresholds 4, 3, 2, 1 give (FPR, TPR) = (0, ½), (½, ½), (½, 1), (1, 1).
    const summary = summariseRoc([1, 0, 1, 0], [4, 3, 2, 1]);
    expect(summary.points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    // Area: ½·½ + ½·1 = 0.75; three of the four (member, non-member) pairs are ordered right.
    expect(summary.auc).toBe(0.75);
    expect(summary.tprAt1PctFpr).toBe(0.5);
    expect(summary.tprAt01PctFpr).toBe(0.5);
    expect(summary.maxAdvantage).toBe(0.5);
    expect(summary.fprResolution).toBe(0.5);
  });

  it("counts ties one half: equal scores move along the diagonal", () => {
    const points = rocCurve([1, 0], [0.5, 0.5]);
    expect(points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(areaUnderCurve(points)).toBe(0.5);
    expect(tprAtFpr(points, 0.5)).toBe(0); // no threshold reaches TPR > 0 at FPR ≤ ½
  });

  it("reads TPR at FPR without interpolating", () => {
    // 1 member above all 100 non-members, the other member in the middle.
    const labels = [1, 1, ...new Array(100).fill(0)];
    const scores = [1000, 50.5, ...Array.from({ length: 100 }, (_, i) => i)];
    const summary = summariseRoc(labels, scores, [0.01, 0.5]);
    expect(summary.tprAtFpr).toEqual([
      { fpr: 0.01, tpr: 0.5 },
      { fpr: 0.5, tpr: 1 },
    ]);
  });

  it("agrees with the Mann–Whitney AUC of the metrics module on random scores with ties", () => {
    const rng = createRng(3);
    const labels = Array.from({ length: 300 }, () => (rng.uniform() < 0.4 ? 1 : 0));
    const scores = labels.map((l) => Math.round(10 * (rng.normal() + 0.7 * l)) / 10);
    expect(summariseRoc(labels, scores).auc).toBeCloseTo(rocAuc(labels, scores), 12);
  });

  it("thins long curves for charts but keeps the ends and the low-FPR corner", () => {
    const rng = createRng(4);
    const labels = Array.from({ length: 5000 }, (_, i) => i % 2);
    const points = rocCurve(labels, labels.map(() => rng.normal()));
    const thin = thinCurve(points, 300);
    expect(thin.length).toBeLessThan(points.length);
    expect(thin[0]).toEqual(points[0]);
    expect(thin[thin.length - 1]).toEqual(points[points.length - 1]);
    expect(thin.filter((p) => p.fpr <= 0.01)).toEqual(points.filter((p) => p.fpr <= 0.01));
  });

  it("rejects bad inputs with the field and the allowed values", () => {
    expectInputError(() => rocCurve([], []), "isMember", /non-empty/);
    expectInputError(() => rocCurve([1, 0], [1]), "scores", /2 numbers/);
    expectInputError(() => rocCurve([1, 2], [1, 0]), "isMember[1]", /0 or 1/);
    expectInputError(() => rocCurve([1, 1], [1, 0]), "isMember", /both members/);
    expectInputError(() => rocCurve([1, 0], [NaN, 0]), "scores[0]", /number/);
    expectInputError(() => tprAtFpr([], 2), "fpr", /\[0, 1\]/);
    expectInputError(() => summariseRoc([1, 0], [1, 0], [-0.1]), "fprLevels[0]");
  });
});
