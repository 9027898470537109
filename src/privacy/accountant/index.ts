/**
 * Privacy accounting: events (what a release did), one accountant interface with two analyses
 * (Rényi DP and privacy loss distributions), (ε, δ) conversion, and calibration.
 */
export { DEFAULT_ORDERS } from "./orders";
export { computeRdp, type RdpParams } from "./rdp";
export { rdpToDelta, rdpToEpsilon, type EpsilonAtOrder } from "./conversion";
export {
  RdpAccountant,
  computeEpsilon,
  type PrivacyAccountant,
  type RdpAccountantOptions,
  type RdpEpsilonReport,
  type SampledGaussianEvent,
} from "./accountant";
export { PldAccountant, PLD_DEFAULTS, type PldAccountantOptions } from "./pld/accountant";
export {
  ACCOUNTANT_KINDS,
  type Accountant,
  type AccountantDescription,
  type AccountantKind,
  type EpsilonReport,
  type LedgerEntry,
} from "./interface";
export { accountantFor, accountantKindOf, accountantLabel, composeLedgers, createAccountant, DEFAULT_ACCOUNTANT, requireAccountantChoice, stepRecorder, type AccountantChoice } from "./factory";
export {
  sampledGaussianEvent,
  type DpEvent,
  type DpEventKind,
  type NeighbouringRelation,
  type PrivacyUnit,
} from "./events";
export {
  calibrateComposedNoise,
  calibrateNoise,
  calibrateParameter,
  sampledRunsEvent,
  stepsFor,
  type CalibrationResult,
  type ParameterCalibration,
  type SampledMechanism,
} from "./calibrate";
export { compareAccountants, type AccountantComparison, type AccountantComparisonPoint } from "./compare";
export { logAdd, logSub, logErfc } from "./logMath";
