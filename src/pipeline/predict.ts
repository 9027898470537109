/**
 * Stage 6: predict for one new raw row (name and email included, as it would arrive), with
 * the seed document's four-layer prediction trace:
 *   1 input preprocessing  – identifiers stripped, features built with the training scaler
 *   2 model forward pass   – the logit
 *   3 output activation    – the probability
 *   4 privacy guarantee    – what covers the output (post-processing of the DP model) and what does not
 *
 * Layer 4 states a theorem rather than running a check: no scan of one probability can show that
 * it leaks nothing about the training people; the guarantee comes from how the model was trained.
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
  referenceDate?: string;
}

export const POST_PROCESSING_THEOREM =
  "post-processing: any function of the output of an (ε, δ)-DP algorithm that does not read the data again is (ε, δ)-DP " +
  "(Dwork & Roth 2014, The Algorithmic Foundations of Differential Privacy, Proposition 2.1)";

export interface PrivacyGuaranteeLayer {
  layer: 4;
  name: "Privacy guarantee";
  /** Whether the model was trained with DP (a finite ε). */
  private: boolean;
  epsilon: number;
  delta: number;
  /** What the (ε, δ) covers, and by which theorem. */
  statement: string;
  theorem: string;
  /** What the output depends on that ε does not cover. */
  notCovered: string[];
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
    PrivacyGuaranteeLayer,
  ];
}

/** Layer 4: the guarantee the prediction inherits from the model, and its gaps. */
export function predictionGuarantee(privacy: PredictInput["privacy"], scaler: Scaler): PrivacyGuaranteeLayer {
  const isPrivate = Number.isFinite(privacy.epsilon);
  const scalerNumbers = scaler.means.length + scaler.stds.length;
  const scalerCovered = isPrivate && scaler.privacy !== undefined;
  return {
    layer: 4,
    name: "Privacy guarantee",
    private: isPrivate,
    epsilon: privacy.epsilon,
    delta: privacy.delta,
    statement: isPrivate
      ? `DP-SGD made the model's weights (ε = ${privacy.epsilon.toFixed(3)}, δ = ${privacy.delta})-DP (accountant: ${privacy.accountant ?? "RDP"}) with respect to the training rows as the model saw them ` +
        "(standardised features). The probability is computed from those weights, the scaler and the new row, without reading the training rows again, " +
        (scalerCovered
          ? `and the scaler was released with DP too (Gaussian noise, σ = ${scaler.privacy!.noiseMultiplier.toPrecision(3)}), its release composed with the training run in this ε: ` +
            "so by post-processing every prediction is as private as the weights and the scaler together."
          : "so by post-processing every prediction is as private as the weights are, and no more private than the scaler (below).")
      : "The model was trained without differential privacy: no (ε, δ) bounds what its predictions reveal about the training people.",
    theorem: POST_PROCESSING_THEOREM,
    notCovered: [
      scalerCovered
        ? "The scaler's public bounds are assumptions about the data, declared, not read from it: a value outside them was clamped in the scaler's sums (not in the rows the model trains on), which makes the scaler less accurate, not less private."
        : `The feature scaler (${scalerNumbers} numbers: each feature's mean and standard deviation) was fitted on the training rows without noise. ` +
          "Every prediction uses it, and every training row was standardised with it (one person's row shifts what the model saw of everyone else): " +
          "ε does not cover the scaler, and covers the weights only taking the scaler as given (runPipeline({ privateScaler: true }) releases it with DP).",
      "The hyper-parameters (learning rate, clip norm, batch size) were chosen by looking at the data; that choice is not accounted for.",
      "The new person's own row is read in full: DP protects the training people, not the person asking for a prediction.",
    ],
  };
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

  const output = { probability, prediction: (probability >= 0.5 ? 1 : 0) as 0 | 1 };

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
        predictionGuarantee(privacy, scaler),
      ],
    },
  };
}
