/**
 * The diabetes study data of Efron, Hastie, Johnstone & Tibshirani (2004, "Least angle
 * regression", Annals of Statistics 32(2)): 442 real patients, 10 baseline variables and a
 * measure of disease progression one year later. Copied from the unscaled files that
 * scikit-learn ships (BSD-3-Clause; Debian package python3-sklearn) into
 * datasets/diabetes.csv, with one added column: high_progression = 1 when the progression
 * is above the median of the 442 patients (140.5), so the course's binary classifiers apply.
 * See datasets/diabetes.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { createRng } from "../random/rng";
import { InputError } from "../validation/errors";
import { writeFileSafely } from "../runtime/safeWrite";
import { PACKAGE_ROOT } from "../runtime/packageRoot";

export const DIABETES_CSV = "diabetes.csv";
export const DIABETES_FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"] as const;
export const DIABETES_COLUMNS = [...DIABETES_FEATURES, "progression", "high_progression"] as const;
/** Where Debian's python3-sklearn keeps the raw (unscaled) files when it is installed. */
export const SKLEARN_DATA_DIR = "/usr/lib/python3/dist-packages/sklearn/datasets/data";
/** Where scripts/fetch-sklearn-diabetes.sh puts the same two files, taken from the package without installing it. */
export const FETCHED_SKLEARN_DATA_DIR = path.resolve(PACKAGE_ROOT, ".cache", "sklearn-data");
const RAW_FILES = ["diabetes_data_raw.csv.gz", "diabetes_target.csv.gz"] as const;

/** The first folder holding scikit-learn's two raw diabetes files: the installed package's, then the fetched copy; null if neither. */
export function sklearnDiabetesDir(candidates: readonly string[] = [SKLEARN_DATA_DIR, FETCHED_SKLEARN_DATA_DIR]): string | null {
  return candidates.find((dir) => RAW_FILES.every((f) => fs.existsSync(path.join(dir, f)))) ?? null;
}

export interface DiabetesRow {
  features: number[];
  progression: number;
  highProgression: 0 | 1;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The CSV from scikit-learn's two files (space-separated features, one target per line in
 * exponent notation). Feature values are copied as text, unchanged; targets are integers.
 */
export function diabetesCsvFromSklearn(rawData: string, rawTarget: string): string {
  const rows = rawData.trim().split("\n").map((line) => line.trim().split(/\s+/));
  const targets = rawTarget.trim().split("\n").map((line) => Number(line.trim()));
  if (rows.length !== targets.length) {
    throw new InputError("rawTarget", `${rows.length} targets (one per data row)`, targets.length);
  }
  rows.forEach((cells, i) => {
    if (cells.length !== DIABETES_FEATURES.length || cells.some((c) => !Number.isFinite(Number(c)))) {
      throw new InputError(`rawData (row ${i + 1})`, `${DIABETES_FEATURES.length} numbers`, cells.join(" "));
    }
  });
  targets.forEach((t, i) => {
    if (!Number.isInteger(t)) throw new InputError(`rawTarget (row ${i + 1})`, "an integer progression score", t);
  });
  const cut = median(targets);
  const lines = rows.map((cells, i) => [...cells, targets[i], targets[i] > cut ? 1 : 0].join(","));
  return [DIABETES_COLUMNS.join(","), ...lines].join("\n") + "\n";
}

const DATASET_DIR = path.resolve(PACKAGE_ROOT, "datasets");

/**
 * Rewrites datasets/diabetes.csv from scikit-learn's files when they are at hand (see
 * sklearnDiabetesDir); returns the path written, or null (the committed copy is kept) when not.
 */
export function writeDiabetesDataset(dir: string = DATASET_DIR, sourceDir: string | null = sklearnDiabetesDir()): string | null {
  if (sourceDir === null || sklearnDiabetesDir([sourceDir]) === null) return null;
  const [rawData, rawTarget] = RAW_FILES.map((f) => zlib.gunzipSync(fs.readFileSync(path.join(sourceDir, f))).toString("utf8"));
  const csv = diabetesCsvFromSklearn(rawData, rawTarget);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DIABETES_CSV);
  writeFileSafely(file, csv, { flag: "datasets", explicit: false });
  return file;
}

export function parseDiabetesCsv(text: string): DiabetesRow[] {
  const [header, ...lines] = text.trim().split("\n");
  if (header !== DIABETES_COLUMNS.join(",")) {
    throw new InputError("columns", `the header ${DIABETES_COLUMNS.join(",")}`, header);
  }
  return lines.map((line, i) => {
    const cells = line.split(",").map(Number);
    if (cells.length !== DIABETES_COLUMNS.length || cells.some((v) => !Number.isFinite(v))) {
      throw new InputError(`${DIABETES_CSV} (row ${i + 1})`, `${DIABETES_COLUMNS.length} numbers`, line);
    }
    const label = cells[cells.length - 1];
    if (label !== 0 && label !== 1) throw new InputError(`high_progression (row ${i + 1})`, "0 or 1", label);
    return { features: cells.slice(0, DIABETES_FEATURES.length), progression: cells[DIABETES_FEATURES.length], highProgression: label };
  });
}

export function loadDiabetes(dir: string = DATASET_DIR): DiabetesRow[] {
  return parseDiabetesCsv(fs.readFileSync(path.join(dir, DIABETES_CSV), "utf8"));
}

/** Standardised features (mean/std of `fitOn`), binary labels. */
export function diabetesFeatures(rows: readonly DiabetesRow[], fitOn: readonly DiabetesRow[] = rows): { x: number[][]; y: number[] } {
  const width = DIABETES_FEATURES.length;
  const mean = Array.from({ length: width }, (_, j) => fitOn.reduce((a, r) => a + r.features[j], 0) / fitOn.length);
  const std = mean.map((m, j) => {
    const s = Math.sqrt(fitOn.reduce((a, r) => a + (r.features[j] - m) ** 2, 0) / Math.max(1, fitOn.length - 1));
    return s > 0 ? s : 1;
  });
  return {
    x: rows.map((r) => r.features.map((v, j) => (v - mean[j]) / std[j])),
    y: rows.map((r) => r.highProgression),
  };
}

/** A seeded half/half split of row indices (members first). */
export function halves(n: number, seed: number | string): { first: number[]; second: number[] } {
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed).fork("halves");
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const cut = Math.floor(n / 2);
  return { first: order.slice(0, cut).sort((a, b) => a - b), second: order.slice(cut).sort((a, b) => a - b) };
}
