/**
 * Notebook views for the accurate-trends loop: per-group metrics, the biases found, and the
 * comparison of training sets. Rendering only: each takes what a trends function returned.
 */
import type { BiasFinding, BiasTest, FindBiasesTrace, SkippedTest } from "../trends/bias";
import type { CompareTrainingSetsTrace } from "../trends/compare";
import type { GroupMetricsReport, GroupMetricsTrace } from "../trends/groupMetrics";
import { groupMetricsFigure, trainingSetsFigure, type TrainingSetsComparison, type TrainingSetsFigureOptions } from "./charts/trends";
import { composeView, type ViewPart } from "./compose";
import type { Displayable } from "./mime";
import { formatCell } from "./text/textTable";

const interval = (i: { low: number; high: number } | null) => (i ? `${formatCell(i.low)}–${formatCell(i.high)}` : "");

/** metricsByGroup's report: the chart and one row per group with its intervals and gaps. */
export function groupMetricsView(report: GroupMetricsReport, trace?: GroupMetricsTrace): Displayable {
  const rows = report.groupings.flatMap((grouping) =>
    grouping.groups.map((g) => [
      grouping.name,
      g.group,
      g.n,
      g.positives,
      g.accuracy.value,
      interval(g.accuracy.interval),
      g.precision.value,
      g.recall.value,
      interval(g.recall.interval),
      g.gap.accuracy,
      g.gap.recall,
    ]),
  );
  return composeView([
    ...(trace ? [{ kind: "line", text: trace.summary, emphasis: "strong" } as const] : []),
    { kind: "figure", figure: groupMetricsFigure(report) },
    {
      kind: "table",
      headers: ["grouping", "group", "rows", "positives", "accuracy", "95% CI", "precision", "recall", "95% CI", "accuracy gap", "recall gap"],
      rows,
      caption: `Per group (overall: accuracy ${formatCell(report.overall.accuracy.value)}, precision ${formatCell(report.overall.precision.value)}, recall ${formatCell(report.overall.recall.value)}; empty = undefined)`,
    },
    { kind: "notes", notes: trace ? Object.values(trace.definitions) : [], summary: "Definitions" },
  ]);
}

/** findBiases' output (and trace): the flagged groups, each in a sentence, and what was tested. */
export function biasesView(
  result: { findings: readonly BiasFinding[]; tests: readonly BiasTest[]; skipped: readonly SkippedTest[] },
  trace?: FindBiasesTrace,
): Displayable {
  const { findings, tests, skipped } = result;
  const parts: ViewPart[] = [
    { kind: "line", text: trace?.summary ?? `${findings.length} of ${tests.length} tests flagged (${skipped.length} skipped)`, emphasis: "strong" },
  ];
  if (findings.length > 0) {
    parts.push(
      {
        kind: "table",
        headers: ["grouping", "group", "metric", "group value", "95% CI", "rest", "gap", "p", "Holm p"],
        rows: findings.map((f) => [f.grouping, f.group, f.metric, f.value, interval(f.interval), f.restValue, f.gap, f.pValue, f.adjustedPValue]),
        caption: "Groups the model serves differently",
      },
      { kind: "notes", notes: findings.map((f) => f.sentence) },
    );
  }
  if (skipped.length > 0) {
    parts.push({
      kind: "table",
      headers: ["grouping", "group", "metric", "why not tested"],
      rows: skipped.map((s) => [s.grouping, s.group, s.metric, s.reason]),
      caption: `Not tested: ${skipped.length}`,
      maxRows: 10,
    });
  }
  parts.push(
    { kind: "notes", notes: trace ? [trace.definitions.rule, trace.definitions.test, trace.definitions.correction] : [], summary: "The rule" },
  );
  return composeView(parts);
}

/** compareTrainingSets' output (and trace): the chart, the headline numbers per set, and the biases each set's model has. */
export function trainingSetsView(
  comparison: TrainingSetsComparison & { biases: readonly { set: string; sentence: string }[] },
  trace?: CompareTrainingSetsTrace,
  options: TrainingSetsFigureOptions = {},
): Displayable {
  return composeView([
    ...(trace ? [{ kind: "line", text: trace.definition } as const] : []),
    { kind: "figure", figure: trainingSetsFigure(comparison, options) },
    {
      kind: "table",
      headers: ["training set", "rows", "accuracy", "precision", "recall", "biases found"],
      rows: comparison.overall.map((r) => [r.set, r.trainRows, r.accuracy, r.precision, r.recall, r.biasesFound]),
      caption: trace ? `Every model tested on the same ${trace.testRows} real rows` : "Every model tested on the same real rows",
    },
    comparison.biases.length === 0
      ? { kind: "line", text: "No bias found in any set's model." }
      : {
          kind: "table",
          headers: ["training set", "finding"],
          rows: comparison.biases.map((b) => [b.set, b.sentence]),
          caption: `Biases found: ${comparison.biases.length}`,
          maxRows: 20,
        },
    {
      kind: "notes",
      notes: trace ? trace.sets.map((s) => `${s.set}: ${s.training}; imputed ages ${s.imputed.age}, locations ${s.imputed.location}`) : [],
      summary: "How each model was trained",
    },
  ]);
}
