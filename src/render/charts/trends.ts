/**
 * Figures for the accurate-trends loop, as plain Plotly data: model quality per group with
 * Wilson 95% intervals as error bars, and the same model trained on each candidate training
 * set (real, anonymised, synthetic), overall and per group. One panel per grouping; the first
 * bar group of every panel is all rows, the level each group is compared with.
 */
import type { GroupRow, OverallRow, SetResult } from "../../trends/compare";
import { METRIC_NAMES, type GroupMetricsReport, type MetricName, type Proportion } from "../../trends/groupMetrics";
import { InputError } from "../../validation/errors";
import type { Figure, Trace } from "./figure";
import { panelGrid, seriesColour } from "./panels";

/** The first category of every panel: the metric over all rows. */
export const ALL_ROWS = "all rows";

interface BarPoint {
  value: number | null;
  low: number | null;
  high: number | null;
  hover: string;
}

interface BarPanel {
  title: string;
  categories: string[];
  series: { name: string; points: BarPoint[] }[];
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function point(label: string, metric: MetricName, value: number | null, interval: { low: number; high: number } | null, detail: string): BarPoint {
  const range = interval ? ` (95% CI ${pct(interval.low)}–${pct(interval.high)})` : "";
  return {
    value,
    low: value === null ? null : (interval?.low ?? null),
    high: value === null ? null : (interval?.high ?? null),
    hover: `${label}: ${metric} ${value === null ? "undefined" : pct(value)}${range}${detail ? `, ${detail}` : ""}`,
  };
}

function proportionPoint(label: string, metric: MetricName, p: Proportion, n: number): BarPoint {
  return point(label, metric, p.value, p.interval, p.value === null ? `${p.undefinedReason} (n = ${n})` : `${p.successes}/${p.trials}, n = ${n}`);
}

/** Grouped bars with asymmetric error bars, one panel each, each series one colour throughout. */
function intervalBarsFigure(panels: readonly BarPanel[], title: string, yTitle: string, columnsPerRow: number): Figure {
  const { axes, layout, rows } = panelGrid(
    panels.map((p, i) => ({
      xaxis: { title: { text: p.title }, type: "category" },
      yaxis: { title: { text: i === 0 ? yTitle : "" }, range: [0, 1.05], tickformat: ".0%" },
    })),
    { columns: columnsPerRow },
  );
  const data = panels.flatMap((panel, i) =>
    panel.series.map(
      (s, j): Trace => ({
        type: "bar",
        name: s.name,
        legendgroup: s.name,
        showlegend: i === 0,
        x: panel.categories,
        y: s.points.map((p) => p.value),
        error_y: {
          type: "data",
          symmetric: false,
          array: s.points.map((p) => (p.value === null || p.high === null ? null : p.high - p.value)),
          arrayminus: s.points.map((p) => (p.value === null || p.low === null ? null : p.value - p.low)),
          visible: true,
          thickness: 1,
        },
        marker: { color: seriesColour(j) },
        hovertext: s.points.map((p) => p.hover),
        hoverinfo: "text",
        ...axes[i],
      }),
    ),
  );
  return {
    data,
    layout: { title: { text: title }, height: 160 + 300 * rows, barmode: "group", ...layout, legend: { orientation: "h", y: -0.2 } },
  };
}

/** The named groupings (all when `wanted` is undefined), in the report's order; an unknown name is an InputError. */
function pickGroupings(available: readonly string[], wanted: readonly string[] | undefined): string[] {
  if (wanted === undefined) return [...available];
  for (const name of wanted) {
    if (!available.includes(name)) throw new InputError("groupings", `names among ${available.join(", ")}`, name);
  }
  return available.filter((name) => wanted.includes(name));
}

export interface GroupMetricsFigureOptions {
  /** Default accuracy, precision, recall. */
  metrics?: readonly MetricName[];
  /** Groupings to draw (default all). */
  groupings?: readonly string[];
  /** Panels per row. Default 2. */
  columnsPerRow?: number;
  title?: string;
}

/** metricsByGroup's report: per grouping, a bar per metric for all rows and for every group, with its Wilson interval. */
export function groupMetricsFigure(report: GroupMetricsReport, options: GroupMetricsFigureOptions = {}): Figure {
  const metrics = options.metrics ?? METRIC_NAMES;
  const names = pickGroupings(
    report.groupings.map((g) => g.name),
    options.groupings,
  );
  const panels = report.groupings
    .filter((g) => names.includes(g.name))
    .map(
      (grouping): BarPanel => ({
        title: grouping.name,
        categories: [ALL_ROWS, ...grouping.groups.map((g) => g.group)],
        series: metrics.map((metric) => ({
          name: metric,
          points: [proportionPoint(ALL_ROWS, metric, report.overall[metric], report.overall.n), ...grouping.groups.map((g) => proportionPoint(g.group, metric, g[metric], g.n))],
        })),
      }),
    );
  const threshold = report.threshold === "per row" ? "per-row thresholds" : `threshold ${report.threshold}`;
  return intervalBarsFigure(panels, options.title ?? `Model quality per group (${threshold}; bars: Wilson 95% intervals)`, "value", options.columnsPerRow ?? 2);
}

/** What trainingSetsFigure reads of compareTrainingSets' output (`results` adds the overall intervals). */
export interface TrainingSetsComparison {
  overall: readonly OverallRow[];
  byGroup: readonly GroupRow[];
  results?: readonly SetResult[];
}

export interface TrainingSetsFigureOptions {
  /** Default accuracy. Accuracy and recall have intervals per group; precision does not. */
  metric?: MetricName;
  groupings?: readonly string[];
  columnsPerRow?: number;
  title?: string;
}

function groupInterval(row: GroupRow, metric: MetricName): { low: number; high: number } | null {
  const [low, high] = metric === "accuracy" ? [row.accuracyLow, row.accuracyHigh] : metric === "recall" ? [row.recallLow, row.recallHigh] : [null, null];
  return low === null || high === null ? null : { low, high };
}

/**
 * compareTrainingSets' output: one bar per training set (non-anonymised, anonymised,
 * synthetic, …) for all test rows and for every group, all tested on the same real rows.
 */
export function trainingSetsFigure(comparison: TrainingSetsComparison, options: TrainingSetsFigureOptions = {}): Figure {
  const metric = options.metric ?? "accuracy";
  const unique = (values: readonly string[]) => [...new Set(values)];
  const names = pickGroupings(
    unique(comparison.byGroup.map((r) => r.grouping)),
    options.groupings,
  );
  const panels = names.map((grouping): BarPanel => {
    const rows = comparison.byGroup.filter((r) => r.grouping === grouping);
    const groups = unique(rows.map((r) => r.group));
    return {
      title: grouping,
      categories: [ALL_ROWS, ...groups],
      series: comparison.overall.map((set) => {
        const overall = comparison.results?.find((r) => r.set === set.set)?.metrics.overall;
        return {
          name: set.set,
          points: [
            point(`${set.set}, ${ALL_ROWS}`, metric, set[metric], overall ? overall[metric].interval : null, `trained on ${set.trainRows} rows`),
            ...groups.map((group) => {
              const row = rows.find((r) => r.set === set.set && r.group === group);
              return row ? point(`${set.set}, ${group}`, metric, row[metric], groupInterval(row, metric), `n = ${row.n}`) : point(`${set.set}, ${group}`, metric, null, null, "no rows");
            }),
          ],
        };
      }),
    };
  });
  return intervalBarsFigure(
    panels,
    options.title ?? `Test ${metric} by training set, tested on the same real rows (bars: Wilson 95% intervals)`,
    `test ${metric}`,
    options.columnsPerRow ?? 2,
  );
}
