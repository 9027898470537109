/**
 * The pipeline's result as text, laid out like the seed document: the data-flow table, the
 * epoch-by-epoch training trace with its loss chart, the evaluation and the prediction trace.
 */
import type { DataFlowRow, PipelineResult } from "../../pipeline/run";
import type { TrainTrace } from "../../pipeline/train";
import { asciiBarChart } from "./barChart";
import { formatCell, textTable } from "./textTable";

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
const epsilonText = (e: number): string => (Number.isFinite(e) ? e.toFixed(3) : "∞");

export function renderDataFlow(dataFlow: readonly DataFlowRow[]): string {
  return textTable(
    ["#", "Stage", "Input", "Operation", "Output", "Example"],
    dataFlow.map((r) => [r.step, r.stage, r.input, r.operation, r.output, r.example]),
  );
}

export function renderTrainingTrace(train: TrainTrace): string {
  const header =
    `${train.modelKind} model, N = ${train.n}, batch ${train.batchSize} (q = ${formatCell(train.sampleRate, 4)}), ` +
    (train.private
      ? `${train.steps} steps, clip norm C = ${train.clipNorm}, noise multiplier σ = ${formatCell(train.noiseMultiplier, 4)}, `
      : `${train.steps} steps, no clipping and no noise (non-private), `) +
    `learning rate ${train.learningRate}`;
  const table = textTable(
    ["Epoch", "Loss ↓", "Accuracy ↑", "ε spent", "Mean grad norm", "Clipped", "Observation"],
    train.epochs.map((e) => [
      e.epoch,
      e.loss,
      e.trainAccuracy,
      epsilonText(e.epsilonSpent),
      e.meanGradNorm,
      percent(e.clippedFraction),
      e.observation,
    ]),
  );
  const chart = asciiBarChart(
    train.epochs.map((e) => e.loss),
    { width: 24, digits: 3 },
  );
  return `${header}\n\n${table}\nLoss\n${chart}`;
}

export function renderEvaluation(evaluation: PipelineResult["stages"]["evaluate"]): string {
  const { metrics } = evaluation;
  const rows: [string, number | null, number | null][] = [
    ["accuracy", metrics.private.accuracy, metrics.nonPrivate?.accuracy ?? null],
    ["precision", metrics.private.precision, metrics.nonPrivate?.precision ?? null],
    ["recall", metrics.private.recall, metrics.nonPrivate?.recall ?? null],
    ["F1", metrics.private.f1, metrics.nonPrivate?.f1 ?? null],
    ["ROC AUC", metrics.private.rocAuc, metrics.nonPrivate?.rocAuc ?? null],
  ];
  const c = metrics.private.confusion;
  return [
    textTable(["Metric", `DP model (ε = ${epsilonText(metrics.privacy.epsilon)})`, "Non-private model"], rows),
    `Confusion matrix of the DP model (rows: actual, columns: predicted)`,
    textTable(
      ["", "predicted 0", "predicted 1"],
      [
        ["actual 0", c.trueNegatives, c.falsePositives],
        ["actual 1", c.falseNegatives, c.truePositives],
      ],
    ),
    `Privacy loss: ε = ${epsilonText(metrics.privacy.epsilon)} (target ${epsilonText(metrics.privacy.epsilonTarget)}), ` +
      `δ = ${metrics.privacy.delta}; ${metrics.privacy.accountant}`,
    evaluation.summary,
  ].join("\n");
}

export function renderPrediction(prediction: PipelineResult["stages"]["predict"]): string {
  const [input, forward, activation, guarantee] = prediction.layers;
  const features = Object.entries(input.features)
    .map(([name, value]) => `${name} ${value.toFixed(3)}`)
    .join(", ");
  return [
    `Layer 1: ${input.name}: removed ${input.removed.join(", ")}; features (standardised with the training scaler): ${features}`,
    `Layer 2: ${forward.name}: logit = ${forward.logit.toFixed(4)}`,
    `Layer 3: ${activation.name}: ${activation.activation}(logit) = ${activation.probability.toFixed(4)}`,
    `Layer 4: ${guarantee.name}: ${guarantee.statement}`,
    `  theorem: ${guarantee.theorem}`,
    ...guarantee.notCovered.map((n) => `  not covered: ${n}`),
    `Predicted purchase likelihood: ${prediction.output.probability.toFixed(2)}`,
  ].join("\n");
}

export function renderPipelineReport(result: PipelineResult): string {
  return [
    "Data Flow - 6 Stages",
    renderDataFlow(result.dataFlow),
    "Training Trace - Epoch by Epoch",
    renderTrainingTrace(result.stages.trainPrivately),
    "",
    "Model Evaluation",
    renderEvaluation(result.stages.evaluate),
    "",
    "Prediction Trace - 4 Layers",
    renderPrediction(result.stages.predict),
  ].join("\n");
}
