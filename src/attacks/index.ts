/** Membership-inference attacks and how to report them. */
export {
  lossThresholdAttack,
  likelihoodRatioAttack,
  perExampleLoss,
  scaledConfidences,
  type LabelledRows,
  type MembershipAttackOutput,
  type LossAttackTrace,
  type LiraTrace,
  type ShadowTrainer,
} from "./membershipInference";
export { rocCurve, areaUnderCurve, tprAtFpr, summariseRoc, thinCurve, type RocPoint, type RocSummary } from "./roc";
export { trainerFor } from "./trainer";
