/**
 * The course library's public surface: what notebooks, quizzes and other programs import.
 * Each stage of the privacy pipeline returns its output and a plain-data trace.
 */
export { collect } from "./pipeline/collect";
export { anonymize, pseudonym } from "./pipeline/anonymize";
export { engineerFeatures, featuresForRow, rawFeatures, FEATURE_DEFINITIONS, FEATURE_NAMES } from "./pipeline/features";
export { trainPrivately, TRAIN_DEFAULTS } from "./pipeline/train";
export { evaluate } from "./pipeline/evaluate";
export { predict } from "./pipeline/predict";
export { runPipeline, DEFAULT_PIPELINE_CONFIG, type PipelineConfig, type PipelineResult } from "./pipeline/run";

export { generateCustomers, GROUND_TRUTH } from "./data/generateCustomers";
export { loadCustomerDataset } from "./data/datasets";
export { parseCustomersCsv, customersToCsv } from "./data/csv";
export { splitTrainTest } from "./data/split";

export { computeEpsilon, calibrateNoise, computeRdp, rdpToEpsilon, RdpAccountant, DEFAULT_ORDERS } from "./privacy/accountant";
export { classificationMetrics, rocAuc, confusionMatrix } from "./evaluation/metrics";
export { runSweep, summariseSweep } from "./experiments/sweep";
export { predictProbabilities, predictLogits } from "./models";

export * as views from "./render/views";
export * as charts from "./render/charts";
export { InputError } from "./validation/errors";
export { useBackend } from "./runtime/tensorflow";
