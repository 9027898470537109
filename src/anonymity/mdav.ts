/**
 * Microaggregation by MDAV, Maximum Distance to Average Vector (Domingo-Ferrer & Torra 2005,
 * "Ordinal, continuous and heterogeneous k-anonymity through microaggregation"): numeric
 * quasi-identifiers are standardised, rows are grouped k at a time around the record
 * farthest from the centroid (and the record farthest from that one), and every value is
 * replaced by its group's mean. Every group has k to 2k − 1 rows and identical published
 * values, so the release is k-anonymous — by perturbation, not by coarser labels.
 *
 * O(n²/k) distance computations: meant for tables of thousands of rows, not millions.
 */
import { InputError, requireNumber } from "../validation/errors";
import { encodeQuasi } from "./encode";
import type { GeneralisedCell } from "./generalisedCell";
import type { Partitioning } from "./mondrian";
import { columnKind, columnValues, rowCount, type Table } from "./table";

export interface MdavOptions {
  quasi: readonly string[];
  k: number;
}

export interface MdavTrace {
  algorithm: "mdav";
  rows: number;
  k: number;
  standardised: Array<{ column: string; mean: number; std: number }>;
  classes: { count: number; smallest: number; largest: number; mean: number };
  /** Within-group sum of squares over total sum of squares, on standardised values (0 = nothing lost). */
  informationLoss: { sse: number; sst: number; ratio: number };
  suppressed: { rows: 0; why: string };
  source: string;
}

export const MDAV_MAX_ROWS = 200_000;

export function mdav(table: Table, options: MdavOptions): { output: Partitioning; trace: MdavTrace } {
  const n = rowCount(table);
  if (n < 2) throw new InputError("table", "at least 2 rows (k-anonymity needs k ≥ 2)", `${n} row(s)`);
  const k = requireNumber("k", options.k, { min: 2, max: n, integer: true });
  if (n > MDAV_MAX_ROWS) throw new InputError("table", `at most ${MDAV_MAX_ROWS} rows for MDAV (its cost grows with n²/k); use Mondrian`, `${n} rows`);
  for (const q of options.quasi) {
    if (columnKind(columnValues(table, q, "quasi")) !== "numeric") {
      throw new InputError("quasi", "numeric columns only (MDAV averages values; use Mondrian or full-domain for text)", q);
    }
  }
  const encoded = encodeQuasi(table, options.quasi);
  const D = encoded.dims.length;
  const raw = encoded.dims.map((d) => (d.kind === "numeric" ? d.values : new Float64Array(0)));
  const standardised: MdavTrace["standardised"] = [];
  const z = new Float64Array(n * D);
  raw.forEach((values, d) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += values[i];
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (values[i] - mean) ** 2;
    const std = Math.sqrt(variance / n);
    standardised.push({ column: options.quasi[d], mean, std });
    // A constant column carries no information and contributes no distance.
    for (let i = 0; i < n; i++) z[i * D + d] = std > 0 ? (values[i] - mean) / std : 0;
  });

  const classOf = new Int32Array(n);
  const groups = mdavGroups(z, n, D, k);

  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n * D; i++) sst += z[i] * z[i];
  const classes = groups.map((members, c) => {
    const cells: GeneralisedCell[] = raw.map((values, d) => {
      let sum = 0;
      let low = Infinity;
      let high = -Infinity;
      let zSum = 0;
      for (const row of members) {
        sum += values[row];
        low = Math.min(low, values[row]);
        high = Math.max(high, values[row]);
        zSum += z[row * D + d];
      }
      const zMean = zSum / members.length;
      for (const row of members) sse += (z[row * D + d] - zMean) ** 2;
      return { kind: "mean", value: sum / members.length, low, high };
    });
    for (const row of members) classOf[row] = c;
    return { size: members.length, cells };
  });
  let smallest = Infinity;
  let largest = 0;
  for (const c of classes) {
    smallest = Math.min(smallest, c.size);
    largest = Math.max(largest, c.size);
  }
  return {
    output: { classOf, classes, suppressed: 0 },
    trace: {
      algorithm: "mdav",
      rows: n,
      k,
      standardised,
      classes: { count: classes.length, smallest, largest, mean: n / classes.length },
      informationLoss: { sse, sst, ratio: sst > 0 ? sse / sst : 0 },
      suppressed: { rows: 0, why: "every row belongs to a group of k to 2k − 1 rows" },
      source: "Domingo-Ferrer & Torra 2005",
    },
  };
}

/**
 * The MDAV grouping itself, on n rows of D numbers (row-major, already scaled): the groups as
 * lists of row indices, each of k to 2k − 1 rows. Shared by mdav() and the GAN's grouping step.
 */
export function mdavGroups(z: Float64Array, n: number, D: number, k: number): number[][] {
  const remaining = new Int32Array(n);
  for (let i = 0; i < n; i++) remaining[i] = i;
  let size = n;
  const groups: number[][] = [];
  const centroid = new Float64Array(D);
  const distances = new Float64Array(n);

  const squaredDistance = (row: number, point: ArrayLike<number>, offset: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += (z[row * D + d] - point[offset + d]) ** 2;
    return s;
  };
  const computeCentroid = () => {
    centroid.fill(0);
    for (let j = 0; j < size; j++) for (let d = 0; d < D; d++) centroid[d] += z[remaining[j] * D + d];
    for (let d = 0; d < D; d++) centroid[d] /= size;
  };
  // Ties go to the lower row index, so the grouping does not depend on the order of `remaining`.
  const farthestFrom = (point: ArrayLike<number>, offset: number): number => {
    let best = -1;
    let bestRow = -1;
    for (let j = 0; j < size; j++) {
      const s = squaredDistance(remaining[j], point, offset);
      if (s > best || (s === best && remaining[j] < bestRow)) {
        best = s;
        bestRow = remaining[j];
      }
    }
    return bestRow;
  };
  /** Removes `record` and its k − 1 nearest ungrouped rows from `remaining` as one group. */
  const takeGroup = (record: number) => {
    for (let j = 0; j < size; j++) distances[j] = squaredDistance(remaining[j], z, record * D);
    const group: number[] = [];
    for (let taken = 0; taken < k; taken++) {
      let bestJ = -1;
      for (let j = 0; j < size; j++) {
        if (bestJ < 0 || distances[j] < distances[bestJ] || (distances[j] === distances[bestJ] && remaining[j] < remaining[bestJ])) bestJ = j;
      }
      group.push(remaining[bestJ]);
      size--;
      remaining[bestJ] = remaining[size];
      distances[bestJ] = distances[size];
    }
    groups.push(group);
  };

  while (size >= 3 * k) {
    computeCentroid();
    const r = farthestFrom(centroid, 0);
    takeGroup(r);
    takeGroup(farthestFrom(z, r * D));
  }
  if (size >= 2 * k) {
    computeCentroid();
    takeGroup(farthestFrom(centroid, 0));
  }
  // k ≤ size ≤ 2k − 1 here: n ≥ k, and each step above leaves at least k rows.
  if (size > 0) groups.push(Array.from(remaining.subarray(0, size)));
  return groups;
}
