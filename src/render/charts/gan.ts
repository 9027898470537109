/**
 * Figures for the GAN lesson, as plain Plotly data: the two players' losses per step, real
 * against synthetic distributions, the distance-to-closest-record histogram with its holdout
 * threshold, and the rewards the settings-choosing agent earned episode by episode.
 */
import { columnKind, columnValues, rowCount, type Table } from "../../anonymity/table";
import type { RunEpisodesTrace } from "../../gan/agent";
import type { GanTrace } from "../../gan/trainGan";
import { totalVariation } from "../../synthetic/fidelity";
import type { DcrReport } from "../../synthetic/privacy";
import { InputError } from "../../validation/errors";
import { formatCell } from "../text/textTable";
import type { Figure, Trace } from "./figure";
import { panelGrid, seriesColour, sharedBins, type HistogramBins } from "./panels";

const REAL_COLOUR = seriesColour(0);
const SYNTHETIC_COLOUR = seriesColour(1);

/** A histogram of shares (not counts) over given bins, translucent for overlaying. */
function shareHistogram(values: ArrayLike<number | string>, xbins: HistogramBins, extra: Record<string, unknown>): Trace {
  return { type: "histogram", x: Array.from(values), xbins, autobinx: false, histnorm: "probability", opacity: 0.55, ...extra };
}

/** "ε = 0.98 spent of 1 targeted, δ = 1.00e-5" or "no privacy (ε = ∞)". */
function privacyLabel(privacy: GanTrace["privacy"]): string {
  if (!privacy.private) return "no privacy (ε = ∞)";
  const target = privacy.epsilonTarget === null ? `σ = ${formatCell(privacy.noiseMultiplier)} given` : `target ${formatCell(privacy.epsilonTarget)}`;
  const scope = privacy.coversGenerator ? "" : "; ε covers the discriminator only";
  return `ε = ${formatCell(privacy.epsilonSpent)} spent (${target}), δ = ${formatCell(privacy.delta)}${scope}`;
}

/**
 * Top: the discriminator's loss on real and on fake rows and the generator's loss (and the
 * penalty, when there is one) per logged generator step. Bottom: the discriminator's accuracy
 * on each half (0.5 = it cannot tell them apart) and, on the right axis, the ε spent so far.
 * Takes a trainGan trace (or any { log, privacy } of the same shape, e.g. a GAN iteration's).
 */
export function ganLossesFigure(trace: Pick<GanTrace, "log" | "privacy">, title?: string): Figure {
  const { log, privacy } = trace;
  const x = log.map((r) => r.step);
  const line = (name: string, y: (number | null)[], extra: Record<string, unknown> = {}): Trace => ({ type: "scatter", mode: "lines", name, x, y, ...extra });
  const withPenalty = log.some((r) => r.penalty !== null);
  const withEpsilon = privacy.private && log.every((r) => Number.isFinite(r.epsilonSpent));
  return {
    data: [
      line("D loss on real rows", log.map((r) => r.dLossReal), { line: { color: seriesColour(0) } }),
      line("D loss on fake rows", log.map((r) => r.dLossFake), { line: { color: seriesColour(1) } }),
      line("G loss", log.map((r) => r.gLoss), { line: { color: seriesColour(2), width: 3 } }),
      ...(withPenalty ? [line("G penalty (before its weight)", log.map((r) => r.penalty), { line: { color: seriesColour(4), dash: "dot" } })] : []),
      line("D accuracy on real rows", log.map((r) => r.dAccuracyReal), { yaxis: "y2", line: { color: seriesColour(0), dash: "dash" } }),
      line("D accuracy on fake rows", log.map((r) => r.dAccuracyFake), { yaxis: "y2", line: { color: seriesColour(1), dash: "dash" } }),
      ...(withEpsilon ? [line("ε spent", log.map((r) => r.epsilonSpent), { yaxis: "y3", line: { color: "#444", dash: "dot" } })] : []),
    ],
    layout: {
      title: { text: title ?? `GAN training: ${privacyLabel(privacy)}` },
      height: 560,
      xaxis: { title: { text: "generator step" }, anchor: "y2" },
      yaxis: { title: { text: "loss (cross-entropy)" }, domain: [0.45, 1], rangemode: "tozero" },
      yaxis2: { title: { text: "D accuracy" }, domain: [0, 0.33], range: [0, 1.05], anchor: "x" },
      yaxis3: { title: { text: "ε spent" }, overlaying: "y2", side: "right", rangemode: "tozero", anchor: "x", showgrid: false },
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, yref: "y2", y0: 0.5, y1: 0.5, line: { dash: "dot", color: "#999", width: 1 } }],
      legend: { orientation: "h", y: -0.15 },
    },
  };
}

export interface RealVsSyntheticOptions {
  /** Bins of the numeric histograms (shared by both tables). Default 30. */
  bins?: number;
  /** Numeric columns to draw as categories (e.g. a 0/1 outcome). */
  categorical?: readonly string[];
  /** Panels per row. Default 3. */
  columnsPerRow?: number;
  title?: string;
}

/**
 * One panel per column: numbers as overlaid histograms over the same bins, categories as
 * grouped bars of each table's shares (the real table's categories first, by share, then any
 * the synthetic table invented). Shares, not counts, so tables of different sizes compare.
 */
/** Above this many categories a panel's labels are slanted and smaller. */
const MANY_CATEGORIES = 6;

export function realVsSyntheticFigure(real: Table, synthetic: Table, columns: string | readonly string[], options: RealVsSyntheticOptions = {}): Figure {
  const names = typeof columns === "string" ? [columns] : [...columns];
  if (names.length === 0) throw new InputError("columns", "at least one column name", columns);
  const forced = options.categorical ?? [];
  const panels = names.map((name) => {
    const r = columnValues(real, name, "columns");
    const s = columnValues(synthetic, name, "columns (of the synthetic table)");
    const numeric = !forced.includes(name) && columnKind(r) === "numeric" && columnKind(s) === "numeric";
    return { name, r, s, numeric };
  });
  const { axes, layout, rows } = panelGrid(
    panels.map((p, i) => ({
      // Many categories (towns) in a third of the width: slanted, smaller labels that keep their room.
      xaxis: {
        title: { text: p.name },
        ...(p.numeric ? {} : { type: "category", automargin: true }),
        ...(!p.numeric && new Set([...Array.from(p.r), ...Array.from(p.s)]).size > MANY_CATEGORIES ? { tickangle: -45, tickfont: { size: 9 } } : {}),
      },
      yaxis: { title: { text: i === 0 ? "share of rows" : "" }, tickformat: ".0%", rangemode: "tozero" },
    })),
    // Room between rows for long category labels, which Plotly turns upright.
    { columns: options.columnsPerRow ?? 3, ygap: panels.some((p) => !p.numeric) ? 0.5 : 0.3 },
  );
  const data = panels.flatMap((p, i): Trace[] => {
    const shared = (table: "real" | "synthetic") => ({
      name: table,
      legendgroup: table,
      showlegend: i === 0,
      marker: { color: table === "real" ? REAL_COLOUR : SYNTHETIC_COLOUR },
      ...axes[i],
    });
    if (p.numeric) {
      const xbins = sharedBins([p.r as ArrayLike<number>, p.s as ArrayLike<number>], options.bins ?? 30);
      return [shareHistogram(p.r, xbins, shared("real")), shareHistogram(p.s, xbins, shared("synthetic"))];
    }
    const categories = totalVariation(p.r, p.s).categories;
    const x = categories.map((c) => String(c.category));
    // Side by side within each category (the layout's overlay mode is for the histograms).
    return [
      { type: "bar", x, y: categories.map((c) => c.real), width: 0.4, offset: -0.4, ...shared("real") },
      { type: "bar", x, y: categories.map((c) => c.synthetic), width: 0.4, offset: 0, ...shared("synthetic") },
    ];
  });
  return {
    data,
    layout: {
      // Short enough not to be clipped; each panel names its column on its own axis.
      title: { text: options.title ?? `Real (${rowCount(real)} rows) vs synthetic (${rowCount(synthetic)} rows)` },
      margin: { t: 70 },
      height: 140 + 300 * rows,
      barmode: "overlay",
      ...layout,
      legend: { orientation: "h", y: -0.25 / rows },
    },
  };
}

/**
 * Overlaid histograms (shared bins) of every synthetic row's distance to its closest training
 * row and every holdout row's, with the threshold — the holdout's 5th percentile — as a
 * vertical line. A synthetic bump left of the line means near-copies of training rows.
 */
export function dcrHistogramFigure(
  report: Pick<DcrReport, "syntheticDistances" | "holdoutDistances" | "threshold" | "closeRows">,
  { bins = 40, title }: { bins?: number; title?: string } = {},
): Figure {
  const xbins = sharedBins([report.syntheticDistances, report.holdoutDistances], bins);
  const histogram = (name: string, values: readonly number[], color: string) => shareHistogram(values, xbins, { name, marker: { color } });
  const share = `${(100 * report.closeRows.share).toFixed(1)}%`;
  return {
    data: [
      histogram(`synthetic rows (${report.syntheticDistances.length})`, report.syntheticDistances, SYNTHETIC_COLOUR),
      histogram(`holdout rows, never trained on (${report.holdoutDistances.length})`, report.holdoutDistances, REAL_COLOUR),
    ],
    layout: {
      title: { text: title ?? `Distance to closest training record: ${share} of synthetic rows below the threshold (≈ 5% expected)` },
      height: 380,
      barmode: "overlay",
      xaxis: { title: { text: "distance to the closest training row (encoded space)" }, rangemode: "tozero" },
      yaxis: { title: { text: "share of rows" }, tickformat: ".0%" },
      shapes: [{ type: "line", xref: "x", x0: report.threshold, x1: report.threshold, yref: "paper", y0: 0, y1: 1, line: { color: "#d62728", dash: "dash", width: 2 } }],
      annotations: [
        {
          x: report.threshold,
          xref: "x",
          y: 1,
          yref: "paper",
          xanchor: "left",
          yanchor: "top",
          showarrow: false,
          text: `threshold ${formatCell(report.threshold)} (holdout 5th percentile)`,
          font: { color: "#d62728" },
        },
      ],
      legend: { orientation: "h", y: -0.35 },
    },
  };
}

/**
 * Top: each episode's reward (utility − penalty) as a dot coloured by the action chosen, the
 * utility and the penalty behind it, and the running mean reward. Bottom: which action was
 * chosen when — a strip that narrows to one action as the agent settles.
 */
export function agentRewardFigure(trace: Pick<RunEpisodesTrace, "agent" | "episodes">, title?: string): Figure {
  const { episodes } = trace;
  const labels = trace.agent.actions;
  const x = episodes.map((e) => e.episode);
  const chosen = labels
    .map((label, a) => ({ label, a, records: episodes.filter((e) => e.action === a) }))
    .filter((c) => c.records.length > 0);
  const markers = (c: (typeof chosen)[number], strip: boolean): Trace => ({
    type: "scatter",
    mode: "markers",
    name: c.label,
    legendgroup: `action ${c.a}`,
    showlegend: !strip,
    x: c.records.map((e) => e.episode),
    y: strip ? c.records.map(() => c.label) : c.records.map((e) => e.reward),
    marker: strip ? { color: seriesColour(c.a), symbol: "line-ns-open", size: 10 } : { color: seriesColour(c.a), size: 6, opacity: 0.75 },
    hovertext: c.records.map((e) => `${c.label}: utility ${formatCell(e.utility)} − penalty ${formatCell(e.penalty)} (${e.events} events)`),
    ...(strip ? { yaxis: "y2" } : {}),
  });
  const line = (name: string, y: number[], style: Record<string, unknown>): Trace => ({ type: "scatter", mode: "lines", name, x, y, line: style });
  // The strip gets a line per action; the rewards keep at least half the height.
  const strip = Math.min(0.45, 0.06 + 0.045 * labels.length);
  return {
    data: [
      ...chosen.map((c) => markers(c, false)),
      line("utility", episodes.map((e) => e.utility), { color: "#666", dash: "dot", width: 1 }),
      line("penalty (subtracted)", episodes.map((e) => e.penalty), { color: "#aaa", dash: "dash", width: 1 }),
      line("running mean reward", episodes.map((e) => e.runningMeanReward), { color: "#111", width: 3 }),
      ...chosen.map((c) => markers(c, true)),
    ],
    layout: {
      title: { text: title ?? `Rewards over ${episodes.length} episodes (${trace.agent.kind})` },
      height: 460 + 18 * labels.length,
      xaxis: { title: { text: "episode" }, anchor: "y2" },
      yaxis: { title: { text: "reward = utility − penalty" }, domain: [strip + 0.1, 1] },
      yaxis2: { title: { text: "action chosen" }, domain: [0, strip], type: "category", categoryorder: "array", categoryarray: [...labels], anchor: "x", automargin: true },
      legend: { orientation: "h", y: -0.15 },
    },
  };
}
