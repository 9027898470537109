/**
 * Accuracy against the privacy budget: one curve per training-set size, each point the mean over
 * seeds with its 95% interval as error bars, and each size's non-private level as a dashed line.
 */
import type { Figure } from "./figure";

export interface BudgetPoint {
  epsilon: number;
  meanAccuracy: number;
  stdAccuracy: number;
  /** Training rows (one curve per value; absent: one curve). */
  trainRows?: number;
  /** 95% interval of the mean; without it the error bars are ± one standard deviation. */
  interval?: { low: number; high: number };
}

const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

export function privacyUtilityFigure(points: readonly BudgetPoint[], title = "Privacy–utility trade-off"): Figure {
  const sizes = [...new Set(points.map((p) => p.trainRows))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const allFinite = points.filter((p) => Number.isFinite(p.epsilon)).map((p) => p.epsilon);
  const span = allFinite.length > 0 ? [Math.min(...allFinite), Math.max(...allFinite)] : [];
  const withIntervals = points.some((p) => p.interval);
  const data = sizes.flatMap((size, index) => {
    const mine = points.filter((p) => p.trainRows === size);
    const finite = mine.filter((p) => Number.isFinite(p.epsilon)).sort((a, b) => a.epsilon - b.epsilon);
    const nonPrivate = mine.find((p) => !Number.isFinite(p.epsilon));
    const colour = COLOURS[index % COLOURS.length];
    const label = size === undefined ? "DP-SGD" : `DP-SGD, ${size} training rows`;
    const bars = (p: BudgetPoint) => (p.interval ? [p.interval.high - p.meanAccuracy, p.meanAccuracy - p.interval.low] : [p.stdAccuracy, p.stdAccuracy]);
    return [
      {
        type: "scatter",
        mode: "lines+markers",
        name: label,
        x: finite.map((p) => p.epsilon),
        y: finite.map((p) => p.meanAccuracy),
        line: { color: colour },
        error_y: { type: "data", symmetric: false, array: finite.map((p) => bars(p)[0]), arrayminus: finite.map((p) => bars(p)[1]), visible: true },
      },
      ...(nonPrivate && span.length > 0
        ? [
            {
              type: "scatter",
              mode: "lines",
              name: `no privacy${size === undefined ? "" : `, ${size} rows`} (${nonPrivate.meanAccuracy.toFixed(3)}${nonPrivate.interval ? ` [${nonPrivate.interval.low.toFixed(3)}, ${nonPrivate.interval.high.toFixed(3)}]` : ""})`,
              x: span,
              y: [nonPrivate.meanAccuracy, nonPrivate.meanAccuracy],
              line: { dash: "dash", color: colour },
            },
          ]
        : []),
    ];
  });
  return {
    data,
    layout: {
      title: { text: title },
      height: 420,
      xaxis: { title: { text: "ε (privacy budget, log scale)" }, type: "log" },
      yaxis: { title: { text: withIntervals ? "test accuracy (bars: 95% interval, test set and seeds)" : "test accuracy (bars: ± 1 std over seeds)" } },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
