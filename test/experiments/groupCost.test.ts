import { beforeAll, describe, expect, it } from "vitest";
import { groupCostOfPrivacy, type GroupCostRow, type GroupCostTrace } from "../../src/experiments/groupCost";
import { groupCostView } from "../../src/render/views";
import { useBackend } from "../../src/runtime/tensorflow";
import { expectInputErrorAsync } from "../helpers/expectInputError";

let result: { output: GroupCostRow[]; trace: GroupCostTrace };

beforeAll(async () => {
  await useBackend();
  result = await groupCostOfPrivacy({ epsilon: 0.5, seeds: [3, 4], resamples: 300 });
});

describe("what privacy costs each group", () => {
  it("splits the test and training people into the town categories, smallest first", () => {
    const { output, trace } = result;
    expect(output.map((r) => r.group).sort()).toEqual(["city", "metro", "rural", "town"]);
    expect(output.reduce((s, r) => s + r.testPeople, 0)).toBe(trace.testPeople);
    expect(output.reduce((s, r) => s + r.trainPeople, 0)).toBe(trace.trainPeople);
    expect(output.map((r) => r.trainPeople)).toEqual([...output.map((r) => r.trainPeople)].sort((a, b) => a - b));
    expect(trace.seeds).toEqual([3, 4]);
  });

  it("reports each drop as the accuracy without privacy minus with it, inside its interval, and the groups add up to the whole", () => {
    const { output, trace } = result;
    for (const r of output) {
      expect(r.drop).toBeCloseTo(r.nonPrivateAccuracy - r.privateAccuracy, 12);
      expect(r.interval.low).toBeLessThanOrEqual(r.drop);
      expect(r.interval.high).toBeGreaterThanOrEqual(r.drop);
      // The combined interval is at least as wide as each of its parts on either side.
      expect(r.interval.low).toBeLessThanOrEqual(r.testPeopleInterval.low + 1e-12);
      expect(r.interval.high).toBeGreaterThanOrEqual(r.testPeopleInterval.high - 1e-12);
      expect(r.drop - r.interval.low).toBeGreaterThanOrEqual(r.drop - r.seedInterval.low - 1e-12);
      for (const a of [r.privateAccuracy, r.nonPrivateAccuracy]) expect(a).toBeGreaterThanOrEqual(0), expect(a).toBeLessThanOrEqual(1);
    }
    const weighted = (pick: (r: GroupCostRow) => number) => output.reduce((s, r) => s + r.testPeople * pick(r), 0) / trace.testPeople;
    expect(weighted((r) => r.privateAccuracy)).toBeCloseTo(trace.overall.privateAccuracy, 12);
    expect(weighted((r) => r.nonPrivateAccuracy)).toBeCloseTo(trace.overall.nonPrivateAccuracy, 12);
  });

  it("gives the same numbers on every run, and groups by age band on request", async () => {
    expect(await groupCostOfPrivacy({ epsilon: 0.5, seeds: [3, 4], resamples: 300 })).toEqual(result);
    const byAge = await groupCostOfPrivacy({ epsilon: 0.5, seeds: [3], groupBy: "ageBand", resamples: 100, trainSize: 200 });
    expect(byAge.trace.trainPeople).toBe(200);
    expect(byAge.output.every((r) => /^\d+(–\d+|\+)$/.test(r.group))).toBe(true);
    expect(byAge.output.reduce((s, r) => s + r.trainPeople, 0)).toBe(200);
  });

  it("shows the table with each interval and says how it was measured", () => {
    const view = groupCostView(result).toMimeBundle();
    const html = String(view["text/html"]);
    for (const r of result.output) expect(html).toContain(`[${(100 * r.interval.low).toFixed(1)}, ${(100 * r.interval.high).toFixed(1)}]`);
    expect(html).toContain("bootstrap over the group");
    expect(String(view["text/plain"])).toContain("rural");
  });

  it("rejects options it cannot honour, naming the field", async () => {
    await expectInputErrorAsync(() => groupCostOfPrivacy({ epsilon: 0 }), "epsilon");
    await expectInputErrorAsync(() => groupCostOfPrivacy({ epsilon: Infinity }), "epsilon");
    await expectInputErrorAsync(() => groupCostOfPrivacy({ epsilon: 1, delta: 1 }), "delta");
    await expectInputErrorAsync(() => groupCostOfPrivacy({ epsilon: 1, seeds: [] }), "seeds");
    await expectInputErrorAsync(() => groupCostOfPrivacy({ epsilon: 1, seeds: [1.5] }), "seeds[0]");
    await expectInputErrorAsync(() => groupCostOfPrivacy({ epsilon: 1, groupBy: "town" as never }), "groupBy");
    await expectInputErrorAsync(() => groupCostOfPrivacy({ epsilon: 1, resamples: 10 }), "resamples");
  });
});
