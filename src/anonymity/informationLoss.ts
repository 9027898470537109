/**
 * How much an anonymisation costs the data, three ways:
 *
 * - generalisation intensity: the mean, over every quasi-identifier cell, of how much of the
 *   column's domain the published cell covers — 0 for an exact value, 1 for "*" or a
 *   suppressed row. For numbers the interval's width over the column's range, for categories
 *   (leaves under the node − 1)/(all leaves − 1): the Normalized Certainty Penalty of Xu et al.
 *   2006, which ARX reports as "loss"; comparable across Mondrian, full-domain and MDAV.
 * - discernibility (Bayardo & Agrawal 2005): Σ |class|² + (suppressed rows) × n — each row
 *   is charged the number of rows it cannot be told apart from.
 * - average equivalence class size (LeFevre, DeWitt, Ramakrishnan 2006):
 *   C_avg = (kept rows / classes) / k; 1 is the ideal, every class exactly k.
 */
import { requireNumber } from "../validation/errors";
import type { GeneralisedCell } from "./generalisedCell";
import type { Hierarchy } from "./hierarchy";
import type { Partitioning } from "./mondrian";
import { columnKind, columnValues, type Table } from "./table";

export interface InformationLoss {
  generalisationIntensity: number;
  perQuasiIdentifier: Record<string, number>;
  discernibility: number;
  averageClassSize: number;
  /** C_avg, null when no k is given. */
  normalisedAverageClassSize: number | null;
  classes: number;
  suppressed: number;
}

type Domain = { kind: "numeric"; min: number; max: number } | { kind: "categorical"; leaves: number };

/** The loss of a partitioning of `input` (the table the algorithm was given). */
export function informationLoss(
  input: Table,
  result: Pick<Partitioning, "classes" | "suppressed">,
  options: { quasi: readonly string[]; hierarchies?: Readonly<Record<string, Hierarchy>>; k?: number },
): InformationLoss {
  const domains = options.quasi.map((q): Domain => {
    const values = columnValues(input, q, "quasi");
    const h = options.hierarchies?.[q];
    if (h?.kind === "tree") return { kind: "categorical", leaves: h.rows.length };
    if (columnKind(values) === "numeric") {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return { kind: "numeric", min, max };
    }
    return { kind: "categorical", leaves: new Set(Array.from(values, String)).size };
  });
  const D = domains.length;
  let kept = 0;
  let discernibility = 0;
  const sums = new Float64Array(D);
  for (const c of result.classes) {
    kept += c.size;
    discernibility += c.size * c.size;
    c.cells.forEach((cell, d) => (sums[d] += c.size * cellIntensity(cell, domains[d])));
  }
  const n = kept + result.suppressed;
  discernibility += result.suppressed * n;
  const perQuasiIdentifier: Record<string, number> = {};
  let total = 0;
  options.quasi.forEach((q, d) => {
    const value = (sums[d] + result.suppressed) / n;
    perQuasiIdentifier[q] = value;
    total += value;
  });
  const averageClassSize = result.classes.length > 0 ? kept / result.classes.length : 0;
  const k = options.k === undefined ? undefined : requireNumber("k", options.k, { min: 1, integer: true });
  return {
    generalisationIntensity: total / D,
    perQuasiIdentifier,
    discernibility,
    averageClassSize,
    normalisedAverageClassSize: k === undefined ? null : averageClassSize / k,
    classes: result.classes.length,
    suppressed: result.suppressed,
  };
}

/** 0 = exact, 1 = the whole domain. */
export function cellIntensity(cell: GeneralisedCell, domain: Domain): number {
  switch (cell.kind) {
    case "value":
      return 0;
    case "any":
      return 1;
    case "node":
      return domain.kind === "categorical" && domain.leaves > 1 ? (cell.leaves - 1) / (domain.leaves - 1) : 1;
    case "interval":
    case "mean": {
      if (domain.kind !== "numeric" || domain.max === domain.min) return 0;
      const low = Math.max(cell.low, domain.min);
      const high = Math.min(cell.high, domain.max);
      return Math.max(0, high - low) / (domain.max - domain.min);
    }
  }
}
