/**
 * Stage 6: predict for one new raw row (name and email included, as it would arrive), with
 * the seed document's four-layer prediction trace:
 *   1 input preprocessing  – identifiers stripped, features built with the training scaler
 *   2 model forward pass   – the logit
 *   3 output activation    – the probability
 *   4 privacy check        – what was verified
 */
import type { Customer } from "../data/schema";
import { predictLogits, type ModelData } from "../models";
import { anonymize } from "./anonymize";
import { featuresForRow, type Scaler } from "./features";

export interface PredictInput {
  row: Customer;
  model: ModelData;
  scaler: Scaler;
  featureNames: string[];
  /** `accountant` names who measured ε (the training trace's); RDP when absent. */
  privacy: { epsilon: number; delta: number; accountant?: string };
  /** Strings of the training data that must not appear in the output (e.g. its names). */
  trainingIdentifiers?: readonly string[];
  referenceDate?: string;
}

export interface PredictionTrace {
  stage: "predict";
  layers: [
    {
      layer: 1;
      name: "Input preprocessing";
      removed: string[];
      kept: string[];
      features: Record<string, number>;
    },
    { layer: 2; name: "Model forward pass"; logit: number },
    { layer: 3; name: "Output activation"; activation: "sigmoid"; probability: number },
    {
      layer: 4;
      name: "Privacy check";
      checks: { check: string; passed: boolean; detail: string }[];
    },
  ];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function predict(input: PredictInput): {
  output: { probability: number; prediction: 0 | 1 };
  trace: PredictionTrace;
} {
  const { row, model, scaler, featureNames, privacy } = input;
  // Reuse stage 2 and stage 3 on this one row: one code path for training and prediction.
  const { output: anonymised, trace: anonymiseTrace } = anonymize([{ ...row, buysNextMonth: 0 }]);
  const features = featuresForRow(anonymised[0], scaler, input.referenceDate);
  const logit = predictLogits(model, [features])[0];
  const probability = sigmoid(logit);

  const modelInput = JSON.stringify({ features, anonymised: anonymised[0] });
  const identifiers = [row.name, row.email].filter((s) => s.length > 0);
  const output = { probability, prediction: (probability >= 0.5 ? 1 : 0) as 0 | 1 };
  const outputText = JSON.stringify(output);
  const trainingLeaks = (input.trainingIdentifiers ?? []).filter((s) => outputText.includes(s));

  const checks = [
    {
      check: "no direct identifier reached the model",
      passed: identifiers.every((id) => !modelInput.includes(id)),
      detail: `scanned the model input for ${identifiers.length} identifier strings (name, email)`,
    },
    {
      check: "model trained with differential privacy",
      passed: Number.isFinite(privacy.epsilon),
      detail: Number.isFinite(privacy.epsilon)
        ? `(ε = ${privacy.epsilon.toFixed(3)}, δ = ${privacy.delta}) by the ${privacy.accountant?.startsWith("PLD") ? "PLD" : "RDP"} accountant`
        : "non-private model: no (ε, δ) guarantee",
    },
    {
      check: "output carries no training data",
      passed: trainingLeaks.length === 0,
      detail:
        "the output is one probability; " +
        `${(input.trainingIdentifiers ?? []).length} training identifiers scanned, ${trainingLeaks.length} found`,
    },
  ];

  return {
    output,
    trace: {
      stage: "predict",
      layers: [
        {
          layer: 1,
          name: "Input preprocessing",
          removed: anonymiseTrace.columns
            .filter((c) => c.action === "dropped" || c.action === "pseudonymised")
            .map((c) => c.column),
          kept: anonymiseTrace.columns.filter((c) => c.action !== "dropped").map((c) => c.column),
          features: Object.fromEntries(featureNames.map((name, i) => [name, features[i]])),
        },
        { layer: 2, name: "Model forward pass", logit },
        { layer: 3, name: "Output activation", activation: "sigmoid", probability },
        { layer: 4, name: "Privacy check", checks },
      ],
    },
  };
}
