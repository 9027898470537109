/**
 * Notebook views for the DP mechanisms: a mechanism's trace, the ledger, and the charts of the
 * lessons on DP's foundations. Rendering only: each takes what a mechanism or the ledger returned.
 */
import type { ErrorAtEpsilon } from "../privacy/mechanisms/sweep";
import type { LedgerReport } from "../privacy/mechanisms/ledger";
import type { MechanismTrace } from "../privacy/mechanisms/types";
import { compositionFigure, errorVsEpsilonFigure, ledgerFigure, neighbouringOutputsFigure, rdpCurveFigure } from "./charts/mechanisms";
import { composeView } from "./compose";
import type { Displayable } from "./mime";

/** What a mechanism does: its sensitivity, noise, the privacy it spends and its notes. */
export function mechanismView(trace: MechanismTrace): Displayable {
  return composeView([
    {
      kind: "table",
      headers: ["", "value"],
      rows: [
        ["mechanism", trace.mechanism],
        ["noise", trace.noise],
        [`sensitivity (${trace.sensitivityNorm})`, trace.sensitivity],
        ["noise scale", trace.noiseScale],
        ["ε", trace.epsilon],
        ["δ", trace.delta],
        ["neighbouring datasets", trace.neighbouring],
        ["mode", trace.mode],
      ],
      caption: trace.mechanism,
    },
    { kind: "notes", notes: trace.notes },
  ]);
}

/** The ledger: each release with ε after it, the budget, and the total. */
export function ledgerView(report: LedgerReport): Displayable {
  const t = report.total;
  const total =
    t.delta === 0
      ? `Total: ε = ${t.epsilon.toFixed(4)} (pure DP) over ${t.releases} releases; ${t.postProcessing} post-processing ${t.postProcessing === 1 ? "step costs" : "steps cost"} nothing.`
      : `Total: ε = ${t.epsilon.toFixed(4)} at δ = ${t.delta} (pure part ${t.pureEpsilon.toFixed(4)} + Gaussian part ${t.gaussianEpsilon.toFixed(4)} by ${t.accountant?.kind === "pld" ? "PLD" : `RDP, best order ${t.order}`}) over ${t.releases} releases.`;
  return composeView([
    { kind: "figure", figure: ledgerFigure(report) },
    {
      kind: "table",
      headers: ["#", "release", "event", "ε spent so far"],
      rows: report.entries.map((e, i) => [i + 1, e.label, e.kind, e.epsilonAfter]),
    },
    { kind: "line", text: total, emphasis: "strong" },
    ...(report.budget === null || report.remaining === null ? [] : [{ kind: "line", text: `Budget ε = ${report.budget}; left: ${report.remaining.toFixed(4)}.` } as const]),
  ]);
}

export function errorVsEpsilonView(series: readonly { name: string; points: readonly ErrorAtEpsilon[] }[], options: { title?: string; yTitle?: string } = {}): Displayable {
  return composeView([
    { kind: "figure", figure: errorVsEpsilonFigure(series, options) },
    {
      kind: "table",
      headers: ["ε", ...series.map((s) => `${s.name}: mean |error|`)],
      rows: (series[0]?.points ?? []).map((p, i) => [p.epsilon, ...series.map((s) => s.points[i]?.meanAbsoluteError ?? "")]),
    },
  ]);
}

export function neighbouringOutputsView(outputs: { onD: readonly number[]; onNeighbour: readonly number[] }, options: { title?: string; names?: [string, string] } = {}): Displayable {
  return composeView([{ kind: "figure", figure: neighbouringOutputsFigure(outputs, options) }]);
}

export function rdpCurveView(curves: readonly { name: string; orders: readonly number[]; rdp: readonly number[] }[], options: { title?: string } = {}): Displayable {
  return composeView([{ kind: "figure", figure: rdpCurveFigure(curves, options) }]);
}

export function compositionView(series: readonly { name: string; releases: readonly number[]; epsilon: readonly number[] }[], options: { title?: string } = {}): Displayable {
  return composeView([
    { kind: "figure", figure: compositionFigure(series, options) },
    {
      kind: "table",
      headers: ["releases", ...series.map((s) => s.name)],
      rows: (series[0]?.releases ?? []).map((k, i) => [k, ...series.map((s) => s.epsilon[i] ?? "")]),
    },
  ]);
}
