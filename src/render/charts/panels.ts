/**
 * Pieces the multi-panel charts share: subplots in a grid (one per column, grouping, …), one
 * colour per series wherever it appears, and histogram bins two samples can share.
 */

/** Plotly's default ten colours, so a series keeps its colour across panels. */
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

export function seriesColour(index: number): string {
  return PALETTE[index % PALETTE.length];
}

export interface PanelAxes {
  /** What a trace sets as its xaxis / yaxis ("x", "x2", …). */
  xaxis: string;
  yaxis: string;
}

/**
 * Subplots in a grid, `columns` per row (`ygap`: the space between rows, a share of a row), filled row by row: the axis names each panel's traces
 * use, the layout entries (grid, xaxis, xaxis2, …) with each panel's own axis settings, and
 * the number of rows of panels.
 */
export function panelGrid(
  specs: readonly { xaxis?: Record<string, unknown>; yaxis?: Record<string, unknown> }[],
  { columns = specs.length, ygap = 0.3 }: { columns?: number; ygap?: number } = {},
): { axes: PanelAxes[]; layout: Record<string, unknown>; rows: number } {
  const perRow = Math.max(1, Math.min(columns, specs.length));
  const rows = Math.ceil(specs.length / perRow);
  const layout: Record<string, unknown> = {};
  if (specs.length > 1) layout.grid = { rows, columns: perRow, pattern: "independent", ygap };
  const axes = specs.map((spec, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    layout[`xaxis${suffix}`] = spec.xaxis ?? {};
    layout[`yaxis${suffix}`] = spec.yaxis ?? {};
    return { xaxis: `x${suffix}`, yaxis: `y${suffix}` };
  });
  return { axes, layout, rows };
}

export interface HistogramBins {
  start: number;
  end: number;
  size: number;
}

/**
 * `bins` equal bins from the smallest to the largest finite value of all the samples (for
 * Plotly's xbins), so overlaid histograms compare bar by bar. The width is stretched by a hair
 * so the largest value falls inside the last bin rather than on its open edge.
 */
export function sharedBins(samples: readonly ArrayLike<number>[], bins = 30): HistogramBins {
  let low = Infinity;
  let high = -Infinity;
  for (const sample of samples) {
    for (let i = 0; i < sample.length; i++) {
      const v = sample[i];
      if (!Number.isFinite(v)) continue;
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  if (!(low <= high)) return { start: 0, end: 1, size: 1 };
  if (low === high) return { start: low - 0.5, end: low + 0.5, size: 1 };
  const size = ((high - low) / bins) * (1 + 1e-9);
  return { start: low, end: low + bins * size, size };
}
