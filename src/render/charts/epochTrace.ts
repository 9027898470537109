/** Loss, training accuracy and ε spent per epoch: the seed document's training trace, drawn. */
import type { Figure } from "./figure";

export interface EpochPoint {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  epsilonSpent: number;
}

export function epochTraceFigure(epochs: readonly EpochPoint[], title = "Training trace"): Figure {
  const x = epochs.map((e) => e.epoch);
  const finiteEpsilon = epochs.every((e) => Number.isFinite(e.epsilonSpent));
  return {
    data: [
      { type: "scatter", mode: "lines+markers", name: "loss", x, y: epochs.map((e) => e.loss) },
      { type: "scatter", mode: "lines+markers", name: "train accuracy", x, y: epochs.map((e) => e.trainAccuracy) },
      ...(finiteEpsilon
        ? [
            {
              type: "scatter",
              mode: "lines+markers",
              name: "ε spent",
              x,
              y: epochs.map((e) => e.epsilonSpent),
              yaxis: "y2",
              line: { dash: "dot" },
            },
          ]
        : []),
    ],
    layout: {
      title: { text: title },
      height: 380,
      xaxis: { title: { text: "epoch" }, dtick: 1 },
      yaxis: { title: { text: "loss / accuracy" } },
      yaxis2: { title: { text: "ε spent" }, overlaying: "y", side: "right", rangemode: "tozero" },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
