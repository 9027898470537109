/**
 * Optional differentiable penalties on the generator's output, added to its loss:
 *
 *   L(G) = mean softplus(−D(G(z))) + weight · penalty(G(z)).
 *
 * PRIVACY: the generator inherits the discriminator's DP guarantee only because it never reads
 * a real row. A penalty that reads real rows (such as `nearCopyPenalty` with real rows as its
 * reference) breaks that: its gradient carries the real rows into the generator without clipping
 * or noise, so the released generator (and every row it samples) is NOT covered by ε. The
 * training trace says so whenever `readsRealRows` is true. The flag is the caller's declaration:
 * it cannot be checked, so a penalty built from real data must set it.
 */
import { tf } from "../runtime/tensorflow";
import { InputError, requireNumber } from "../validation/errors";

export interface GeneratorPenalty {
  /** Multiplier of the penalty in the generator's loss (≥ 0). */
  weight: number;
  /** A differentiable scalar of a batch of generated (encoded) rows [rows, width]. */
  fn: (fake: tf.Tensor2D) => tf.Scalar;
  /** Does fn depend on real rows? Then the generator is outside ε (see above). */
  readsRealRows: boolean;
  /** A short name for the trace. */
  name: string;
}

export function validatePenalty(penalty: unknown, width: number, field = "generatorPenalty"): GeneratorPenalty {
  const p = penalty as Partial<GeneratorPenalty> | null;
  const allowed = "{ weight: number ≥ 0, fn: (fake) => scalar, readsRealRows: boolean, name: string }";
  if (p === null || typeof p !== "object" || typeof p.fn !== "function") throw new InputError(field, allowed, penalty);
  requireNumber(`${field}.weight`, p.weight, { min: 0 });
  if (typeof p.readsRealRows !== "boolean") throw new InputError(`${field}.readsRealRows`, "true or false (does fn read real rows?)", p.readsRealRows);
  if (typeof p.name !== "string" || p.name.trim() === "") throw new InputError(`${field}.name`, "a non-empty string", p.name);
  const width2 = (p as { width?: number }).width;
  if (width2 !== undefined && width2 !== width) {
    throw new InputError(`${field}`, `a penalty on rows of ${width} numbers (the encoding's width)`, `rows of ${width2}`);
  }
  return p as GeneratorPenalty;
}

export interface NearCopyPenaltyOptions {
  /** Default 1. */
  weight?: number;
  /** Default true: reference rows are usually the real training rows. Set false only for public rows. */
  readsRealRows?: boolean;
}

/** A near-copy penalty; `width` is the row width of its reference rows (checked by trainGan). */
export interface NearCopyPenalty extends GeneratorPenalty {
  width: number;
  margin: number;
}

/**
 * mean over fake rows of relu(margin − distance to the nearest reference row), Euclidean in the
 * encoded space: 0 for fake rows farther than `margin` from every reference row, growing as a
 * fake row approaches one. Computed in tf from the squared-distance matrix
 * ‖f‖² + ‖r‖² − 2 f·rᵀ and its row minimum, so it is differentiable in the fake rows.
 * The reference is uploaded on each call (no tensor outlives a call).
 */
export function nearCopyPenalty(reference: readonly ArrayLike<number>[], margin: number, options: NearCopyPenaltyOptions = {}): NearCopyPenalty {
  if (!Array.isArray(reference) || reference.length === 0) throw new InputError("reference", "a non-empty array of encoded rows", reference);
  requireNumber("margin", margin, { min: 0, minExclusive: true });
  const weight = requireNumber("weight", options.weight ?? 1, { min: 0 });
  const readsRealRows = options.readsRealRows ?? true;
  if (typeof readsRealRows !== "boolean") throw new InputError("readsRealRows", "true or false", readsRealRows);
  const width = reference[0].length;
  if (!(width > 0)) throw new InputError("reference[0]", "a row of at least one number", width);
  const flat = new Float32Array(reference.length * width);
  const squaredNorms = new Float32Array(reference.length);
  reference.forEach((row, i) => {
    if (row.length !== width) throw new InputError(`reference[${i}]`, `${width} numbers (like reference[0])`, `${row.length} numbers`);
    let s = 0;
    for (let j = 0; j < width; j++) {
      const v = row[j];
      if (!Number.isFinite(v)) throw new InputError(`reference[${i}][${j}]`, "a finite number", v);
      flat[i * width + j] = v;
      s += v * v;
    }
    squaredNorms[i] = s;
  });
  const rows = reference.length;
  const fn = (fake: tf.Tensor2D): tf.Scalar =>
    tf.tidy(() => {
      if (fake.shape[1] !== width) {
        throw new InputError("fake", `rows of ${width} numbers (the reference rows' width)`, `rows of ${fake.shape[1]}`);
      }
      const ref = tf.tensor2d(flat, [rows, width]);
      const refNorms = tf.tensor2d(squaredNorms, [1, rows]);
      const fakeNorms = tf.sum(tf.square(fake), 1, true);
      const squared = tf.sub(tf.add(fakeNorms, refNorms), tf.mul(tf.matMul(fake, ref, false, true), 2));
      // Clamp round-off below 0; the small constant keeps sqrt's gradient finite at an exact copy.
      const nearest = tf.sqrt(tf.add(tf.relu(tf.min(squared, 1)), 1e-8));
      return tf.mean(tf.relu(tf.sub(margin, nearest))) as tf.Scalar;
    });
  return { weight, fn, readsRealRows, name: `near-copy (margin ${margin})`, width, margin };
}
