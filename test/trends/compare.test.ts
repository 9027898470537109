import { describe, expect, it } from "vitest";
import { anonymizeTable } from "../../src/anonymity/anonymizeTable";
import { CUSTOMER_ROLES, customerHierarchies, customerTable } from "../../src/anonymity/customers";
import { dropColumns, selectRows } from "../../src/anonymity/table";
import { trainOnAnonymised } from "../../src/anonymity/training";
import { loadCustomerDataset } from "../../src/data/datasets";
import { generateCustomers } from "../../src/data/generateCustomers";
import { classificationMetrics } from "../../src/evaluation/metrics";
import { compareTrainingSets, customerGroups, metricsByGroup } from "../../src/trends";
import { expectInputError } from "../helpers/expectInputError";

const { customers, split } = loadCustomerDataset();
const table = customerTable(customers);
const test = selectRows(table, split.test);
const real = selectRows(dropColumns(table, CUSTOMER_ROLES.direct), split.train);
const anonymised = anonymizeTable(selectRows(table, split.train), { roles: CUSTOMER_ROLES, k: 5, hierarchies: customerHierarchies() });
// A stand-in for the GAN's output: customers the course's generator draws with another seed.
const synthetic = customerTable(generateCustomers({ rows: split.train.length, seed: 99 }));
const epochs = 2;

describe("compareTrainingSets on the course's customer data", () => {
  const sets = [
    { label: "non-anonymised", train: real },
    { label: "anonymised (k = 5)", train: anonymised.output.table },
    { label: "synthetic (GAN)", train: synthetic },
  ];

  it("trains on each set, tests on the same real rows, and the numbers agree with each other", async () => {
    const { output, trace } = await compareTrainingSets({ sets, test, epochs });
    expect(output.overall.map((r) => r.set)).toEqual(sets.map((s) => s.label));
    expect(output.overall.map((r) => r.trainRows)).toEqual([split.train.length, anonymised.trace.rows.output, split.train.length]);
    expect(trace.testRows).toBe(split.test.length);

    // The non-anonymised row is exactly what trainOnAnonymised reports for that set on its own.
    const alone = await trainOnAnonymised({ train: real, test, epochs });
    expect(output.overall[0].accuracy).toBe(alone.output.accuracy);
    expect(output.overall[0].precision).toBe(alone.output.metrics.precision);
    expect(output.overall[0].recall).toBe(alone.output.metrics.recall);
    expect(output.results[0].probabilities).toEqual(alone.output.probabilities);

    const labels = Array.from(test.data.buysNextMonth as ArrayLike<number>);
    const groups = customerGroups(test).output;
    output.results.forEach((result, s) => {
      const row = output.overall[s];
      expect(row.accuracy).toBe(trace.sets[s].reportedAccuracy);
      expect(result.probabilities).toHaveLength(split.test.length);
      expect(row.accuracy).toBe(classificationMetrics(labels, result.probabilities).accuracy);
      expect(result.metrics).toEqual(metricsByGroup({ labels, probabilities: result.probabilities, groups: { ...groups } }).output);
      expect(row.biasesFound).toBe(result.findings.length);
      expect(output.biases.filter((b) => b.set === row.set)).toHaveLength(row.biasesFound);

      // Per grouping, the groups partition the test rows and their correct predictions add up to the overall accuracy.
      for (const grouping of ["ageBand", "locationCategory"]) {
        const rows = output.byGroup.filter((g) => g.set === row.set && g.grouping === grouping);
        expect(rows.length).toBeGreaterThan(1);
        expect(rows.reduce((sum, g) => sum + g.n, 0)).toBe(split.test.length);
        expect(rows.reduce((sum, g) => sum + g.accuracy! * g.n, 0) / split.test.length).toBeCloseTo(row.accuracy, 12);
        for (const g of rows) {
          expect(g.accuracyGap!).toBeCloseTo(g.accuracy! - row.accuracy, 12);
          expect(g.accuracyLow!).toBeLessThanOrEqual(g.accuracy!);
          expect(g.accuracyHigh!).toBeGreaterThanOrEqual(g.accuracy!);
        }
      }
    });
    expect(output.byGroup.filter((g) => g.grouping === "locationCategory").map((g) => g.group).slice(0, 4)).toEqual(
      ["rural", "town", "city", "metro"].filter((c) => groups.locationCategory.includes(c)),
    );
    // The anonymised release generalised ages and towns; the trace says what the model saw.
    expect(trace.sets[1].training).toMatch(/trained on \d+ released rows/);
    expect(trace.definition).toMatch(/TSTR/);
    expect(JSON.parse(JSON.stringify(output.overall))).toEqual(output.overall);
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("bad input is an InputError naming the field", async () => {
    await expect(compareTrainingSets({ sets: [], test })).rejects.toThrow(/sets must be a non-empty array/);
    await expect(compareTrainingSets({ sets: [sets[0], { ...sets[2], label: "non-anonymised" }], test, epochs: 1 })).rejects.toThrow(
      /sets\[1\]\.label must be a name no other set has/,
    );
    await expect(compareTrainingSets({ sets: [sets[0]], test: anonymised.output.table, epochs: 1 })).rejects.toThrow(/(age|location)\[\d+\] must be|test must be exact rows/);
    await expect(compareTrainingSets({ sets: [sets[0]], test: dropColumns(test, ["buysNextMonth"]), epochs: 1 })).rejects.toThrow(/test column/);
    expectInputError(() => customerGroups(dropColumns(test, ["location"])), "column", /one of the table's columns/);
  });
});
