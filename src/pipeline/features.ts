/**
 * Stage 3 — feature engineering. Five numeric features that describe buying behaviour
 * without saying who the customer is. Standardisation is fitted on the training rows only:
 * fitting it on all rows would let the test rows (and, in the private lessons, rows outside
 * the privacy accounting) shape the model's inputs.
 *
 * One code path: `engineerFeatures` standardises every row through `featuresForRow`, the
 * same function that prepares a single new row for prediction.
 */
import {
  DEFAULT_AGE_BAND_EDGES,
  HISTORY_DAYS,
  HISTORY_MONTHS,
  LOCATION_CATEGORIES,
  MAX_AGE,
  REFERENCE_DATE,
  TOWNS,
  ageBandIndex,
  ageBandLabels,
  dateFromDayNumber,
  dayNumber,
  findTown,
  type Purchase,
} from "../data/schema";
import { InputError, requireNumber } from "../validation/errors";

import { FEATURE_NAMES, type FeatureName } from "./featureNames";
import { fitPrivateScaler, type PrivateScalerOptions, type ScalerPrivacy } from "./privateScaler";

export { FEATURE_NAMES, type FeatureName };

export interface FeatureDefinition {
  name: FeatureName;
  definition: string;
  unit: string;
  /** Why this feature exists, and why it does not identify anyone. */
  why: string;
}

const AGE_LABELS = ageBandLabels(DEFAULT_AGE_BAND_EDGES);

export const FEATURE_DEFINITIONS: readonly FeatureDefinition[] = [
  {
    name: "purchaseFrequency",
    definition: `Number of purchases in the ${HISTORY_DAYS} days ending on the reference date, divided by ${HISTORY_MONTHS}.`,
    unit: "purchases per month",
    why: "How often someone buys is the strongest habit signal; a count says nothing about who they are.",
  },
  {
    name: "averageSpend",
    definition: "Natural logarithm of the mean purchase amount over the window.",
    unit: "log currency units",
    why:
      "Amounts are log-normal (a few large baskets); the log makes the feature roughly symmetric, " +
      "so a linear model fits it and one big spender does not dominate clipped gradients in DP-SGD.",
  },
  {
    name: "locationCategory",
    definition: `Ordinal code of the settlement category of the customer's town: ${LOCATION_CATEGORIES.map((c, i) => `${c}=${i}`).join(", ")}.`,
    unit: "ordinal code (0–3)",
    why: "Replaces the town by one of four categories, each shared by many customers, keeping the difference in base rates.",
  },
  {
    name: "recencyDays",
    definition: "Days from the last purchase to the reference date (0 = bought on the reference date).",
    unit: "days",
    why:
      "Extra feature beyond the seed document's list: how recently someone bought predicts buying again " +
      "far better than frequency alone (a frequent buyer who stopped months ago has churned), and it is a " +
      "single day count, not a date trail.",
  },
  {
    name: "ageBand",
    definition: `Ordinal index of the age band (${AGE_LABELS.map((l, i) => `${l}=${i}`).join(", ")}).`,
    unit: "ordinal band index (0–6)",
    why:
      "Extra feature beyond the seed document's list: buying habits change with life stage, and a " +
      "ten-year band works whether stage 2 kept exact ages or generalised them to these same bands.",
  },
];

/** The fields the features read: a customer after anonymisation (age may be a band label). */
export interface FeatureRow {
  age: number | string;
  location: string;
  purchaseHistory: readonly Purchase[];
}

export interface Scaler {
  means: number[];
  stds: number[];
  /** Present when the scaler was released with DP (privateScaler.ts); absent: fitted without noise. */
  privacy?: ScalerPrivacy;
}

export interface SummaryStats {
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface FeatureTrace {
  stage: "features";
  shape: { rows: number; columns: number };
  referenceDate: string;
  window: { from: string; to: string; days: number };
  scaler: { fittedOn: "train"; trainRows: number; method: string; privacy: ScalerPrivacy | null };
  features: Array<
    FeatureDefinition & { train: { raw: SummaryStats; standardised: SummaryStats } }
  >;
}

export interface EngineeredFeatures {
  names: FeatureName[];
  /** N × 5, standardised with `scaler`. */
  matrix: number[][];
  labels: number[];
  scaler: Scaler;
  definitions: FeatureDefinition[];
}

/** The five features of one row, before standardisation, in FEATURE_NAMES order. */
export function rawFeatures(row: FeatureRow, referenceDate: string = REFERENCE_DATE): number[] {
  return rawFeaturesAt(row, window(referenceDate), "row");
}

/** The five standardised features of one row: what a trained model takes as input. */
export function featuresForRow(
  row: FeatureRow,
  scaler: Scaler,
  referenceDate: string = REFERENCE_DATE,
): number[] {
  return standardise(rawFeaturesAt(row, window(referenceDate), "row"), requireScaler(scaler));
}

export function engineerFeatures(
  rows: ReadonlyArray<FeatureRow & { buysNextMonth?: number }>,
  options: {
    trainIndices: readonly number[];
    referenceDate?: string;
    /** Release the scaler with DP (Gaussian noise on clamped sums) instead of fitting it without noise. */
    privateScaler?: PrivateScalerOptions;
  },
): { output: EngineeredFeatures; trace: FeatureTrace } {
  if (!Array.isArray(rows as unknown) || rows.length === 0) {
    throw new InputError("rows", "a non-empty array of customers", rows);
  }
  const referenceDate = options.referenceDate ?? REFERENCE_DATE;
  const win = window(referenceDate);
  const train = requireIndices("trainIndices", options.trainIndices, rows.length);

  const raw = rows.map((row, i) => rawFeaturesAt(row, win, `rows[${i}]`));
  const labels = rows.map((row, i) => {
    const label = row.buysNextMonth;
    if (label !== 0 && label !== 1) throw new InputError(`rows[${i}].buysNextMonth`, "0 or 1", label);
    return label;
  });
  const scaler = options.privateScaler ? fitPrivateScaler(raw, train, options.privateScaler) : fitScaler(raw, train);
  // Every row goes through the prediction path (a second cheap pass over already-validated
  // rows), so training and prediction cannot drift apart.
  const matrix = rows.map((row) => featuresForRow(row, scaler, referenceDate));

  const trainRaw = train.map((i) => raw[i]);
  const trainZ = train.map((i) => matrix[i]);
  return {
    output: {
      names: [...FEATURE_NAMES],
      matrix,
      labels,
      scaler,
      definitions: FEATURE_DEFINITIONS.map((d) => ({ ...d })),
    },
    trace: {
      stage: "features",
      shape: { rows: matrix.length, columns: FEATURE_NAMES.length },
      referenceDate,
      window: { from: dateFromDayNumber(win.from), to: referenceDate, days: HISTORY_DAYS },
      scaler: {
        fittedOn: "train",
        trainRows: train.length,
        method: scaler.privacy
          ? "z = (x − mean) / std, mean and std from one DP release of the training rows' clamped sums (see privacy)"
          : "z = (x − mean) / std, mean and population std of the training rows only",
        privacy: scaler.privacy ?? null,
      },
      features: FEATURE_DEFINITIONS.map((d, j) => ({
        ...d,
        train: {
          raw: summarise(trainRaw.map((r) => r[j])),
          standardised: summarise(trainZ.map((r) => r[j])),
        },
      })),
    },
  };
}

/** Mean and population standard deviation of each feature over the given rows. */
export function fitScaler(raw: readonly number[][], indices: readonly number[]): Scaler {
  const means: number[] = [];
  const stds: number[] = [];
  for (let j = 0; j < FEATURE_NAMES.length; j++) {
    const { mean, std } = summarise(indices.map((i) => raw[i][j]));
    if (!(std > 0)) {
      throw new InputError(
        "trainIndices",
        `training rows whose ${FEATURE_NAMES[j]} is not constant (it cannot be standardised)`,
        `${indices.length} rows, all ${FEATURE_NAMES[j]} = ${mean}`,
      );
    }
    means.push(mean);
    stds.push(std);
  }
  return { means, stds };
}

function standardise(raw: readonly number[], scaler: Scaler): number[] {
  return raw.map((x, j) => (x - scaler.means[j]) / scaler.stds[j]);
}

interface Window {
  from: number;
  to: number;
  referenceDate: string;
}

function window(referenceDate: string): Window {
  const to = typeof referenceDate === "string" ? dayNumber(referenceDate) : undefined;
  if (to === undefined) throw new InputError("referenceDate", "a date YYYY-MM-DD", referenceDate);
  return { from: to - HISTORY_DAYS + 1, to, referenceDate };
}

function rawFeaturesAt(row: FeatureRow, win: Window, path: string): number[] {
  if (row === null || typeof row !== "object") throw new InputError(path, "a customer object", row);
  const history = row.purchaseHistory;
  if (!Array.isArray(history as unknown) || history.length === 0) {
    throw new InputError(`${path}.purchaseHistory`, "a non-empty array of purchases", history);
  }
  let total = 0;
  let last = -Infinity;
  history.forEach((purchase: Purchase, k) => {
    const day = typeof purchase?.date === "string" ? dayNumber(purchase.date) : undefined;
    if (day === undefined || day < win.from || day > win.to) {
      throw new InputError(
        `${path}.purchaseHistory[${k}].date`,
        `a date YYYY-MM-DD from ${dateFromDayNumber(win.from)} to ${win.referenceDate} (the ${HISTORY_DAYS}-day window)`,
        purchase?.date,
      );
    }
    total += requireNumber(`${path}.purchaseHistory[${k}].amount`, purchase.amount, {
      min: 0,
      minExclusive: true,
    });
    last = Math.max(last, day);
  });

  const town = typeof row.location === "string" ? findTown(row.location) : undefined;
  if (!town) {
    throw new InputError(
      `${path}.location`,
      `one of the ${TOWNS.length} towns of the example data (TOWNS in src/data/schema.ts)`,
      row.location,
    );
  }

  return [
    history.length / HISTORY_MONTHS,
    Math.log(total / history.length),
    LOCATION_CATEGORIES.indexOf(town.category),
    win.to - last,
    ageBandOf(row.age, `${path}.age`),
  ];
}

/** Exact ages are banded here; labels from stage 2's default bands map to the same index. */
function ageBandOf(age: number | string, field: string): number {
  if (typeof age === "string") {
    const index = AGE_LABELS.indexOf(age);
    if (index < 0) throw new InputError(field, `an age or one of the bands ${AGE_LABELS.join(", ")}`, age);
    return index;
  }
  return ageBandIndex(requireNumber(field, age, { min: 0, max: MAX_AGE, integer: true }));
}

function requireScaler(scaler: Scaler): Scaler {
  const n = FEATURE_NAMES.length;
  if (!scaler || !Array.isArray(scaler.means) || scaler.means.length !== n) {
    throw new InputError("scaler.means", `an array of ${n} numbers`, scaler?.means);
  }
  if (!Array.isArray(scaler.stds) || scaler.stds.length !== n) {
    throw new InputError("scaler.stds", `an array of ${n} numbers`, scaler.stds);
  }
  scaler.means.forEach((m, j) => requireNumber(`scaler.means[${j}]`, m));
  scaler.stds.forEach((s, j) => requireNumber(`scaler.stds[${j}]`, s, { min: 0, minExclusive: true }));
  return scaler;
}

function requireIndices(field: string, indices: readonly number[], n: number): number[] {
  if (!Array.isArray(indices as unknown) || indices.length === 0) {
    throw new InputError(field, `a non-empty array of row indices in [0, ${n - 1}]`, indices);
  }
  const seen = new Set<number>();
  indices.forEach((i, k) => {
    requireNumber(`${field}[${k}]`, i, { min: 0, max: n - 1, integer: true });
    if (seen.has(i)) throw new InputError(`${field}[${k}]`, "an index not already listed", i);
    seen.add(i);
  });
  return [...indices];
}

function summarise(values: readonly number[]): SummaryStats {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { mean, std: Math.sqrt(variance), min, max };
}
