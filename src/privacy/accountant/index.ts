/** Rényi-DP privacy accounting for DP-SGD: RDP curves, (ε, δ) conversion, noise calibration. */
export { DEFAULT_ORDERS } from "./orders";
export { computeRdp, type RdpParams } from "./rdp";
export { rdpToEpsilon, type EpsilonAtOrder } from "./conversion";
export {
  RdpAccountant,
  computeEpsilon,
  type PrivacyAccountant,
  type SampledGaussianEvent,
} from "./accountant";
export { calibrateComposedNoise, calibrateNoise, stepsFor, type CalibrationResult, type SampledMechanism } from "./calibrate";
export { logAdd, logSub, logErfc } from "./logMath";
