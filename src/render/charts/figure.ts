/** A Plotly figure as plain data: what the chart builders return and tests inspect. */
export interface Trace {
  type: string;
  name?: string;
  x?: (number | string)[];
  y?: (number | string | null)[];
  [key: string]: unknown;
}

export interface Figure {
  data: Trace[];
  layout: { title?: { text: string }; height?: number; [key: string]: unknown };
}
