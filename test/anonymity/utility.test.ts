import { describe, expect, it } from "vitest";
import {
  CUSTOMER_ROLES,
  anonymityViews,
  anonymizeTable,
  customerHierarchies,
  customerTable,
  dropColumns,
  informationLoss,
  linkageAttack,
  measureAnonymity,
  publicRegister,
  reidentificationRisk,
  riskVsKFigure,
  selectRows,
  trainOnAnonymised,
  anonymitySweep,
} from "../../src";
import { loadCustomerDataset } from "../../src/data/datasets";

const { customers, split } = loadCustomerDataset();
const table = customerTable(customers);
const hierarchies = customerHierarchies();

describe("information loss", () => {
  it("intensity, discernibility and C_avg, worked by hand", () => {
    const input = { columns: ["age", "city"], data: { age: [20, 30, 40, 40], city: ["a", "b", "a", "b"] } };
    const result = {
      classes: [
        { size: 2, cells: [{ kind: "interval" as const, low: 20, high: 30, highInclusive: true }, { kind: "any" as const }] },
        { size: 2, cells: [{ kind: "value" as const, value: 40 }, { kind: "any" as const }] },
      ],
      suppressed: 0,
    };
    const loss = informationLoss(input, result, { quasi: ["age", "city"], k: 2 });
    // age: two rows cover half the range, two are exact → 0.25; city: all "*" → 1.
    expect(loss.perQuasiIdentifier).toEqual({ age: 0.25, city: 1 });
    expect(loss.generalisationIntensity).toBeCloseTo(0.625, 12);
    expect(loss.discernibility).toBe(8); // 2² + 2²
    expect(loss.normalisedAverageClassSize).toBe(1);
    const withSuppression = informationLoss(input, { classes: result.classes.slice(0, 1), suppressed: 2 }, { quasi: ["age", "city"] });
    expect(withSuppression.discernibility).toBe(4 + 2 * 4); // suppressed rows cost n each
    expect(withSuppression.perQuasiIdentifier.age).toBeCloseTo((2 * 0.5 + 2) / 4, 12);
  });
});

describe("training the course model on an anonymised release", () => {
  it("reports the accuracy on exact test customers, before and after k-anonymity", async () => {
    const test = selectRows(table, split.test);
    const plain = await trainOnAnonymised({ train: selectRows(dropColumns(table, CUSTOMER_ROLES.direct), split.train), test, epochs: 3 });
    expect(plain.output.accuracy).toBeGreaterThan(0.8);
    expect(plain.trace).toMatchObject({ trainRows: 800, testRows: 200, imputed: { age: 0, location: 0 } });

    const released = anonymizeTable(selectRows(table, split.train), { roles: CUSTOMER_ROLES, k: 50, algorithm: "full-domain", hierarchies });
    const generalised = await trainOnAnonymised({ train: released.output.table, test, epochs: 3 });
    expect(generalised.output.accuracy).toBeGreaterThan(0.7);
    expect(generalised.trace.trainRows).toBe(released.trace.rows.output);

    await expect(trainOnAnonymised({ train: test, test: released.output.table })).rejects.toThrow(/test must be exact rows/);
  });

  it("sweeps k: risk falls, the attack stops, accuracy stays close", async () => {
    const register = publicRegister(customers).output;
    const { output } = await anonymitySweep({ customers, split, register, ks: [1, 5, 20], l: 2, epochs: 3 });
    expect(output.map((p) => p.k)).toEqual([1, 5, 20]);
    expect(output[0].highestRisk).toBe(1);
    expect(output[0].reidentified).toBeGreaterThan(100);
    expect(output[1].highestRisk).toBeLessThanOrEqual(1 / 5);
    expect(output[2].highestRisk).toBeLessThanOrEqual(1 / 20);
    expect(output[1].reidentified).toBe(0);
    expect(output[2].sensitiveLearned).toBe(0);
    expect(Math.abs(output[2].accuracy - output[0].accuracy)).toBeLessThan(0.1);
  });
});

describe("views", () => {
  it("render classes, risks, measures, the attack and the anonymisation as HTML and text", () => {
    const released = anonymizeTable(table, { roles: CUSTOMER_ROLES, k: 5, l: 2, hierarchies });
    const quasi = CUSTOMER_ROLES.quasi;
    const classes = anonymityViews.equivalenceClassesView(released.output.table, { quasi, sensitive: "spendBand" }).toMimeBundle();
    expect(classes["text/plain"]).toMatch(/Equivalence classes: \d+ classes over 1000 rows; smallest 5 \(k = 5\)/);
    expect(classes["text/html"]).toContain("<table");
    const risk = anonymityViews.riskView(reidentificationRisk(released.output.table, { quasi }).output).toMimeBundle();
    expect(risk["text/plain"]).toMatch(/prosecutor/);
    const measures = anonymityViews.measuresView(measureAnonymity(released.output.table, { quasi, sensitive: ["spendBand"] }).output).toMimeBundle();
    expect(measures["text/plain"]).toMatch(/entropy l/);
    const register = publicRegister(customers).output;
    const attack = linkageAttack({ released: dropColumns(table, CUSTOMER_ROLES.direct), register: register.table, quasi, nameColumn: "name", sensitive: "spendBand" }).output;
    expect(anonymityViews.linkageView([{ label: "names dropped", summary: attack.summary }]).toMimeBundle()["text/plain"]).toMatch(/names dropped/);
    expect(anonymityViews.reidentifiedView(attack.attempts).toMimeBundle()["text/plain"]).toMatch(/Re-identified people: \d+/);
    expect(anonymityViews.anonymizationView(released.trace).toMimeBundle()["text/plain"]).toMatch(/Verified on the release: k = 5/);
  });

  it("draw risk and accuracy against k on two axes", () => {
    const figure = riskVsKFigure([
      { k: 1, highestRisk: 1, averageRisk: 0.6, reidentifiedShare: 0.5, accuracy: 0.9 },
      { k: 10, highestRisk: 0.1, averageRisk: 0.05, reidentifiedShare: 0, accuracy: 0.88 },
    ]);
    expect(figure.data.map((t) => t.name)).toEqual(["highest risk (1 / smallest class)", "average risk", "re-identified by linkage", "test accuracy"]);
    expect(figure.data[3]).toMatchObject({ yaxis: "y2", x: [1, 10], y: [0.9, 0.88] });
    expect(figure.layout).toMatchObject({ xaxis: { type: "log" } });
    const view = anonymityViews.riskVsKView([
      { k: 1, classes: 10, suppressed: 0, generalisationIntensity: 0, highestRisk: 1, averageRisk: 0.5, recordsAtRisk: 0.8, reidentified: 4, sensitiveLearned: 3, accuracy: 0.9 },
    ]);
    expect(view.toMimeBundle()["text/html"]).toContain("Plotly.newPlot");
  });
});
