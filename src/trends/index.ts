/**
 * The "accurate trends" loop: per-group model quality (age band, location category), bias
 * detection with corrected significance tests, equal-opportunity threshold refinement, and a
 * comparison of training on real, anonymised and synthetic data (tested on real rows).
 */
export {
  AGE_BAND_GROUPING,
  AGE_BAND_LABELS,
  LOCATION_GROUPING,
  ageBandKey,
  customerGroups,
  groupBy,
  locationCategoryKey,
  orderGroupKeys,
  type CustomerGroupKeys,
  type Group,
  type GroupByTrace,
  type GroupKeyFn,
} from "./groups";
export {
  METRIC_DEFINITIONS,
  METRIC_NAMES,
  Z_95,
  metricsByGroup,
  proportion,
  wilsonInterval,
  type GroupMetrics,
  type GroupMetricsReport,
  type GroupMetricsTrace,
  type MetricName,
  type MetricsByGroupInput,
  type MetricsSummary,
  type Proportion,
} from "./groupMetrics";
export {
  findBiases,
  holmAdjust,
  twoProportionZTest,
  twoSidedNormalPValue,
  type BiasFinding,
  type BiasTest,
  type FindBiasesOptions,
  type FindBiasesTrace,
  type SkippedTest,
} from "./bias";
export {
  MIN_THRESHOLD,
  accurateTrendsLoop,
  applyGroupThresholds,
  chooseGroupThresholds,
  refineThresholds,
  type AccurateTrendsLoopInput,
  type ChooseThresholdsInput,
  type GroupRef,
  type GroupThreshold,
  type LoopRound,
  type LoopRoundTrace,
  type RefineFinding,
  type RefineInput,
  type RefineOutput,
  type RefinementRow,
  type ScoredRows,
  type ThresholdChoice,
} from "./refine";
export {
  compareTrainingSets,
  type BiasRow,
  type CompareTrainingSetsInput,
  type CompareTrainingSetsTrace,
  type GroupRow,
  type OverallRow,
  type SetResult,
  type TrainingSet,
} from "./compare";
