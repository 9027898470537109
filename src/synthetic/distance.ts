/**
 * Nearest-neighbour distances in the encoded space (Euclidean), the basis of distance to
 * closest record (DCR) and of near-copy detection. Brute force: exact, and fast enough for the
 * course's tables (1000 × 1000 rows of a few dozen numbers is a few ms).
 */
import { InputError } from "../validation/errors";

export interface NearestOptions {
  /**
   * For query i, a reference row to skip (e.g. the query itself when both sets are the same
   * table), or -1 for none.
   */
  skip?: (queryIndex: number) => number;
}

export interface Nearest {
  /** Distance from each query row to its closest reference row. */
  distances: Float64Array;
  /** Index of that reference row. */
  indices: Int32Array;
}

export function nearestRecords(
  queries: readonly ArrayLike<number>[],
  reference: readonly ArrayLike<number>[],
  options: NearestOptions = {},
): Nearest {
  if (reference.length === 0) throw new InputError("reference", "at least one row", "0 rows");
  const width = reference[0].length;
  for (const [name, rows] of [["queries", queries], ["reference", reference]] as const) {
    rows.forEach((r, i) => {
      if (r.length !== width) throw new InputError(`${name}[${i}]`, `${width} numbers`, `${r.length} numbers`);
    });
  }
  const distances = new Float64Array(queries.length);
  const indices = new Int32Array(queries.length);
  for (let q = 0; q < queries.length; q++) {
    const a = queries[q];
    const skip = options.skip ? options.skip(q) : -1;
    let best = Infinity;
    let bestIndex = -1;
    for (let r = 0; r < reference.length; r++) {
      if (r === skip) continue;
      const b = reference[r];
      let s = 0;
      for (let j = 0; j < width && s < best; j++) {
        const d = a[j] - b[j];
        s += d * d;
      }
      if (s < best) {
        best = s;
        bestIndex = r;
      }
    }
    distances[q] = Math.sqrt(best);
    indices[q] = bestIndex;
  }
  return { distances, indices };
}

/** The p-quantile (0 ≤ p ≤ 1) of values, by linear interpolation between order statistics. */
export function quantile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) throw new InputError("values", "at least one value", "none");
  const sorted = Float64Array.from(values).sort();
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}
