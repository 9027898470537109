/**
 * Differentially private mechanisms the OpenDP way: each constructor validates its parameters
 * and returns the release function with its privacy map, its accountant event and a trace.
 * Noise comes from a seeded sampler (teaching) or a secure one (node:crypto, exact integers).
 */
export { seededSampler, secureSampler, type NoiseSampler, type NoiseMode, type NoiseOptions } from "./sampler";
export type { Mechanism, MechanismTrace, PrivacyLoss, Release } from "./types";
export {
  randomisedResponse,
  kAryRandomisedResponse,
  estimateProportion,
  estimateFrequencies,
  proportionVariance,
  responseProbabilities,
  type ProportionEstimate,
} from "./randomisedResponse";
export { laplaceMechanism, laplaceCount, laplaceSum, laplaceMean } from "./laplace";
export {
  gaussianMechanism,
  gaussianVectorMechanism,
  analyticGaussianDelta,
  analyticGaussianSigma,
  analyticGaussianEpsilon,
  classicGaussianSigma,
  discreteGaussianDelta,
  type GaussianCalibration,
} from "./gaussian";
export { exponentialMechanism, reportNoisyMax, exponentialProbabilities } from "./exponential";
export { PrivacyLedger, BudgetExceededError, type LedgerEntry, type LedgerTotal, type LedgerBudget, type LedgerReport } from "./ledger";
export { renyiDivergence, gaussianRdp, laplaceRdp, randomisedResponseRdp } from "./renyi";
export { smallestPassing } from "./calibrate";
export { errorAcrossEpsilons, type ErrorAtEpsilon } from "./sweep";
