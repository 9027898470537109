/**
 * The classic audit with MANY training runs (Jagielski et al. 2020; Nasr et al. 2021): in each
 * run one gradient canary is in or out by a fair coin, the auditor scores it, and the runs are
 * independent trials of the mechanism, so the attack's true/false positives bound ε through
 * the hypothesis-testing inequalities with Clopper–Pearson intervals (hypothesisTest.ts).
 *
 * The threshold is chosen on the first half of the runs and the bound computed on the second
 * half: choosing it on the same trials would overstate the confidence. Costs `runs` trainings;
 * the one-run audit (canaryAudit.ts) is the cheap alternative.
 */
import { trainPrivately, TRAIN_DEFAULTS, type TrainOptions } from "../pipeline/train";
import { MODEL_KINDS } from "../models/types";
import { createRng } from "../random/rng";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { LongRun, type LongRunOptions } from "../runtime/longRun";
import type { LabelledRows } from "../attacks/membershipInference";
import { gradientCanaryScores, initialModelFor, padRows, planGradientCanaries } from "./canaries";
import { epsilonLowerBoundFromCounts, type AttackCounts, type EpsilonFromCounts } from "./hypothesisTest";

export interface MultiRunAuditResult {
  bound: EpsilonFromCounts;
  counts: AttackCounts;
  /** Chosen on the calibration half: say "in" when score ≥ threshold. */
  threshold: number;
  /** Every run: was the canary in, and its score. */
  trials: { included: boolean; score: number; seed: number }[];
  accountantEpsilon: number;
  runs: number;
}

function countsAt(trials: readonly { included: boolean; score: number }[], threshold: number): AttackCounts {
  const c: AttackCounts = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (const t of trials) {
    const sayIn = t.score >= threshold;
    if (sayIn && t.included) c.truePositives++;
    else if (sayIn) c.falsePositives++;
    else if (t.included) c.falseNegatives++;
    else c.trueNegatives++;
  }
  return c;
}

/** `signal` stops the audit inside a training run; `onProgress` follows the runs. */
export async function multiRunAudit(params: LongRunOptions & {
  data: LabelledRows;
  training?: Omit<TrainOptions, "gradientCanaries" | "seed">;
  /** Independent training runs (even, ≥ 8). Default 200. */
  runs?: number;
  canaryGradientNorm?: number;
  confidence?: number;
  seed?: number;
  onRun?: (done: number, total: number) => void;
}): Promise<{ output: MultiRunAuditResult; trace: { method: string; notes: string[] } }> {
  const runs = requireNumber("runs", params.runs ?? 200, { min: 8, integer: true });
  if (runs % 2 !== 0) throw new InputError("runs", "an even integer ≥ 8 (half calibrate the threshold, half bound ε)", runs);
  const confidence = requireNumber("confidence", params.confidence ?? 0.95, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const seed = requireNumber("seed", params.seed ?? 7, { integer: true });
  if (!params.data || !Array.isArray(params.data.x) || params.data.x.length === 0) {
    throw new InputError("data.x", "a non-empty array of rows", params.data?.x);
  }
  const training = { ...(params.training ?? {}) } as TrainOptions;
  if ("seed" in training || "gradientCanaries" in training) {
    throw new InputError("training", "options without seed and gradientCanaries (each run gets its own seed and canary)", "set");
  }
  const model = requireOneOf("training.model", training.model ?? "logistic", MODEL_KINDS);
  const magnitude = requireNumber(
    "canaryGradientNorm",
    params.canaryGradientNorm ?? 10 * (training.clipNorm ?? TRAIN_DEFAULTS[model].clipNorm),
    { min: 0, minExclusive: true },
  );
  const inputs = params.data.x[0].length;
  // One canary; a second (never inserted) planned slot keeps the padding logic of the one-run audit.
  const plan = planGradientCanaries({ inputs, count: 2, model, hidden: training.hidden });
  const x = padRows(params.data.x, plan.paddedInputs);
  const coins = createRng(seed).fork("multi-run");

  const trials: { included: boolean; score: number; seed: number }[] = [];
  let accountantEpsilon = Infinity;
  const progress = new LongRun("multiRunAudit", runs, "run", params);
  try {
    for (let r = 0; r < runs; r++) {
      const included = coins.uniform() < 0.5;
      const runSeed = seed * 100_003 + r + 1;
      const trained = await trainPrivately(
        { x, y: params.data.y },
        { ...training, seed: runSeed, gradientCanaries: { indices: included ? [plan.indices[0]] : [], magnitude }, ...progress.nested(1) },
      );
      accountantEpsilon = trained.trace.epsilonSpent;
      const initial = initialModelFor({ model, hidden: training.hidden, inputs: inputs + plan.paddedInputs, seed: runSeed });
      trials.push({ included, score: gradientCanaryScores(initial, trained.output.model, [plan.indices[0]])[0], seed: runSeed });
      params.onRun?.(r + 1, runs);
      await progress.step(r + 1);
    }
    progress.finish();
  } finally {
    progress.close();
  }

  const calibration = trials.slice(0, runs / 2);
  const evaluation = trials.slice(runs / 2);
  const hasBoth = (t: typeof trials) => t.some((v) => v.included) && t.some((v) => !v.included);
  if (!hasBoth(calibration) || !hasBoth(evaluation)) {
    throw new InputError("runs", "enough runs that each half has the canary both in and out", runs);
  }
  const delta = training.delta ?? 1e-5;
  const bounded = (t: typeof trials, threshold: number) =>
    epsilonLowerBoundFromCounts(countsAt(t, threshold), { delta, confidence }).epsilonLowerBound;
  let threshold = Infinity;
  let bestOnCalibration = -1;
  for (const candidate of calibration.map((t) => t.score)) {
    const value = bounded(calibration, candidate);
    if (value > bestOnCalibration) {
      bestOnCalibration = value;
      threshold = candidate;
    }
  }
  const counts = countsAt(evaluation, threshold);
  return {
    output: {
      bound: epsilonLowerBoundFromCounts(counts, { delta, confidence }),
      counts,
      threshold,
      trials,
      accountantEpsilon,
      runs,
    },
    trace: {
      method: "multi-run audit: one gradient canary in/out per run, Clopper–Pearson bounds on FPR and FNR",
      notes: [
        ...(training.unsafeForAudit
          ? [`BROKEN DP-SGD on purpose (${Object.keys(training.unsafeForAudit).join(", ")}): the accountant's ε of these runs is false.`]
          : []),
        `${runs} independent training runs; the threshold was chosen on runs 1–${runs / 2} and the bound computed on runs ${runs / 2 + 1}–${runs}.`,
        `With n trials per side even a perfect attack proves at most about ln(n / 3.7) at 95%: many runs buy a higher ceiling.`,
      ],
    },
  };
}
