import { describe, expect, it } from "vitest";
import {
  checkKAnonymity,
  checkLDiversity,
  checkTCloseness,
  distinctL,
  entropy,
  entropyL,
  equalDistanceEmd,
  orderedDistanceEmd,
  recursiveL,
  tableFromRecords,
} from "../../src/anonymity";
import { InputError } from "../../src/validation/errors";

// Li, Li, Venkatasubramanian 2007, Table 1 (the original patient table) and Table 4 (its
// 0.167-closeness version with respect to salary).
const salaries = [3, 4, 5, 6, 11, 8, 7, 9, 10]; // K, rows 1–9 of Table 1
const diseases = ["gastric ulcer", "gastritis", "stomach cancer", "gastritis", "flu", "bronchitis", "bronchitis", "pneumonia", "stomach cancer"];
const table4 = tableFromRecords(
  [
    ["4767*", "<=40"], // 1
    ["4760*", "<=40"], // 2
    ["4767*", "<=40"], // 3
    ["4790*", ">=40"], // 4
    ["4790*", ">=40"], // 5
    ["4790*", ">=40"], // 6
    ["4760*", "<=40"], // 7
    ["4767*", "<=40"], // 8
    ["4760*", "<=40"], // 9
  ].map(([zip, age], i) => ({ zip, age, salary: salaries[i], disease: diseases[i] })),
);
const quasi = ["zip", "age"];

describe("k-anonymity", () => {
  it("is the size of the smallest equivalence class", () => {
    const check = checkKAnonymity(table4, { quasi, k: 3 });
    expect(check.satisfied).toBe(true);
    expect(check.achieved).toBe(3);
    expect(check.classes.map((c) => c.size)).toEqual([3, 3, 3]);
    expect(check.worstClass?.size).toBe(3);
    expect(checkKAnonymity(table4, { quasi, k: 4 })).toMatchObject({ satisfied: false, violating: { classes: 3, records: 9 } });
  });

  it("finds the unique row of a table by hand", () => {
    const t = tableFromRecords([
      { age: 30, town: "A" },
      { age: 30, town: "A" },
      { age: 31, town: "A" },
      { age: 30, town: "B" },
      { age: 30, town: "B" },
    ]);
    const check = checkKAnonymity(t, { quasi: ["age", "town"], k: 2 });
    expect(check.achieved).toBe(1);
    expect(check.worstClass).toMatchObject({ key: { age: 31, town: "A" }, size: 1 });
    expect(check.violating).toEqual({ classes: 1, records: 1 });
  });

  it("names the bad field", () => {
    expect(() => checkKAnonymity(table4, { quasi, k: 0 })).toThrow(InputError);
    expect(() => checkKAnonymity(table4, { quasi: ["zip", "nope"], k: 2 })).toThrow(/quasi must be one of the table's columns/);
  });
});

describe("l-diversity, worked by hand", () => {
  // Counts 3, 1, 1 (five rows, three values).
  const counts = [3, 1, 1];

  it("distinct l counts the values", () => {
    expect(distinctL(counts)).toBe(3);
    expect(distinctL([0, 4, 0])).toBe(1);
  });

  it("entropy l is exp(−Σ p ln p)", () => {
    const h = -(0.6 * Math.log(0.6) + 2 * 0.2 * Math.log(0.2));
    expect(entropy(counts)).toBeCloseTo(h, 12);
    expect(entropyL(counts)).toBeCloseTo(2.58642, 4);
    expect(entropyL([2, 2])).toBeCloseTo(2, 12);
    expect(entropyL([5])).toBe(1);
  });

  it("recursive (c, l): r1 < c (r_l + … + r_m)", () => {
    // l = 2: 3 < c·2 holds for c = 2 and 3; l = 3: 3 < c·1 holds only for c = 4.
    expect(recursiveL(counts, 2)).toBe(2);
    expect(recursiveL(counts, 3)).toBe(2);
    expect(recursiveL(counts, 4)).toBe(3);
    expect(recursiveL([4], 1)).toBe(0); // 4 < 1·4 fails even for l = 1
  });

  it("checks a table class by class", () => {
    const t = tableFromRecords([
      { age: "2*", disease: "flu" },
      { age: "2*", disease: "flu" },
      { age: "2*", disease: "flu" },
      { age: "2*", disease: "cancer" },
      { age: "2*", disease: "asthma" },
      { age: "3*", disease: "flu" },
      { age: "3*", disease: "flu" },
    ]);
    const distinct = checkLDiversity(t, { quasi: ["age"], sensitive: "disease", l: 2 });
    expect(distinct.satisfied).toBe(false);
    expect(distinct.achieved).toBe(1);
    expect(distinct.worstClass).toMatchObject({ key: { age: "3*" }, value: 1 });
    expect(distinct.classes.map((c) => c.value)).toEqual([3, 1]);
    const entropyCheck = checkLDiversity(t, { quasi: ["age"], sensitive: "disease", l: 1, variant: "entropy" });
    expect(entropyCheck.classes[0].value).toBeCloseTo(2.58642, 4);
    const recursive = checkLDiversity(t, { quasi: ["age"], sensitive: "disease", l: 2, variant: "recursive", c: 2 });
    expect(recursive.classes.map((c) => c.value)).toEqual([2, 1]); // one value: 2 < 2·2 meets l = 1 only
    expect(recursive.parameter).toEqual({ name: "l", required: 2, c: 2 });
  });

  it("Li et al.'s Table 4 is 3-diverse in salary (every salary differs)", () => {
    expect(checkLDiversity(table4, { quasi, sensitive: "salary", l: 3 }).satisfied).toBe(true);
    expect(checkLDiversity(table4, { quasi, sensitive: "salary", l: 3, variant: "entropy" }).achieved).toBeCloseTo(3, 12);
  });
});

describe("t-closeness, Li, Li, Venkatasubramanian 2007", () => {
  const whole = Array(9).fill(1); // salaries 3K … 11K, one each
  const at = (...positions: number[]) => whole.map((_, i) => (positions.includes(i) ? 1 : 0));

  it("ordered distance: {3K, 4K, 5K} is 0.375 and {6K, 8K, 11K} is 0.167 from the whole table", () => {
    expect(orderedDistanceEmd(at(0, 1, 2), whole)).toBeCloseTo(0.375, 12);
    expect(orderedDistanceEmd(at(3, 5, 8), whole)).toBeCloseTo(1 / 6, 12);
  });

  it("Table 4 has 0.167-closeness with respect to salary", () => {
    const check = checkTCloseness(table4, { quasi, sensitive: "salary", t: 0.167 });
    expect(check.model).toBe("t-closeness (ordered distance)");
    expect(check.achieved).toBeCloseTo(1 / 6, 12);
    expect(check.satisfied).toBe(true);
    // Classes {3K, 5K, 9K} and {6K, 11K, 8K} are 1/6 away, {4K, 7K, 10K} 1/12.
    expect(check.classes.map((c) => c.value)).toEqual([expect.closeTo(1 / 6, 12), expect.closeTo(1 / 12, 12), expect.closeTo(1 / 6, 12)]);
    expect(checkTCloseness(table4, { quasi, sensitive: "salary", t: 0.1 }).satisfied).toBe(false);
  });

  it("equal distance is half the total variation", () => {
    // Class {gastric ulcer, gastritis, stomach cancer} against the 9 diseases of Table 1.
    const q = [1, 2, 2, 1, 2, 1]; // gastric ulcer, gastritis, stomach cancer, flu, bronchitis, pneumonia
    const p = [1, 1, 1, 0, 0, 0];
    expect(equalDistanceEmd(p, q)).toBeCloseTo(4 / 9, 12);
    expect(equalDistanceEmd(q, q)).toBe(0);
    expect(equalDistanceEmd([1, 0], [0, 1])).toBe(1);
  });

  it("uses equal distance for text columns by default", () => {
    const check = checkTCloseness(table4, { quasi, sensitive: "disease", t: 1 });
    expect(check.model).toBe("t-closeness (equal distance)");
    // Class 1 is rows 1, 3, 8: gastric ulcer, stomach cancer, pneumonia.
    const q = { bronchitis: 2, flu: 1, "gastric ulcer": 1, gastritis: 2, pneumonia: 1, "stomach cancer": 2 };
    const p = { bronchitis: 0, flu: 0, "gastric ulcer": 1, gastritis: 0, pneumonia: 1, "stomach cancer": 1 };
    const expected = Object.keys(q).reduce((s, v) => s + Math.abs(p[v as keyof typeof p] / 3 - q[v as keyof typeof q] / 9), 0) / 2;
    expect(check.classes[0].value).toBeCloseTo(expected, 12);
  });

  it("rejects t outside [0, 1] and mismatched distributions", () => {
    expect(() => checkTCloseness(table4, { quasi, sensitive: "salary", t: 1.5 })).toThrow(/t must be a number in \[0, 1\]/);
    expect(() => orderedDistanceEmd([1, 2], [1, 2, 3])).toThrow(InputError);
    expect(() => equalDistanceEmd([0, 0], [1, 1])).toThrow(InputError);
  });
});
