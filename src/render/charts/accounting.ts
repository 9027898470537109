/** ε against training steps for one run, by the RDP and the PLD accountant, with an audit's lower bound. */
import type { Figure, Trace } from "./figure";

export interface AccountingChartPoint {
  steps: number;
  rdp: number;
  pld: number;
  pldOptimistic: number;
}

export function accountantComparisonFigure(
  points: readonly AccountingChartPoint[],
  options: { auditLowerBound?: number; title?: string } = {},
): Figure {
  const x = points.map((p) => p.steps);
  const last = x[x.length - 1];
  const data: Trace[] = [
    { type: "scatter", mode: "lines", name: "RDP accountant", x, y: points.map((p) => p.rdp) },
    { type: "scatter", mode: "lines", name: "PLD accountant (upper bound)", x, y: points.map((p) => p.pld) },
    {
      type: "scatter",
      mode: "lines",
      name: "PLD, grid rounded down (lower estimate)",
      x,
      y: points.map((p) => p.pldOptimistic),
      line: { dash: "dot" },
    },
  ];
  if (options.auditLowerBound !== undefined) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: `audit: ε ≥ ${options.auditLowerBound.toFixed(2)} proven (95%)`,
      x: [last],
      y: [options.auditLowerBound],
      marker: { symbol: "triangle-up", size: 12 },
    });
  }
  return {
    data,
    layout: {
      title: { text: options.title ?? "One run, two accountants: ε as training goes on" },
      height: 380,
      xaxis: { title: { text: "training steps" } },
      yaxis: { title: { text: "ε (at the run's δ)" }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
