/** Empirical privacy audits: canaries, one-run and multi-run lower bounds on ε. */
export { auditTrainingRun, CANARY_KINDS, type AuditRunOptions, type AuditRunOutput, type AuditRunTrace, type CanaryKind } from "./canaryAudit";
export {
  drawInclusion,
  flattenModel,
  gradientCanaryScores,
  initialModelFor,
  inputCanaryScores,
  makeInputCanaries,
  padRows,
  planGradientCanaries,
  stripPaddedInputs,
  type GradientCanaryPlan,
} from "./canaries";
export { epsilonLowerBoundFromCounts, type AttackCounts, type EpsilonFromCounts } from "./hypothesisTest";
export { multiRunAudit, type MultiRunAuditResult } from "./multiRun";
export {
  oneRunAudit,
  oneRunEpsilonLowerBound,
  oneRunPValue,
  scoreGuesses,
  DEFAULT_GUESS_SIZES,
  type GuessOutcome,
  type OneRunAuditResult,
} from "./oneRun";
export { binomialCdf, binomialPmf, binomialUpperTail, clopperPearson, logGamma, type Interval } from "./statistics";
export { runAuditSweep, DEFAULT_AUDIT_EPSILONS, type AuditSweepOptions, type AuditSweepPoint } from "./sweep";
