import { describe, expect, it } from "vitest";
import { CUSTOMER_ROLES, customerTable } from "../../src/anonymity/customers";
import { dropColumns, selectRows, type Cell, type Table } from "../../src/anonymity/table";
import { loadCustomerDataset } from "../../src/data/datasets";
import { generateCustomers } from "../../src/data/generateCustomers";
import { createRng } from "../../src/random/rng";
import {
  cramersV,
  correlationRatio,
  distanceToClosestRecord,
  fitEncoding,
  kolmogorovSurvival,
  ksTwoSample,
  measureFidelity,
  measureUtility,
  membershipInferenceOnSynthetic,
  pearsonCorrelation,
  type NumericColumnFidelity,
  type CategoricalColumnFidelity,
} from "../../src/synthetic";
import { expectInputError } from "../helpers/expectInputError";

// ---------------------------------------------------------------------------------------
// Helpers independent of the code under test.

/** Standard normal CDF by Simpson's rule on the density (no shared code with the library). */
function normalCdf(z: number): number {
  const steps = 2000;
  const h = z / steps;
  const f = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let s = f(0) + f(z);
  for (let k = 1; k < steps; k++) s += (k % 2 === 1 ? 4 : 2) * f(k * h);
  return 0.5 + (s * h) / 3;
}

function normals(n: number, seed: number, shift = 0): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.normal() + shift);
}

function numericColumn(column: ColumnFidelityLike): NumericColumnFidelity {
  expect(column.kind).toBe("numeric");
  return column as NumericColumnFidelity;
}

function categoricalColumn(column: ColumnFidelityLike): CategoricalColumnFidelity {
  expect(column.kind).toBe("categorical");
  return column as CategoricalColumnFidelity;
}

type ColumnFidelityLike = { kind: string };

function repeat(pairs: [Cell, number][]): Cell[] {
  return pairs.flatMap(([value, times]) => Array<Cell>(times).fill(value));
}

/** The course's customers without direct identifiers, as the generator would be given them. */
function customers(rows: number, seed: number): Table {
  return dropColumns(customerTable(generateCustomers({ rows, seed })), CUSTOMER_ROLES.direct);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

// ---------------------------------------------------------------------------------------

describe("fidelity: marginals", () => {
  it("identical samples give KS 0, TV 0 and no association difference", () => {
    const table = customers(300, 5);
    const { output, trace } = measureFidelity(table, selectRows(table, range(0, 300).reverse()));
    for (const column of output.columns) {
      if (column.kind === "numeric") {
        expect(column.ks).toBe(0);
        expect(column.pValue).toBe(1);
      } else {
        expect(column.tv).toBe(0);
        expect(column.invented).toEqual([]);
        expect(column.missed).toEqual([]);
      }
    }
    expect(output.pairs.every((p) => p.difference < 1e-12)).toBe(true);
    expect(output.summary).toMatchObject({ meanKs: 0, meanTv: 0 });
    expect(trace.columns.find((c) => c.name === "location")?.kind).toBe("categorical");
    expect(trace.columns.find((c) => c.name === "age")?.kind).toBe("numeric");
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("two normal samples shifted by d: KS ≈ 2Φ(d/2) − 1, the sup gap between the two CDFs", () => {
    for (const d of [0.5, 1]) {
      const real = { columns: ["x"], data: { x: normals(20000, 1) } };
      const synthetic = { columns: ["x"], data: { x: normals(20000, 2, d) } };
      const ks = numericColumn(measureFidelity(real, synthetic).output.columns[0]).ks;
      // The two CDFs are furthest apart at the midpoint d/2, where Φ(d/2) − Φ(−d/2) = 2Φ(d/2) − 1.
      // Sampling error of D at n = m = 20000: sd ≈ √(¼·2/20000) = 0.005, plus a small upward
      // bias (a sup over noise); 0.015 is three sd.
      expect(Math.abs(ks - (2 * normalCdf(d / 2) - 1))).toBeLessThan(0.015);
    }
  });

  it("ties: the ECDFs are compared only after every copy of a value is counted (worked by hand)", () => {
    // real [1, 2, 2, 3], synthetic [2, 2, 2, 4]:
    //   x = 1: F = 1/4, G = 0   → 1/4
    //   x = 2: F = 3/4, G = 3/4 → 0
    //   x = 3: F = 1,   G = 3/4 → 1/4
    //   x = 4: F = 1,   G = 1   → 0
    // D = 1/4. Stepping through the merged list one value at a time would report 1/2.
    const result = measureFidelity({ columns: ["x"], data: { x: [1, 2, 2, 3] } }, { columns: ["x"], data: { x: [2, 2, 2, 4] } });
    expect(numericColumn(result.output.columns[0]).ks).toBe(0.25);
    expect(ksTwoSample([2, 2, 2, 4], [1, 2, 2, 3]).statistic).toBe(0.25);
    // All tied except one: [5, 5, 5] vs [5, 5, 6] → at 5: 1 vs 2/3.
    expect(ksTwoSample([5, 5, 5], [5, 5, 6]).statistic).toBeCloseTo(1 / 3, 15);
  });

  it("the asymptotic p-value follows the Kolmogorov distribution (Q(1) = 0.2700 from its table)", () => {
    // 0..49 against 10..59: D = 10/50; √(50·50/100) · D = 1.
    const ks = ksTwoSample(range(0, 50), range(10, 60));
    expect(ks.statistic).toBeCloseTo(0.2, 15);
    expect(ks.pValue).toBeCloseTo(0.27, 3);
    // Tabulated values: P(K > 1.36) ≈ 0.049, P(K > 1.63) ≈ 0.010, P(K > 0.5) ≈ 0.964 (both series).
    expect(kolmogorovSurvival(1.36)).toBeCloseTo(0.049, 3);
    expect(kolmogorovSurvival(1.63)).toBeCloseTo(0.01, 3);
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(0.964, 3);
  });

  it("p-value is tiny for clearly different samples and not small for samples of one distribution", () => {
    const different = ksTwoSample(normals(300, 3), normals(300, 4, 1));
    expect(different.pValue).toBeLessThan(1e-6);
    const same = ksTwoSample(normals(500, 5), normals(500, 6));
    expect(same.pValue).toBeGreaterThan(0.05);
  });

  it("total variation of a known pair of categorical distributions, worked by hand", () => {
    // real (a .5, b .3, c .2), synthetic (a .2, b .4, d .4):
    // ½(|.5 − .2| + |.3 − .4| + |.2 − 0| + |0 − .4|) = ½(.3 + .1 + .2 + .4) = .5
    const real = { columns: ["c"], data: { c: repeat([["a", 5], ["b", 3], ["c", 2]]) } };
    const synthetic = { columns: ["c"], data: { c: repeat([["a", 2], ["b", 4], ["d", 4]]) } };
    const column = categoricalColumn(measureFidelity(real, synthetic).output.columns[0]);
    expect(column.tv).toBeCloseTo(0.5, 12);
    expect(column.invented).toEqual(["d"]);
    expect(column.missed).toEqual(["c"]);
    expect(column.inventedShare).toBeCloseTo(0.4, 12);
    expect(column.categories.find((c) => c.category === "d")).toEqual({ category: "d", real: 0, synthetic: 0.4 });
  });

  it("a 0/1 column is numeric unless declared categorical", () => {
    const real = { columns: ["y"], data: { y: [0, 0, 1, 1] } };
    const synthetic = { columns: ["y"], data: { y: [0, 1, 1, 1] } };
    expect(measureFidelity(real, synthetic).output.columns[0].kind).toBe("numeric");
    const declared = categoricalColumn(measureFidelity(real, synthetic, { categorical: ["y"] }).output.columns[0]);
    expect(declared.tv).toBeCloseTo(0.25, 12);
  });
});

describe("fidelity: associations", () => {
  it("a correlated real pair against an independent synthetic pair differs by about the correlation", () => {
    const rho = 0.8;
    const x = normals(5000, 11);
    const noise = normals(5000, 12);
    const real = { columns: ["x", "y"], data: { x, y: x.map((v, i) => rho * v + Math.sqrt(1 - rho * rho) * noise[i]) } };
    const synthetic = { columns: ["x", "y"], data: { x: normals(5000, 13), y: normals(5000, 14) } };
    const { output } = measureFidelity(real, synthetic);
    expect(output.pairs).toHaveLength(1);
    const [pair] = output.pairs;
    expect(pair.measure).toBe("pearson");
    // Standard error of r is about (1 − ρ²)/√n ≈ 0.005 on the real side, 1/√n ≈ 0.014 on the other.
    expect(pair.real).toBeCloseTo(rho, 1);
    expect(Math.abs(pair.synthetic)).toBeLessThan(0.05);
    expect(Math.abs(pair.difference - rho)).toBeLessThan(0.05);
    expect(output.summary.meanAssociationDifference).toBe(pair.difference);
    expect(output.summary.maxAssociationDifference).toBe(pair.difference);
    // The marginals are right, only the relation is lost.
    expect(output.summary.meanKs!).toBeLessThan(0.05);
  });

  it("Cramér's V and the correlation ratio η, worked by hand", () => {
    // 2×2 counts [[3, 1], [1, 3]]: V = |φ| = (3·3 − 1·1)/√(4·4·4·4) = 0.5.
    const a = ["p", "p", "p", "p", "q", "q", "q", "q"];
    const b = ["u", "u", "u", "v", "u", "v", "v", "v"];
    expect(cramersV(a, b)).toBeCloseTo(0.5, 12);
    // Groups A: 1, 2, 3 and B: 4, 5, 6; mean 3.5. SS between = 3·1.5² + 3·1.5² = 13.5,
    // SS total = 17.5, η = √(13.5/17.5).
    expect(correlationRatio(["A", "A", "A", "B", "B", "B"], [1, 2, 3, 4, 5, 6])).toBeCloseTo(Math.sqrt(13.5 / 17.5), 12);
    expect(pearsonCorrelation([1, 2, 3], [6, 4, 2])).toBeCloseTo(-1, 12);
    expect(pearsonCorrelation([1, 1, 1], [6, 4, 2])).toBe(0);
  });

  it("reports one pair per unordered column pair with the right measure, on both tables", () => {
    const real = {
      columns: ["n", "c", "d"],
      data: { n: [1, 2, 3, 4, 5, 6], c: ["A", "A", "A", "B", "B", "B"], d: ["p", "p", "q", "q", "r", "r"] },
    };
    const synthetic = {
      columns: ["d", "c", "n"],
      data: { n: [1, 2, 3, 4, 5, 6], c: ["A", "B", "A", "B", "A", "B"], d: ["p", "p", "q", "q", "r", "r"] },
    };
    const { output } = measureFidelity(real, synthetic);
    expect(output.pairs.map((p) => [p.columns, p.measure])).toEqual([
      [["n", "c"], "correlationRatio"],
      [["n", "d"], "correlationRatio"],
      [["c", "d"], "cramersV"],
    ]);
    const nc = output.pairs[0];
    expect(nc.real).toBeCloseTo(Math.sqrt(13.5 / 17.5), 12);
    // Synthetic groups A: 1, 3, 5 and B: 2, 4, 6 → means 3 and 4: SS between = 6·0.5² = 1.5.
    expect(nc.synthetic).toBeCloseTo(Math.sqrt(1.5 / 17.5), 12);
    expect(nc.difference).toBeCloseTo(nc.real - nc.synthetic, 12);
    expect(output.summary.worstPair).toEqual(
      output.pairs.reduce((w, p) => (p.difference > w.difference ? p : w)).columns,
    );
  });
});

describe("fidelity: bad input", () => {
  const real = { columns: ["x", "c"], data: { x: [1, 2, 3], c: ["a", "b", "a"] } };
  it("names the field and what is allowed", () => {
    expectInputError(() => measureFidelity(real, { columns: ["x"], data: { x: [1, 2] } }), "synthetic.columns", /same columns as real/);
    expectInputError(() => measureFidelity(real, { columns: ["x", "c", "z"], data: { x: [1], c: ["a"], z: [0] } }), "synthetic.columns", /same columns/);
    expectInputError(() => measureFidelity(real, real, { columns: ["age"] }), "columns", /one of the table's columns/);
    expectInputError(() => measureFidelity(real, real, { categorical: ["age"] }), "categorical", /measured columns/);
    expectInputError(() => measureFidelity(real, { columns: ["x", "c"], data: { x: [], c: [] } }), "synthetic", /at least one row/);
    expectInputError(() => measureFidelity(real, { columns: ["x", "c"], data: { x: [1, NaN], c: ["a", "b"] } }), "synthetic.x[1]", /finite number/);
    expectInputError(() => measureFidelity(real, { columns: ["x", "c"], data: { x: [1, "2"], c: ["a", "b"] } }), "synthetic.x[1]", /numeric in the real table/);
    expectInputError(() => measureFidelity(real, { columns: ["x", "c"], data: { x: [1, 2], c: ["a"] } }), "synthetic.data.c", /values/);
    expectInputError(() => ksTwoSample([], [1]), "a", /at least one/);
  });
});

// ---------------------------------------------------------------------------------------

describe("utility: TRTR vs TSTR", () => {
  const { customers: rows, split } = loadCustomerDataset();
  const table = dropColumns(customerTable(rows), CUSTOMER_ROLES.direct);
  const realTrain = selectRows(table, split.train);
  const realTest = selectRows(table, split.test);

  it("a copy of the real training table loses nothing: gap exactly 0", async () => {
    const copy = selectRows(realTrain, range(0, split.train.length));
    const { output, trace } = await measureUtility({ realTrain, synthetic: copy, realTest, epochs: 3 });
    expect(output.trtrAccuracy).toBeGreaterThan(0.8);
    expect(output.tstrAccuracy).toBe(output.trtrAccuracy);
    expect(output.gapPoints).toBe(0);
    expect(output.withinTolerance).toBe(true);
    expect(trace).toMatchObject({ rows: { realTrain: 800, synthetic: 800, realTest: 200 }, epochs: 3, seed: 7 });
    expect(trace.training?.synthetic.trainRows).toBe(800);
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("an outcome shuffled away from its features makes TSTR clearly worse", async () => {
    const rng = createRng(99);
    const labels = Array.from(realTrain.data.buysNextMonth);
    for (let i = labels.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [labels[i], labels[j]] = [labels[j], labels[i]];
    }
    const shuffled: Table = { columns: realTrain.columns, data: { ...realTrain.data, buysNextMonth: labels } };
    const { output } = await measureUtility({ realTrain, synthetic: shuffled, realTest, epochs: 3 });
    // With no signal left the model can do little better than the majority share (≈ 57 %).
    expect(output.gapPoints).toBeGreaterThan(15);
    expect(output.tstrAccuracy).toBeLessThan(output.trtrAccuracy - 0.15);
    expect(output.withinTolerance).toBe(false);
  });

  it("takes another model through evaluate(train, test) and judges the gap against maxGapPoints", async () => {
    // Majority-class "model": its accuracy is the test share of the training majority label.
    const majority = (train: Table, test: Table) => {
      const ones = Array.from(train.data.buysNextMonth).filter((v) => v === 1).length;
      const guess = ones * 2 >= rowCount(train) ? 1 : 0;
      return Array.from(test.data.buysNextMonth).filter((v) => v === guess).length / rowCount(test);
    };
    const flipped: Table = { columns: realTrain.columns, data: { ...realTrain.data, buysNextMonth: Array.from(realTrain.data.buysNextMonth, (v) => 1 - Number(v)) } };
    const testOnes = Array.from(realTest.data.buysNextMonth).filter((v) => v === 1).length / 200;
    const trainMajority = Array.from(realTrain.data.buysNextMonth).filter((v) => v === 1).length >= 400 ? 1 : 0;
    const expectedTrtr = trainMajority === 1 ? testOnes : 1 - testOnes;
    const { output, trace } = await measureUtility({ realTrain, synthetic: flipped, realTest, evaluate: majority, maxGapPoints: 100 });
    expect(output.trtrAccuracy).toBeCloseTo(expectedTrtr, 12);
    expect(output.tstrAccuracy).toBeCloseTo(1 - expectedTrtr, 12);
    expect(output.gapPoints).toBeCloseTo(100 * (2 * expectedTrtr - 1), 9);
    expect(output.withinTolerance).toBe(true);
    expect(trace).toMatchObject({ training: null, epochs: null, model: expect.stringMatching(/custom/) });
    const strict = await measureUtility({ realTrain, synthetic: flipped, realTest, evaluate: majority, maxGapPoints: 1 });
    expect(strict.output.withinTolerance).toBe(output.gapPoints <= 1);
  });

  it("bad input is an InputError naming the field", async () => {
    const noOutcome = dropColumns(realTrain, ["buysNextMonth"]);
    await expect(measureUtility({ realTrain, synthetic: noOutcome, realTest })).rejects.toMatchObject({ field: "synthetic.columns", allowed: expect.stringMatching(/same columns/) });
    await expect(measureUtility({ realTrain, synthetic: realTrain, realTest: dropColumns(realTest, ["age"]) })).rejects.toMatchObject({ field: "realTest.columns" });
    await expect(measureUtility({ realTrain, synthetic: selectRows(realTrain, []), realTest })).rejects.toMatchObject({ field: "synthetic", allowed: expect.stringMatching(/at least one row/) });
    await expect(measureUtility({ realTrain, synthetic: realTrain, realTest, maxGapPoints: NaN })).rejects.toMatchObject({ field: "maxGapPoints", allowed: "a number in [0, 100]" });
    await expect(measureUtility({ realTrain, synthetic: realTrain, realTest, evaluate: () => 1.5 })).rejects.toMatchObject({ field: "evaluate(realTrain, realTest)" });
    await expect(measureUtility({ realTrain, synthetic: realTrain, realTest, epochs: 0 })).rejects.toMatchObject({ field: "epochs" });
  });
});

function rowCount(table: Table): number {
  return table.data[table.columns[0]].length;
}

// ---------------------------------------------------------------------------------------

describe("privacy: distance to closest record and membership inference", () => {
  // Train, holdout and an independent "synthetic" sample all drawn from the same generator.
  const population = customers(1600, 21);
  const train = selectRows(population, range(0, 800));
  const holdout = selectRows(population, range(800, 1600));

  it("copies of training rows: DCR 0 everywhere, every row flagged, the attack separates perfectly", () => {
    const copies = selectRows(train, range(0, 800).map((i) => (i * 7) % 800));
    const { output, trace } = distanceToClosestRecord({ train, holdout, synthetic: copies });
    expect(output.syntheticDistances.every((d) => d === 0)).toBe(true);
    expect(output.synthetic).toEqual({ p5: 0, p50: 0 });
    expect(output.threshold).toBeGreaterThan(0);
    expect(output.closeRows).toEqual({ count: 800, share: 1 });
    expect(output.exactCopies).toEqual({ count: 800, share: 1 });
    expect(output.closestPairs).toHaveLength(5);
    for (const pair of output.closestPairs) {
      expect(pair.distance).toBe(0);
      expect(pair.train).toBe((pair.synthetic * 7) % 800);
    }
    expect(trace.encoding.fittedOn).toBe("train");
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);

    const attack = membershipInferenceOnSynthetic({ train, holdout, synthetic: copies });
    expect(attack.output.auc).toBe(1);
    expect(attack.output.advantage).toBe(1);
    expect(attack.output.tprAt1PctFpr).toBe(1);
    expect(attack.output.members).toBe(800);
    expect(attack.output.nonMembers).toBe(800);
  });

  it("an independent sample of the same population: about 5 % close rows, AUC about 0.5", () => {
    const synthetic = customers(1000, 22);
    const { output } = distanceToClosestRecord({ train, holdout, synthetic });
    // The share of synthetic rows below the holdout's 5th percentile is 5 % in expectation.
    // Its spread: binomial over 1000 synthetic rows (sd ≈ 0.007) plus the error of the
    // percentile estimated from 800 holdout rows (sd ≈ √(0.05·0.95/800) ≈ 0.008), about 0.01
    // together; ± 0.03 is three of them.
    expect(Math.abs(output.closeRows.share - 0.05)).toBeLessThan(0.03);
    expect(output.exactCopies.count).toBe(0);
    // Medians of two samples of the same distribution: close.
    expect(Math.abs(output.synthetic.p50 - output.holdout.p50) / output.holdout.p50).toBeLessThan(0.1);

    const attack = membershipInferenceOnSynthetic({ train, holdout, synthetic });
    // Under no leakage members and non-members score alike: AUC sd ≈ √((n+n+1)/(12n²)) ≈ 0.014 for
    // n = 800 per side; ± 0.05 is 3.5 of them (tighter than the ± 0.1 asked for).
    expect(Math.abs(attack.output.auc - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(attack.output.advantage)).toBeLessThan(0.1);
    expect(attack.output.tprAt10PctFpr).toBeLessThan(0.2);
  });

  it("balances members and non-members with a seeded draw", () => {
    const small = selectRows(holdout, range(0, 100));
    const synthetic = customers(200, 23);
    const a = membershipInferenceOnSynthetic({ train, holdout: small, synthetic, seed: 3 });
    const b = membershipInferenceOnSynthetic({ train, holdout: small, synthetic, seed: 3 });
    const c = membershipInferenceOnSynthetic({ train, holdout: small, synthetic, seed: 4 });
    expect(a.output.members).toBe(100);
    expect(a.output.nonMembers).toBe(100);
    expect(a.output.memberRows).toHaveLength(100);
    expect(new Set(a.output.memberRows).size).toBe(100);
    expect(a.output.memberRows.every((i) => i >= 0 && i < 800)).toBe(true);
    expect(a.output.nonMemberRows).toEqual(range(0, 100));
    expect(a.output.memberRows).toEqual(b.output.memberRows);
    expect(c.output.memberRows).not.toEqual(a.output.memberRows);
    expect(a.output.isMember.filter((v) => v === 1)).toHaveLength(100);
    expect(a.output.advantage).toBeCloseTo(2 * (a.output.auc - 0.5), 12);
    expect(a.trace).toMatchObject({ candidatesPerSide: 100, seed: 3 });
  });

  it("a category the encoding never saw is one unit from every training row, and is reported", () => {
    const tiny = { columns: ["x", "c"], data: { x: [0, 2], c: ["a", "b"] } };
    const synthetic = { columns: ["x", "c"], data: { x: [0], c: ["zzz"] } };
    // x is standardised with mean 1, std 1: the synthetic row is at x = −1 → 0 from row 0 in x,
    // and its new category is 1 from every training row.
    const { output, trace } = distanceToClosestRecord({ train: tiny, holdout: tiny, synthetic });
    expect(output.syntheticDistances[0]).toBeCloseTo(1, 6);
    expect(trace.encoding.unseenCategories).toEqual([{ column: "c", table: "synthetic", categories: ["zzz"] }]);
  });

  it("uses a given encoding's columns only", () => {
    const encoding = fitEncoding(train, { columns: ["age", "averageSpend"] });
    const synthetic = selectRows(holdout, range(0, 50));
    const { trace, output } = distanceToClosestRecord({ train, holdout, synthetic, encoding });
    expect(trace.encoding).toMatchObject({ fittedOn: "given", width: 2 });
    // The synthetic rows are the first 50 holdout rows: same distances.
    expect(output.syntheticDistances).toEqual(output.holdoutDistances.slice(0, 50));
  });

  it("bad input is an InputError naming the field", () => {
    const synthetic = selectRows(holdout, range(0, 10));
    expectInputError(() => distanceToClosestRecord({ train, holdout, synthetic: dropColumns(synthetic, ["age"]) }), "synthetic.columns", /same columns as train/);
    expectInputError(() => membershipInferenceOnSynthetic({ train, holdout: dropColumns(holdout, ["location"]), synthetic }), "holdout.columns", /same columns as train/);
    expectInputError(() => distanceToClosestRecord({ train, holdout, synthetic: selectRows(synthetic, []) }), "synthetic", /at least one row/);
    const withNaN: Table = { columns: synthetic.columns, data: { ...synthetic.data, age: [NaN, ...Array.from(synthetic.data.age).slice(1)] } };
    expectInputError(() => distanceToClosestRecord({ train, holdout, synthetic: withNaN }), "synthetic.age[0]", /finite number/);
    const withText: Table = { columns: synthetic.columns, data: { ...synthetic.data, age: ["[20, 29]", ...Array.from(synthetic.data.age).slice(1)] } };
    expectInputError(() => distanceToClosestRecord({ train, holdout, synthetic: withText }), "synthetic.age[0]", /numeric in the encoding/);
    expectInputError(() => membershipInferenceOnSynthetic({ train, holdout, synthetic, seed: -1 }), "seed", /integer/);
    expectInputError(() => distanceToClosestRecord({ train, holdout, synthetic, closestPairs: 1.5 }), "closestPairs", /integer/);
    const encoding = fitEncoding({ columns: ["age", "height"], data: { age: [1, 2], height: [3, 4] } });
    expectInputError(() => distanceToClosestRecord({ train, holdout, synthetic, encoding }), "columns", /one of the table's columns/);
  });
});
