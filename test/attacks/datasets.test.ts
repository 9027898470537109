import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { diabetesCsvFromSklearn, loadDiabetes, parseDiabetesCsv, sklearnDiabetesDir, writeDiabetesDataset } from "../../src/data/diabetes";
import { loadMembershipData } from "../../src/data/membershipData";
import {
  generatePatients,
  groundTruthRisk,
  loadPatients,
  parsePatientsCsv,
  patientFeatures,
  patientsToCsv,
  PATIENT_FEATURE_NAMES,
  RARE_CODES,
  writePatientDataset,
} from "../../src/data/patients";
import { expectInputError } from "../helpers/expectInputError";

const DATASETS = path.resolve(__dirname, "..", "..", "datasets");

describe("datasets/patients.csv", () => {
  it("equals a fresh regeneration byte for byte", () => {
    expect(fs.readFileSync(path.join(DATASETS, "patients.csv"), "utf8")).toBe(patientsToCsv(generatePatients()));
  });

  it("round-trips through CSV and follows its ground truth", () => {
    const patients = loadPatients();
    expect(patients).toHaveLength(2000);
    expect(patients).toEqual(generatePatients());
    const rate = patients.reduce((a, p) => a + p.cvdWithin10y, 0) / patients.length;
    const expected = patients.reduce((a, p) => a + groundTruthRisk(p), 0) / patients.length;
    expect(Math.abs(rate - expected)).toBeLessThan(0.03);
    // Rare codes are rare: a handful of patients each.
    for (const code of RARE_CODES) expect(patients.filter((p) => p.diagnoses.includes(code)).length).toBeLessThan(15);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "patients-"));
    try {
      const file = writePatientDataset(dir, { rows: 30, seed: 5 });
      expect(loadPatients(dir)).toEqual(generatePatients({ rows: 30, seed: 5 }));
      expect(path.basename(file)).toBe("patients.csv");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("makes features: standardised numbers, indicators, one column per diagnosis code", () => {
    const patients = loadPatients().slice(0, 100);
    const { x, y, names } = patientFeatures(patients);
    expect(names).toEqual(PATIENT_FEATURE_NAMES);
    expect(x[0]).toHaveLength(PATIENT_FEATURE_NAMES.length);
    const ageMean = x.reduce((a, r) => a + r[0], 0) / x.length;
    expect(Math.abs(ageMean)).toBeLessThan(1e-9);
    expect(y).toEqual(patients.map((p) => p.cvdWithin10y));
  });

  it("rejects malformed CSV", () => {
    expectInputError(() => parsePatientsCsv("a,b\n1,2\n"), "columns");
    const header = "patient_id,age,sex,systolic_bp,cholesterol,bmi,smoking,diagnoses,cvd_10y";
    expectInputError(() => parsePatientsCsv(`${header}\nP1,40,X,120,5.0,25.0,never,,0\n`), "sex (row 1)", /F, M/);
    expectInputError(() => parsePatientsCsv(`${header}\nP1,40,F,120,5.0,25.0,never,Z99,0\n`), "diagnoses (row 1)");
    expectInputError(() => parsePatientsCsv(`${header}\nP1,400,F,120,5.0,25.0,never,,0\n`), "age (row 1)");
  });
});

describe("datasets/diabetes.csv (Efron et al. 2004, via scikit-learn)", () => {
  it("holds the 442 patients, 10 variables, the progression and a median split", () => {
    const rows = loadDiabetes();
    expect(rows).toHaveLength(442);
    expect(rows[0].features).toEqual([59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87]);
    expect(rows[0].progression).toBe(151);
    expect(rows.filter((r) => r.highProgression === 1)).toHaveLength(221);
    expect(rows.every((r) => (r.progression > 140.5 ? 1 : 0) === r.highProgression)).toBe(true);
  });

  it("equals a fresh conversion of scikit-learn's files byte for byte", () => {
    const source = sklearnDiabetesDir();
    if (source === null) throw new Error("scikit-learn's diabetes files are missing: run sh scripts/fetch-sklearn-diabetes.sh (npm run setup does)");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diabetes-"));
    try {
      const file = writeDiabetesDataset(dir, source)!;
      expect(fs.readFileSync(file, "utf8")).toBe(fs.readFileSync(path.join(DATASETS, "diabetes.csv"), "utf8"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("converts the raw files and rejects mismatches", () => {
    const csv = diabetesCsvFromSklearn("1 2 3 4 5 6 7 8 9 10\n2 1 3 4 5 6 7 8 9 10\n", "1.0e+02\n3.0e+02\n");
    expect(parseDiabetesCsv(csv).map((r) => [r.progression, r.highProgression])).toEqual([[100, 0], [300, 1]]);
    expectInputError(() => diabetesCsvFromSklearn("1 2 3 4 5 6 7 8 9 10\n", "1\n2\n"), "rawTarget");
    expectInputError(() => diabetesCsvFromSklearn("1 2 3\n", "1\n"), "rawData (row 1)");
    expectInputError(() => parseDiabetesCsv("x\n"), "columns");
  });
});

describe("members and non-members for the attack lessons", () => {
  it("splits each dataset into disjoint, same-width halves", () => {
    const patients = loadMembershipData("patients", { rows: 400 });
    expect(patients.members.x).toHaveLength(200);
    expect(patients.nonMembers.x).toHaveLength(200);
    expect(patients.members.x[0]).toHaveLength(PATIENT_FEATURE_NAMES.length);
    const diabetes = loadMembershipData("diabetes");
    expect(diabetes.members.x.length + diabetes.nonMembers.x.length).toBe(442);
    const customers = loadMembershipData("customers");
    expect([customers.members.x.length, customers.nonMembers.x.length]).toEqual([800, 200]);
    expect(loadMembershipData("patients", { seed: 8, rows: 400 }).members.y).not.toEqual(patients.members.y);
    expectInputError(() => loadMembershipData("hospital" as never), "dataset", /patients, customers, diabetes/);
    expectInputError(() => loadMembershipData("patients", { rows: 3 }), "rows");
  });
});
