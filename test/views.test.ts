import { describe, expect, it, vi } from "vitest";
import { epochTraceFigure } from "../src/render/charts/epochTrace";
import { dataFlowFigure } from "../src/render/charts/dataFlow";
import { privacyUtilityFigure } from "../src/render/charts/privacyUtility";
import { figureHtml, plotlyLibraryHtml } from "../src/render/html/plotly";
import { htmlTable } from "../src/render/html/table";
import { isDisplayable } from "../src/render/mime";
import { chartView, recordsView } from "../src/render/views";

describe("notebook views", () => {
  it("escapes HTML in table cells", () => {
    const html = htmlTable(["name"], [["<script>alert(1)</script>"]]);
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;");
  });

  it("shows records with shape, column types and a row limit", () => {
    const view = recordsView(
      Array.from({ length: 12 }, (_, i) => ({ age: 20 + i, town: "X", purchases: [1, 2] })),
      { maxRows: 3 },
    );
    expect(isDisplayable(view)).toBe(true);
    const bundle = view.toMimeBundle();
    expect(bundle["text/html"]).toContain("12 rows x 3 columns");
    expect(bundle["text/html"]).toContain("age (number)");
    expect(bundle["text/html"]).toContain("purchases (list)");
    expect(bundle["text/plain"]).toContain("first 3 shown");
  });

  it("builds the epoch-trace figure with ε on a second axis", () => {
    const figure = epochTraceFigure([
      { epoch: 1, loss: 0.6, trainAccuracy: 0.7, epsilonSpent: 0.4 },
      { epoch: 2, loss: 0.5, trainAccuracy: 0.8, epsilonSpent: 0.6 },
    ]);
    expect(figure.data.map((t) => t.name)).toEqual(["loss", "train accuracy", "ε spent"]);
    expect(figure.data[2].yaxis).toBe("y2");
    // Without privacy ε is ∞: no ε line rather than a broken one.
    expect(epochTraceFigure([{ epoch: 1, loss: 0.6, trainAccuracy: 0.7, epsilonSpent: Infinity }]).data).toHaveLength(2);
  });

  it("draws the non-private accuracy as a reference line, not a point at ε = ∞", () => {
    const figure = privacyUtilityFigure([
      { epsilon: 0.5, meanAccuracy: 0.8, stdAccuracy: 0.02 },
      { epsilon: 2, meanAccuracy: 0.88, stdAccuracy: 0.01 },
      { epsilon: Infinity, meanAccuracy: 0.9, stdAccuracy: 0 },
    ]);
    expect(figure.data[0].x).toEqual([0.5, 2]);
    expect(figure.data[1].y).toEqual([0.9, 0.9]);
  });

  it("renders charts as a div and a script that needs no network", () => {
    plotlyLibraryHtml(); // the library is on the page: charts after it are the div and script alone
    const html = chartView(epochTraceFigure([{ epoch: 1, loss: 0.6, trainAccuracy: 0.7, epsilonSpent: 0.4 }])).toMimeBundle()["text/html"]!;
    expect(html).toMatch(/<div id="privacy-course-chart-\d+"/);
    expect(html).toContain("Plotly.newPlot");
    expect(html).not.toMatch(/https?:\/\//);
    expect(figureHtml({ data: [], layout: { title: { text: "</script><b>" } } })).not.toContain("</script><b>");
  });

  it("brings the library with the first chart of a process that did not load it (a new notebook without loadCharts())", async () => {
    vi.resetModules();
    const fresh = await import("../src/render/html/plotly");
    const first = fresh.figureHtml({ data: [], layout: {} });
    const second = fresh.figureHtml({ data: [], layout: {} });
    expect(first.startsWith('<script type="text/javascript">')).toBe(true);
    expect(first.length).toBeGreaterThan(1_000_000);
    expect(first).toMatch(/<div id="privacy-course-chart-\d+"/);
    expect(second.length).toBeLessThan(10_000);
  });

  it("counts the outcome apart from the columns, as the stages' traces do", () => {
    const rows = [{ age: 30, location: "Town", buysNextMonth: 1 }];
    expect(recordsView(rows, { outcome: "buysNextMonth" }).toMimeBundle()["text/plain"]).toContain("1 rows x 2 columns and the outcome buysNextMonth");
    expect(recordsView(rows).toMimeBundle()["text/plain"]).toContain("1 rows x 3 columns");
  });

  it("wraps the data-flow stages' labels to the width of one stage", () => {
    const steps = [{ stage: "Model Training with Differential Privacy", output: "Trained logistic weights (6 parameters)" }, { stage: "Prediction", output: "Prediction result" }];
    const labels = (dataFlowFigure(steps).layout.annotations as { text: string }[]).filter((a) => a.text !== "").map((a) => a.text);
    const lines = labels.flatMap((t) => t.replace(/<\/?b>/g, "").split("<br>"));
    expect(lines.every((line) => line.length <= 16 || !line.includes(" "))).toBe(true);
    expect(lines.join(" ")).toBe("Model Training with Differential Privacy Trained logistic weights (6 parameters) Prediction Prediction result");
  });

  it("inlines the plotly library once, from the npm package", () => {
    const library = plotlyLibraryHtml();
    expect(library.length).toBeGreaterThan(1_000_000);
    expect(library).toContain("window.Plotly");
    expect(library.match(/<\/script>/g)).toHaveLength(1);
    expect(library).not.toMatch(/<script[^>]+src=/);
  });
});
