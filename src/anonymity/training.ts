/**
 * What anonymisation costs the course model: train it (trainPrivately with ε = ∞, i.e. the
 * plain model, so only the generalisation is measured) on the features an analyst can build
 * from a released customer table, and test it on exact held-out customers — the model is
 * trained on the release and then used on new people whose true age and town are known.
 *
 * Generalised cells become numbers the same way for every algorithm: an age interval becomes
 * the age band of its midpoint, a location becomes the ordinal code of its settlement category
 * (a town's category, or the category node itself). A cell that says nothing ("*") is imputed
 * with the mean over the rows that do say something; features are standardised with the
 * statistics of the stated values.
 */
import { LOCATION_CATEGORIES, ageBandIndex, findTown, type LocationCategory } from "../data/schema";
import { classificationMetrics, type ClassificationMetrics } from "../evaluation/metrics";
import { predictProbabilities, type ModelData } from "../models";
import { FEATURE_NAMES } from "../pipeline/features";
import { trainPrivately } from "../pipeline/train";
import { InputError, requireNumber } from "../validation/errors";
import { midpoint } from "./generalisedCell";
import { columnValues, rowCount, type Cell, type Table } from "./table";

export const TRAINING_COLUMNS = ["age", "location", "purchaseFrequency", "averageSpend", "recencyDays", "buysNextMonth"] as const;

export interface TrainOnAnonymisedOptions {
  /** Released rows to learn from (a customerTable, anonymised or not). */
  train: Table;
  /** Exact rows to test on (a customerTable of held-out customers). */
  test: Table;
  epochs?: number;
  seed?: number;
}

export interface TrainOnAnonymisedTrace {
  trainRows: number;
  testRows: number;
  features: string[];
  /** Training cells that carried no usable value ("*"): set to the mean of the stated values. */
  imputed: { age: number; location: number };
  /** Features the release never varies: 0 in training and testing (the model cannot learn them). */
  constantFeatures: string[];
  training: { epochs: number; finalLoss: number; trainAccuracy: number; epsilon: "∞ (no differential privacy: only the anonymisation is measured)" };
  summary: string;
}

export async function trainOnAnonymised(
  options: TrainOnAnonymisedOptions,
): Promise<{
  /** probabilities: the model's P(buysNextMonth = 1) for each test row, in test-row order (for per-group analysis). */
  output: { accuracy: number; metrics: ClassificationMetrics; model: ModelData; probabilities: number[] };
  trace: TrainOnAnonymisedTrace;
}> {
  const epochs = requireNumber("epochs", options.epochs ?? 5, { min: 1, max: 1000, integer: true });
  const seed = requireNumber("seed", options.seed ?? 7, { min: 0, max: 2 ** 31 - 1, integer: true });
  const train = featureRows(options.train, "train");
  const test = featureRows(options.test, "test");
  if (test.imputed.age + test.imputed.location > 0) {
    throw new InputError("test", "exact rows (ages and towns, not generalised cells)", `${test.imputed.age + test.imputed.location} generalised cells`);
  }
  // Standardise with the mean and std of the values the release states (an imputed cell is
  // the mean, 0 after standardising). Using only stated values keeps a mostly-"*" column on
  // the scale of the exact test values. A feature the release never varies teaches the model
  // nothing, so it is 0 for training and test alike (else its random initial weight would
  // shift every test prediction).
  const means: number[] = [];
  const stds: number[] = [];
  const constantFeatures: string[] = [];
  for (let j = 0; j < FEATURE_NAMES.length; j++) {
    const known = train.x.map((row) => row[j]).filter((v): v is number => v !== null);
    const mean = known.length > 0 ? known.reduce((s, v) => s + v, 0) / known.length : 0;
    const std = known.length > 0 ? Math.sqrt(known.reduce((s, v) => s + (v - mean) ** 2, 0) / known.length) : 0;
    means.push(mean);
    stds.push(std);
    if (!(std > 0)) constantFeatures.push(FEATURE_NAMES[j]);
  }
  const standardise = (row: (number | null)[]) => row.map((v, j) => (v === null || !(stds[j] > 0) ? 0 : (v - means[j]) / stds[j]));
  const x = train.x.map(standardise);
  const trained = await trainPrivately({ x, y: train.y }, { epsilon: Infinity, epochs, seed });
  const probabilities = predictProbabilities(trained.output.model, test.x.map(standardise));
  const metrics = classificationMetrics(test.y, probabilities);
  const last = trained.trace.epochs[trained.trace.epochs.length - 1];
  return {
    output: { accuracy: metrics.accuracy, metrics, model: trained.output.model, probabilities },
    trace: {
      trainRows: x.length,
      testRows: test.x.length,
      features: [...FEATURE_NAMES],
      imputed: train.imputed,
      constantFeatures,
      training: { epochs, finalLoss: last.loss, trainAccuracy: last.trainAccuracy, epsilon: "∞ (no differential privacy: only the anonymisation is measured)" },
      summary: `trained on ${x.length} released rows, test accuracy ${(100 * metrics.accuracy).toFixed(1)}% on ${test.x.length} exact rows`,
    },
  };
}

/** FEATURE_NAMES order: purchaseFrequency, averageSpend (log), locationCategory, recencyDays, ageBand. */
function featureRows(table: Table, field: string): { x: (number | null)[][]; y: number[]; imputed: { age: number; location: number } } {
  const n = rowCount(table);
  if (n === 0) throw new InputError(field, "at least one row", n);
  const column = (name: string) => columnValues(table, name, `${field} column`);
  const [age, location, frequency, average, recency, outcome] = TRAINING_COLUMNS.map(column);
  const imputed = { age: 0, location: 0 };
  const x: (number | null)[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = ageFeature(age[i]);
    const l = locationFeature(location[i]);
    if (a === null) imputed.age++;
    if (l === null) imputed.location++;
    const spend = requireNumber(`${field}.averageSpend[${i}]`, average[i], { min: 0, minExclusive: true });
    x.push([
      requireNumber(`${field}.purchaseFrequency[${i}]`, frequency[i], { min: 0 }),
      Math.log(spend),
      l,
      requireNumber(`${field}.recencyDays[${i}]`, recency[i], { min: 0 }),
      a,
    ]);
    const label = outcome[i];
    if (label !== 0 && label !== 1) throw new InputError(`${field}.buysNextMonth[${i}]`, "0 or 1", label);
    y.push(label);
  }
  return { x, y, imputed };
}

function ageFeature(cell: Cell): number | null {
  const middle = midpoint(cell);
  return middle === null ? null : ageBandIndex(Math.floor(middle));
}

function locationFeature(cell: Cell): number | null {
  const text = String(cell);
  const category = findTown(text)?.category ?? (LOCATION_CATEGORIES as readonly string[]).find((c) => c === text);
  return category === undefined ? null : LOCATION_CATEGORIES.indexOf(category as LocationCategory);
}
