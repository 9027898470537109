/**
 * Re-identification risk and model accuracy against k: the price of k-anonymity, drawn.
 * Risk (prosecutor model) on the left axis, test accuracy on the right; k on a log axis.
 */
import type { Figure } from "./figure";

export interface RiskAccuracyPoint {
  k: number;
  /** Highest prosecutor risk, 1/(smallest class). */
  highestRisk: number;
  /** Average prosecutor risk, classes / records. */
  averageRisk: number;
  /** Share of people the linkage attack re-identified (optional). */
  reidentifiedShare?: number;
  accuracy: number;
}

export function riskVsKFigure(points: readonly RiskAccuracyPoint[], title = "Re-identification risk and accuracy against k"): Figure {
  const x = points.map((p) => p.k);
  const withAttack = points.every((p) => p.reidentifiedShare !== undefined);
  return {
    data: [
      { type: "scatter", mode: "lines+markers", name: "highest risk (1 / smallest class)", x, y: points.map((p) => p.highestRisk) },
      { type: "scatter", mode: "lines+markers", name: "average risk", x, y: points.map((p) => p.averageRisk) },
      ...(withAttack
        ? [
            {
              type: "scatter",
              mode: "lines+markers",
              name: "re-identified by linkage",
              x,
              y: points.map((p) => p.reidentifiedShare as number),
              line: { dash: "dot" },
            },
          ]
        : []),
      {
        type: "scatter",
        mode: "lines+markers",
        name: "test accuracy",
        x,
        y: points.map((p) => p.accuracy),
        yaxis: "y2",
        line: { dash: "dash" },
      },
    ],
    layout: {
      title: { text: title },
      height: 400,
      xaxis: { title: { text: "k (log scale)" }, type: "log" },
      yaxis: { title: { text: "probability of re-identification" }, range: [0, 1.05] },
      yaxis2: { title: { text: "test accuracy" }, overlaying: "y", side: "right", range: [0, 1.05] },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
