import { describe, expect, it } from "vitest";
import { customerTable } from "../../src/anonymity/customers";
import { generateCustomers } from "../../src/data/generateCustomers";
import { ALL_ROWS, groupMetricsFigure, trainingSetsFigure } from "../../src/render/charts/trends";
import { biasesView, groupMetricsView, trainingSetsView } from "../../src/render/trendsViews";
import { compareTrainingSets, findBiases, metricsByGroup } from "../../src/trends";
import { expectInputError } from "../helpers/expectInputError";
import { simulateScores } from "../trends/simulate";

const html = (view: { toMimeBundle(): Record<string, unknown> }) => view.toMimeBundle()["text/html"] as string;
type ErrorBars = { array: (number | null)[]; arrayminus: (number | null)[] };

/** Two groupings; in segment "D" nothing is predicted positive, so its precision is undefined. */
function report(): ReturnType<typeof metricsByGroup> {
  const simulated = simulateScores({ seed: 11, rows: 400, segments: ["A", "B", "C"] });
  const labels = [...simulated.labels, 1, 0, 1];
  const probabilities = [...simulated.probabilities, 0.1, 0.2, 0.3];
  const segment = [...simulated.groups.segment, "D", "D", "D"];
  const half = segment.map((_, i) => (i % 2 === 0 ? "even <rows>" : "odd"));
  return metricsByGroup({ labels, probabilities, groups: { segment, half } });
}

describe("groupMetricsFigure", () => {
  const { output: metrics, trace } = report();

  it("draws a bar per metric per grouping, all rows first, with the Wilson intervals as error bars", () => {
    const figure = groupMetricsFigure(metrics);
    expect(figure.data).toHaveLength(2 * 3);
    expect(figure.data.map((t) => [t.name, t.xaxis])).toEqual([
      ["accuracy", "x"],
      ["precision", "x"],
      ["recall", "x"],
      ["accuracy", "x2"],
      ["precision", "x2"],
      ["recall", "x2"],
    ]);
    const [accuracy, precision] = figure.data;
    expect(accuracy.x).toEqual([ALL_ROWS, "A", "B", "C", "D"]);
    expect(figure.data[3].x).toEqual([ALL_ROWS, "even <rows>", "odd"]);
    const groups = metrics.groupings[0].groups;
    expect(accuracy.y).toEqual([metrics.overall.accuracy.value, ...groups.map((g) => g.accuracy.value)]);
    const bars = accuracy.error_y as ErrorBars;
    groups.forEach((g, i) => {
      expect(bars.array[i + 1]).toBeCloseTo(g.accuracy.interval!.high - g.accuracy.value!, 12);
      expect(bars.arrayminus[i + 1]).toBeCloseTo(g.accuracy.value! - g.accuracy.interval!.low, 12);
    });
    // Undefined precision: no bar, no error bar, and the reason on hover.
    expect((precision.y as (number | null)[])[4]).toBeNull();
    expect((precision.error_y as ErrorBars).array[4]).toBeNull();
    expect((precision.hovertext as string[])[4]).toContain("no row is predicted positive");
    expect(figure.data.map((t) => t.showlegend)).toEqual([true, true, true, false, false, false]);
    expect(figure.layout.barmode).toBe("group");
  });

  it("draws only the groupings and metrics asked for", () => {
    const figure = groupMetricsFigure(metrics, { groupings: ["half"], metrics: ["recall"] });
    expect(figure.data.map((t) => t.name)).toEqual(["recall"]);
    expect(figure.data[0].x).toEqual([ALL_ROWS, "even <rows>", "odd"]);
    expect(figure.layout.grid).toBeUndefined();
    expectInputError(() => groupMetricsFigure(metrics, { groupings: ["ageBand"] }), "groupings");
  });

  it("tables every group and escapes group names", () => {
    const page = html(groupMetricsView(metrics, trace));
    expect(page).toContain(`<p><strong>${trace.summary}</strong></p>`);
    expect(page).toContain("<td>even &lt;rows&gt;</td>");
    expect(page).not.toContain("<td>even <rows>");
    expect(page.match(/<tr><td>segment<\/td>/g)).toHaveLength(4);
  });
});

describe("biasesView", () => {
  it("shows the findings in numbers and in words, and says when there are none", () => {
    const planted = simulateScores({ seed: 1, rows: 2000, degraded: "C" });
    const found = findBiases(metricsByGroup(planted).output);
    expect(found.output.findings.length).toBeGreaterThan(0);
    const page = html(biasesView(found.output, found.trace));
    expect(page).toContain(found.trace.summary.replace(/"/g, "&quot;"));
    for (const f of found.output.findings) expect(page).toContain(`<li>${f.sentence.replace(/"/g, "&quot;")}</li>`);
    expect(page).toContain("Groups the model serves differently");

    const even = findBiases(metricsByGroup(simulateScores({ seed: 2, rows: 300 })).output);
    expect(even.output.findings).toHaveLength(0);
    const none = html(biasesView(even.output));
    expect(none).not.toContain("Groups the model serves differently");
    expect(none).toContain(`0 of ${even.output.tests.length} tests flagged`);
  });
});

describe("training sets side by side", () => {
  const sets = [
    { label: "non-anonymised <real>", train: customerTable(generateCustomers({ rows: 200, seed: 1 })) },
    { label: "synthetic", train: customerTable(generateCustomers({ rows: 150, seed: 2 })) },
  ];
  const test = customerTable(generateCustomers({ rows: 300, seed: 3 }));

  it("draws a bar per set for all rows and every group of every grouping, and tables the sets", async () => {
    const { output, trace } = await compareTrainingSets({ sets, test, epochs: 1 });
    const figure = trainingSetsFigure(output);
    const groupings = [...new Set(output.byGroup.map((r) => r.grouping))];
    expect(groupings).toEqual(["ageBand", "locationCategory"]);
    expect(figure.data).toHaveLength(sets.length * groupings.length);
    expect(figure.data.map((t) => t.name)).toEqual([sets[0].label, sets[1].label, sets[0].label, sets[1].label]);
    const ageGroups = [...new Set(output.byGroup.filter((r) => r.grouping === "ageBand").map((r) => r.group))];
    expect(figure.data[0].x).toEqual([ALL_ROWS, ...ageGroups]);
    const rows = output.byGroup.filter((r) => r.set === sets[0].label && r.grouping === "ageBand");
    expect(figure.data[0].y).toEqual([output.overall[0].accuracy, ...rows.map((r) => r.accuracy)]);
    const overall = output.results[0].metrics.overall.accuracy;
    expect((figure.data[0].error_y as ErrorBars).array[0]).toBeCloseTo(overall.interval!.high - overall.value!, 12);
    expect((figure.data[0].error_y as ErrorBars).arrayminus[1]).toBeCloseTo(rows[0].accuracy! - rows[0].accuracyLow!, 12);

    // Precision has no per-group interval in the comparison rows: bars without error bars.
    const precision = trainingSetsFigure(output, { metric: "precision", groupings: ["locationCategory"] });
    expect(precision.data).toHaveLength(2);
    expect((precision.data[0].error_y as ErrorBars).array.slice(1).every((v) => v === null)).toBe(true);
    expect(precision.layout.title!.text).toContain("precision");

    const page = html(trainingSetsView(output, trace));
    expect(page).toContain("<td>non-anonymised &lt;real&gt;</td>");
    expect(page).not.toContain("<td>non-anonymised <real>");
    expect(page).toContain(`Every model tested on the same ${test.data.age.length} real rows`);
    expect(html(trainingSetsView({ ...output, biases: [] }))).toContain("<p>No bias found in any set&#39;s model.</p>");
    const flagged = html(trainingSetsView({ ...output, biases: [{ set: "synthetic", sentence: "Recall for <65+> is lower" }] }));
    expect(flagged).toContain("Biases found: 1");
    expect(flagged).toContain("<td>Recall for &lt;65+&gt; is lower</td>");
  });
});
