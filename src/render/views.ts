/**
 * What a notebook cell shows: each view is a Displayable whose HTML (tables, offline Plotly
 * charts) the course kernel renders, with the terminal text as the text/plain fallback.
 * Rendering only: every view takes the plain data a stage already returned.
 */
import type { DataFlowRow, PipelineResult } from "../pipeline/run";
import type { TrainTrace } from "../pipeline/train";
import { accountantComparisonFigure, type AccountingChartPoint } from "./charts/accounting";
import { dataFlowFigure } from "./charts/dataFlow";
import { epochTraceFigure } from "./charts/epochTrace";
import type { Figure } from "./charts/figure";
import { privacyUtilityFigure, type BudgetPoint } from "./charts/privacyUtility";
import { renderSweepSummary, sweepRows, SWEEP_HEADERS } from "./text/sweepReport";
import type { SweepSummaryRow } from "../experiments/sweep";
import type { GroupCostRow, GroupCostTrace } from "../experiments/groupCost";
import { composeView } from "./compose";
import { escapeHtml } from "./html/escape";
import { figureHtml, plotlyLibraryHtml } from "./html/plotly";
import { htmlTable, type HtmlTableOptions } from "./html/table";
import { richOutput, type Displayable } from "./mime";
import { renderDataFlow, renderEvaluation, renderPrediction, renderTrainingTrace } from "./text/pipelineReport";
import { textTable, type Cell } from "./text/textTable";

/** Put Plotly on the page once per notebook (offline: the library is inlined). */
export function loadCharts(): Displayable {
  return richOutput(
    `${plotlyLibraryHtml()}<div><em>Charts ready (plotly.js, offline).</em></div>`,
    "Charts ready (plotly.js, offline).",
  );
}

export function chartView(figure: Figure): Displayable {
  const title = figure.layout.title?.text ?? "chart";
  const series = figure.data.map((t) => `${t.name ?? t.type} (${t.x?.length ?? 0} points)`).join(", ");
  return richOutput(figureHtml(figure), `[chart] ${title}: ${series}`);
}

export function tableView(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: HtmlTableOptions = {},
): Displayable {
  const text = (options.caption ? `${options.caption}\n` : "") + textTable(headers, rows.slice(0, options.maxRows ?? 50));
  return richOutput(htmlTable(headers, rows, options), text);
}

/** Records (an array of plain objects) as a table with its shape and column types. */
/** `outcome`: the column that is the label, not data (counted apart, as the stages' traces count it). */
export function recordsView(rows: readonly object[], { maxRows = 10, caption = "", outcome = "" } = {}): Displayable {
  const records = rows as readonly Record<string, unknown>[];
  const columns = records.length > 0 ? Object.keys(records[0]) : [];
  const types = columns.map((c) => {
    const kinds = new Set(records.map((r) => (Array.isArray(r[c]) ? "list" : typeof r[c])));
    return [...kinds].join("|");
  });
  const cell = (value: unknown): Cell => {
    if (Array.isArray(value)) return `[${value.length} items]`;
    if (value !== null && typeof value === "object") return JSON.stringify(value);
    return value as Cell;
  };
  const hasOutcome = outcome !== "" && columns.includes(outcome);
  const shape = `${records.length} rows x ${columns.length - (hasOutcome ? 1 : 0)} columns${hasOutcome ? ` and the outcome ${outcome}` : ""}`;
  return tableView(
    columns.map((c, i) => `${c} (${types[i]})`),
    records.slice(0, maxRows).map((r) => columns.map((c) => cell(r[c]))),
    { caption: `${caption ? `${caption}: ` : ""}${shape}${records.length > maxRows ? `, first ${maxRows} shown` : ""}`, maxRows },
  );
}

export function dataFlowView(dataFlow: readonly DataFlowRow[]): Displayable {
  const table = htmlTable(
    ["#", "Stage", "Input", "Operation", "Output", "Example"],
    dataFlow.map((r) => [r.step, r.stage, r.input, r.operation, r.output, r.example]),
    { caption: "Data flow - 6 stages" },
  );
  return richOutput(`${figureHtml(dataFlowFigure(dataFlow))}${table}`, renderDataFlow(dataFlow));
}

export function trainingView(trace: TrainTrace): Displayable {
  const rows = trace.epochs.map((e) => [
    e.epoch,
    e.loss,
    e.trainAccuracy,
    Number.isFinite(e.epsilonSpent) ? e.epsilonSpent : "∞",
    e.meanGradNorm,
    e.clippedFraction,
    e.observation,
  ]);
  const table = htmlTable(["Epoch", "Loss ↓", "Accuracy ↑", "ε spent", "Mean grad norm", "Clipped", "Observation"], rows, {
    caption: `${trace.modelKind}, N = ${trace.n}, batch ${trace.batchSize}, σ = ${trace.noiseMultiplier.toFixed(3)}, C = ${trace.clipNorm ?? "none"}`,
  });
  const notes = trace.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("");
  const html = `${figureHtml(epochTraceFigure(trace.epochs))}${table}${notes ? `<details open><summary>What the guarantee assumes</summary><ul>${notes}</ul></details>` : ""}`;
  return richOutput(html, renderTrainingTrace(trace));
}

export function evaluationView(evaluation: PipelineResult["stages"]["evaluate"]): Displayable {
  const text = renderEvaluation(evaluation);
  return richOutput(`<pre>${escapeHtml(text)}</pre>`, text);
}

export function predictionView(prediction: PipelineResult["stages"]["predict"]): Displayable {
  const text = renderPrediction(prediction);
  return richOutput(`<pre>${escapeHtml(text)}</pre>`, text);
}

/**
 * One run accounted by RDP and by PLD: ε against steps, and the final values side by side (an
 * audit's lower bound, when given, as a marker at the last step and a row).
 */
export function accountantComparisonView(
  comparison: { points: readonly AccountingChartPoint[]; delta: number; noiseMultiplier: number },
  options: { auditLowerBound?: number } = {},
): Displayable {
  const last = comparison.points[comparison.points.length - 1];
  const headers = ["", `ε after ${last.steps} steps (σ = ${comparison.noiseMultiplier.toFixed(3)}, δ = ${comparison.delta})`];
  const rows: Cell[][] = [
    ["RDP accountant (upper bound)", last.rdp],
    ["PLD accountant (upper bound)", last.pld],
    ["PLD with the grid rounded down (lower estimate, not a guarantee)", last.pldOptimistic],
    ...(options.auditLowerBound === undefined ? [] : [["audit of the trained model: proven lower bound (95%)", options.auditLowerBound] as Cell[]]),
  ];
  return richOutput(`${figureHtml(accountantComparisonFigure(comparison.points, options))}${htmlTable(headers, rows)}`, textTable(headers, rows));
}


/** The sweep's chart and table; a full sweep summary gets its intervals and comparisons in the table. */
export function privacyUtilityView(points: readonly BudgetPoint[] | readonly SweepSummaryRow[]): Displayable {
  const figure = figureHtml(privacyUtilityFigure(points));
  if (points.length > 0 && points.every((p): p is SweepSummaryRow => "interval" in p && "belowNonPrivate" in p)) {
    const summary = points as readonly SweepSummaryRow[];
    const headers = [...SWEEP_HEADERS];
    const rows = sweepRows(summary);
    return richOutput(`${figure}${htmlTable(headers, rows)}`, renderSweepSummary(summary));
  }
  const headers = ["ε", "accuracy (mean)", "± std"];
  const rows = points.map((p) => [p.epsilon, p.meanAccuracy, p.stdAccuracy]);
  return richOutput(`${figure}${htmlTable(headers, rows)}`, textTable(headers, rows));
}

/** What privacy cost each group (smallest first), with the 95% interval of each drop, and how it was measured. */
export function groupCostView(result: { output: readonly GroupCostRow[]; trace: GroupCostTrace }): Displayable {
  const points = (x: number) => (100 * x).toFixed(1);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const { trace } = result;
  return composeView([
    {
      kind: "table",
      headers: ["group", "training people", "test people", "accuracy without privacy", `accuracy at ε = ${trace.epsilon}`, "drop (points)", "95% interval of the drop"],
      rows: result.output.map((r) => [r.group, r.trainPeople, r.testPeople, pct(r.nonPrivateAccuracy), pct(r.privateAccuracy), points(r.drop), `[${points(r.interval.low)}, ${points(r.interval.high)}]`]),
      caption: `What privacy cost each ${trace.groupBy === "ageBand" ? "age band" : "town category"} (${trace.seeds.length} seeds, ${trace.trainPeople} training people)`,
    },
    { kind: "line", text: `All ${trace.testPeople} test people: ${pct(trace.overall.nonPrivateAccuracy)} without privacy, ${pct(trace.overall.privateAccuracy)} at ε = ${trace.epsilon} (a drop of ${points(trace.overall.drop)} points).` },
    { kind: "notes", notes: [trace.method, ...trace.notes], summary: "How this was measured, and how to read it" },
  ]);
}
