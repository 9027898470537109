import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { equivalenceClasses } from "../../src/anonymity/classes";
import { CUSTOMER_ROLES, customerTable } from "../../src/anonymity/customers";
import type { Cell, Table } from "../../src/anonymity/table";
import { loadCustomerDataset } from "../../src/data/datasets";
import { groupSimilarRecords } from "../../src/gan/grouping";
import { createRng } from "../../src/random/rng";
import { encodeTable, fitEncoding } from "../../src/synthetic/encoding";
import { expectInputError } from "../helpers/expectInputError";

const TOWNS = ["Ayr", "Bath", "Cork", "Derry", "Ely"];

/** A seeded mixed table: integer age, real income, a town, a 0/1 flag and an untouched id. */
function randomTable(seed: number, rows: number, towns: number): Table {
  const rng = createRng(seed);
  return {
    columns: ["id", "age", "income", "town", "member"],
    data: {
      id: Array.from({ length: rows }, (_, i) => `p${i}`),
      age: Array.from({ length: rows }, () => 18 + rng.int(70)),
      income: Array.from({ length: rows }, () => Math.exp(10 + 0.5 * rng.normal())),
      town: Array.from({ length: rows }, () => TOWNS[rng.int(towns)]),
      member: Array.from({ length: rows }, () => rng.int(2)),
    },
  };
}

const GROUPED = ["age", "income", "town", "member"];

describe("groupSimilarRecords: k-member grouping of mixed records", () => {
  it("gives every group k to 2k − 1 rows and a k-anonymous release, for many seeded tables", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 2, max: 7 }), fc.integer({ min: 0, max: 90 }), fc.integer({ min: 1, max: 5 }), (seed, k, extra, towns) => {
        const rows = k + extra;
        const table = randomTable(seed, rows, towns);
        const { output, trace } = groupSimilarRecords(table, { columns: GROUPED, k, categorical: ["member"] });
        // Every row in exactly one group; sizes k..2k − 1.
        expect(output.groupOf).toHaveLength(rows);
        expect(output.sizes.reduce((s, x) => s + x, 0)).toBe(rows);
        output.members.forEach((members, g) => {
          expect(members.length).toBe(output.sizes[g]);
          expect(members.length).toBeGreaterThanOrEqual(k);
          expect(members.length).toBeLessThanOrEqual(2 * k - 1);
          for (const row of members) expect(output.groupOf[row]).toBe(g);
        });
        // k-anonymous on the grouped columns.
        const classes = equivalenceClasses(output.released, GROUPED).trace;
        expect(classes.smallest).toBeGreaterThanOrEqual(k);
        // The other column is untouched; the released values are the group representatives.
        expect(output.released.data.id).toEqual(table.data.id);
        output.members.forEach((members) => {
          const ages = members.map((r) => table.data.age[r] as number);
          const incomes = members.map((r) => table.data.income[r] as number);
          for (const r of members) {
            expect(output.released.data.age[r]).toBe(Math.round(ages.reduce((s, x) => s + x, 0) / ages.length));
            expect(output.released.data.income[r]).toBeCloseTo(incomes.reduce((s, x) => s + x, 0) / incomes.length, 6);
            for (const column of ["town", "member"]) {
              const counts = new Map<Cell, number>();
              for (const m of members) counts.set(table.data[column][m], (counts.get(table.data[column][m]) ?? 0) + 1);
              expect(counts.get(output.released.data[column][r])).toBe(Math.max(...counts.values()));
            }
          }
        });
        expect(trace.groups.count).toBe(output.sizes.length);
        expect(trace.groups.smallest).toBe(Math.min(...output.sizes));
        expect(trace.varianceLost.share).toBeGreaterThanOrEqual(0);
        expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
      }),
      { numRuns: 60, seed: 20260 },
    );
  });

  it("works by hand on four rows: means rounded for integers, ties broken by sorted category", () => {
    const table = { columns: ["age", "city", "note"], data: { age: [20, 21, 60, 61], city: ["B", "A", "C", "C"], note: ["w", "x", "y", "z"] } };
    const { output, trace } = groupSimilarRecords(table, { columns: ["age", "city"], k: 2 });
    expect([...output.members].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 1],
      [2, 3],
    ]);
    // Mean 20.5 rounds to 21; A and B tie once each, A comes first.
    expect(output.released.data.age).toEqual([21, 21, 61, 61]);
    expect(output.released.data.city).toEqual(["A", "A", "C", "C"]);
    expect(output.released.data.note).toEqual(table.data.note);
    expect(trace.replaced.map((c) => [c.name, c.cellsChanged])).toEqual([
      ["age", 2],
      ["city", 1],
    ]);
    expect(trace.untouched).toEqual(["note"]);
  });

  it("loses far less variance than random groups of the same sizes on the customer table", () => {
    const table = customerTable(loadCustomerDataset().customers);
    const quasi = [...CUSTOMER_ROLES.quasi];
    const k = 5;
    const { output, trace } = groupSimilarRecords(table, { columns: quasi, k });
    expect(equivalenceClasses(output.released, quasi).trace.smallest).toBeGreaterThanOrEqual(k);
    // Random groups, judged at their centroids (the least any representative could lose).
    const encoding = fitEncoding(table, { columns: quasi });
    const x = encodeTable(table, encoding);
    const n = x.length;
    const order = Array.from({ length: n }, (_, i) => i);
    const rng = createRng(1);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let sse = 0;
    let start = 0;
    for (const size of output.sizes) {
      const members = order.slice(start, start + size);
      start += size;
      for (let d = 0; d < encoding.width; d++) {
        const mean = members.reduce((s, r) => s + x[r][d], 0) / size;
        for (const r of members) sse += (x[r][d] - mean) ** 2;
      }
    }
    const randomShare = sse / trace.varianceLost.sst;
    expect(trace.varianceLost.share).toBeLessThan(0.25 * randomShare);
    expect(trace.varianceLost.share).toBeGreaterThan(0);
  });

  it("rejects bad k, unknown columns and bad categorical lists", () => {
    const table = randomTable(1, 10, 3);
    expectInputError(() => groupSimilarRecords(table, { columns: GROUPED, k: 1 }), "k", /\[2, 10\]/);
    expectInputError(() => groupSimilarRecords(table, { columns: GROUPED, k: 11 }), "k", /\[2, 10\]/);
    expectInputError(() => groupSimilarRecords(table, { columns: GROUPED, k: 2.5 }), "k");
    expectInputError(() => groupSimilarRecords(table, { columns: GROUPED, k: Number.NaN }), "k");
    expectInputError(() => groupSimilarRecords(table, { columns: ["age", "zip"], k: 2 }), "columns");
    expectInputError(() => groupSimilarRecords(table, { columns: [], k: 2 }), "columns");
    expectInputError(() => groupSimilarRecords(table, { columns: ["age", "age"], k: 2 }), "columns");
    expectInputError(() => groupSimilarRecords(table, { columns: ["age"], k: 2, categorical: ["town"] }), "categorical");
  });
});
