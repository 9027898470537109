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
export { TOWNS, REFERENCE_DATE } from "./data/schema";
export { loadCustomerDataset } from "./data/datasets";
export { parseCustomersCsv, customersToCsv } from "./data/csv";
export { splitTrainTest } from "./data/split";

export { computeEpsilon, calibrateNoise, computeRdp, rdpToEpsilon, RdpAccountant, DEFAULT_ORDERS } from "./privacy/accountant";
export { createAccountant, PldAccountant, compareAccountants, sampledGaussianEvent, type Accountant, type AccountantChoice, type DpEvent } from "./privacy/accountant";
export { classificationMetrics, rocAuc, confusionMatrix } from "./evaluation/metrics";
export { runSweep, summariseSweep } from "./experiments/sweep";
export { groupCostOfPrivacy, GROUPINGS, type GroupCostOptions, type GroupCostRow, type GroupCostTrace, type Grouping } from "./experiments/groupCost";
export { predictProbabilities, predictLogits } from "./models";

export * as views from "./render/views";
export * as anonymityViews from "./render/anonymityViews";
export { riskVsKFigure } from "./render/charts/riskVsK";
export * from "./anonymity";
export * as charts from "./render/charts";

// Does the privacy hold? Attacks, audits, memorisation and the hospital example.
export * from "./attacks";
export * from "./audit";
export { canaryExposureTest, rankSecret, exposure, candidateSecrets, recordWithSecret, type SecretTemplate } from "./memorisation/exposure";
export {
  generatePatients,
  loadPatients,
  patientFeatures,
  patientFeatureRow,
  fitPatientScaler,
  groundTruthRisk,
  DIAGNOSIS_CODES,
  RARE_CODES,
  PATIENT_FEATURE_NAMES,
  PATIENT_GROUND_TRUTH,
  type Patient,
} from "./data/patients";
export { loadDiabetes, diabetesFeatures, DIABETES_FEATURES } from "./data/diabetes";
export { loadMembershipData, MEMBERSHIP_DATASETS, type MembershipData, type MembershipDatasetName } from "./data/membershipData";
export * as auditViews from "./render/auditViews";
export { rocCurveFigure, membershipScoresFigure, canaryScoresFigure, exposureFigure, auditSweepFigure } from "./render/charts/attacks";
export { InputError } from "./validation/errors";
export { useBackend } from "./runtime/tensorflow";

// Synthetic data and its measures, the GAN iteration, and the accurate-trends loop.
export * as synthetic from "./synthetic";
export * as trends from "./trends";
export * as gan from "./gan";
export * as ganViews from "./render/ganViews";
export * as trendsViews from "./render/trendsViews";

// Differential privacy from its definition: mechanisms, their samplers and the privacy ledger.
export * as mechanisms from "./privacy/mechanisms";
export { PrivacyLedger, BudgetExceededError } from "./privacy/mechanisms";
export * as mechanismViews from "./render/mechanismViews";

// The voice-assistant case: federated learning with user-level differential privacy.
export { loadUtterances, generateUtterances, secretSentence, SECRET_KINDS, UTTERANCE_WORDS, type UtteranceDataset } from "./data/utterances";
export * as federated from "./federated";
export * as federatedViews from "./render/federatedViews";

// Long calls: cancellation and progress (a notebook shows an updating bar by default).
export { LongRun, type LongRunOptions, type Progress } from "./runtime/longRun";
export { progressView, progressSummary } from "./render/progress";
export { toDataFrame, danfo, type DataFrame, type FrameSource } from "./render/dataFrame";
