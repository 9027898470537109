/**
 * t-closeness (Li, Li, Venkatasubramanian 2007): the distribution of the sensitive attribute
 * in every class is within distance t of its distribution in the whole table, so seeing the
 * class teaches an attacker little beyond what the whole table already says. The distance is
 * the Earth Mover's Distance (EMD) with one of the paper's two ground distances:
 *
 * - equal distance (categories): every pair of values is 1 apart; the EMD is
 *   ½ Σ |pᵢ − qᵢ| (the total variation distance);
 * - ordered distance (numbers): values i and j of the m sorted distinct values are
 *   |i − j| / (m − 1) apart; the EMD is 1/(m − 1) · Σᵢ |Σⱼ≤ᵢ (pⱼ − qⱼ)|.
 */
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { equivalenceClasses } from "./classes";
import { encodeSensitive } from "./encode";
import { modelCheck, type ModelCheck } from "./modelCheck";
import type { Table } from "./table";

export const GROUND_DISTANCES = ["equal", "ordered"] as const;
export type GroundDistance = (typeof GROUND_DISTANCES)[number];

const TOLERANCE = 1e-12;

function totals(p: ArrayLike<number>, q: ArrayLike<number>): [number, number] {
  if (p.length !== q.length) throw new InputError("p", `${q.length} counts (one per value, like q)`, p.length);
  let tp = 0;
  let tq = 0;
  for (let i = 0; i < p.length; i++) {
    tp += p[i];
    tq += q[i];
  }
  if (!(tp > 0) || !(tq > 0)) throw new InputError("counts", "two distributions with positive totals", `${tp} and ${tq}`);
  return [tp, tq];
}

/** EMD under the equal ground distance; p and q are counts (or probabilities) over the same values. */
export function equalDistanceEmd(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const [tp, tq] = totals(p, q);
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i] / tp - q[i] / tq);
  return sum / 2;
}

/** EMD under the ordered ground distance; p and q are counts over the same sorted values. */
export function orderedDistanceEmd(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const [tp, tq] = totals(p, q);
  if (p.length < 2) return 0;
  let cumulative = 0;
  let sum = 0;
  for (let i = 0; i < p.length - 1; i++) {
    cumulative += p[i] / tp - q[i] / tq;
    sum += Math.abs(cumulative);
  }
  return sum / (p.length - 1);
}

export function emd(p: ArrayLike<number>, q: ArrayLike<number>, distance: GroundDistance): number {
  return distance === "ordered" ? orderedDistanceEmd(p, q) : equalDistanceEmd(p, q);
}

export function meetsCloseness(distance: number, t: number): boolean {
  return distance <= t + TOLERANCE;
}

export interface TClosenessOptions {
  quasi: readonly string[];
  sensitive: string;
  t: number;
  /** Default: ordered for a numeric sensitive column, equal for a categorical one. */
  distance?: GroundDistance;
}

export function checkTCloseness(table: Table, options: TClosenessOptions): ModelCheck {
  const t = requireNumber("t", options.t, { min: 0, max: 1 });
  const { output: classes } = equivalenceClasses(table, options.quasi);
  const sensitive = encodeSensitive(table, options.sensitive);
  const distance = requireOneOf("distance", options.distance ?? (sensitive.numeric ? "ordered" : "equal"), GROUND_DISTANCES);
  const values = classes.classes.map((cls) => {
    const counts = new Float64Array(sensitive.domain.length);
    for (const row of cls.rows) counts[sensitive.codes[row]]++;
    return emd(counts, sensitive.counts, distance);
  });
  return modelCheck(classes, values, (d) => meetsCloseness(d, t), (a, b) => a > b, {
    model: `t-closeness (${distance} distance)`,
    parameter: { name: "t", required: t },
    trace: {
      sensitive: options.sensitive,
      definition:
        distance === "ordered"
          ? `every class's EMD to the table's distribution is ≤ t, ground distance |i − j|/(m − 1) over the ${sensitive.domain.length} sorted values`
          : "every class's EMD to the table's distribution is ≤ t, all values 1 apart (½ Σ|pᵢ − qᵢ|)",
      source: "Li, Li, Venkatasubramanian 2007",
    },
  });
}
