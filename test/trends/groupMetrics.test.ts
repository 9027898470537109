import { describe, expect, it } from "vitest";
import { customerTable } from "../../src/anonymity/customers";
import { selectRows } from "../../src/anonymity/table";
import { loadCustomerDataset } from "../../src/data/datasets";
import { LOCATION_CATEGORIES, ageBandIndex, ageBandLabels, findTown } from "../../src/data/schema";
import { classificationMetrics } from "../../src/evaluation/metrics";
import {
  AGE_BAND_LABELS,
  ageBandKey,
  customerGroups,
  groupBy,
  locationCategoryKey,
  metricsByGroup,
  orderGroupKeys,
  wilsonInterval,
} from "../../src/trends";
import { expectInputError } from "../helpers/expectInputError";

// Eight rows worked out by hand (threshold 0.5):
//   team a: labels 1 1 0 0, probabilities .9 .2 .6 .1 → predictions 1 0 1 0: TP 1, FN 1, FP 1, TN 1
//   team b: labels 1 0 0 0, probabilities .4 .3 .2 .1 → predictions 0 0 0 0: TP 0, FN 1, FP 0, TN 3
//   overall: TP 1, FP 1, TN 4, FN 2
// Second grouping "shift": rows 2 and 3 (both label 0) are "night", the rest "day".
const tiny = {
  labels: [1, 1, 0, 0, 1, 0, 0, 0],
  probabilities: [0.9, 0.2, 0.6, 0.1, 0.4, 0.3, 0.2, 0.1],
  groups: {
    team: ["a", "a", "a", "a", "b", "b", "b", "b"],
    shift: ["day", "day", "night", "night", "day", "day", "day", "day"],
  },
};

describe("metricsByGroup on a tiny table worked out by hand", () => {
  const { output, trace } = metricsByGroup(tiny);
  const team = output.groupings.find((g) => g.name === "team")!;
  const [a, b] = team.groups;

  it("overall counts and metrics", () => {
    expect(output.threshold).toBe(0.5);
    expect(output.overall).toMatchObject({ n: 8, positives: 3, predictedPositives: 2 });
    expect(output.overall.confusion).toEqual({ truePositives: 1, falsePositives: 1, trueNegatives: 4, falseNegatives: 2 });
    expect(output.overall.accuracy).toMatchObject({ value: 5 / 8, successes: 5, trials: 8 });
    expect(output.overall.precision).toMatchObject({ value: 1 / 2, successes: 1, trials: 2 });
    expect(output.overall.recall).toMatchObject({ value: 1 / 3, successes: 1, trials: 3 });
    // The same numbers as the course's metrics module.
    const reference = classificationMetrics(tiny.labels, tiny.probabilities);
    expect(output.overall.accuracy.value).toBe(reference.accuracy);
    expect(output.overall.recall.value).toBe(reference.recall);
  });

  it("per group: n, positives, metrics, Wilson intervals and gaps", () => {
    expect(team.groups.map((g) => g.group)).toEqual(["a", "b"]);
    expect(a).toMatchObject({ grouping: "team", group: "a", n: 4, positives: 2, predictedPositives: 2 });
    expect([a.accuracy.value, a.precision.value, a.recall.value]).toEqual([0.5, 0.5, 0.5]);
    expect(a.accuracy.interval).toEqual(wilsonInterval(2, 4));
    expect(a.gap.accuracy).toBeCloseTo(0.5 - 5 / 8, 12);
    expect(a.gap.precision).toBeCloseTo(0, 12);
    expect(a.gap.recall).toBeCloseTo(0.5 - 1 / 3, 12);

    expect(b).toMatchObject({ n: 4, positives: 1, predictedPositives: 0 });
    expect(b.accuracy.value).toBe(0.75);
    expect(b.recall).toMatchObject({ value: 0, successes: 0, trials: 1 });
    expect(b.gap.recall).toBeCloseTo(-1 / 3, 12);
    expect(b.gap.accuracy).toBeCloseTo(0.75 - 5 / 8, 12);
  });

  it("undefined precision and recall are null with the reason, never NaN", () => {
    expect(b.precision).toMatchObject({ value: null, trials: 0, interval: null });
    expect(b.precision.undefinedReason).toMatch(/no row is predicted positive/);
    expect(b.gap.precision).toBeNull();
    const night = output.groupings.find((g) => g.name === "shift")!.groups.find((g) => g.group === "night")!;
    expect(night.recall.value).toBeNull();
    expect(night.recall.undefinedReason).toMatch(/no row is an actual positive/);
    expect(night.precision.value).toBe(0); // one false positive (row 2)
    // NaN would not survive a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(output))).toEqual(output);
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
    expect(trace.definitions.recall).toMatch(/TP \/ \(TP \+ FN\)/);
    expect(trace.groupings).toEqual([
      { name: "team", groups: 2, smallest: { group: "a", n: 4 } },
      { name: "shift", groups: 2, smallest: { group: "night", n: 2 } },
    ]);
  });

  it("a lower threshold, and per-row thresholds, change the decisions", () => {
    const lower = metricsByGroup({ ...tiny, threshold: 0.35 }).output;
    // Row 4 (label 1, p .4) is now caught: team b's recall 1/1 and precision 1/1.
    const b35 = lower.groupings[0].groups[1];
    expect([b35.recall.value, b35.precision.value]).toEqual([1, 1]);
    // Per-row thresholds: only team b's rows at 0.35 gives team b the same numbers, team a unchanged.
    const perRow = metricsByGroup({ ...tiny, rowThresholds: tiny.groups.team.map((t) => (t === "b" ? 0.35 : 0.5)) }).output;
    expect(perRow.threshold).toBe("per row");
    expect(perRow.groupings[0].groups[1].recall).toEqual(b35.recall);
    expect(perRow.groupings[0].groups[0].accuracy).toEqual(a.accuracy);
  });

  it("bad input is an InputError naming the field", () => {
    expectInputError(() => metricsByGroup({ ...tiny, labels: [2, ...tiny.labels.slice(1)] }), "labels[0]", /0 or 1/);
    expectInputError(() => metricsByGroup({ ...tiny, probabilities: tiny.probabilities.slice(1) }), "probabilities", /8 numbers/);
    expectInputError(() => metricsByGroup({ ...tiny, probabilities: [1.5, ...tiny.probabilities.slice(1)] }), "probabilities[0]", /\[0, 1\]/);
    expectInputError(() => metricsByGroup({ ...tiny, groups: { team: tiny.groups.team.slice(1) } }), "groups.team", /8 group keys/);
    expectInputError(() => metricsByGroup({ ...tiny, groups: {} }), "groups", /at least one grouping/);
    expectInputError(() => metricsByGroup({ ...tiny, threshold: 1 }), "threshold", /\(0, 1\)/);
    expectInputError(() => metricsByGroup({ ...tiny, threshold: 0 }), "threshold", /\(0, 1\)/);
    expectInputError(() => metricsByGroup({ ...tiny, rowThresholds: [0.5] }), "rowThresholds", /8 thresholds/);
  });
});

describe("Wilson score intervals", () => {
  it("match the published values (Newcombe 1998, Stat Med 17:857, Table I, method 3)", () => {
    const published: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
      [29, 29, 0.883, 1],
      [0, 1, 0, 0.7935],
      [1, 1, 0.2065, 1],
    ];
    for (const [x, n, low, high] of published) {
      const interval = wilsonInterval(x, n)!;
      expect(interval.low).toBeCloseTo(low, 4);
      expect(interval.high).toBeCloseTo(high, 4);
    }
  });

  it("contains the estimate, narrows with more trials, and is null without trials", () => {
    const small = wilsonInterval(6, 10)!;
    const large = wilsonInterval(600, 1000)!;
    expect(small.low).toBeLessThan(0.6);
    expect(small.high).toBeGreaterThan(0.6);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    expect(wilsonInterval(0, 0)).toBeNull();
    expectInputError(() => wilsonInterval(5, 4), "successes", /\[0, 4\]/);
  });
});

describe("group keys of the customer table", () => {
  const { customers, split } = loadCustomerDataset();
  const test = selectRows(customerTable(customers), split.test);

  it("age band and location category for every row, in reading order", () => {
    const { output, trace } = customerGroups(test);
    expect(output.ageBand).toHaveLength(split.test.length);
    split.test.forEach((row, i) => {
      expect(output.ageBand[i]).toBe(ageBandLabels()[ageBandIndex(customers[row].age)]);
      expect(output.locationCategory[i]).toBe(findTown(customers[row].location)!.category);
    });
    const location = trace.groupings.find((g) => g.name === "locationCategory")!;
    expect(Object.keys(location.sizes)).toEqual(LOCATION_CATEGORIES.filter((c) => output.locationCategory.includes(c)));
    expect(Object.values(location.sizes).reduce((s, v) => s + v, 0)).toBe(split.test.length);
  });

  it("groupBy partitions the rows; a missing column is an InputError", () => {
    const { output } = groupBy(test, "spendBand");
    expect(output.groups.flatMap((g) => g.rows).sort((x, y) => x - y)).toEqual(split.test.map((_, i) => i));
    output.groups.forEach((g) => g.rows.forEach((i) => expect(output.keys[i]).toBe(g.key)));
    expectInputError(() => groupBy(test, "income"), "column", /one of the table's columns/);
  });

  it("generalised cells map to a group only when they fit one", () => {
    expect(ageBandKey(40)).toBe("35–44");
    expect(ageBandKey("[20, 24]")).toBe("18–24");
    expect(ageBandKey("[20, 25)")).toBe("18–24");
    expectInputError(() => ageBandKey("[20, 29]", 3), "age[3]", /inside one age band/);
    expectInputError(() => ageBandKey("*"), "age[0]");
    expect(locationCategoryKey("metro")).toBe("metro");
    expectInputError(() => locationCategoryKey("Atlantis", 7), "location[7]", /rural, town, city, metro/);
    expect(orderGroupKeys(["65+", "18–24", "0–17"])).toEqual(["0–17", "18–24", "65+"]);
    expect(orderGroupKeys(["metro", "rural", "city"])).toEqual(["rural", "city", "metro"]);
    expect(orderGroupKeys(["10", "9", "x"])).toEqual(["9", "10", "x"]);
    expect(AGE_BAND_LABELS[0]).toBe("0–17");
  });
});
