/** One column's distribution before and after a transformation (e.g. anonymisation). */
import type { Figure } from "./figure";

export interface Distribution {
  name: string;
  values: readonly (number | string)[];
}

/** Numbers get a linear axis; labels (e.g. age bands) a category axis in label order. */
function axis(d: Distribution): Record<string, unknown> {
  const categorical = d.values.some((v) => typeof v === "string");
  return categorical
    ? { title: { text: d.name }, type: "category", categoryorder: "category ascending" }
    : { title: { text: d.name } };
}

export function distributionComparisonFigure(
  before: Distribution,
  after: Distribution,
  title = `${before.name} before and after`,
): Figure {
  const histogram = (d: Distribution, axis: "x" | "x2", yaxis: "y" | "y2") => ({
    type: "histogram",
    name: d.name,
    x: [...d.values],
    xaxis: axis,
    yaxis,
  });
  return {
    data: [histogram(before, "x", "y"), histogram(after, "x2", "y2")],
    layout: {
      title: { text: title },
      height: 340,
      grid: { rows: 1, columns: 2, pattern: "independent" },
      xaxis: axis(before),
      xaxis2: axis(after),
      yaxis: { title: { text: "people" } },
      showlegend: false,
      bargap: 0.05,
    },
  };
}
