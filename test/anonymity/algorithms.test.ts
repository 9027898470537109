import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CUSTOMER_ROLES,
  anonymizeTable,
  checkKAnonymity,
  checkLDiversity,
  checkTCloseness,
  customerHierarchies,
  customerTable,
  fullDomainGeneralisation,
  intervalHierarchy,
  mdav,
  mondrian,
  treeHierarchy,
  type Hierarchy,
  type Table,
} from "../../src/anonymity";
import { compileTree, coverMatcher, intervalCell, type CompiledTree } from "../../src/anonymity/hierarchy";
import { cellLabel, type GeneralisedCell } from "../../src/anonymity/generalisedCell";
import { loadCustomerDataset } from "../../src/data/datasets";
import { InputError } from "../../src/validation/errors";

const { customers } = loadCustomerDataset();
const customers1000 = customerTable(customers);
const hierarchies = customerHierarchies();

/** Every released quasi-identifier cell covers the value of the row it came from. */
function expectTruthful(input: Table, released: Table, sourceRows: number[], quasi: readonly string[], trees: Record<string, CompiledTree | undefined> = {}) {
  for (const q of quasi) {
    sourceRows.forEach((source, row) => {
      const cell = released.data[q][row];
      if (!coverMatcher(cell, trees[q])(input.data[q][source])) {
        throw new Error(`${q}: released "${cell}" does not cover the original ${input.data[q][source]} (row ${source})`);
      }
    });
  }
}

describe("Mondrian (LeFevre et al. 2006)", () => {
  it("splits at the median while both halves keep k rows, worked by hand", () => {
    const table = { columns: ["age"], data: { age: [8, 3, 5, 1, 7, 2, 6, 4] } };
    const k2 = anonymizeTable(table, { roles: { quasi: ["age"] }, k: 2 });
    // Whole numbers over a range of 7: the grid's cells are 1 wide, so a class of 1 and 2 publishes [1, 3).
    expect(k2.output.classes.map((c) => cellLabel(c.cells[0])).sort()).toEqual(["[1, 3)", "[3, 5)", "[5, 7)", "[7, 9)"]);
    expect(k2.output.table.data.age).toEqual(["[7, 9)", "[3, 5)", "[5, 7)", "[1, 3)", "[7, 9)", "[1, 3)", "[5, 7)", "[3, 5)"]);
    // With k = 3 the halves of 4 cannot be split again (a cut would leave a side below 3).
    const k3 = mondrian(table, { quasi: ["age"], k: 3 });
    expect(k3.output.classes.map((c) => cellLabel(c.cells[0])).sort()).toEqual(["[1, 5)", "[5, 9)"]);
    expect(k3.trace.stopped.tooSmallToSplit).toBe(2);
  });

  it("keeps equal values together (strict partitioning) and splits categories along the hierarchy", () => {
    const table = {
      columns: ["age", "city"],
      data: { age: [30, 30, 30, 30, 31, 31], city: ["Boston", "Worcester", "Boston", "Albany", "Albany", "Austin"] },
    };
    const cities: Hierarchy = treeHierarchy([
      ["Boston", "MA", "East", "*"],
      ["Worcester", "MA", "East", "*"],
      ["Albany", "NY", "East", "*"],
      ["Austin", "TX", "South", "*"],
    ]);
    const result = anonymizeTable(table, { roles: { quasi: ["age", "city"] }, k: 2, hierarchies: { city: cities } });
    const labels = result.output.classes.map((c) => c.cells.map(cellLabel).join(" "));
    // Cities spread widest first: "*" splits into East (5 rows) and South (1 row < k) — refused;
    // then age: 30 ×4 | 31 ×2, then the 30s by city: MA ×3 | NY ×1 — refused.
    expect(labels.sort()).toEqual(["[30, 31) East", "[31, 32) *"]);
    expect(result.trace.verified.k).toBe(2);
  });

  it("satisfies k, l and t on the customer table", () => {
    const result = anonymizeTable(customers1000, { roles: CUSTOMER_ROLES, k: 5, l: 3, lVariant: "entropy", t: 0.4, hierarchies });
    const released = result.output.table;
    expect(result.trace.rows).toEqual({ input: 1000, output: 1000, suppressed: 0 });
    expect(checkKAnonymity(released, { quasi: CUSTOMER_ROLES.quasi, k: 5 }).satisfied).toBe(true);
    expect(checkLDiversity(released, { quasi: CUSTOMER_ROLES.quasi, sensitive: "spendBand", l: 3, variant: "entropy" }).satisfied).toBe(true);
    expect(checkTCloseness(released, { quasi: CUSTOMER_ROLES.quasi, sensitive: "spendBand", t: 0.4 }).satisfied).toBe(true);
    expect(released.columns).not.toContain("name");
    expect(released.columns).not.toContain("email");
    expectTruthful(customers1000, released, result.output.sourceRows, CUSTOMER_ROLES.quasi, { location: compileTree(hierarchies.location as never, "l") });
  });

  it("refuses an l the whole table cannot reach", () => {
    expect(() => mondrian(customers1000, { quasi: ["age", "location"], sensitive: ["spendBand"], k: 5, l: 6 })).toThrow(
      /l must be at most 5: the whole table's spendBand column only reaches distinct l = 5/,
    );
  });
});

describe("full-domain search", () => {
  it("finds the least-loss node within the suppression limit on the customer table", () => {
    const result = fullDomainGeneralisation(customers1000, { quasi: ["age", "location"], sensitive: ["spendBand"], k: 10, l: 2, hierarchies, maxSuppression: 0.05 });
    expect(result.output.suppressed).toBeLessThanOrEqual(50);
    expect(result.trace.lattice.nodes).toBe(5 * 3);
    expect(result.trace.lattice.evaluated + result.trace.lattice.prunedByBound + result.trace.lattice.prunedByMonotonicity).toBe(15);
    for (const c of result.output.classes) expect(c.size).toBeGreaterThanOrEqual(10);
    const best = result.trace.chosen.loss;
    for (const node of result.trace.evaluatedNodes) if (node.satisfies) expect(node.loss).toBeGreaterThanOrEqual(best - 1e-12);
  });

  it("matches a brute-force search over every lattice node (random tables)", () => {
    const ageH = intervalHierarchy({ widths: [2, 4, 8], min: 0, max: 40 });
    const cityH = treeHierarchy([
      ["a", "ab", "*"],
      ["b", "ab", "*"],
      ["c", "cd", "*"],
      ["d", "cd", "*"],
    ]);
    const cityTree = compileTree(cityH, "city");
    fc.assert(
      fc.property(
        fc.array(fc.record({ age: fc.integer({ min: 0, max: 40 }), city: fc.constantFrom("a", "b", "c", "d") }), { minLength: 6, maxLength: 40 }),
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom(0, 0.1, 0.25),
        (rows, k, maxSuppression) => {
          const table = { columns: ["age", "city"], data: { age: rows.map((r) => r.age), city: rows.map((r) => r.city) } };
          const result = fullDomainGeneralisation(table, { quasi: ["age", "city"], k, hierarchies: { age: ageH, city: cityH }, maxSuppression });
          const n = rows.length;
          const limit = Math.floor(maxSuppression * n + 1e-9);
          const ages = rows.map((r) => r.age);
          const range = Math.max(...ages) - Math.min(...ages);
          const width = (cell: GeneralisedCell): number =>
            cell.kind === "any"
              ? 1
              : cell.kind === "interval"
                ? range === 0
                  ? 0
                  : (Math.min(cell.high, Math.max(...ages)) - Math.max(cell.low, Math.min(...ages))) / range
                : cell.kind === "node"
                  ? (cell.leaves - 1) / 3
                  : 0;
          let bestLoss = Infinity;
          for (let la = 0; la <= 4; la++) {
            for (let lc = 0; lc <= 2; lc++) {
              const cells = rows.map((r) => {
                const leaf = cityTree.leafIndex.get(r.city) as number;
                const node = cityTree.ancestorAtLevel[lc][leaf];
                const cityCell: GeneralisedCell =
                  lc === 0 ? { kind: "value", value: r.city } : lc === 2 ? { kind: "any" } : { kind: "node", label: cityTree.labels[node], leaves: 2 };
                return [intervalCell(ageH, la, r.age), cityCell];
              });
              const keys = cells.map((c) => c.map(cellLabel).join("|"));
              const sizes = new Map<string, number>();
              for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
              const suppressed = keys.filter((key) => (sizes.get(key) as number) < k).length;
              if (suppressed > limit) continue;
              let loss = 0;
              cells.forEach((c, i) => (loss += (sizes.get(keys[i]) as number) < k ? 2 : width(c[0]) + width(c[1])));
              bestLoss = Math.min(bestLoss, loss / (2 * n));
            }
          }
          expect(result.trace.chosen.loss).toBeCloseTo(bestLoss, 12);
          expect(result.output.suppressed).toBeLessThanOrEqual(limit);
        },
      ),
      { seed: 2007, numRuns: 150 },
    );
  });

  it("names a bad suppression limit", () => {
    expect(() => fullDomainGeneralisation(customers1000, { quasi: ["age"], k: 5, maxSuppression: 1 })).toThrow(/maxSuppression must be a number in \[0, 1\)/);
  });
});

describe("MDAV microaggregation (Domingo-Ferrer & Torra 2005)", () => {
  it("groups k to 2k − 1 rows and publishes their means, worked by hand", () => {
    const table = { columns: ["x"], data: { x: [1, 2, 3, 10, 11, 12, 20] } };
    const result = mdav(table, { quasi: ["x"], k: 3 });
    // 7 < 3k: one group of k around the farthest record from the mean (20 → 20, 12, 11), the rest together.
    const groups = result.output.classes.map((c) => (c.cells[0] as { value: number }).value).sort((a, b) => a - b);
    expect(groups).toEqual([4, 43 / 3]);
    expect(result.output.classes.map((c) => c.size).sort()).toEqual([3, 4]);
  });

  it("k-anonymises the numeric columns of the customer table", () => {
    const roles = { ...CUSTOMER_ROLES, quasi: ["age", "recencyDays"], insensitive: ["location", "purchaseFrequency", "averageSpend", "buysNextMonth"] };
    const result = anonymizeTable(customers1000, { roles, k: 4, algorithm: "mdav" });
    expect(checkKAnonymity(result.output.table, { quasi: roles.quasi, k: 4 }).satisfied).toBe(true);
    for (const c of result.output.classes) {
      expect(c.size).toBeGreaterThanOrEqual(4);
      expect(c.size).toBeLessThanOrEqual(7);
    }
    expect(() => anonymizeTable(customers1000, { roles: CUSTOMER_ROLES, k: 4, algorithm: "mdav" })).toThrow(/numeric columns only/);
    expect(() => anonymizeTable(customers1000, { roles, k: 4, l: 2, algorithm: "mdav" })).toThrow(/l must be absent for MDAV/);
  });
});

describe("every algorithm meets its model on random tables (property tests, seeded)", () => {
  const rowArb = fc.record({
    age: fc.integer({ min: 18, max: 60 }),
    score: fc.integer({ min: 0, max: 9 }),
    city: fc.constantFrom("a", "b", "c", "d", "e"),
    disease: fc.constantFrom("flu", "cold", "asthma", "none"),
    income: fc.integer({ min: 1, max: 8 }),
  });
  const tableArb = fc.array(rowArb, { minLength: 4, maxLength: 80 }).map((rows): Table => ({
    columns: ["age", "score", "city", "disease", "income"],
    data: {
      age: rows.map((r) => r.age),
      score: rows.map((r) => r.score),
      city: rows.map((r) => r.city),
      disease: rows.map((r) => r.disease),
      income: rows.map((r) => r.income),
    },
  }));
  const quasi = ["age", "score", "city"];

  it("Mondrian: k-anonymous, truthful, no row lost; l-diverse and t-close when asked", () => {
    fc.assert(
      fc.property(tableArb, fc.integer({ min: 2, max: 6 }), fc.constantFrom(undefined, 2), fc.constantFrom(undefined, 0.5), (table, kWanted, l, t) => {
        const n = table.data.age.length;
        const k = Math.min(kWanted, n);
        const diseases = new Set(Array.from(table.data.disease)).size;
        const roles = { quasi, sensitive: ["disease", "income"] };
        if (l !== undefined && (diseases < l || new Set(Array.from(table.data.income)).size < l)) {
          expect(() => anonymizeTable(table, { roles, k, l, t })).toThrow(InputError);
          return;
        }
        const result = anonymizeTable(table, { roles, k, l, t });
        expect(result.output.sourceRows).toHaveLength(n);
        expect(checkKAnonymity(result.output.table, { quasi, k }).satisfied).toBe(true);
        if (l !== undefined) expect(checkLDiversity(result.output.table, { quasi, sensitive: "disease", l }).satisfied).toBe(true);
        if (t !== undefined) expect(checkTCloseness(result.output.table, { quasi, sensitive: "income", t }).satisfied).toBe(true);
        expectTruthful(table, result.output.table, result.output.sourceRows, quasi);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("full-domain: k-anonymous (and l-diverse) within the suppression limit, truthful", () => {
    fc.assert(
      fc.property(tableArb, fc.integer({ min: 2, max: 5 }), fc.constantFrom(0, 0.1), fc.boolean(), (table, kWanted, maxSuppression, withL) => {
        const n = table.data.age.length;
        const k = Math.min(kWanted, n);
        const roles = { quasi, sensitive: ["disease"], insensitive: ["income"] };
        const l = withL ? 2 : undefined;
        if (l !== undefined && new Set(Array.from(table.data.disease)).size < 2) return;
        const result = anonymizeTable(table, { roles, k, l, algorithm: "full-domain", maxSuppression });
        expect(result.trace.rows.suppressed).toBeLessThanOrEqual(Math.floor(maxSuppression * n + 1e-9));
        expect(checkKAnonymity(result.output.table, { quasi, k }).satisfied).toBe(true);
        if (l !== undefined) expect(checkLDiversity(result.output.table, { quasi, sensitive: "disease", l }).satisfied).toBe(true);
        expectTruthful(table, result.output.table, result.output.sourceRows, quasi);
      }),
      { seed: 7, numRuns: 150 },
    );
  });

  it("MDAV: k-anonymous, groups of k to 2k − 1, every row kept", () => {
    fc.assert(
      fc.property(tableArb, fc.integer({ min: 2, max: 5 }), (table, kWanted) => {
        const n = table.data.age.length;
        const k = Math.min(kWanted, n);
        const result = anonymizeTable(table, { roles: { quasi: ["age", "score"] }, keepUnclassified: true, k, algorithm: "mdav" });
        expect(result.output.sourceRows).toHaveLength(n);
        expect(checkKAnonymity(result.output.table, { quasi: ["age", "score"], k }).satisfied).toBe(true);
        for (const c of result.output.classes) expect(c.size).toBeLessThanOrEqual(2 * k - 1);
      }),
      { seed: 11, numRuns: 150 },
    );
  });
});

describe("bad input", () => {
  it("names k out of range, unknown columns and algorithms", () => {
    expect(() => anonymizeTable(customers1000, { roles: CUSTOMER_ROLES, k: 1 })).toThrow(/k must be an integer in \[2, 1000\]; got 1/);
    expect(() => anonymizeTable(customers1000, { roles: CUSTOMER_ROLES, k: 1001 })).toThrow(/k must be an integer in \[2, 1000\]/);
    expect(() => anonymizeTable(customers1000, { roles: { quasi: ["zip"] }, k: 2 })).toThrow(/roles.quasi must be column names/);
    expect(() => anonymizeTable(customers1000, { roles: CUSTOMER_ROLES, k: 2, algorithm: "magic" as never })).toThrow(/algorithm must be one of mondrian, full-domain, mdav/);
    expect(() => anonymizeTable(customers1000, { roles: { ...CUSTOMER_ROLES, sensitive: [], insensitive: [...CUSTOMER_ROLES.insensitive, "spendBand"] }, k: 2, l: 2 })).toThrow(
      /l must be given only with at least one sensitive column/,
    );
    expect(() => anonymizeTable(customers1000, { roles: CUSTOMER_ROLES, k: 2, hierarchies: { location: hierarchies.age } })).toThrow(
      /hierarchies.location must be a tree hierarchy/,
    );
  });
});
