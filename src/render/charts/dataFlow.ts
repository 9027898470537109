/** The six stages as a left-to-right chain of boxes, each labelled with its output shape. */
import type { Figure } from "./figure";

export interface FlowStep {
  stage: string;
  output: string;
}

export function dataFlowFigure(steps: readonly FlowStep[], title = "Data flow"): Figure {
  const x = steps.map((_, i) => i);
  return {
    data: [
      {
        type: "scatter",
        mode: "markers+text",
        x,
        y: steps.map(() => 0),
        marker: { size: 46, symbol: "square", color: "#4c78a8" },
        text: steps.map((_, i) => String(i + 1)),
        textfont: { color: "white", size: 16 },
        hovertext: steps.map((s) => `${s.stage}: ${s.output}`),
        hoverinfo: "text",
      },
    ],
    layout: {
      title: { text: title },
      height: 260,
      showlegend: false,
      xaxis: { visible: false, range: [-0.6, steps.length - 0.4] },
      yaxis: { visible: false, range: [-1.2, 0.8] },
      annotations: [
        ...steps.map((s, i) => ({
          x: i,
          y: -0.55,
          text: `<b>${s.stage}</b><br>${s.output}`,
          showarrow: false,
          font: { size: 10 },
        })),
        ...steps.slice(1).map((_, i) => ({
          x: i + 0.78,
          y: 0,
          ax: i + 0.22,
          ay: 0,
          xref: "x",
          yref: "y",
          axref: "x",
          ayref: "y",
          showarrow: true,
          arrowhead: 3,
          text: "",
        })),
      ],
    },
  };
}
