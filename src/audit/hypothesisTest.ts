/**
 * From an attack's mistakes to a LOWER bound on ε: the hypothesis-testing view of
 * differential privacy (Wasserman & Zhou 2010; Kairouz, Oh & Viswanath 2015). If a mechanism
 * is (ε, δ)-DP then ANY test that tries to tell "trained with the canary" from "trained
 * without it" has
 *
 *   FPR + e^ε · FNR ≥ 1 − δ   and   FNR + e^ε · FPR ≥ 1 − δ,
 *
 * so an attack observed to do better proves ε ≥ ln((1 − δ − FPR)/FNR) (and the mirror image).
 * Rates measured on finitely many trials are replaced by their Clopper–Pearson upper bounds
 * (Jagielski et al. 2020; Nasr et al. 2021), which makes the result a bound that holds with
 * the stated confidence. Valid when each trial is an independent training run in which the
 * canary was in or out: one model and many different rows is a different experiment (see
 * oneRun.ts for that).
 */
import { InputError, requireNumber } from "../validation/errors";
import { clopperPearson, requireCounts } from "./statistics";

export interface AttackCounts {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

export interface EpsilonFromCounts {
  /** max(0, both directions): holds with probability ≥ confidence. */
  epsilonLowerBound: number;
  /** Which inequality gave it ("fpr" = ln((1−δ−FPR)/FNR), "fnr" = the mirror), or null if neither. */
  direction: "fpr" | "fnr" | null;
  /** Upper ends of the Clopper–Pearson intervals used (each two-sided at `confidence`). */
  fprUpper: number;
  fnrUpper: number;
  /** The same formulas on the raw rates: NOT a bound (∞ when an error rate is 0). */
  pointEstimate: number;
  confidence: number;
  delta: number;
}

const bound = (one: number, other: number, delta: number): number => {
  const numerator = 1 - delta - one;
  if (numerator <= 0) return 0;
  if (other === 0) return Infinity;
  return Math.max(0, Math.log(numerator / other));
};

export function epsilonLowerBoundFromCounts(
  counts: AttackCounts,
  { delta, confidence = 0.95 }: { delta: number; confidence?: number },
): EpsilonFromCounts {
  if (counts === null || typeof counts !== "object") {
    throw new InputError("counts", "{ truePositives, falsePositives, trueNegatives, falseNegatives }", counts);
  }
  requireCounts({ ...counts });
  requireNumber("delta", delta, { min: 0, max: 1, maxExclusive: true });
  requireNumber("confidence", confidence, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = counts;
  if (tp + fn === 0) throw new InputError("counts", "at least one trial with the canary in (TP + FN > 0)", counts);
  if (fp + tn === 0) throw new InputError("counts", "at least one trial with the canary out (FP + TN > 0)", counts);
  // Two one-sided failures of probability (1 − confidence)/2 each: the union bound gives
  // joint coverage ≥ confidence, and these are the upper ends of the two-sided intervals.
  const fprUpper = clopperPearson(fp, fp + tn, confidence).upper;
  const fnrUpper = clopperPearson(fn, fn + tp, confidence).upper;
  const viaFpr = bound(fprUpper, fnrUpper, delta);
  const viaFnr = bound(fnrUpper, fprUpper, delta);
  const fpr = fp / (fp + tn);
  const fnr = fn / (fn + tp);
  const best = Math.max(viaFpr, viaFnr);
  return {
    epsilonLowerBound: best,
    direction: best === 0 ? null : viaFpr >= viaFnr ? "fpr" : "fnr",
    fprUpper,
    fnrUpper,
    pointEstimate: Math.max(bound(fpr, fnr, delta), bound(fnr, fpr, delta)),
    confidence,
    delta,
  };
}
