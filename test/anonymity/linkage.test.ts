import { describe, expect, it } from "vitest";
import {
  CUSTOMER_ROLES,
  anonymizeTable,
  customerHierarchies,
  customerTable,
  dropColumns,
  linkageAttack,
  publicRegister,
  tableFromRecords,
} from "../../src/anonymity";
import { loadCustomerDataset } from "../../src/data/datasets";

describe("the linkage attack", () => {
  it("re-identifies, by hand: one candidate means a name on a row", () => {
    const released = tableFromRecords([
      { age: 34, town: "A", disease: "flu" },
      { age: 34, town: "B", disease: "cancer" },
      { age: 34, town: "B", disease: "cancer" },
      { age: 50, town: "A", disease: "asthma" },
    ]);
    const register = tableFromRecords([
      { name: "Ann", age: 34, town: "A" },
      { name: "Bob", age: 34, town: "B" },
      { name: "Cy", age: 70, town: "A" },
    ]);
    const { output } = linkageAttack({
      released,
      register,
      quasi: ["age", "town"],
      sensitive: "disease",
      nameColumn: "name",
      truth: { releasedSource: [0, 1, 2, 3], registerSource: [0, 2, null] },
    });
    expect(output.attempts[0]).toMatchObject({ name: "Ann", candidates: 1, reidentifiedRow: 0, correct: true, learnedSensitive: "flu" });
    // Bob has two candidates, but both have cancer: the homogeneity attack.
    expect(output.attempts[1]).toMatchObject({ name: "Bob", candidates: 2, reidentifiedRow: null, learnedSensitive: "cancer" });
    expect(output.attempts[2]).toMatchObject({ candidates: 0, learnedSensitive: null });
    expect(output.summary).toMatchObject({ registerPeople: 3, inRelease: 2, matched: 2, uniquelyMatched: 1, reidentified: 1, wronglyMatched: 0, sensitiveLearned: 2, sensitiveLearnedCorrectly: 2 });
  });

  it("on the customers: many re-identified with identifiers dropped, none after k-anonymity", () => {
    const { customers } = loadCustomerDataset();
    const table = customerTable(customers);
    const register = publicRegister(customers, { seed: 11 }).output;
    const hierarchies = customerHierarchies();
    const attack = (released: typeof table, releasedSource: number[]) =>
      linkageAttack({
        released,
        register: register.table,
        quasi: CUSTOMER_ROLES.quasi,
        sensitive: "spendBand",
        hierarchies,
        truth: { releasedSource, registerSource: register.customerIndex },
      }).output.summary;

    const dropped = attack(dropColumns(table, CUSTOMER_ROLES.direct), customers.map((_, i) => i));
    expect(dropped.inRelease).toBeGreaterThan(300);
    // Most customers are unique on (age, town): a third of the listed ones are named.
    expect(dropped.reidentified).toBeGreaterThan(100);
    expect(dropped.reidentified! / dropped.inRelease!).toBeGreaterThan(0.3);

    for (const algorithm of ["mondrian", "full-domain"] as const) {
      const k5 = anonymizeTable(table, { roles: CUSTOMER_ROLES, k: 5, l: 2, hierarchies, algorithm, maxSuppression: 0.05 });
      const after = attack(k5.output.table, k5.output.sourceRows);
      expect(after.uniquelyMatched).toBe(0);
      expect(after.reidentified).toBe(0);
      // Every class holds two spend bands at least: the band never leaks through homogeneity.
      expect(after.sensitiveLearned).toBe(0);
      expect(after.meanCandidates).toBeGreaterThanOrEqual(5);
    }

    // k-anonymity alone stops the re-identification but not the homogeneity attack.
    const kOnly = anonymizeTable(table, { roles: CUSTOMER_ROLES, k: 2, hierarchies });
    const homogeneous = attack(kOnly.output.table, kOnly.output.sourceRows);
    expect(homogeneous.reidentified).toBe(0);
    expect(homogeneous.sensitiveLearnedCorrectly).toBeGreaterThan(0);
  });

  it("builds a seeded register of customers and outsiders", () => {
    const { customers } = loadCustomerDataset();
    const a = publicRegister(customers, { share: 0.5, outsiders: 50, seed: 3 });
    const b = publicRegister(customers, { share: 0.5, outsiders: 50, seed: 3 });
    expect(a).toEqual(b);
    expect(a.output.table.columns).toEqual(["name", "age", "location"]);
    expect(a.output.customerIndex.filter((i) => i === null)).toHaveLength(50);
    expect(a.trace.customersListed).toBeGreaterThan(400);
    a.output.customerIndex.forEach((i, row) => {
      if (i !== null) expect(a.output.table.data.name[row]).toBe(customers[i].name);
    });
  });
});
