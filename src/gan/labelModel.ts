/**
 * A label model for the GAN's release: a classifier of the outcome column from the other
 * encoded columns, trained on the real rows with DP-SGD (trainPrivately), then used to draw each
 * synthetic row's outcome from P(outcome | its other columns).
 *
 * Why: a GAN on 800 rows learns the columns' shapes well before it learns how the outcome
 * depends on them, and that dependence is what a model trained on the release needs. table-GAN
 * (Park et al. 2018) adds a classifier for the same reason. Drawing (not taking the most likely
 * class) keeps the outcome's uncertainty: rows like each other do not all get the same label.
 *
 * Privacy: the classifier reads the real rows, so it spends budget too. Its DP-SGD steps and the
 * discriminator's are accounted together (calibrateComposedNoise gives both one σ for the target
 * ε); relabelling is post-processing of the classifier, like sampling is of the generator.
 */
import type { ModelData, ModelKind } from "../models";
import { predictProbabilities } from "../models";
import { stepsPerEpoch } from "../privacy/dpsgd";
import { trainPrivately, TRAIN_DEFAULTS, type TrainTrace } from "../pipeline/train";
import type { AccountantChoice } from "../privacy/accountant";
import { createRng } from "../random/rng";
import { columnValues, rowCount, type Cell, type Table } from "../anonymity/table";
import { encodeTable, type CategoricalColumnEncoding, type TabularEncoding } from "../synthetic/encoding";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { MODEL_KINDS } from "../models";

export interface LabelModelOptions {
  /** The outcome column: categorical in the encoding, with exactly two categories. */
  label: string;
  /** The σ of its DP-SGD, from a joint calibration with the discriminator. Give this or targetEpsilon. */
  noiseMultiplier?: number;
  /** A target ε for the label model alone; Infinity trains without privacy. */
  targetEpsilon?: number;
  delta?: number;
  /** The accountant of its DP-SGD (default "rdp"); a joint calibration passes the discriminator's. */
  accountant?: AccountantChoice;
  /** Default 40 (LABEL_MODEL_DEFAULTS). */
  epochs?: number;
  /** Default "mlp". */
  model?: ModelKind;
  /** Expected batch; default the model's (128, at most the rows). */
  batchSize?: number;
  seed?: number;
}

/**
 * 40 epochs of the MLP at batch 128: on the 800 training customers at ε = 5 (shared with 500
 * discriminator steps) train-on-synthetic accuracy was within 1–5.5 points of train-on-real over
 * seeds 7–16 (mean 2.4); 10 or 20 epochs left the label model too rough (mean gap 4.2 and 3.7), 60
 * cost the discriminator too much noise (3.8).
 */
export const LABEL_MODEL_DEFAULTS = Object.freeze({ epochs: 40, model: "mlp" as ModelKind });

export interface LabelModel {
  kind: "labelModel";
  label: string;
  /** The outcome's two categories; the model gives the probability of the second. */
  categories: [Cell, Cell];
  /** Encoded slots the model reads: every slot but the outcome's. */
  featureSlots: number[];
  model: ModelData;
}

export interface LabelModelTrace {
  stage: "labelModel";
  label: string;
  /** The outcome's categories; the model gives the probability of the second. */
  categories: [Cell, Cell];
  rows: number;
  features: number;
  training: Pick<TrainTrace, "modelKind" | "epochs" | "steps" | "sampleRate" | "noiseMultiplier" | "clipNorm" | "epsilonSpent" | "delta" | "private">;
  /** Accuracy on the training rows, without noise: a diagnostic, not covered by ε. */
  trainAccuracy: number;
  summary: string;
}

/** The DP-SGD run trainLabelModel will make on `rows` rows: what a joint calibration needs before training. */
export function labelModelPlan(rows: number, options: Pick<LabelModelOptions, "epochs" | "model" | "batchSize"> = {}): { sampleRate: number; steps: number } {
  const n = requireNumber("rows", rows, { min: 1, integer: true });
  const epochs = requireNumber("epochs", options.epochs ?? LABEL_MODEL_DEFAULTS.epochs, { min: 1, integer: true });
  const model = requireOneOf("model", options.model ?? LABEL_MODEL_DEFAULTS.model, MODEL_KINDS);
  const batchSize = requireNumber("batchSize", options.batchSize ?? Math.min(TRAIN_DEFAULTS[model].batchSize, n), { min: 1, max: n, integer: true });
  const sampleRate = batchSize / n;
  return { sampleRate, steps: epochs * stepsPerEpoch(sampleRate) };
}

function outcomeColumn(encoding: TabularEncoding, label: string): CategoricalColumnEncoding & { categories: [Cell, Cell] } {
  const column = encoding.columns.find((c) => c.name === label);
  if (!column || column.kind !== "categorical" || column.categories.length !== 2) {
    const got = !column ? "not encoded" : column.kind === "numeric" ? "numeric" : `${column.categories.length} categories`;
    throw new InputError("label", "a categorical column of the encoding with exactly two categories", `${label} (${got})`);
  }
  return column as CategoricalColumnEncoding & { categories: [Cell, Cell] };
}

function featuresOf(table: Table, encoding: TabularEncoding, slots: readonly number[]): number[][] {
  return encodeTable(table, encoding).map((row) => slots.map((j) => row[j]));
}

export async function trainLabelModel(table: Table, encoding: TabularEncoding, options: LabelModelOptions): Promise<{ output: LabelModel; trace: LabelModelTrace }> {
  if (options === null || typeof options !== "object") throw new InputError("options", "{ label, noiseMultiplier | targetEpsilon, … }", options);
  const outcome = outcomeColumn(encoding, options.label);
  if ((options.noiseMultiplier === undefined) === (options.targetEpsilon === undefined)) {
    throw new InputError("noiseMultiplier", "exactly one of noiseMultiplier and targetEpsilon", { noiseMultiplier: options.noiseMultiplier, targetEpsilon: options.targetEpsilon });
  }
  const featureSlots = [...Array(encoding.width).keys()].filter((j) => j < outcome.offset || j >= outcome.offset + outcome.categories.length);
  const labels = columnValues(table, options.label, "table column");
  const y = Array.from({ length: rowCount(table) }, (_, i) => {
    const index = outcome.categories.indexOf(labels[i]);
    if (index < 0) throw new InputError(`table.${options.label}[${i}]`, `one of ${outcome.categories.join(", ")}`, labels[i]);
    return index;
  });
  const plan = labelModelPlan(y.length, options);
  const trained = await trainPrivately(
    { x: featuresOf(table, encoding, featureSlots), y },
    {
      ...(options.noiseMultiplier !== undefined ? { noiseMultiplier: options.noiseMultiplier } : { epsilon: options.targetEpsilon }),
      delta: options.delta,
      ...(options.accountant === undefined ? {} : { accountant: options.accountant }),
      epochs: options.epochs ?? LABEL_MODEL_DEFAULTS.epochs,
      model: options.model ?? LABEL_MODEL_DEFAULTS.model,
      batchSize: Math.round(plan.sampleRate * y.length),
      seed: options.seed,
    },
  );
  const t = trained.trace;
  const trainAccuracy = t.epochs[t.epochs.length - 1].trainAccuracy;
  const eps = Number.isFinite(t.epsilonSpent) ? `ε = ${t.epsilonSpent.toFixed(2)} on its own` : "no DP";
  return {
    output: { kind: "labelModel", label: options.label, categories: outcome.categories, featureSlots, model: trained.output.model },
    trace: {
      stage: "labelModel",
      label: options.label,
      categories: outcome.categories,
      rows: y.length,
      features: featureSlots.length,
      training: {
        modelKind: t.modelKind,
        epochs: t.epochs,
        steps: t.steps,
        sampleRate: t.sampleRate,
        noiseMultiplier: t.noiseMultiplier,
        clipNorm: t.clipNorm,
        epsilonSpent: t.epsilonSpent,
        delta: t.delta,
        private: t.private,
      },
      trainAccuracy,
      summary: `${t.modelKind} label model for ${options.label}: ${t.steps} DP-SGD steps, σ = ${t.noiseMultiplier.toFixed(3)} (${eps}); training accuracy ${(100 * trainAccuracy).toFixed(1)}%`,
    },
  };
}

/**
 * The table with its outcome column redrawn from the label model: each row's outcome is the
 * second category with the model's probability for that row. Seeded.
 */
export function relabelRows(table: Table, labelModel: LabelModel, encoding: TabularEncoding, seed: number | string): { output: Table; trace: { rows: number; changed: number; secondCategoryShare: { before: number; after: number } } } {
  const outcome = outcomeColumn(encoding, labelModel.label);
  const probabilities = predictProbabilities(labelModel.model, featuresOf(table, encoding, labelModel.featureSlots));
  const rng = createRng(seed);
  const before = columnValues(table, labelModel.label, "table column");
  const after = probabilities.map((p) => (rng.uniform() < p ? outcome.categories[1] : outcome.categories[0]));
  const n = after.length;
  const share = (values: ArrayLike<Cell>) => (n === 0 ? 0 : Array.from(values).filter((v) => v === outcome.categories[1]).length / n);
  return {
    output: { columns: table.columns, data: { ...table.data, [labelModel.label]: after } },
    trace: { rows: n, changed: after.filter((v, i) => v !== before[i]).length, secondCategoryShare: { before: share(before), after: share(after) } },
  };
}
