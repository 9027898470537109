/**
 * Membership inference: given a trained model and a person's record, was the record in the
 * training data? Two attacks, each a pure function of plain data returning its output and a
 * trace:
 *
 * - lossThresholdAttack (Yeom et al. 2018, "Privacy risk in machine learning"): training rows
 *   tend to have lower loss, so a low loss says "member". Needs only the model's outputs.
 * - likelihoodRatioAttack (LiRA, Carlini et al. 2022, "Membership inference attacks from first
 *   principles"): train shadow models on random halves of the candidates, so that for every
 *   candidate some shadows saw it ("in") and some did not ("out"); fit a Gaussian to each side
 *   of its logit-scaled confidence, and score the target model's confidence by the likelihood
 *   ratio. It calibrates per example: an unusual record with a high loss everywhere is not
 *   mistaken for a non-member, which is what makes it strong at low false-positive rates.
 *
 * Ground-truth membership is used ONLY to evaluate an attack (its ROC curve), never to score.
 */
import type { ModelData } from "../models/types";
import { predictLogits } from "../models/predict";
import { createRng } from "../random/rng";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { LongRun, type LongRunOptions } from "../runtime/longRun";
import { checkScores, summariseRoc, type RocSummary } from "./roc";

export interface LabelledRows {
  x: number[][];
  /** Labels 0/1, one per row. */
  y: number[];
}

export interface MembershipAttackOutput {
  attack: "loss-threshold" | "lira";
  /** One per candidate: higher = more likely a member. */
  scores: number[];
  /** Ground truth, one per candidate (1 = member), used only for the ROC. */
  isMember: number[];
  roc: RocSummary;
}

function checkRows(rows: LabelledRows, field: string): void {
  if (!rows || !Array.isArray(rows.x) || rows.x.length === 0) {
    throw new InputError(`${field}.x`, "a non-empty array of feature rows", rows?.x);
  }
  if (!Array.isArray(rows.y) || rows.y.length !== rows.x.length) {
    throw new InputError(`${field}.y`, `${rows.x.length} labels (one per row)`, rows?.y);
  }
  rows.y.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new InputError(`${field}.y[${i}]`, "0 or 1", v);
  });
}

/**
 * The logit-scaled confidence of the TRUE label, log(p_y / (1 − p_y)). For a binary model
 * with logit z it is z when y = 1 and −z when y = 0: exactly Gaussian-friendly, no clipping
 * of probabilities near 0 or 1 needed (Carlini et al. 2022, §4.2).
 */
export function scaledConfidences(model: ModelData, rows: LabelledRows): number[] {
  return predictLogits(model, rows.x).map((z, i) => (rows.y[i] === 1 ? z : -z));
}

/** Per-example binary cross-entropy, computed from the scaled confidence φ: log(1 + e^−φ). */
export function perExampleLoss(model: ModelData, rows: LabelledRows): number[] {
  return scaledConfidences(model, rows).map((phi) => Math.max(-phi, 0) + Math.log1p(Math.exp(-Math.abs(phi))));
}

export interface LossAttackTrace {
  attack: "loss-threshold (Yeom et al. 2018)";
  members: number;
  nonMembers: number;
  meanLossMembers: number;
  meanLossNonMembers: number;
  /** Yeom et al.'s operating point: "member" iff loss ≤ the mean training loss. */
  yeomThreshold: number;
  yeomTpr: number;
  yeomFpr: number;
  /** TPR − FPR at that threshold (0 = no better than a coin). */
  yeomAdvantage: number;
  notes: string[];
}

/**
 * Score = −loss. Yeom et al. assume the attacker knows the average training loss and says
 * "member" below it; the ROC curve sweeps every threshold instead, i.e. the best any loss
 * threshold could do.
 */
export function lossThresholdAttack(params: {
  model: ModelData;
  members: LabelledRows;
  nonMembers: LabelledRows;
}): { output: MembershipAttackOutput; trace: LossAttackTrace } {
  checkRows(params.members, "members");
  checkRows(params.nonMembers, "nonMembers");
  const memberLoss = perExampleLoss(params.model, params.members);
  const nonMemberLoss = perExampleLoss(params.model, params.nonMembers);
  const scores = [...memberLoss, ...nonMemberLoss].map((l) => -l);
  const isMember = [...memberLoss.map(() => 1), ...nonMemberLoss.map(() => 0)];
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const threshold = mean(memberLoss);
  const tpr = memberLoss.filter((l) => l <= threshold).length / memberLoss.length;
  const fpr = nonMemberLoss.filter((l) => l <= threshold).length / nonMemberLoss.length;
  return {
    output: { attack: "loss-threshold", scores, isMember, roc: summariseRoc(isMember, scores) },
    trace: {
      attack: "loss-threshold (Yeom et al. 2018)",
      members: memberLoss.length,
      nonMembers: nonMemberLoss.length,
      meanLossMembers: threshold,
      meanLossNonMembers: mean(nonMemberLoss),
      yeomThreshold: threshold,
      yeomTpr: tpr,
      yeomFpr: fpr,
      yeomAdvantage: tpr - fpr,
      notes: [
        "The attacker queries the model's loss on each candidate record (black box: outputs only).",
        "A generalisation gap (training loss below test loss) is what this attack measures; a model that does " +
          "not overfit gives it little, DP or not.",
      ],
    },
  };
}

/** Trains one shadow model on `data` with `seed`: the attacker's copy of the training recipe. */
export type ShadowTrainer = (data: LabelledRows, seed: number) => Promise<ModelData>;

export interface LiraTrace {
  attack: "LiRA (Carlini et al. 2022), online, Gaussian fits in logit space";
  shadows: number;
  /** Each candidate was in exactly shadows/2 shadow training sets. */
  inPerCandidate: number;
  variance: "global" | "per-example";
  /** Pooled standard deviations of the scaled confidences around each candidate's mean. */
  globalStdIn: number;
  globalStdOut: number;
  /** Mean over candidates of μ_in − μ_out: how much being trained on raises the confidence. */
  meanInOutGap: number;
  seed: number;
  notes: string[];
}

const logNormal = (x: number, mu: number, sd: number) => -0.5 * ((x - mu) / sd) ** 2 - Math.log(sd);

/**
 * Online LiRA. The shadows are trained on a balanced design (Carlini et al.'s reference
 * code): for every candidate, exactly half of the shadow models include it, chosen at
 * random from the seed. With few shadows (tens, not hundreds) one variance per side pooled
 * over all candidates is more stable than per-example variances (Carlini et al. 2022, §VI-A).
 */
export async function likelihoodRatioAttack(params: LongRunOptions & {
  targetModel: ModelData;
  /** Everyone the attacker asks about (the target's members and non-members, mixed). */
  candidates: LabelledRows;
  /** Ground truth for the ROC only. */
  isMember: number[];
  train: ShadowTrainer;
  shadows?: number;
  variance?: "global" | "per-example";
  seed?: number;
  onShadow?: (done: number, total: number) => void;
}): Promise<{ output: MembershipAttackOutput; trace: LiraTrace }> {
  checkRows(params.candidates, "candidates");
  const n = params.candidates.x.length;
  if (!Array.isArray(params.isMember) || params.isMember.length !== n) {
    throw new InputError("isMember", `an array of ${n} labels 0/1 (one per candidate)`, params.isMember);
  }
  checkScores(params.isMember, new Array<number>(n).fill(0));
  const shadows = requireNumber("shadows", params.shadows ?? 8, { min: 2, integer: true });
  if (shadows % 2 !== 0) throw new InputError("shadows", "an even integer ≥ 2 (half in, half out)", shadows);
  const variance = requireOneOf("variance", params.variance ?? "global", ["global", "per-example"] as const);
  const seed = requireNumber("seed", params.seed ?? 7, { integer: true });
  if (typeof params.train !== "function") throw new InputError("train", "a function (data, seed) => Promise<ModelData>", params.train);

  // keep[s][i]: candidate i is in shadow s's training set. Exactly shadows/2 per candidate.
  const rng = createRng(seed).fork("lira");
  const keep = Array.from({ length: shadows }, () => new Array<boolean>(n).fill(false));
  for (let i = 0; i < n; i++) {
    const order = Array.from({ length: shadows }, (_, s) => s);
    for (let k = shadows - 1; k > 0; k--) {
      const j = rng.int(k + 1);
      [order[k], order[j]] = [order[j], order[k]];
    }
    for (let k = 0; k < shadows / 2; k++) keep[order[k]][i] = true;
  }

  const inside: number[][] = Array.from({ length: n }, () => []);
  const outside: number[][] = Array.from({ length: n }, () => []);
  // The shadows' own training runs obey the kernel's signal; a caller's is checked between shadows.
  const progress = new LongRun("LiRA shadow models", shadows, "model", params);
  try {
    for (let s = 0; s < shadows; s++) {
      const rows = keep[s].flatMap((k, i) => (k ? [i] : []));
      const model = await params.train(
        { x: rows.map((i) => params.candidates.x[i]), y: rows.map((i) => params.candidates.y[i]) },
        seed * 1000 + s + 1,
      );
      scaledConfidences(model, params.candidates).forEach((phi, i) => (keep[s][i] ? inside : outside)[i].push(phi));
      params.onShadow?.(s + 1, shadows);
      await progress.step(s + 1);
    }
    progress.finish();
  } finally {
    progress.close();
  }

  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const muIn = inside.map(mean);
  const muOut = outside.map(mean);
  const pooled = (groups: number[][], mus: number[]) => {
    let sum = 0;
    let count = 0;
    groups.forEach((g, i) => {
      for (const v of g) sum += (v - mus[i]) ** 2;
      count += g.length - 1;
    });
    return Math.sqrt(sum / Math.max(1, count));
  };
  // A floor keeps the ratio finite when shadows agree exactly (e.g. a constant model).
  const floor = 1e-6;
  const globalIn = Math.max(floor, pooled(inside, muIn));
  const globalOut = Math.max(floor, pooled(outside, muOut));
  const sd = (v: number[], mu: number, fallback: number) =>
    v.length < 2 ? fallback : Math.max(floor, Math.sqrt(v.reduce((a, x) => a + (x - mu) ** 2, 0) / (v.length - 1)));

  const target = scaledConfidences(params.targetModel, params.candidates);
  const scores = target.map((phi, i) => {
    const sIn = variance === "global" ? globalIn : sd(inside[i], muIn[i], globalIn);
    const sOut = variance === "global" ? globalOut : sd(outside[i], muOut[i], globalOut);
    return logNormal(phi, muIn[i], sIn) - logNormal(phi, muOut[i], sOut);
  });
  const isMember = [...params.isMember];
  return {
    output: { attack: "lira", scores, isMember, roc: summariseRoc(isMember, scores) },
    trace: {
      attack: "LiRA (Carlini et al. 2022), online, Gaussian fits in logit space",
      shadows,
      inPerCandidate: shadows / 2,
      variance,
      globalStdIn: globalIn,
      globalStdOut: globalOut,
      meanInOutGap: mean(muIn.map((m, i) => m - muOut[i])),
      seed,
      notes: [
        "The attacker knows the training recipe (model, hyper-parameters, DP settings) and has the candidate " +
          "records, but not which of them the target was trained on: the strong, standard threat model.",
        `Each of the ${shadows} shadow models was trained on a random half of the candidates; a candidate's ` +
          "score compares the target's confidence on it with the shadows that did and did not see it.",
      ],
    },
  };
}
