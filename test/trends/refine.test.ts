import { describe, expect, it } from "vitest";
import {
  accurateTrendsLoop,
  applyGroupThresholds,
  chooseGroupThresholds,
  findBiases,
  metricsByGroup,
  refineThresholds,
} from "../../src/trends";
import { expectInputError } from "../helpers/expectInputError";
import { simulateScores } from "./simulate";

describe("choosing a group threshold on validation rows", () => {
  // Team g's positives score .6 .45 .3 .2 (1 of 4 caught at 0.5); team h's .9 .8 .7 .1 (3 of 4).
  // Overall recall 4/8 = 0.5, so g needs 2 of 4: the highest threshold that catches 2 is 0.45.
  const validation = {
    labels: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
    probabilities: [0.6, 0.45, 0.3, 0.2, 0.9, 0.8, 0.7, 0.1, 0.4, 0.2],
    groups: { team: ["g", "g", "g", "g", "h", "h", "h", "h", "g", "h"] },
  };

  it("a hand-worked example: the highest threshold that reaches the overall recall", () => {
    const { output, trace } = chooseGroupThresholds({ validation, targets: [{ grouping: "team", group: "g" }, { grouping: "team", group: "h" }], minValidationPositives: 1 });
    expect(trace.target).toBe(0.5);
    const [g, h] = output.choices;
    expect(g).toMatchObject({ group: "g", recallBefore: 0.25, threshold: 0.45, recallAfter: 0.5, changed: true, previousThreshold: 0.5 });
    expect(h).toMatchObject({ group: "h", recallBefore: 0.75, threshold: 0.5, changed: false });
    expect(h.reason).toMatch(/already reaches the overall recall/);
    expect(output.thresholds).toEqual([{ grouping: "team", group: "g", threshold: 0.45 }]);
  });

  it("keeps a group with too few validation positives at its threshold", () => {
    const { output } = chooseGroupThresholds({ validation, targets: [{ grouping: "team", group: "g" }] });
    expect(output.choices[0].changed).toBe(false);
    expect(output.choices[0].reason).toMatch(/only 4 actual positives/);
  });

  it("a row in several groups with thresholds uses the lowest", () => {
    const { output } = applyGroupThresholds({
      probabilities: [0.42, 0.42, 0.42, 0.42],
      groups: { team: ["g", "g", "h", "h"], site: ["x", "y", "x", "y"] },
      thresholds: [
        { grouping: "team", group: "g", threshold: 0.45 },
        { grouping: "site", group: "x", threshold: 0.4 },
      ],
    });
    expect(output.rowThresholds).toEqual([0.4, 0.45, 0.4, 0.5]);
    expect(output.predictions).toEqual([1, 0, 1, 0]);
  });

  it("bad input is an InputError naming the field", () => {
    expectInputError(() => chooseGroupThresholds({ validation, targets: [{ grouping: "age", group: "g" }] }), "targets[0].grouping", /team/);
    expectInputError(() => chooseGroupThresholds({ validation: { ...validation, labels: validation.labels.slice(1) }, targets: [] }), "validation.probabilities", /9 numbers/);
    expectInputError(() => chooseGroupThresholds({ validation, targets: [], current: [{ grouping: "team", group: "g", threshold: 1 }] }), "current[0].threshold", /\(0, 1\)/);
    expectInputError(
      () => chooseGroupThresholds({ validation: { ...validation, labels: validation.labels.map(() => 0) }, targets: [] }),
      "validation.labels",
      /at least one positive/,
    );
  });
});

describe("threshold refinement on held-out data", () => {
  // The same model behaviour on three independent splits: C's buyers are under-scored.
  const validation = simulateScores({ seed: 21, rows: 2000, degraded: "C" });
  const test = simulateScores({ seed: 22, rows: 2000, degraded: "C" });

  it("raises the flagged group's recall on the test rows, leaving the other groups as they were", () => {
    const before = metricsByGroup(test).output;
    const findings = findBiases(before).output.findings;
    expect(findings.some((f) => f.group === "C" && f.metric === "recall" && f.gap < 0)).toBe(true);
    const { output, trace } = refineThresholds({ ...test, validation, findings });

    const c = output.perGroup.find((g) => g.group === "C")!;
    expect(c.targeted).toBe(true);
    expect(c.threshold).toBeLessThan(0.5);
    expect(c.after.recall!).toBeGreaterThan(c.before.recall! + 0.1);
    // The trade-off is reported, not hidden: more false alarms in C.
    expect(c.after.precision!).toBeLessThan(c.before.precision!);
    for (const g of output.perGroup.filter((row) => row.group !== "C")) {
      expect(g.threshold).toBeNull();
      expect(g.after).toEqual(g.before);
    }
    // On validation, where it was fitted, C reaches the overall recall.
    const choice = output.choices.find((ch) => ch.group === "C")!;
    expect(choice.recallAfter!).toBeGreaterThanOrEqual(choice.target);
    expect(choice.recallBefore!).toBeLessThan(choice.target);
    // And it is the highest threshold that does: the next higher C positive score falls short.
    const higher = validation.probabilities
      .filter((p, i) => validation.groups.segment[i] === "C" && validation.labels[i] === 1 && p > choice.threshold)
      .reduce((a, b) => Math.min(a, b), 1);
    const atHigher = metricsByGroup({ ...validation, rowThresholds: validation.groups.segment.map((s) => (s === "C" ? higher : 0.5)) }).output;
    expect(atHigher.groupings[0].groups.find((g) => g.group === "C")!.recall.value!).toBeLessThan(choice.target);
    // Predictions are the probabilities cut at each row's threshold.
    output.predictions.forEach((y, i) => expect(y).toBe(test.probabilities[i] >= output.rowThresholds[i] ? 1 : 0));
    expect(output.after.overall.recall.value!).toBeGreaterThan(output.before.overall.recall.value!);
    expect(trace.choice.reference).toMatch(/Hardt/);
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("refuses validation rows without the evaluated groupings", () => {
    expectInputError(
      () => refineThresholds({ ...test, validation: { ...validation, groups: { other: validation.groups.segment } }, findings: [] }),
      "validation.groups.segment",
      /same groupings/,
    );
  });
});

describe("the accurate-trends loop", () => {
  const validation = simulateScores({ seed: 31, rows: 2000, degraded: "C" });
  const test = simulateScores({ seed: 32, rows: 2000, degraded: "C" });

  it("analyses, flags, refines and re-analyses, a trace per round", () => {
    const { output, trace } = accurateTrendsLoop({ ...test, validation, rounds: 3 });
    expect(output.rounds.length).toBeGreaterThanOrEqual(1);
    expect(output.rounds.length).toBeLessThanOrEqual(3);
    expect(trace.rounds.map((r) => r.round)).toEqual(output.rounds.map((r) => r.round));
    const first = output.rounds[0];
    expect(first.findings.some((f) => f.group === "C" && f.metric === "recall" && f.gap < 0)).toBe(true);
    expect(first.refinement!.choices.find((c) => c.group === "C")!.changed).toBe(true);
    const recallOf = (m: typeof output.final.metrics) => m.groupings[0].groups.find((g) => g.group === "C")!.recall.value!;
    expect(recallOf(output.final.metrics)).toBeGreaterThan(recallOf(first.analysis) + 0.1);
    // C's threshold only ever goes down, round after round.
    const cThresholds = output.rounds.flatMap((r) => r.refinement?.thresholds.filter((t) => t.group === "C").map((t) => t.threshold) ?? []);
    cThresholds.slice(1).forEach((t, i) => expect(t).toBeLessThanOrEqual(cThresholds[i]));
    // The final analysis is of the final predictions.
    const again = metricsByGroup({ ...test, rowThresholds: output.rowThresholds }).output;
    expect(again).toEqual(output.final.metrics);
    // It stops early exactly when the last round changed nothing (nothing flagged, or no threshold to lower).
    const last = output.rounds[output.rounds.length - 1];
    expect(output.stoppedEarly).toBe(last.refinement === null || !last.refinement.choices.some((c) => c.changed));
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("stops in the first round when nothing is flagged", () => {
    // The first seed whose equal-distribution data findBiases leaves unflagged.
    let seed = 200;
    while (findBiases(metricsByGroup(simulateScores({ seed, rows: 2000 })).output).output.findings.length > 0) seed++;
    const same = simulateScores({ seed, rows: 2000 });
    const { output, trace } = accurateTrendsLoop({ ...same, validation: simulateScores({ seed: seed + 1000, rows: 2000 }), rounds: 3 });
    expect(output.rounds).toHaveLength(1);
    expect(output.rounds[0].refinement).toBeNull();
    expect(output.stoppedEarly).toBe(true);
    expect(output.stoppedBecause).toMatch(/no group flagged in round 1/);
    expect(output.thresholds).toEqual([]);
    expect(output.predictions).toEqual(same.probabilities.map((p) => (p >= 0.5 ? 1 : 0)));
    expect(trace.rounds[0].summary).toMatch(/nothing flagged/);
  });

  it("stops when the flagged group needs no lower threshold (a precision bias, not a recall one)", () => {
    // C's non-buyers are over-scored: its precision drops, its recall does not.
    const falseAlarms = simulateScores({ seed: 41, rows: 2000, degraded: "C", shift: 0, negativeShift: 2 });
    const falseAlarmsValidation = simulateScores({ seed: 42, rows: 2000, degraded: "C", shift: 0, negativeShift: 2 });
    const { output } = accurateTrendsLoop({ ...falseAlarms, validation: falseAlarmsValidation, rounds: 3 });
    expect(output.rounds[0].findings.some((f) => f.group === "C" && f.metric === "precision" && f.gap < 0)).toBe(true);
    expect(output.stoppedEarly).toBe(true);
    expect(output.stoppedBecause).toMatch(/changed no threshold \(no group was flagged for a recall below the rest\)/);
    expect(output.thresholds).toEqual([]);
    const left = output.rounds[0].refinement!.notAddressed.find((g) => g.group === "C")!;
    expect(left.metrics).toContain("precision");
    expect(left.reason).toMatch(/does not address/);
  });

  it("bad input is an InputError", () => {
    expectInputError(() => accurateTrendsLoop({ ...test, validation, rounds: 0 }), "rounds", /\[1, 50\]/);
    expectInputError(() => accurateTrendsLoop({ ...test, validation, baseThreshold: 1.2 }), "baseThreshold", /\(0, 1\)/);
    expectInputError(() => accurateTrendsLoop({ ...test, validation: { ...validation, labels: validation.labels.slice(1) } }), "validation.probabilities", /1999 numbers/);
    expectInputError(() => accurateTrendsLoop({ ...test, validation: { ...validation, groups: { segment: ["A"] } } }), "validation.groups.segment", /2000 group keys/);
  });
});
