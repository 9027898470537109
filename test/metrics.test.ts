import { describe, expect, it } from "vitest";
import { classificationMetrics, confusionMatrix, rocAuc } from "../src/evaluation/metrics";
import { InputError } from "../src/validation/errors";

describe("classification metrics", () => {
  // Worked by hand: labels 1,1,1,0,0,0,0,1 with threshold 0.5.
  const labels = [1, 1, 1, 0, 0, 0, 0, 1];
  const probabilities = [0.9, 0.8, 0.3, 0.6, 0.2, 0.1, 0.4, 0.7];

  it("counts the confusion matrix", () => {
    expect(confusionMatrix(labels, probabilities)).toEqual({
      truePositives: 3,
      falsePositives: 1,
      trueNegatives: 3,
      falseNegatives: 1,
    });
  });

  it("derives accuracy, precision, recall and F1", () => {
    const m = classificationMetrics(labels, probabilities);
    expect(m.accuracy).toBeCloseTo(6 / 8);
    expect(m.precision).toBeCloseTo(3 / 4);
    expect(m.recall).toBeCloseTo(3 / 4);
    expect(m.f1).toBeCloseTo(3 / 4);
    expect(m.support).toEqual({ positives: 4, negatives: 4 });
  });

  it("computes ROC AUC as the share of correctly ordered positive/negative pairs", () => {
    // Pairs (pos, neg): positives 0.9, 0.8, 0.7 beat all 4 negatives; 0.3 beats 0.2 and 0.1 only.
    expect(rocAuc(labels, probabilities)).toBeCloseTo((12 + 2) / 16);
    expect(rocAuc([0, 1], [0.5, 0.5])).toBeCloseTo(0.5); // a tie counts one half
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
  });

  it("refuses ROC AUC for one class, naming it (classificationMetrics reports NaN for such a slice)", () => {
    expect(() => rocAuc([1, 1], [0.2, 0.9])).toThrow(/labels must be both classes, 0 and 1 .*got "only 1s"/);
    expect(() => rocAuc([0, 0, 0], [0.2, 0.9, 0.1])).toThrow(InputError);
    expect(classificationMetrics([1, 1], [0.2, 0.9]).rocAuc).toBeNaN();
  });

  it("rejects bad input with the field named", () => {
    expect(() => classificationMetrics([1, 2], [0.1, 0.2])).toThrow(InputError);
    expect(() => classificationMetrics([1, 2], [0.1, 0.2])).toThrow(/labels\[1\]/);
    expect(() => classificationMetrics([1, 0], [0.1])).toThrow(/scores/);
    expect(() => classificationMetrics([1, 0], [0.1, Number.NaN])).toThrow(/scores\[1\]/);
  });
});
