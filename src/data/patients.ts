/**
 * The hospital example: fictional patients of a clinic and whether each has a cardiovascular
 * event within 10 years, drawn from a KNOWN ground truth (PATIENT_GROUND_TRUTH, a logistic
 * risk score in the spirit of Framingham-type scores; the coefficients are invented, not
 * clinical). Nobody in this data exists: every value comes from the course's seeded RNG.
 *
 * Diagnoses are real ICD-10 codes. Ten of them are rare diseases (about 3 patients in 1000
 * each): a rare diagnosis is exactly what makes a record identifiable, and what a model may
 * memorise. Lesson 8 inserts canary patients with a unique combination of rare codes.
 *
 * The CSV is written with a fixed number of decimals so `npm run datasets` rewrites
 * datasets/patients.csv byte for byte.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Papa from "papaparse";
import { createRng, type Rng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";
import { writeFileSafely } from "../runtime/safeWrite";
import { PACKAGE_ROOT } from "../runtime/packageRoot";

export type Sex = "F" | "M";
export type Smoking = "never" | "former" | "current";

/** A type literal (not an interface) so that a patient is also a plain Record for table views. */
export type Patient = {
  /** Fictional record number, e.g. "P00042". */
  patientId: string;
  age: number;
  sex: Sex;
  /** Systolic blood pressure, mmHg. */
  systolicBp: number;
  /** Total serum cholesterol, mmol/L. */
  cholesterol: number;
  /** Body-mass index, kg/m². */
  bmi: number;
  smoking: Smoking;
  /** ICD-10 codes, in DIAGNOSIS_CODES order. */
  diagnoses: string[];
  /** 1 if a cardiovascular event happens within 10 years of the visit. */
  cvdWithin10y: 0 | 1;
};

export interface DiagnosisCode {
  code: string;
  label: string;
  rare: boolean;
}

/** The vocabulary of the diagnoses column, in a fixed order (also the feature order). */
export const DIAGNOSIS_CODES: readonly DiagnosisCode[] = Object.freeze([
  { code: "I10", label: "Essential hypertension", rare: false },
  { code: "E78.5", label: "Hyperlipidaemia", rare: false },
  { code: "E11.9", label: "Type 2 diabetes", rare: false },
  { code: "E66.9", label: "Obesity", rare: false },
  { code: "I25.10", label: "Chronic ischaemic heart disease", rare: false },
  { code: "I48.91", label: "Atrial fibrillation", rare: false },
  { code: "N18.3", label: "Chronic kidney disease, stage 3", rare: false },
  { code: "J44.9", label: "Chronic obstructive pulmonary disease", rare: false },
  { code: "J45.909", label: "Asthma", rare: false },
  { code: "G47.33", label: "Obstructive sleep apnoea", rare: false },
  { code: "E03.9", label: "Hypothyroidism", rare: false },
  { code: "F32.9", label: "Depressive episode", rare: false },
  { code: "F41.1", label: "Generalised anxiety disorder", rare: false },
  { code: "M54.5", label: "Low back pain", rare: false },
  { code: "M17.9", label: "Osteoarthritis of the knee", rare: false },
  { code: "K21.9", label: "Gastro-oesophageal reflux disease", rare: false },
  { code: "G43.909", label: "Migraine", rare: false },
  { code: "E84.9", label: "Cystic fibrosis", rare: true },
  { code: "G35", label: "Multiple sclerosis", rare: true },
  { code: "D57.1", label: "Sickle-cell disease", rare: true },
  { code: "G10", label: "Huntington's disease", rare: true },
  { code: "E83.01", label: "Wilson's disease", rare: true },
  { code: "D66", label: "Haemophilia A", rare: true },
  { code: "E75.22", label: "Gaucher disease", rare: true },
  { code: "G12.21", label: "Amyotrophic lateral sclerosis", rare: true },
  { code: "E70.0", label: "Phenylketonuria", rare: true },
  { code: "Q87.40", label: "Marfan syndrome", rare: true },
]);

export const RARE_CODES: readonly string[] = DIAGNOSIS_CODES.filter((c) => c.rare).map((c) => c.code);
const CODE_INDEX = new Map(DIAGNOSIS_CODES.map((c, i) => [c.code, i]));

/**
 * logit P(cvdWithin10y = 1) = intercept + Σ numeric[k]·(x_k − centre_k) + Σ indicator weights.
 * Invented for the course: the signs follow textbook risk factors, the sizes do not come
 * from any study.
 */
export const PATIENT_GROUND_TRUTH = Object.freeze({
  intercept: -1.55,
  numeric: Object.freeze({
    age: Object.freeze({ centre: 55, perUnit: 0.06 }),
    systolicBp: Object.freeze({ centre: 130, perUnit: 0.02 }),
    cholesterol: Object.freeze({ centre: 5.2, perUnit: 0.35 }),
    bmi: Object.freeze({ centre: 27, perUnit: 0.03 }),
  }),
  male: 0.5,
  smoking: Object.freeze({ never: 0, former: 0.3, current: 0.8 }),
  diagnoses: Object.freeze({
    "E11.9": 0.7,
    "I25.10": 1.0,
    "I48.91": 0.6,
    "N18.3": 0.5,
    "J44.9": 0.3,
    "G47.33": 0.25,
    "E84.9": 0.4,
    "D57.1": 0.6,
    "Q87.40": 0.8,
  } as Record<string, number>),
});

export const DEFAULT_PATIENT_ROWS = 2000;
export const DEFAULT_PATIENT_SEED = 2026;
export const PATIENTS_CSV = "patients.csv";

export function groundTruthRisk(p: Omit<Patient, "patientId" | "cvdWithin10y">): number {
  const t = PATIENT_GROUND_TRUTH;
  let logit =
    t.intercept +
    t.numeric.age.perUnit * (p.age - t.numeric.age.centre) +
    t.numeric.systolicBp.perUnit * (p.systolicBp - t.numeric.systolicBp.centre) +
    t.numeric.cholesterol.perUnit * (p.cholesterol - t.numeric.cholesterol.centre) +
    t.numeric.bmi.perUnit * (p.bmi - t.numeric.bmi.centre) +
    (p.sex === "M" ? t.male : 0) +
    t.smoking[p.smoking];
  for (const code of p.diagnoses) logit += t.diagnoses[code] ?? 0;
  return 1 / (1 + Math.exp(-logit));
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function generatePatients({
  rows = DEFAULT_PATIENT_ROWS,
  seed = DEFAULT_PATIENT_SEED,
}: { rows?: number; seed?: number } = {}): Patient[] {
  requireNumber("rows", rows, { min: 1, max: 1_000_000, integer: true });
  requireNumber("seed", seed, { min: 0, max: 2 ** 31 - 1, integer: true });
  // Separate streams so that adding a draw to one concern never shifts another.
  const root = createRng(seed);
  const body = root.fork("body");
  const history = root.fork("diagnoses");
  const outcomes = root.fork("outcomes");
  const width = String(rows).length < 5 ? 5 : String(rows).length;
  const patients: Patient[] = [];
  for (let i = 0; i < rows; i++) {
    const sex: Sex = body.uniform() < 0.51 ? "F" : "M";
    const age = Math.round(clamp(52 + 16 * body.normal(), 18, 90));
    const u = body.uniform();
    const smoking: Smoking = u < 0.17 + (age < 40 ? 0.05 : 0) ? "current" : u < 0.42 ? "former" : "never";
    const bmi = round(clamp(Math.exp(Math.log(27) + 0.17 * body.normal()), 15, 60), 1);
    const systolicBp = Math.round(clamp(100 + 0.45 * age + 0.9 * (bmi - 27) + (sex === "M" ? 4 : 0) + 14 * body.normal(), 85, 230));
    const cholesterol = round(clamp(4.7 + 0.012 * (age - 50) + 0.85 * body.normal(), 2.5, 10), 1);
    const diagnoses = drawDiagnoses(history, { age, sex, smoking, bmi, systolicBp, cholesterol });
    const features = { age, sex, systolicBp, cholesterol, bmi, smoking, diagnoses };
    const cvdWithin10y: 0 | 1 = outcomes.uniform() < groundTruthRisk(features) ? 1 : 0;
    patients.push({ patientId: `P${String(i + 1).padStart(width, "0")}`, ...features, cvdWithin10y });
  }
  return patients;
}

/** Each code present with a probability tied to the risk factors that cause it in the clinic. */
function drawDiagnoses(
  rng: Rng,
  p: { age: number; sex: Sex; smoking: Smoking; bmi: number; systolicBp: number; cholesterol: number },
): string[] {
  const older = (p.age - 55) / 15;
  const chance: Record<string, number> = {
    I10: sigmoid(-2 + 0.08 * (p.systolicBp - 135)),
    "E78.5": sigmoid(-2.2 + 1.4 * (p.cholesterol - 5.5)),
    "E11.9": sigmoid(-2.6 + 0.15 * (p.bmi - 27) + 0.5 * older),
    "E66.9": p.bmi >= 30 ? 0.75 : 0.02,
    "I25.10": sigmoid(-3.4 + 0.9 * older + (p.sex === "M" ? 0.5 : 0) + (p.smoking === "current" ? 0.6 : 0)),
    "I48.91": sigmoid(-4 + 1.1 * older),
    "N18.3": sigmoid(-3.6 + 0.9 * older + 0.02 * (p.systolicBp - 130)),
    "J44.9": p.smoking === "current" ? 0.12 : p.smoking === "former" ? 0.06 : 0.015,
    "J45.909": 0.08,
    "G47.33": sigmoid(-3.2 + 0.18 * (p.bmi - 27)),
    "E03.9": p.sex === "F" ? 0.08 : 0.02,
    "F32.9": 0.09,
    "F41.1": 0.07,
    "M54.5": 0.14,
    "M17.9": sigmoid(-2.8 + 0.8 * older + 0.05 * (p.bmi - 27)),
    "K21.9": 0.1,
    "G43.909": p.sex === "F" ? 0.1 : 0.04,
  };
  for (const code of RARE_CODES) chance[code] = 0.003;
  // One uniform per code whatever the probabilities: row k's draws never depend on row k−1's values.
  return DIAGNOSIS_CODES.filter((c) => rng.uniform() < chance[c.code]).map((c) => c.code);
}

export const PATIENT_COLUMNS = [
  "patient_id",
  "age",
  "sex",
  "systolic_bp",
  "cholesterol",
  "bmi",
  "smoking",
  "diagnoses",
  "cvd_10y",
] as const;

export function patientsToCsv(patients: readonly Patient[]): string {
  const lines = patients.map((p) =>
    [
      p.patientId,
      p.age,
      p.sex,
      p.systolicBp,
      p.cholesterol.toFixed(1),
      p.bmi.toFixed(1),
      p.smoking,
      p.diagnoses.join(";"),
      p.cvdWithin10y,
    ].join(","),
  );
  return [PATIENT_COLUMNS.join(","), ...lines].join("\n") + "\n";
}

export function parsePatientsCsv(text: string): Patient[] {
  if (typeof text !== "string") throw new InputError("csv", "CSV text (a string)", text);
  const parsed = Papa.parse<string[]>(text, { delimiter: ",", skipEmptyLines: true });
  const [header = [], ...records] = parsed.data;
  if (header.join(",") !== PATIENT_COLUMNS.join(",")) {
    throw new InputError("columns", `the header ${PATIENT_COLUMNS.join(",")}`, header.join(","));
  }
  return records.map((cells, k) => {
    const row = k + 1;
    const number = (j: number, min: number, max: number) => {
      const v = Number(cells[j]);
      if (cells[j] === "" || !(v >= min && v <= max)) {
        throw new InputError(`${PATIENT_COLUMNS[j]} (row ${row})`, `a number in [${min}, ${max}]`, cells[j]);
      }
      return v;
    };
    const oneOf = <T extends string>(j: number, options: readonly T[]): T => {
      if (!(options as readonly string[]).includes(cells[j])) {
        throw new InputError(`${PATIENT_COLUMNS[j]} (row ${row})`, `one of ${options.join(", ")}`, cells[j]);
      }
      return cells[j] as T;
    };
    const diagnoses = cells[7] === "" ? [] : cells[7].split(";");
    diagnoses.forEach((code) => {
      if (!CODE_INDEX.has(code)) {
        throw new InputError(`diagnoses (row ${row})`, `codes from DIAGNOSIS_CODES joined by ";"`, code);
      }
    });
    return {
      patientId: cells[0],
      age: number(1, 0, 120),
      sex: oneOf(2, ["F", "M"] as const),
      systolicBp: number(3, 50, 300),
      cholesterol: number(4, 0, 30),
      bmi: number(5, 5, 100),
      smoking: oneOf(6, ["never", "former", "current"] as const),
      diagnoses,
      cvdWithin10y: number(8, 0, 1) === 1 ? 1 : 0,
    };
  });
}

const DATASET_DIR = path.resolve(PACKAGE_ROOT, "datasets");

/** Writes datasets/patients.csv (or into `dir`) and returns its path. */
export function writePatientDataset(
  dir: string = DATASET_DIR,
  options: { rows?: number; seed?: number } = {},
): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, PATIENTS_CSV);
  writeFileSafely(file, patientsToCsv(generatePatients(options)), { flag: "datasets", explicit: false });
  return file;
}

export function loadPatients(dir: string = DATASET_DIR): Patient[] {
  return parsePatientsCsv(fs.readFileSync(path.join(dir, PATIENTS_CSV), "utf8"));
}

export const PATIENT_NUMERIC_FEATURES = ["age", "systolicBp", "cholesterol", "bmi"] as const;

/** Feature names in matrix order: standardised numbers, 0/1 indicators, then one column per code. */
export const PATIENT_FEATURE_NAMES: readonly string[] = [
  ...PATIENT_NUMERIC_FEATURES,
  "male",
  "formerSmoker",
  "currentSmoker",
  ...DIAGNOSIS_CODES.map((c) => `dx:${c.code}`),
];

export interface PatientScaler {
  mean: number[];
  std: number[];
}

/**
 * The model's inputs for one patient. Numbers are standardised with a scaler fitted on the
 * training rows only (fitting on all rows would let held-out patients, who are the
 * non-members in the attack lessons, shape the model).
 */
export function patientFeatureRow(p: Omit<Patient, "patientId" | "cvdWithin10y">, scaler: PatientScaler): number[] {
  const numeric = PATIENT_NUMERIC_FEATURES.map((k, j) => (p[k] - scaler.mean[j]) / scaler.std[j]);
  const codes = new Array<number>(DIAGNOSIS_CODES.length).fill(0);
  for (const code of p.diagnoses) {
    const j = CODE_INDEX.get(code);
    if (j === undefined) throw new InputError("diagnoses", "codes from DIAGNOSIS_CODES", code);
    codes[j] = 1;
  }
  return [
    ...numeric,
    p.sex === "M" ? 1 : 0,
    p.smoking === "former" ? 1 : 0,
    p.smoking === "current" ? 1 : 0,
    ...codes,
  ];
}

export function fitPatientScaler(patients: readonly Patient[]): PatientScaler {
  if (patients.length < 2) throw new InputError("patients", "at least 2 patients to fit a scaler", patients);
  const mean: number[] = [];
  const std: number[] = [];
  for (const k of PATIENT_NUMERIC_FEATURES) {
    const values = patients.map((p) => p[k]);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const s = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
    mean.push(m);
    std.push(s > 0 ? s : 1);
  }
  return { mean, std };
}

/** x (one row per patient) and y (cvdWithin10y), standardised by a scaler fitted on `fitOn`. */
export function patientFeatures(
  patients: readonly Patient[],
  fitOn: readonly Patient[] = patients,
): { x: number[][]; y: number[]; names: readonly string[]; scaler: PatientScaler } {
  const scaler = fitPatientScaler(fitOn);
  return {
    x: patients.map((p) => patientFeatureRow(p, scaler)),
    y: patients.map((p) => p.cvdWithin10y),
    names: PATIENT_FEATURE_NAMES,
    scaler,
  };
}
