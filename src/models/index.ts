export * from "./types";
export { createModel, parameterCount, inputSizeOf, validateModelData, DEFAULT_HIDDEN } from "./init";
export type { CreateModelOptions } from "./init";
export * from "./tensors";
export { predictLogits, predictProbabilities, evaluateModel } from "./predict";
