/** Accuracy against the privacy budget, mean ± std over repeats, with the non-private level. */
import type { Figure } from "./figure";

export interface BudgetPoint {
  epsilon: number;
  meanAccuracy: number;
  stdAccuracy: number;
}

export function privacyUtilityFigure(points: readonly BudgetPoint[], title = "Privacy–utility trade-off"): Figure {
  const finite = points.filter((p) => Number.isFinite(p.epsilon));
  const nonPrivate = points.find((p) => !Number.isFinite(p.epsilon));
  const xs = finite.map((p) => p.epsilon);
  return {
    data: [
      {
        type: "scatter",
        mode: "lines+markers",
        name: "DP-SGD",
        x: xs,
        y: finite.map((p) => p.meanAccuracy),
        error_y: { type: "data", array: finite.map((p) => p.stdAccuracy), visible: true },
      },
      ...(nonPrivate && xs.length > 0
        ? [
            {
              type: "scatter",
              mode: "lines",
              name: `no privacy (${nonPrivate.meanAccuracy.toFixed(3)})`,
              x: [Math.min(...xs), Math.max(...xs)],
              y: [nonPrivate.meanAccuracy, nonPrivate.meanAccuracy],
              line: { dash: "dash" },
            },
          ]
        : []),
    ],
    layout: {
      title: { text: title },
      height: 380,
      xaxis: { title: { text: "ε (privacy budget, log scale)" }, type: "log" },
      yaxis: { title: { text: "test accuracy" } },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
