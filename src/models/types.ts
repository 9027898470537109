/**
 * Models as plain data. Traces, predictions and notebooks see only these arrays; tensors
 * are created inside the functions that need them and disposed there.
 */
export type ModelKind = "logistic" | "mlp";
export const MODEL_KINDS: readonly ModelKind[] = ["logistic", "mlp"];

/** A dense layer z = a·W + b; `weights` is [inputs][outputs], `bias` is [outputs]. */
export interface LayerData {
  weights: number[][];
  bias: number[];
}

/** Binary classifier: the last layer has one output (a logit); hidden layers use ReLU. */
export interface ModelData {
  kind: ModelKind;
  layers: LayerData[];
}
