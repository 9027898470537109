/** The sweep's summary as table rows (terminal and notebook alike): means with their 95% intervals. */
import type { SweepSummaryRow } from "../../experiments/sweep";
import { textTable, type Cell } from "./textTable";

export const SWEEP_HEADERS = [
  "train rows",
  "ε target",
  "runs",
  "accuracy mean [95% CI]",
  "test set only (Wilson)",
  "seeds only (t)",
  "vs no privacy",
  "ε spent",
  "σ",
] as const;

const range = (i: { low: number; high: number }) => `[${i.low.toFixed(3)}, ${i.high.toFixed(3)}]`;

function comparison(row: SweepSummaryRow): string {
  if (!Number.isFinite(row.epsilon)) return "reference";
  if (row.belowNonPrivate === "significant") return "significantly lower";
  if (row.belowNonPrivate === "not significant") return "no significant difference";
  return "no reference run";
}

export function sweepRows(summary: readonly SweepSummaryRow[]): Cell[][] {
  return summary.map((r) => [
    r.trainRows,
    r.epsilon,
    r.runs,
    `${r.meanAccuracy.toFixed(3)} ${range(r.interval)}`,
    range(r.testSetInterval),
    range(r.seedInterval),
    comparison(r),
    r.meanEpsilonSpent,
    r.noiseMultiplier,
  ]);
}

export function renderSweepSummary(summary: readonly SweepSummaryRow[]): string {
  return [
    textTable(SWEEP_HEADERS, sweepRows(summary)),
    "95% CI: the test set's noise (Wilson, on the test rows) and the spread over seeds (Student's t), together; " +
      "\"significantly lower\": its interval lies below the non-private one of the same size.",
  ].join("\n");
}
