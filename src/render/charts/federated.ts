/** Charts of the voice-assistant case, as plain Plotly data. */
import type { Figure } from "./figure";

export interface ExposureGroup {
  /** The model (one bar colour). */
  model: string;
  /** One bar per secret. */
  secrets: { label: string; exposure: number; maxExposure: number }[];
}

/** Exposure of each planted secret (x), one bar per model, with each secret's maximum as a marker. */
export function secretExposureFigure(groups: readonly ExposureGroup[], title = "Exposure of the planted secrets (bits)"): Figure {
  const labels = groups[0]?.secrets.map((s) => s.label) ?? [];
  return {
    data: [
      ...groups.map((g) => ({ type: "bar", name: g.model, x: labels, y: g.secrets.map((s) => s.exposure) })),
      {
        type: "scatter",
        mode: "markers",
        name: "fully memorised (log₂ of the candidates)",
        x: labels,
        y: groups[0]?.secrets.map((s) => s.maxExposure) ?? [],
        marker: { symbol: "line-ew-open", size: 40, line: { width: 2 } },
      },
    ],
    layout: {
      title: { text: title },
      height: 380,
      barmode: "group",
      yaxis: { title: { text: "exposure = log₂|R| − log₂ rank" }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}

export interface FederatedUtilityPoint {
  epsilon: number;
  heldOutAccuracy: number;
}

/** Held-out accuracy of user-level DP-FedAvg against ε (log), with the non-private models as lines. */
export function federatedUtilityFigure(
  points: readonly FederatedUtilityPoint[],
  references: readonly { name: string; accuracy: number }[],
  title = "Utility of user-level DP-FedAvg against ε",
): Figure {
  const finite = points.filter((p) => Number.isFinite(p.epsilon)).sort((a, b) => a.epsilon - b.epsilon);
  const xs = finite.map((p) => p.epsilon);
  const span = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [1, 10];
  return {
    data: [
      { type: "scatter", mode: "lines+markers", name: "user-level DP-FedAvg", x: xs, y: finite.map((p) => p.heldOutAccuracy) },
      ...references.map((r) => ({
        type: "scatter",
        mode: "lines",
        name: `${r.name} (${r.accuracy.toFixed(3)})`,
        x: span,
        y: [r.accuracy, r.accuracy],
        line: { dash: "dash" },
      })),
    ],
    layout: {
      title: { text: title },
      height: 380,
      xaxis: { title: { text: "ε per user (log scale)" }, type: "log" },
      yaxis: { title: { text: "next-word accuracy, held-out users" } },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}

/** How many utterances each user said, most active first: the heavy tail. */
export function activityFigure(counts: readonly { userId: string; utterances: number; secret: boolean }[], title = "Utterances per user"): Figure {
  const sorted = [...counts].sort((a, b) => b.utterances - a.utterances);
  return {
    data: [
      {
        type: "bar",
        name: "utterances",
        x: sorted.map((c) => c.userId),
        y: sorted.map((c) => c.utterances),
        marker: { color: sorted.map((c) => (c.secret ? "#d62728" : "#1f77b4")) },
      },
    ],
    layout: {
      title: { text: `${title} (red: a user who repeats a secret)` },
      height: 320,
      xaxis: { title: { text: "users, most active first" }, showticklabels: false },
      yaxis: { title: { text: "utterances" } },
    },
  };
}

/** ε spent after each round and the share of user updates clipped. */
export function roundsFigure(rounds: readonly { round: number; epsilon?: number; clippedFraction: number }[], title = "DP-FedAvg round by round"): Figure {
  return {
    data: [
      { type: "scatter", mode: "lines", name: "ε spent (per user)", x: rounds.map((r) => r.round + 1), y: rounds.map((r) => r.epsilon ?? null) },
      { type: "scatter", mode: "lines", name: "share of updates clipped", x: rounds.map((r) => r.round + 1), y: rounds.map((r) => r.clippedFraction), yaxis: "y2" },
    ],
    layout: {
      title: { text: title },
      height: 340,
      xaxis: { title: { text: "round" } },
      yaxis: { title: { text: "ε" }, rangemode: "tozero" },
      yaxis2: { title: { text: "clipped" }, overlaying: "y", side: "right", range: [0, 1.05] },
      legend: { orientation: "h", y: -0.3 },
    },
  };
}
