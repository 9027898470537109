import { describe, expect, it } from "vitest";
import {
  autoIntervalHierarchy,
  cellLabel,
  customerHierarchies,
  hierarchiesFromJson,
  hierarchyHeight,
  intervalHierarchy,
  midpoint,
  treeHierarchy,
} from "../../src/anonymity";
import { compileTree, coverMatcher, intervalCell, leafOf, lowestCommonAncestor } from "../../src/anonymity/hierarchy";
import { encodeQuasi } from "../../src/anonymity/encode";
import { TOWNS } from "../../src/data/schema";
import { InputError } from "../../src/validation/errors";

const places = treeHierarchy([
  ["Boston", "MA", "East", "*"],
  ["Worcester", "MA", "East", "*"],
  ["Albany", "NY", "East", "*"],
  ["Austin", "TX", "South", "*"],
]);

describe("interval hierarchies", () => {
  const age = intervalHierarchy({ widths: [5, 10, 20], min: 0, max: 120 });

  it("widen level by level: value, 5, 10, 20 years, *", () => {
    expect(hierarchyHeight(age)).toBe(4);
    expect([0, 1, 2, 3, 4].map((level) => cellLabel(intervalCell(age, level, 37)))).toEqual([37, "[35, 40)", "[30, 40)", "[20, 40)", "*"]);
  });

  it("must nest: each width a multiple of the one before", () => {
    expect(() => intervalHierarchy({ widths: [5, 12], min: 0, max: 120 })).toThrow(/widths\[1\] must be a multiple \(> 1\) of 5/);
    expect(() => intervalHierarchy({ widths: [5], min: 10, max: 0 })).toThrow(InputError);
  });

  it("a value outside the covered range is an error, not a silent *", () => {
    const table = { columns: ["age"], data: { age: [30, 130] } };
    expect(() => encodeQuasi(table, ["age"], { age })).toThrow(/age \(row 2\) must be a value the hierarchy covers, in \[0, 120\]; got 130/);
  });

  it("are built automatically for numbers: nice widths, useless levels dropped", () => {
    const auto = autoIntervalHierarchy([18, 25, 64, 40]);
    expect(auto).toEqual({ kind: "intervals", min: 18, max: 64, origin: 18, widths: [2, 4, 8, 16, 32] });
    expect(autoIntervalHierarchy([0, 1, 1, 0]).widths).toEqual([]); // 0/1: value → *
  });
});

describe("tree hierarchies", () => {
  const tree = compileTree(places, "places");

  it("number leaves depth-first so each node covers a range", () => {
    expect(tree.height).toBe(3);
    const ma = tree.nodeByLabel.get("MA") as number;
    expect(tree.leafEnd[ma] - tree.leafStart[ma]).toBe(2);
    expect(tree.labels[lowestCommonAncestor(tree, 0, 1)]).toBe("MA");
    expect(tree.labels[lowestCommonAncestor(tree, 0, 2)]).toBe("East");
    expect(tree.labels[lowestCommonAncestor(tree, 1, 3)]).toBe("*");
  });

  it("reject a value they do not list, naming it", () => {
    expect(() => leafOf(tree, "Paris", "city")).toThrow(/city must be a value its hierarchy lists as a leaf .*got "Paris"/);
  });

  it("reject malformed rows", () => {
    expect(() => treeHierarchy([["a", "*"], ["b", "x", "*"]])).toThrow(/rows\[1\] must be a row of 2 labels/);
    expect(() => treeHierarchy([["a", "*"], ["b", "any"]])).toThrow(/same top/);
    expect(() => treeHierarchy([["a", "p", "*"], ["b", "q", "*"], ["a", "q", "*"]])).toThrow(/one row per leaf/);
    expect(() => treeHierarchy([["a", "p", "*"], ["p", "q", "*"]])).toThrow(/appears in two places/);
  });

  it("match released cells the way an attacker does", () => {
    expect(coverMatcher("East", tree)("Albany")).toBe(true);
    expect(coverMatcher("East", tree)("Austin")).toBe(false);
    expect(coverMatcher("*", tree)("anything")).toBe(true);
    expect(coverMatcher("[30, 40)")(39)).toBe(true);
    expect(coverMatcher("[30, 40)")(40)).toBe(false);
    expect(coverMatcher("[30, 40]")(40)).toBe(true);
    expect(coverMatcher(34)(34)).toBe(true);
    expect(coverMatcher("34")(34)).toBe(true);
  });

  it("the customer table's: town → category → *", () => {
    const h = customerHierarchies();
    const location = compileTree(h.location as never, "location");
    expect(location.leafNodes.length).toBe(TOWNS.length);
    const town = TOWNS[0];
    const leaf = leafOf(location, town.name, "location");
    expect(location.labels[location.ancestorAtLevel[1][leaf]]).toBe(town.category);
  });
});

describe("hierarchies from JSON", () => {
  it("reads ARX-style rows and interval specs", () => {
    const json = { city: [["Boston", "MA", "*"], ["Austin", "TX", "*"]], age: { widths: [10, 20], min: 0, max: 100 } };
    const h = hierarchiesFromJson(json);
    expect(h.city).toEqual({ kind: "tree", rows: json.city });
    expect(h.age).toEqual({ kind: "intervals", widths: [10, 20], origin: 0, min: 0, max: 100 });
  });

  it("names the column of a bad hierarchy", () => {
    expect(() => hierarchiesFromJson({ age: { widths: [10, 15], min: 0, max: 100 } })).toThrow(/hierarchies.age.widths\[1\]/);
    expect(() => hierarchiesFromJson({ city: "flat" })).toThrow(/hierarchies.city/);
    expect(() => hierarchiesFromJson([1, 2])).toThrow(InputError);
  });
});

describe("released cells", () => {
  it("have midpoints for a model to learn from", () => {
    expect(midpoint("[20, 30)")).toBe(25);
    expect(midpoint("[20, 29]")).toBe(24.5);
    expect(midpoint(41)).toBe(41);
    expect(midpoint("*")).toBeNull();
    expect(midpoint("city")).toBeNull();
  });
});
