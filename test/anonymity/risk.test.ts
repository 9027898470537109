import { describe, expect, it } from "vitest";
import { reidentificationRisk, riskFromClassSizes, tableFromRecords, treeHierarchy } from "../../src/anonymity";
import { InputError } from "../../src/validation/errors";

describe("re-identification risk (El Emam; as ARX computes it)", () => {
  it("prosecutor: 1/f per record, from class sizes worked by hand", () => {
    // Classes of 1, 2, 3 and 4 rows (10 records), threshold 0.3.
    const risk = riskFromClassSizes([1, 2, 3, 4], undefined, 0.3);
    expect(risk.prosecutor.highest).toBe(1);
    expect(risk.prosecutor.average).toBeCloseTo(4 / 10, 12); // classes / records
    expect(risk.prosecutor.recordsAtRisk).toBeCloseTo(6 / 10, 12); // 1/1, 1/2, 1/3 > 0.3: 1 + 2 + 3 rows
    // Without a population the journalist is the prosecutor and the marketer gets classes / records.
    expect(risk.journalist).toEqual(risk.prosecutor);
    expect(risk.marketer.average).toBeCloseTo(0.4, 12);
  });

  it("journalist and marketer against population class sizes", () => {
    // The same sample classes hold 2, 4, 3 and 8 people in the population.
    const risk = riskFromClassSizes([1, 2, 3, 4], [2, 4, 3, 8], 0.3);
    expect(risk.journalist.highest).toBe(0.5);
    expect(risk.journalist.recordsAtRisk).toBeCloseTo(4 / 10, 12); // F = 2 and F = 3 exceed 0.3: 1 + 3 rows
    // Σ f/F = 1/2 + 2/4 + 3/3 + 4/8 = 2.5; over 10 records 0.25 (> classes / Σ F = 4/17).
    expect(risk.journalist.average).toBeCloseTo(0.25, 12);
    expect(risk.marketer.average).toBeCloseTo(0.25, 12);
    expect(risk.prosecutor.highest).toBe(1);
  });

  it("counts population rows that a generalised class covers", () => {
    const sample = tableFromRecords([
      { age: "[20, 29]", city: "MA" },
      { age: "[20, 29]", city: "MA" },
      { age: "[30, 39]", city: "*" },
    ]);
    const population = tableFromRecords([
      { age: 21, city: "Boston" },
      { age: 29, city: "Worcester" },
      { age: 25, city: "Boston" },
      { age: 25, city: "Austin" }, // not in MA
      { age: 33, city: "Austin" },
      { age: 38, city: "Boston" },
      { age: 40, city: "Boston" }, // outside both classes
    ]);
    const hierarchies = { city: treeHierarchy([["Boston", "MA", "*"], ["Worcester", "MA", "*"], ["Austin", "TX", "*"]]) };
    const { output, trace } = reidentificationRisk(sample, { quasi: ["age", "city"], population, hierarchies, threshold: 0.4 });
    // f = (2, 1), F = (3, 2)
    expect(output.prosecutor.highest).toBe(1);
    expect(output.journalist.highest).toBe(0.5);
    expect(output.marketer.average).toBeCloseTo((2 / 3 + 1 / 2) / 3, 12);
    expect(output.journalist.recordsAtRisk).toBeCloseTo(1 / 3, 12);
    expect(trace.population).toEqual({ kind: "given", rows: 7 });
  });

  it("rejects a population that does not contain the sample, and bad thresholds", () => {
    const sample = tableFromRecords([{ age: 30 }, { age: 30 }]);
    const population = tableFromRecords([{ age: 30 }]);
    expect(() => reidentificationRisk(sample, { quasi: ["age"], population })).toThrow(/population must be a superset of the table/);
    expect(() => riskFromClassSizes([1], undefined, 2)).toThrow(InputError);
    expect(() => riskFromClassSizes([2], [1])).toThrow(/populationSizes\[0\] must be an integer ≥ 2/);
  });
});
