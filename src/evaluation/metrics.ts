/**
 * Binary-classification metrics as pure functions over plain arrays, so a notebook, a quiz
 * checker and a test can all call them on their own numbers.
 */
import { InputError } from "../validation/errors";

export interface ConfusionMatrix {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

export interface ClassificationMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  threshold: number;
  confusion: ConfusionMatrix;
  support: { positives: number; negatives: number };
}

function checkInputs(labels: readonly number[], scores: readonly number[]): void {
  if (labels.length === 0) throw new InputError("labels", "a non-empty array of 0/1", labels);
  if (scores.length !== labels.length) {
    throw new InputError("scores", `an array of ${labels.length} numbers (one per label)`, scores);
  }
  labels.forEach((label, i) => {
    if (label !== 0 && label !== 1) throw new InputError(`labels[${i}]`, "0 or 1", label);
  });
  scores.forEach((score, i) => {
    if (!Number.isFinite(score)) throw new InputError(`scores[${i}]`, "a finite number", score);
  });
}

export function confusionMatrix(
  labels: readonly number[],
  probabilities: readonly number[],
  threshold = 0.5,
): ConfusionMatrix {
  checkInputs(labels, probabilities);
  const matrix = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  labels.forEach((label, i) => {
    const predicted = probabilities[i] >= threshold ? 1 : 0;
    if (predicted === 1 && label === 1) matrix.truePositives++;
    else if (predicted === 1) matrix.falsePositives++;
    else if (label === 0) matrix.trueNegatives++;
    else matrix.falseNegatives++;
  });
  return matrix;
}

/**
 * ROC AUC as the probability that a random positive scores above a random negative
 * (ties count one half): the Mann–Whitney U statistic over average ranks.
 */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  checkInputs(labels, scores);
  const order = scores.map((score, i) => ({ score, label: labels[i] }));
  order.sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSumPositives = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].score === order[start].score) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (order[k].label === 1) {
        positives++;
        rankSumPositives += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new InputError("labels", "both classes, 0 and 1 (ROC AUC compares positives with negatives; with one class it is undefined)", `only ${positives === 0 ? "0s" : "1s"}`);
  }
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const ratio = (numerator: number, denominator: number): number =>
  denominator === 0 ? 0 : numerator / denominator;

export function classificationMetrics(
  labels: readonly number[],
  probabilities: readonly number[],
  threshold = 0.5,
): ClassificationMetrics {
  const confusion = confusionMatrix(labels, probabilities, threshold);
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } =
    confusion;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    accuracy: (tp + tn) / labels.length,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    // A group of one class (a slice in trends/) has no ROC AUC: NaN there, where rocAuc itself refuses.
    rocAuc: confusion.truePositives + confusion.falseNegatives > 0 && confusion.trueNegatives + confusion.falsePositives > 0 ? rocAuc(labels, probabilities) : Number.NaN,
    threshold,
    confusion,
    support: { positives: tp + fn, negatives: tn + fp },
  };
}
