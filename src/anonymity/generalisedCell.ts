/**
 * What a quasi-identifier cell became: kept, an interval, a hierarchy node, a group mean, or
 * suppressed ("*"). Plain data, so traces, utility metrics and the linkage attack read the
 * same description; `cellLabel` is what is written into the released table.
 */
import { INTERVAL_LABEL, type Cell } from "./table";

export type GeneralisedCell =
  /** Not generalised. */
  | { kind: "value"; value: Cell }
  /** [low, high] (Mondrian: the smallest and largest value in the class) or [low, high) (hierarchy level). */
  | { kind: "interval"; low: number; high: number; highInclusive: boolean }
  /** An inner node of a categorical hierarchy, covering `leaves` values. */
  | { kind: "node"; label: string; leaves: number }
  /** Microaggregation: the class mean replaces every value; low/high are the class's range. */
  | { kind: "mean"; value: number; low: number; high: number }
  /** Fully generalised (the top of a hierarchy). */
  | { kind: "any" };

export const ANY_LABEL = "*";

export function cellLabel(cell: GeneralisedCell): Cell {
  switch (cell.kind) {
    case "value":
      return cell.value;
    case "interval":
      return cell.low === cell.high && cell.highInclusive
        ? cell.low
        : `[${formatNumber(cell.low)}, ${formatNumber(cell.high)}${cell.highInclusive ? "]" : ")"}`;
    case "node":
      return cell.label;
    case "mean":
      return roundMean(cell.value);
    case "any":
      return ANY_LABEL;
  }
}

/** Group means are written with at most 6 significant digits (exact enough, and readable). */
export function roundMean(value: number): number {
  return Number(value.toPrecision(6));
}

function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** A released numeric cell as a range: a number is [v, v]; "*" is everything; null when not numeric. */
export function numericRange(label: Cell): { low: number; high: number; highInclusive: boolean } | "any" | null {
  if (typeof label === "number") return { low: label, high: label, highInclusive: true };
  const text = label.trim();
  if (text === ANY_LABEL) return "any";
  if (text !== "" && Number.isFinite(Number(text))) return { low: Number(text), high: Number(text), highInclusive: true };
  const match = INTERVAL_LABEL.exec(text);
  if (!match) return null;
  const low = Number(match[1]);
  const high = Number(match[2]);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null;
  return { low, high, highInclusive: match[3] === "]" };
}

/** The middle of a released numeric cell (null for "*" or text): what a model can learn from. */
export function midpoint(label: Cell): number | null {
  const range = numericRange(label);
  if (range === null || range === "any") return null;
  return (range.low + range.high) / 2;
}
