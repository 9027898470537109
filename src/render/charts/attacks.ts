/**
 * Figures for the attack and audit lessons, as plain Plotly data: ROC curves (log-log, the
 * way Carlini et al. 2022 recommend reading membership inference), score histograms, canary
 * exposure, and the audit chart (accuracy, attack AUC and audited ε against the accountant's ε).
 */
import type { Figure, Trace } from "./figure";

export interface RocCurveInput {
  name: string;
  roc: {
    points: readonly { fpr: number; tpr: number }[];
    auc: number;
    tprAt1PctFpr: number;
    fprResolution: number;
  };
}

/**
 * One line per attack, with the diagonal (guessing). On log axes FPR = 0 or TPR = 0 cannot be
 * drawn; those points are left out and the axis starts at half the smallest measurable FPR.
 */
export function rocCurveFigure(
  curves: readonly RocCurveInput[],
  { scale = "log", title = "Membership inference: ROC curve" }: { scale?: "log" | "linear"; title?: string } = {},
): Figure {
  const log = scale === "log";
  const floor = Math.min(0.01, ...curves.map((c) => c.roc.fprResolution / 2));
  const line = (c: RocCurveInput): Trace => {
    const points = log ? c.roc.points.filter((p) => p.fpr > 0 && p.tpr > 0) : c.roc.points;
    return {
      type: "scatter",
      mode: "lines",
      name: `${c.name} (AUC ${c.roc.auc.toFixed(3)}, TPR@1%FPR ${(100 * c.roc.tprAt1PctFpr).toFixed(1)}%)`,
      x: points.map((p) => p.fpr),
      y: points.map((p) => p.tpr),
      line: { shape: "hv" },
    };
  };
  const diagonal: Trace = {
    type: "scatter",
    mode: "lines",
    name: "guessing",
    x: log ? [floor, 1] : [0, 1],
    y: log ? [floor, 1] : [0, 1],
    line: { dash: "dash", color: "#999" },
  };
  const axis = (text: string) =>
    log ? { title: { text }, type: "log", range: [Math.log10(floor), 0] } : { title: { text }, range: [0, 1] };
  return {
    data: [...curves.map(line), diagonal],
    layout: {
      title: { text: title },
      height: 420,
      xaxis: axis(`false-positive rate${log ? " (log)" : ""}`),
      yaxis: axis(`true-positive rate${log ? " (log)" : ""}`),
      legend: { orientation: "h", y: -0.25 },
    },
  };
}

/** Overlaid histograms of attack scores for members and non-members. */
export function membershipScoresFigure(
  result: { scores: readonly number[]; isMember: readonly number[] },
  title = "Attack scores: members vs non-members",
): Figure {
  const pick = (member: number) => result.scores.filter((_, i) => result.isMember[i] === member);
  return {
    data: [
      { type: "histogram", name: "members (trained on)", x: pick(1), opacity: 0.6, nbinsx: 50 },
      { type: "histogram", name: "non-members", x: pick(0), opacity: 0.6, nbinsx: 50 },
    ],
    layout: {
      title: { text: title },
      height: 340,
      barmode: "overlay",
      xaxis: { title: { text: "score (higher = the attack says 'member')" } },
      yaxis: { title: { text: "records" } },
      legend: { orientation: "h", y: -0.3 },
    },
  };
}

/** Canary scores of the one-run audit, split by whether the canary was really in. */
export function canaryScoresFigure(
  audit: { scores: readonly number[]; included: readonly boolean[] },
  title = "Canary scores: inserted vs not inserted",
): Figure {
  return membershipScoresFigure(
    { scores: audit.scores, isMember: audit.included.map((v) => (v ? 1 : 0)) },
    title,
  );
}

export interface ExposureBar {
  name: string;
  exposure: number;
  maxExposure: number;
}

export function exposureFigure(bars: readonly ExposureBar[], title = "Canary exposure (bits)"): Figure {
  const max = Math.max(0, ...bars.map((b) => b.maxExposure));
  return {
    data: [
      { type: "bar", name: "exposure", x: bars.map((b) => b.name), y: bars.map((b) => b.exposure) },
      {
        type: "scatter",
        mode: "lines",
        name: `fully memorised (${max.toFixed(1)} bits)`,
        x: bars.map((b) => b.name),
        y: bars.map(() => max),
        line: { dash: "dash" },
      },
    ],
    layout: {
      title: { text: title },
      height: 340,
      yaxis: { title: { text: "exposure = log₂|R| − log₂ rank" }, range: [0, max * 1.1 || 1] },
      legend: { orientation: "h", y: -0.3 },
    },
  };
}

export interface AuditChartPoint {
  epsilonTarget: number;
  accountantEpsilon: number;
  testAccuracy: number;
  attackAuc: number;
  auditLowerBound: number;
}

/**
 * x: the accountant's ε (log). Left axis: ε itself (the claim, y = x) and the audited lower
 * bound, which must stay below it. Right axis: test accuracy and attack AUC. The non-private
 * run has no finite ε to place, so its values are drawn as dotted reference lines.
 */
export function auditSweepFigure(points: readonly AuditChartPoint[], title = "Does the privacy hold? Audit across budgets", confidence?: number): Figure {
  const level = confidence === undefined ? "" : ` (${+(100 * confidence).toFixed(2)}% confidence)`;
  const finite = points.filter((p) => Number.isFinite(p.accountantEpsilon));
  const nonPrivate = points.find((p) => !Number.isFinite(p.accountantEpsilon));
  const xs = finite.map((p) => p.accountantEpsilon);
  const span = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0.1, 10];
  const reference = (name: string, y: number, axis: "y" | "y2", color: string): Trace => ({
    type: "scatter",
    mode: "lines",
    name,
    x: span,
    y: [y, y],
    yaxis: axis,
    line: { dash: "dot", color },
  });
  return {
    data: [
      { type: "scatter", mode: "lines", name: "accountant's ε (the claim)", x: xs, y: xs, line: { dash: "dash", color: "#444" } },
      {
        type: "scatter",
        mode: "lines+markers",
        name: `audited ε lower bound${level}`,
        x: xs,
        y: finite.map((p) => p.auditLowerBound),
        marker: { size: 9, color: "#d62728" },
        line: { color: "#d62728" },
      },
      { type: "scatter", mode: "lines+markers", name: "test accuracy", x: xs, y: finite.map((p) => p.testAccuracy), yaxis: "y2", line: { color: "#1f77b4" } },
      { type: "scatter", mode: "lines+markers", name: "attack AUC", x: xs, y: finite.map((p) => p.attackAuc), yaxis: "y2", line: { color: "#2ca02c" } },
      ...(nonPrivate && xs.length > 0
        ? [
            reference(`no DP: audited ε ≥ ${nonPrivate.auditLowerBound.toFixed(2)}`, nonPrivate.auditLowerBound, "y", "#d62728"),
            reference(`no DP: accuracy ${nonPrivate.testAccuracy.toFixed(3)}`, nonPrivate.testAccuracy, "y2", "#1f77b4"),
            reference(`no DP: attack AUC ${nonPrivate.attackAuc.toFixed(3)}`, nonPrivate.attackAuc, "y2", "#2ca02c"),
          ]
        : []),
    ],
    layout: {
      title: { text: title },
      height: 460,
      xaxis: { title: { text: "accountant's ε (log scale)" }, type: "log" },
      yaxis: { title: { text: "ε" }, rangemode: "tozero" },
      yaxis2: { title: { text: "accuracy / AUC" }, overlaying: "y", side: "right", range: [0.4, 1] },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
