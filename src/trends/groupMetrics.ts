/**
 * Model quality per group. An overall accuracy can hide a group the model serves badly: a
 * model right 85% of the time overall may be right 60% of the time for the over-65s if they
 * are few. This module computes accuracy, precision and recall for every group of every
 * grouping (age band, location category, …), each with a Wilson 95% interval — small groups
 * get wide intervals, which is what stops a reader from over-reading a 3-row group — and the
 * gap to the overall value.
 *
 * The metrics themselves come from src/evaluation/metrics.ts; this module only slices rows
 * and makes undefined values explicit (null with a reason, never NaN or a silent 0).
 */
import { classificationMetrics, type ConfusionMatrix } from "../evaluation/metrics";
import { wilsonInterval, Z_95 } from "../evaluation/intervals";
import { InputError, requireNumber } from "../validation/errors";
import { orderGroupKeys } from "./groups";

export const METRIC_NAMES = ["accuracy", "precision", "recall"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

// The Wilson interval lives with the other intervals (evaluation/intervals.ts); re-exported for this module's users.
export { Z_95, wilsonInterval };

export const METRIC_DEFINITIONS: Readonly<Record<MetricName, string>> = Object.freeze({
  accuracy: "accuracy = (TP + TN) / rows: the share of rows whose prediction is right",
  precision: "precision = TP / (TP + FP): of the customers predicted to buy, the share who did",
  recall: "recall = TP / (TP + FN): of the customers who bought, the share the model found (true-positive rate)",
});

/** A metric as a proportion successes / trials, so it can be tested and given an interval. */
export interface Proportion {
  /** successes / trials; null when trials = 0 (the metric is undefined). */
  value: number | null;
  successes: number;
  trials: number;
  /** Wilson score interval at 95%; null when the value is undefined. */
  interval: { low: number; high: number } | null;
  /** Why the value is null (no predicted positives, no actual positives); null when defined. */
  undefinedReason: string | null;
}

export interface MetricsSummary {
  /** Rows. */
  n: number;
  /** Rows whose label is 1. */
  positives: number;
  /** Rows predicted 1. */
  predictedPositives: number;
  confusion: ConfusionMatrix;
  accuracy: Proportion;
  precision: Proportion;
  recall: Proportion;
}

export interface GroupMetrics extends MetricsSummary {
  grouping: string;
  group: string;
  /** Group value − overall value, per metric; null when either is undefined. */
  gap: Record<MetricName, number | null>;
}

export interface GroupMetricsReport {
  /** The decision threshold, or "per row" when each row had its own (after refinement). */
  threshold: number | "per row";
  overall: MetricsSummary;
  groupings: { name: string; groups: GroupMetrics[] }[];
}

export interface GroupMetricsTrace {
  rows: number;
  threshold: number | "per row";
  groupings: { name: string; groups: number; smallest: { group: string; n: number } }[];
  definitions: Record<MetricName | "interval" | "gap" | "undefined", string>;
  summary: string;
}

export interface MetricsByGroupInput {
  /** True outcome of each row, 0 or 1. */
  labels: readonly number[];
  /** The model's P(label = 1) for each row, in [0, 1]. */
  probabilities: readonly number[];
  /** Grouping name → the group key of each row (e.g. { ageBand: [...], locationCategory: [...] }). */
  groups: Readonly<Record<string, readonly string[]>>;
  /** Predict 1 when probability ≥ threshold. In (0, 1); default 0.5. */
  threshold?: number;
  /** One threshold per row, in (0, 1), replacing `threshold` (for per-group thresholds after refinement). */
  rowThresholds?: readonly number[];
}

/** successes / trials with its Wilson interval, or null with the reason when trials = 0. */
export function proportion(successes: number, trials: number, undefinedReason: string): Proportion {
  if (trials === 0) return { value: null, successes, trials, interval: null, undefinedReason };
  return { value: successes / trials, successes, trials, interval: wilsonInterval(successes, trials), undefinedReason: null };
}

/** Overall metrics and, for every grouping and group, the same metrics and the gap to overall. */
export function metricsByGroup(input: MetricsByGroupInput): { output: GroupMetricsReport; trace: GroupMetricsTrace } {
  const { labels, probabilities } = input;
  const n = checkLabelsAndProbabilities(labels, probabilities);
  const groupings = checkGroups(input.groups, n);
  const threshold = requireNumber("threshold", input.threshold ?? 0.5, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  let scores: readonly number[] = probabilities;
  let cut = threshold;
  if (input.rowThresholds !== undefined) {
    const rowThresholds = checkRowThresholds(input.rowThresholds, n);
    // Each row's own decision, as a 0/1 score cut at 0.5: classificationMetrics takes one threshold.
    scores = probabilities.map((p, i) => (p >= rowThresholds[i] ? 1 : 0));
    cut = 0.5;
  }
  const overall = summarise(labels, scores, cut);
  const report: GroupMetricsReport = {
    threshold: input.rowThresholds !== undefined ? "per row" : threshold,
    overall,
    groupings: groupings.map(([name, keys]) => {
      const rowsByKey = new Map<string, number[]>();
      keys.forEach((key, i) => {
        const rows = rowsByKey.get(key);
        if (rows) rows.push(i);
        else rowsByKey.set(key, [i]);
      });
      const groups = orderGroupKeys(rowsByKey.keys()).map((group): GroupMetrics => {
        const rows = rowsByKey.get(group) as number[];
        const summary = summarise(
          rows.map((i) => labels[i]),
          rows.map((i) => scores[i]),
          cut,
        );
        const gap = {} as Record<MetricName, number | null>;
        for (const metric of METRIC_NAMES) {
          const value = summary[metric].value;
          const whole = overall[metric].value;
          gap[metric] = value === null || whole === null ? null : value - whole;
        }
        return { grouping: name, group, ...summary, gap };
      });
      return { name, groups };
    }),
  };
  const percent = (p: Proportion) => (p.value === null ? "undefined" : `${(100 * p.value).toFixed(1)}%`);
  return {
    output: report,
    trace: {
      rows: n,
      threshold: report.threshold,
      groupings: report.groupings.map((g) => {
        const smallest = g.groups.reduce((a, b) => (b.n < a.n ? b : a));
        return { name: g.name, groups: g.groups.length, smallest: { group: smallest.group, n: smallest.n } };
      }),
      definitions: {
        ...METRIC_DEFINITIONS,
        interval: "each metric is a proportion successes / trials with a Wilson score 95% interval (wide for small groups)",
        gap: "gap = group value − overall value, in proportion units (0.05 = 5 percentage points)",
        undefined: "precision with no predicted positives, or recall with no actual positives, is null with the reason (not 0, not NaN)",
      },
      summary:
        `${n} rows, ${report.groupings.length} grouping(s) (${report.groupings.map((g) => `${g.name}: ${g.groups.length} groups`).join(", ")}); ` +
        `overall accuracy ${percent(overall.accuracy)}, precision ${percent(overall.precision)}, recall ${percent(overall.recall)}`,
    },
  };
}

function summarise(labels: readonly number[], scores: readonly number[], threshold: number): MetricsSummary {
  const metrics = classificationMetrics(labels, scores, threshold);
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = metrics.confusion;
  return {
    n: labels.length,
    positives: tp + fn,
    predictedPositives: tp + fp,
    confusion: metrics.confusion,
    // Counts from the same confusion matrix classificationMetrics used, so the values agree with it.
    accuracy: proportion(tp + tn, labels.length, "no rows"),
    precision: proportion(tp, tp + fp, "no row is predicted positive, so precision TP / (TP + FP) is 0/0"),
    recall: proportion(tp, tp + fn, "no row is an actual positive, so recall TP / (TP + FN) is 0/0"),
  };
}

/** labels are 0/1, probabilities are in [0, 1], one per label; returns the row count. */
export function checkLabelsAndProbabilities(labels: readonly number[], probabilities: readonly number[], field = ""): number {
  if (!Array.isArray(labels) || labels.length === 0) throw new InputError(`${field}labels`, "a non-empty array of 0/1", labels);
  labels.forEach((label, i) => {
    if (label !== 0 && label !== 1) throw new InputError(`${field}labels[${i}]`, "0 or 1", label);
  });
  if (!Array.isArray(probabilities) || probabilities.length !== labels.length) {
    throw new InputError(`${field}probabilities`, `an array of ${labels.length} numbers (one per label)`, probabilities);
  }
  probabilities.forEach((p, i) => requireNumber(`${field}probabilities[${i}]`, p, { min: 0, max: 1 }));
  return labels.length;
}

/** At least one grouping, each a string key per row. */
export function checkGroups(groups: Readonly<Record<string, readonly string[]>>, n: number, field = "groups"): [string, readonly string[]][] {
  if (groups === null || typeof groups !== "object" || Array.isArray(groups)) {
    throw new InputError(field, "an object { groupingName: group key per row }", groups);
  }
  const entries = Object.entries(groups);
  if (entries.length === 0) throw new InputError(field, "at least one grouping (e.g. { ageBand: [...] })", "none");
  for (const [name, keys] of entries) {
    if (!Array.isArray(keys) || keys.length !== n) throw new InputError(`${field}.${name}`, `an array of ${n} group keys (one per row)`, keys);
    keys.forEach((key, i) => {
      if (typeof key !== "string" || key === "") throw new InputError(`${field}.${name}[${i}]`, "a non-empty string group key", key);
    });
  }
  return entries;
}

function checkRowThresholds(thresholds: readonly number[], n: number): readonly number[] {
  if (!Array.isArray(thresholds) || thresholds.length !== n) {
    throw new InputError("rowThresholds", `an array of ${n} thresholds (one per row)`, thresholds);
  }
  thresholds.forEach((t, i) => requireNumber(`rowThresholds[${i}]`, t, { min: 0, max: 1, minExclusive: true, maxExclusive: true }));
  return thresholds;
}
