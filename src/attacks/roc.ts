/**
 * How to report a membership-inference attack: the whole ROC curve, its AUC, and the true-
 * positive rate at LOW false-positive rates (1 %, 0.1 %). Carlini et al. 2022 ("Membership
 * inference attacks from first principles", §3) argue that average-case numbers like AUC or
 * accuracy hide what matters: an attack that confidently identifies even a few people is a
 * privacy failure, and only TPR at low FPR shows it.
 *
 * Convention: label 1 = member (the row was in the training data); a higher score means
 * "more likely a member"; the attack says "member" when score ≥ threshold.
 */
import { InputError, requireNumber } from "../validation/errors";

export interface RocPoint {
  fpr: number;
  tpr: number;
  /** Say "member" when score ≥ threshold (∞ at the first point: nobody is accused). */
  threshold: number;
}

export interface TprAtFpr {
  fpr: number;
  tpr: number;
}

export interface RocSummary {
  /** From (0, 0) to (1, 1), one point per distinct score. */
  points: RocPoint[];
  /** Area under the curve (ties count one half): 0.5 is guessing, 1 is perfect. */
  auc: number;
  /** Largest TPR among thresholds whose FPR is at most each requested level. */
  tprAtFpr: TprAtFpr[];
  tprAt1PctFpr: number;
  tprAt01PctFpr: number;
  /** max(TPR − FPR): the membership advantage of Yeom et al. 2018 at the best threshold. */
  maxAdvantage: number;
  members: number;
  nonMembers: number;
  /** 1 / nonMembers: FPR levels below it can only be read as FPR = 0. */
  fprResolution: number;
}

export const DEFAULT_FPR_LEVELS: readonly number[] = [0.01, 0.001];

export function checkScores(labels: readonly number[], scores: readonly number[], field = "scores"): void {
  if (!Array.isArray(labels as unknown) || labels.length === 0) {
    throw new InputError("isMember", "a non-empty array of 0/1 (1 = member)", labels);
  }
  if (!Array.isArray(scores as unknown) || scores.length !== labels.length) {
    throw new InputError(field, `an array of ${labels.length} numbers (one per label)`, scores);
  }
  let members = 0;
  labels.forEach((label, i) => {
    if (label !== 0 && label !== 1) throw new InputError(`isMember[${i}]`, "0 or 1", label);
    members += label;
  });
  if (members === 0 || members === labels.length) {
    throw new InputError("isMember", "both members (1) and non-members (0)", `${members} members of ${labels.length}`);
  }
  scores.forEach((score, i) => {
    if (typeof score !== "number" || Number.isNaN(score)) throw new InputError(`${field}[${i}]`, "a number", score);
  });
}

/** The ROC curve over every distinct threshold (tied scores move TPR and FPR together). */
export function rocCurve(labels: readonly number[], scores: readonly number[]): RocPoint[] {
  checkScores(labels, scores);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives = labels.reduce((a: number, b) => a + b, 0);
  const negatives = labels.length - positives;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; ) {
    const threshold = scores[order[k]];
    while (k < order.length && scores[order[k]] === threshold) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
      k++;
    }
    points.push({ fpr: fp / negatives, tpr: tp / positives, threshold });
  }
  return points;
}

/** Trapezoid rule over the curve; equals the Mann–Whitney statistic with ties counted one half. */
export function areaUnderCurve(points: readonly RocPoint[]): number {
  let area = 0;
  for (let k = 1; k < points.length; k++) {
    area += ((points[k].fpr - points[k - 1].fpr) * (points[k].tpr + points[k - 1].tpr)) / 2;
  }
  return area;
}

/**
 * The best TPR at FPR ≤ level, read off the curve without interpolation (as Carlini et al.
 * 2022 report it): interpolating would credit the attack with thresholds it does not have.
 */
export function tprAtFpr(points: readonly RocPoint[], level: number): number {
  requireNumber("fpr", level, { min: 0, max: 1 });
  let best = 0;
  for (const p of points) if (p.fpr <= level + 1e-12 && p.tpr > best) best = p.tpr;
  return best;
}

export function summariseRoc(
  labels: readonly number[],
  scores: readonly number[],
  fprLevels: readonly number[] = DEFAULT_FPR_LEVELS,
): RocSummary {
  fprLevels.forEach((level, i) => requireNumber(`fprLevels[${i}]`, level, { min: 0, max: 1 }));
  const points = rocCurve(labels, scores);
  const members = labels.reduce((a: number, b) => a + b, 0);
  const nonMembers = labels.length - members;
  return {
    points,
    auc: areaUnderCurve(points),
    tprAtFpr: fprLevels.map((fpr) => ({ fpr, tpr: tprAtFpr(points, fpr) })),
    tprAt1PctFpr: tprAtFpr(points, 0.01),
    tprAt01PctFpr: tprAtFpr(points, 0.001),
    maxAdvantage: Math.max(...points.map((p) => p.tpr - p.fpr)),
    members,
    nonMembers,
    fprResolution: 1 / nonMembers,
  };
}

/** At most `maxPoints` points of a curve for a chart, always keeping the ends and the low-FPR corner. */
export function thinCurve(points: readonly RocPoint[], maxPoints = 400): RocPoint[] {
  if (points.length <= maxPoints) return points.slice();
  const keep = new Set<number>([0, points.length - 1]);
  // Every point below 1 % FPR is kept: that corner is what the log-scale plot is about.
  points.forEach((p, i) => {
    if (p.fpr <= 0.01) keep.add(i);
  });
  const step = (points.length - 1) / Math.max(1, maxPoints - keep.size);
  for (let t = 0; t < points.length; t += step) keep.add(Math.round(t));
  return [...keep].sort((a, b) => a - b).map((i) => points[i]);
}
