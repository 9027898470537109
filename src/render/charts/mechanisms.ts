/** Charts for the DP mechanisms: error against ε, outputs on neighbouring data, RDP curves, a ledger running out. */
import type { ErrorAtEpsilon } from "../../privacy/mechanisms/sweep";
import type { LedgerReport } from "../../privacy/mechanisms/ledger";
import type { Figure } from "./figure";
import { seriesColour, sharedBins } from "./panels";

/** Lines on one pair of axes: what the error, RDP and composition charts share. */
function linesFigure(
  series: readonly { name: string; x: readonly number[]; y: readonly number[] }[],
  axes: { title: string; xTitle: string; yTitle: string; logX: boolean; markers: boolean },
): Figure {
  return {
    data: series.map((s, i) => ({
      type: "scatter",
      mode: axes.markers ? "lines+markers" : "lines",
      name: s.name,
      x: [...s.x],
      y: [...s.y],
      line: { color: seriesColour(i) },
    })),
    layout: {
      title: { text: axes.title },
      height: 380,
      xaxis: { title: { text: axes.xTitle }, ...(axes.logX ? { type: "log" } : {}) },
      yaxis: { title: { text: axes.yTitle }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}

/** Mean absolute error of the releases against ε (log scale), one line per mechanism. */
export function errorVsEpsilonFigure(
  series: readonly { name: string; points: readonly ErrorAtEpsilon[] }[],
  { title = "Error of the release against ε", yTitle = "mean absolute error" }: { title?: string; yTitle?: string } = {},
): Figure {
  return linesFigure(
    series.map((s) => ({ name: s.name, x: s.points.map((p) => p.epsilon), y: s.points.map((p) => p.meanAbsoluteError) })),
    { title, xTitle: "ε (log scale)", yTitle, logX: true, markers: true },
  );
}

/** Histograms of a mechanism's outputs on two neighbouring datasets: the definition, drawn. */
export function neighbouringOutputsFigure(
  outputs: { onD: readonly number[]; onNeighbour: readonly number[] },
  { title = "Outputs on two neighbouring datasets", names = ["D", "D′ (one more person)"], bins = 40 }: { title?: string; names?: [string, string]; bins?: number } = {},
): Figure {
  const xbins = sharedBins([outputs.onD, outputs.onNeighbour], bins);
  return {
    data: [outputs.onD, outputs.onNeighbour].map((sample, i) => ({
      type: "histogram",
      name: names[i],
      x: [...sample],
      xbins,
      histnorm: "probability",
      opacity: 0.55,
      marker: { color: seriesColour(i) },
    })),
    layout: {
      title: { text: title },
      height: 360,
      barmode: "overlay",
      xaxis: { title: { text: "released value" } },
      yaxis: { title: { text: "share of releases" } },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}

/** Rényi-DP curves: ρ(α) over the orders α, one line per mechanism (or composition). */
export function rdpCurveFigure(
  curves: readonly { name: string; orders: readonly number[]; rdp: readonly number[] }[],
  { title = "Rényi DP curve: the divergence at each order α" }: { title?: string } = {},
): Figure {
  return linesFigure(curves.map((c) => ({ name: c.name, x: c.orders, y: c.rdp })), {
    title,
    xTitle: "order α (log scale)",
    yTitle: "RDP ρ(α)",
    logX: true,
    markers: false,
  });
}

/** Total ε against the number of releases, one line per way of composing them. */
export function compositionFigure(
  series: readonly { name: string; releases: readonly number[]; epsilon: readonly number[] }[],
  { title = "Total ε as releases add up" }: { title?: string } = {},
): Figure {
  return linesFigure(series.map((s) => ({ name: s.name, x: s.releases, y: s.epsilon })), {
    title,
    xTitle: "number of releases",
    yTitle: "total ε",
    logX: false,
    markers: true,
  });
}

/** The ledger: ε after each release, against the budget. */
export function ledgerFigure(report: LedgerReport, { title = "Privacy ledger: ε spent after each release" }: { title?: string } = {}): Figure {
  const labels = report.entries.map((e, i) => `${i + 1}. ${e.label}`);
  return {
    data: [
      { type: "bar", name: "ε spent so far", x: labels, y: report.entries.map((e) => e.epsilonAfter), marker: { color: seriesColour(0) } },
      ...(report.budget === null
        ? []
        : [{ type: "scatter", mode: "lines", name: `budget ε = ${report.budget}`, x: labels, y: labels.map(() => report.budget), line: { color: seriesColour(3), dash: "dash" } }]),
    ],
    layout: {
      title: { text: title },
      height: 380,
      xaxis: { title: { text: "release" } },
      yaxis: { title: { text: "ε" }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.35 },
    },
  };
}
