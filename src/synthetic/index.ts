/**
 * Synthetic tabular data and how to judge it: the shared encoding, exact nearest-record
 * distances, and the three families of measures — fidelity (does it look like the real
 * table?), utility (does a model trained on it work on real people?) and privacy (does it
 * give away the people it was trained on?).
 */
export {
  fitEncoding,
  declareEncoding,
  encodeTable,
  decodeRows,
  ONE_HOT_SCALE,
  type TabularEncoding,
  type ColumnEncoding,
  type NumericColumnEncoding,
  type CategoricalColumnEncoding,
  type FitEncodingOptions,
  type DeclaredColumn,
} from "./encoding";
export { nearestRecords, quantile, type Nearest, type NearestOptions } from "./distance";
export {
  measureFidelity,
  requireComparableTables,
  ksTwoSample,
  kolmogorovSurvival,
  totalVariation,
  pearsonCorrelation,
  cramersV,
  correlationRatio,
  type NamedTable,
  type KolmogorovSmirnov,
  type TotalVariation,
  type CategoryShare,
  type ColumnFidelity,
  type NumericColumnFidelity,
  type CategoricalColumnFidelity,
  type AssociationMeasure,
  type PairFidelity,
  type FidelitySummary,
  type FidelityReport,
  type FidelityTrace,
  type FidelityOptions,
} from "./fidelity";
export { measureUtility, type EvaluateModel, type MeasureUtilityOptions, type UtilityReport, type UtilityTrace } from "./utility";
export {
  distanceToClosestRecord,
  membershipInferenceOnSynthetic,
  encodeForDistances,
  type EncodedTables,
  type SyntheticPrivacyInput,
  type EncodingTrace,
  type DcrOptions,
  type DcrReport,
  type DcrTrace,
  type CountAndShare,
  type ClosestPair,
  type MembershipOnSyntheticOptions,
  type SyntheticMembershipReport,
  type SyntheticMembershipTrace,
} from "./privacy";
