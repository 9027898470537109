export { dataFlowFigure } from "./dataFlow";
export { distributionComparisonFigure } from "./distributions";
export { epochTraceFigure } from "./epochTrace";
export { privacyUtilityFigure } from "./privacyUtility";
export type { Figure, Trace } from "./figure";
