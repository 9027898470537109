export { accountantComparisonFigure, type AccountingChartPoint } from "./accounting";
export { dataFlowFigure } from "./dataFlow";
export { distributionComparisonFigure } from "./distributions";
export { epochTraceFigure } from "./epochTrace";
export { privacyUtilityFigure } from "./privacyUtility";
export { errorVsEpsilonFigure, neighbouringOutputsFigure, rdpCurveFigure, compositionFigure, ledgerFigure } from "./mechanisms";
export type { Figure, Trace } from "./figure";
export { ganLossesFigure, realVsSyntheticFigure, dcrHistogramFigure, agentRewardFigure, type RealVsSyntheticOptions } from "./gan";
export {
  groupMetricsFigure,
  trainingSetsFigure,
  ALL_ROWS,
  type GroupMetricsFigureOptions,
  type TrainingSetsComparison,
  type TrainingSetsFigureOptions,
} from "./trends";
