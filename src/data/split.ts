/**
 * Train/test split: seeded, stratified by outcome (both parts keep the overall class
 * balance, which matters with only 200 test rows), indices returned sorted.
 */
import { createRng, type Rng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";

export interface SplitOptions {
  /** Number of test rows, an integer in [1, N − 1]. */
  testSize?: number;
  seed: number | string;
}

export interface Split {
  train: number[];
  test: number[];
}

export function splitTrainTest(labels: readonly number[], { testSize = 200, seed }: SplitOptions): Split {
  if (!Array.isArray(labels as unknown) || labels.length < 2) {
    throw new InputError("labels", "an array of at least 2 labels (0 or 1)", labels);
  }
  labels.forEach((label, i) => {
    if (label !== 0 && label !== 1) throw new InputError(`labels[${i}]`, "0 or 1", label);
  });
  const n = labels.length;
  requireNumber("testSize", testSize, { min: 1, max: n - 1, integer: true });
  if (typeof seed !== "number" && typeof seed !== "string") {
    throw new InputError("seed", "a number or a string", seed);
  }

  const rng = createRng(seed).fork("split");
  const byClass = [0, 1].map((c) => shuffle(labels.flatMap((l, i) => (l === c ? [i] : [])), rng));
  // Test rows per class in proportion to the class sizes; class 1 gets the rounded share.
  const positivesInTest = Math.min(byClass[1].length, Math.round((testSize * byClass[1].length) / n));
  const negativesInTest = testSize - positivesInTest;
  const test = [...byClass[0].slice(0, negativesInTest), ...byClass[1].slice(0, positivesInTest)];
  const train = [...byClass[0].slice(negativesInTest), ...byClass[1].slice(positivesInTest)];
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** k distinct indices of [0, n), sorted: the first k of a seeded Fisher–Yates shuffle. */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort((a, b) => a - b);
}

/**
 * The split with only `size` of its training rows (a seeded random subset), the test rows
 * unchanged: the same people are tested whatever the training-set size.
 */
export function withTrainSize(split: Split, size: number, seed: number | string): Split {
  requireNumber("trainSize", size, { min: 2, max: split.train.length, integer: true });
  const rng = createRng(seed).fork("trainSize");
  return { train: sampleIndices(split.train.length, size, rng).map((i) => split.train[i]), test: [...split.test] };
}

function shuffle(items: number[], rng: Rng): number[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Checks that a given split is a partition of `rows` rows: every row exactly once, in train or test. */
export function checkSplit(value: unknown, rows: number, field = "split"): Split {
  const split = value as Partial<Split> | null;
  if (split === null || typeof split !== "object") {
    throw new InputError(field, "an object { train: number[]; test: number[] }", value);
  }
  const owner = new Array<string | undefined>(rows);
  for (const part of ["train", "test"] as const) {
    const indices = split[part];
    if (!Array.isArray(indices) || indices.length === 0) {
      throw new InputError(`${field}.${part}`, "a non-empty array of row indices", indices);
    }
    indices.forEach((i, k) => {
      const at = `${field}.${part}[${k}]`;
      requireNumber(at, i, { min: 0, max: rows - 1, integer: true });
      if (owner[i] !== undefined) throw new InputError(at, `a row not already in ${owner[i]}`, i);
      owner[i] = part;
    });
  }
  const unassigned = owner.findIndex((o) => o === undefined);
  if (unassigned >= 0) {
    throw new InputError(field, `train and test covering all ${rows} rows; missing row`, unassigned);
  }
  return { train: [...(split.train as number[])], test: [...(split.test as number[])] };
}
