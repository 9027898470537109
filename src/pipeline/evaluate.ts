/**
 * Stage 5: evaluate the private model on the held-out test rows, next to the same model
 * trained without privacy, and report the privacy loss the private one actually spent.
 */
import { classificationMetrics, type ClassificationMetrics } from "../evaluation/metrics";
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
  const epsilonText = Number.isFinite(privacy.epsilon) ? privacy.epsilon.toFixed(2) : "∞";
  const summary =
    `Accuracy ${(100 * privateMetrics.accuracy).toFixed(1)}% at ε = ${epsilonText}, ` +
    `δ = ${privacy.delta}` +
    (nonPrivate
      ? `; without privacy ${(100 * nonPrivate.accuracy).toFixed(1)}% ` +
        `(privacy costs ${(100 * (cost ?? 0)).toFixed(1)} points)`
      : "");
  return {
    output: { private: privateMetrics, nonPrivate, privacy },
    trace: {
      stage: "evaluate",
      shape: { rows: test.x.length, columns: test.x[0].length },
      threshold,
      privacy,
      accuracyCostOfPrivacy: cost,
      summary,
    },
  };
}
