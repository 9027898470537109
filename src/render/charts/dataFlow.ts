/** The six stages as a left-to-right chain of boxes, each labelled with its output shape. */
import type { Figure } from "./figure";

export interface FlowStep {
  stage: string;
  output: string;
}

/** Breaks a label into lines of about `width` characters at spaces (plotly does not wrap annotations). */
export function wrapLabel(text: string, width = 16): string {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join("<br>");
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
      height: 300,
      showlegend: false,
      xaxis: { visible: false, range: [-0.6, steps.length - 0.4] },
      yaxis: { visible: false, range: [-2, 0.8] },
      annotations: [
        ...steps.map((s, i) => ({
          x: i,
          y: -0.45,
          yanchor: "top",
          // Wrapped to the width of one stage, so neighbouring labels never run into each other.
          text: `<b>${wrapLabel(s.stage)}</b><br>${wrapLabel(s.output)}`,
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
