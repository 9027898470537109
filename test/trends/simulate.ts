/**
 * Seeded scored rows for the trends tests: every row has a group, a 0/1 label and a model
 * probability. In a "degraded" group the model under-scores the actual positives (a recall
 * bias) and/or over-scores the negatives (a precision bias), by amounts the test controls;
 * with no degraded group all groups share one distribution.
 */
import { createRng } from "../../src/random/rng";

export interface Simulated {
  labels: number[];
  probabilities: number[];
  groups: { segment: string[] };
}

export function simulateScores(options: {
  seed: number;
  rows: number;
  segments?: readonly string[];
  degraded?: string;
  /** How far the degraded group's positives' logits are pushed down (missed buyers: lower recall). */
  shift?: number;
  /** How far the degraded group's negatives' logits are pushed up (false alarms: lower precision). */
  negativeShift?: number;
  positiveRate?: number;
}): Simulated {
  const { seed, rows, segments = ["A", "B", "C", "D"], degraded, shift = 2, negativeShift = 0, positiveRate = 0.4 } = options;
  const rng = createRng(seed);
  const labels: number[] = [];
  const probabilities: number[] = [];
  const segment: string[] = [];
  for (let i = 0; i < rows; i++) {
    const group = segments[rng.int(segments.length)];
    const label = rng.uniform() < positiveRate ? 1 : 0;
    let logit = (label === 1 ? 1.5 : -1.5) + rng.normal();
    if (group === degraded) logit += label === 1 ? -shift : negativeShift;
    segment.push(group);
    labels.push(label);
    probabilities.push(1 / (1 + Math.exp(-logit)));
  }
  return { labels, probabilities, groups: { segment } };
}
