/**
 * Stage 5: evaluate the private model on the held-out test rows, next to the same model
 * trained without privacy, and report the privacy loss the private one actually spent.
 */
import { classificationMetrics, type ClassificationMetrics } from "../evaluation/metrics";
import { intervalsApart, wilsonInterval, type Interval } from "../evaluation/intervals";
import { predictProbabilities, type ModelData } from "../models";
import { InputError } from "../validation/errors";

export interface PrivacySpent {
  epsilon: number;
  delta: number;
  /** The ε the run was calibrated for (∞ for non-private training). */
  epsilonTarget: number;
  accountant: string;
}

export interface EvaluateInput {
  test: { x: number[][]; y: number[] };
  model: ModelData;
  privacy: PrivacySpent;
  /** The same architecture trained without privacy, for comparison. */
  baseline?: ModelData;
  threshold?: number;
}

export interface EvaluateTrace {
  stage: "evaluate";
  shape: { rows: number; columns: number };
  threshold: number;
  privacy: PrivacySpent;
  accuracyCostOfPrivacy: number | null;
  /** 95% Wilson intervals of each accuracy: the noise of testing on this many rows. */
  accuracyIntervals: { private: Interval; nonPrivate: Interval | null };
  /**
   * Whether the difference is more than the test set's noise (the two intervals do not overlap, a
   * conservative test); null without a non-private model.
   */
  costSignificant: boolean | null;
  summary: string;
}

export interface EvaluateOutput {
  private: ClassificationMetrics;
  nonPrivate: ClassificationMetrics | null;
  privacy: PrivacySpent;
}

export function evaluate(input: EvaluateInput): { output: EvaluateOutput; trace: EvaluateTrace } {
  const { test, model, baseline, privacy, threshold = 0.5 } = input;
  if (test.x.length === 0) throw new InputError("test.x", "at least 1 row", test.x);
  if (test.x.length !== test.y.length) {
    throw new InputError("test.y", `${test.x.length} labels (one per row of test.x)`, test.y);
  }
  const privateMetrics = classificationMetrics(test.y, predictProbabilities(model, test.x), threshold);
  const nonPrivate = baseline
    ? classificationMetrics(test.y, predictProbabilities(baseline, test.x), threshold)
    : null;
  const cost = nonPrivate ? nonPrivate.accuracy - privateMetrics.accuracy : null;
  const n = test.x.length;
  const intervalOf = (m: ClassificationMetrics) => wilsonInterval(Math.round(m.accuracy * n), n) as Interval;
  const accuracyIntervals = { private: intervalOf(privateMetrics), nonPrivate: nonPrivate ? intervalOf(nonPrivate) : null };
  const costSignificant = accuracyIntervals.nonPrivate ? intervalsApart(accuracyIntervals.private, accuracyIntervals.nonPrivate) : null;
  const epsilonText = Number.isFinite(privacy.epsilon) ? privacy.epsilon.toFixed(2) : "∞";
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const withInterval = (value: number, i: Interval) => `${pct(value)} [95% ${pct(i.low)}–${pct(i.high)}]`;
  const points = (100 * (cost ?? 0)).toFixed(1);
  const summary =
    `Accuracy ${withInterval(privateMetrics.accuracy, accuracyIntervals.private)} at ε = ${epsilonText}, ` +
    `δ = ${privacy.delta}` +
    (nonPrivate && accuracyIntervals.nonPrivate
      ? `; without privacy ${withInterval(nonPrivate.accuracy, accuracyIntervals.nonPrivate)}. ` +
        (costSignificant
          ? `Privacy costs ${points} points, more than the noise of testing on ${n} rows.`
          : `The difference (${points} points) is within the noise of testing on ${n} rows (the 95% intervals overlap): ` +
            "this test cannot tell the two models apart.")
      : "");
  return {
    output: { private: privateMetrics, nonPrivate, privacy },
    trace: {
      stage: "evaluate",
      shape: { rows: test.x.length, columns: test.x[0].length },
      threshold,
      privacy,
      accuracyCostOfPrivacy: cost,
      accuracyIntervals,
      costSignificant,
      summary,
    },
  };
}
