import { describe, expect, it } from "vitest";
import { loadCustomerDataset } from "../src/data/datasets";
import { LOCATION_CATEGORIES, REFERENCE_DATE, TOWNS, type LabelledCustomer } from "../src/data/schema";
import { anonymize } from "../src/pipeline/anonymize";
import {
  FEATURE_NAMES,
  engineerFeatures,
  featuresForRow,
  rawFeatures,
  type Scaler,
} from "../src/pipeline/features";
import { InputError } from "../src/validation/errors";
import { expectInputError } from "./helpers/expectInputError";

const { customers, split } = loadCustomerDataset();
const anonymised = anonymize(customers).output;
const { output, trace } = engineerFeatures(anonymised, { trainIndices: split.train });


const metro = TOWNS.find((t) => t.category === "metro")!;
const rural = TOWNS.find((t) => t.category === "rural")!;

function row(overrides: Partial<LabelledCustomer> = {}) {
  return {
    age: 40,
    location: metro.name,
    purchaseHistory: [
      { date: "2026-10-01", amount: 10 },
      { date: "2026-10-21", amount: 30 },
    ],
    buysNextMonth: 1 as const,
    ...overrides,
  };
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const std = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));

describe("engineerFeatures (stage 3)", () => {
  it("produces an N × 5 standardised matrix with labels", () => {
    expect(output.names).toEqual([...FEATURE_NAMES]);
    expect(output.matrix).toHaveLength(1000);
    for (const r of output.matrix) {
      expect(r).toHaveLength(5);
      for (const v of r) expect(Number.isFinite(v)).toBe(true);
    }
    expect(output.labels).toEqual(customers.map((c) => c.buysNextMonth));
    expect(output.definitions.map((d) => d.name)).toEqual([...FEATURE_NAMES]);
  });

  it("computes each feature as documented", () => {
    const raw = rawFeatures(row());
    expect(raw[0]).toBeCloseTo(2 / 12, 12); // purchases per month
    expect(raw[1]).toBeCloseTo(Math.log(20), 12); // log of the mean amount
    expect(raw[2]).toBe(LOCATION_CATEGORIES.indexOf("metro")); // 3
    expect(raw[3]).toBe(10); // 2026-10-21 → 2026-10-31
    expect(raw[4]).toBe(3); // 35–44
    expect(rawFeatures(row({ location: rural.name, age: 18 }))[2]).toBe(0);
    expect(rawFeatures(row({ age: 18 }))[4]).toBe(1);
    expect(rawFeatures(row({ purchaseHistory: [{ date: REFERENCE_DATE, amount: 5 }] }))[3]).toBe(0);
  });

  it("fits the scaler on the training rows only", () => {
    const trainColumn = (j: number) => split.train.map((i) => output.matrix[i][j]);
    for (let j = 0; j < 5; j++) {
      expect(mean(trainColumn(j))).toBeCloseTo(0, 10);
      expect(std(trainColumn(j))).toBeCloseTo(1, 10);
    }
    // Changing a test row changes nothing about the scaler...
    const changed = [...anonymised];
    const t = split.test[0];
    changed[t] = { ...changed[t], age: 85, purchaseHistory: [{ date: "2025-11-01", amount: 9999.99 }] };
    const again = engineerFeatures(changed, { trainIndices: split.train }).output;
    expect(again.scaler).toEqual(output.scaler);
    expect(again.matrix[split.test[1]]).toEqual(output.matrix[split.test[1]]);
    expect(again.matrix[t]).not.toEqual(output.matrix[t]);
    // ...while changing a training row does.
    const r = split.train[0];
    changed[r] = { ...changed[r], purchaseHistory: [{ date: "2025-11-01", amount: 9999.99 }] };
    expect(engineerFeatures(changed, { trainIndices: split.train }).output.scaler).not.toEqual(output.scaler);
  });

  it("standardises every row through featuresForRow (one code path)", () => {
    anonymised.forEach((r, i) => {
      expect(featuresForRow(r, output.scaler)).toEqual(output.matrix[i]);
    });
    // The raw customer (with name and email) gives the same features as its anonymised row.
    expect(featuresForRow(customers[0], output.scaler)).toEqual(output.matrix[0]);
  });

  it("gives the same features from exact ages and from stage 2's default age bands", () => {
    const banded = anonymize(customers, { ageBands: true }).output;
    const fromBands = engineerFeatures(banded, { trainIndices: split.train }).output;
    expect(fromBands.matrix).toEqual(output.matrix);
  });

  it("traces each feature's definition, unit and train statistics", () => {
    expect(trace.stage).toBe("features");
    expect(trace.shape).toEqual({ rows: 1000, columns: 5 });
    expect(trace.scaler).toMatchObject({ fittedOn: "train", trainRows: 800 });
    expect(trace.window).toEqual({ from: "2025-11-01", to: "2026-10-31", days: 365 });
    for (const [j, f] of trace.features.entries()) {
      expect(f.name).toBe(FEATURE_NAMES[j]);
      expect(f.definition.length).toBeGreaterThan(20);
      expect(f.unit.length).toBeGreaterThan(0);
      expect(f.why.length).toBeGreaterThan(20);
      expect(f.train.raw.mean).toBeCloseTo(output.scaler.means[j], 10);
      expect(f.train.raw.std).toBeCloseTo(output.scaler.stds[j], 10);
      expect(f.train.standardised.mean).toBeCloseTo(0, 10);
      expect(f.train.standardised.std).toBeCloseTo(1, 10);
      expect(f.train.raw.min).toBeLessThanOrEqual(f.train.raw.max);
    }
    expect(trace.features.filter((f) => f.why.startsWith("Extra feature")).map((f) => f.name)).toEqual([
      "recencyDays",
      "ageBand",
    ]);
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
    expect(JSON.stringify(trace)).not.toContain(customers[0].name);
  });
});

describe("feature input validation", () => {
  const scaler: Scaler = output.scaler;

  it("rejects purchases outside the 365-day window", () => {
    const late = row({ purchaseHistory: [{ date: "2026-10-01", amount: 1 }, { date: "2026-11-01", amount: 1 }] });
    expectInputError(() => featuresForRow(late, scaler), "purchaseHistory[1].date", /2025-11-01 to 2026-10-31/);
    const early = row({ purchaseHistory: [{ date: "2025-10-31", amount: 1 }] });
    expectInputError(() => featuresForRow(early, scaler), "purchaseHistory[0].date");
    expect(() => featuresForRow(early, scaler, "2026-10-30")).not.toThrow();
  });

  it("rejects empty histories, bad amounts, unknown towns and bad ages", () => {
    expectInputError(() => featuresForRow(row({ purchaseHistory: [] }), scaler), "purchaseHistory", /non-empty/);
    expectInputError(
      () => featuresForRow(row({ purchaseHistory: [{ date: "2026-10-01", amount: 0 }] }), scaler),
      "purchaseHistory[0].amount",
    );
    expectInputError(() => featuresForRow(row({ location: "Atlantis" }), scaler), "location", /towns/);
    expectInputError(() => featuresForRow({ ...row(), age: "40-49" }, scaler), "age", /25–34/);
    expectInputError(() => featuresForRow(row({ age: 121 }), scaler), "age", /\[0, 120\]/);
    expectInputError(() => featuresForRow(row(), scaler, "31/10/2026"), "referenceDate");
  });

  it("rejects a malformed scaler", () => {
    expectInputError(() => featuresForRow(row(), { means: [0, 0], stds: [1, 1] }), "scaler.means");
    expectInputError(
      () => featuresForRow(row(), { means: [0, 0, 0, 0, 0], stds: [1, 1, 0, 1, 1] }),
      "scaler.stds[2]",
    );
  });

  it("rejects bad training indices and rows, naming the row", () => {
    expectInputError(() => engineerFeatures(anonymised, { trainIndices: [] }), "trainIndices");
    expectInputError(() => engineerFeatures(anonymised, { trainIndices: [0, 1000] }), "trainIndices[1]", /\[0, 999\]/);
    expectInputError(() => engineerFeatures(anonymised, { trainIndices: [0, 1, 1] }), "trainIndices[2]");
    expectInputError(() => engineerFeatures([row(), row()], { trainIndices: [0, 1] }), "trainIndices", /not constant/);
    expectInputError(() => engineerFeatures([], { trainIndices: [0] }), "rows");
    const rows = [row(), row({ location: "Atlantis" })];
    expectInputError(() => engineerFeatures(rows, { trainIndices: [0] }), "rows[1].location");
    const unlabelled = [row(), { ...row(), buysNextMonth: undefined }];
    expectInputError(() => engineerFeatures(unlabelled, { trainIndices: [0] }), "rows[1].buysNextMonth");
  });
});
