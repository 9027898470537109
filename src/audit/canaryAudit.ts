/**
 * The empirical privacy audit of one training run: plant m canaries (each in with
 * probability 1/2), train ONCE, score the canaries, and turn the guesses into a lower bound
 * on ε with Steinke, Nasr & Jagielski 2023 (oneRun.ts). A lower bound can only REFUTE a
 * privacy claim: if it exceeds the accountant's ε, the implementation is broken (or the
 * analysis wrong); if it stays below, the claim survived this test and nothing more.
 *
 * The run trains the real model: the canaries ride along (gradient canaries touch only
 * parameters the data never uses), so the released model, its accuracy and the audit all
 * come from the same run, which is the point of a one-run audit.
 */
import { trainPrivately, TRAIN_DEFAULTS, type TrainOptions, type TrainTrace } from "../pipeline/train";
import type { ModelData } from "../models/types";
import { MODEL_KINDS } from "../models/types";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import type { LabelledRows } from "../attacks/membershipInference";
import {
  drawInclusion,
  gradientCanaryScores,
  initialModelFor,
  inputCanaryScores,
  makeInputCanaries,
  padRows,
  planGradientCanaries,
  stripPaddedInputs,
} from "./canaries";
import { oneRunAudit, type OneRunAuditResult } from "./oneRun";

export type CanaryKind = "gradient" | "input";
export const CANARY_KINDS: readonly CanaryKind[] = ["gradient", "input"];

export interface AuditRunOptions {
  /** The training data (the real rows; canaries are added by the audit). */
  data: LabelledRows;
  /** How the model is trained, exactly as for trainPrivately (without gradientCanaries). */
  training?: Omit<TrainOptions, "gradientCanaries">;
  /** m, the number of canaries. Default 1000 gradient canaries, 100 input canaries. */
  canaries?: number;
  kind?: CanaryKind;
  /**
   * Norm of each gradient canary before clipping. Default 10·C: a worst-case example's
   * gradient is large; correct clipping cuts it to C, a missing clip lets all of it through.
   */
  canaryGradientNorm?: number;
  /** 1 − β. Default 0.95. */
  confidence?: number;
  guessSizes?: readonly number[];
  /** Seeds which canaries are in. Default: the training seed. */
  seed?: number;
}

export interface AuditRunTrace {
  stage: "auditTrainingRun";
  method: "one-run audit (Steinke, Nasr & Jagielski 2023)";
  kind: CanaryKind;
  canaries: number;
  included: number;
  /** Gradient canaries: zero input columns added to carry them; 0 for input canaries. */
  paddedInputs: number;
  canaryGradientNorm: number | null;
  epsilonClaimed: number;
  /** What the training run's accountant (RDP unless training.accountant says otherwise) says it spent (∞ without privacy). */
  accountantEpsilon: number;
  delta: number;
  noiseMultiplier: number;
  epsilonLowerBound: number;
  confidence: number;
  guesses: number;
  correctGuesses: number;
  /** True when the lower bound exceeds the accountant's ε: the claim is refuted. */
  violation: boolean;
  verdict: string;
  unsafeForAudit: TrainTrace["unsafeForAudit"] | null;
  training: TrainTrace;
  notes: string[];
}

export interface AuditRunOutput {
  /** The trained model on the real inputs only (padding stripped). */
  model: ModelData;
  audit: OneRunAuditResult;
  /** Per canary: its score and whether it was in. */
  scores: number[];
  included: boolean[];
}

function verdictFor(lowerBound: number, accountant: number, confidence: number, broken: boolean): string {
  const pct = `${(100 * confidence).toFixed(0)}%`;
  if (!Number.isFinite(accountant)) {
    return `No privacy claimed (ε = ∞). The canaries alone prove ε ≥ ${lowerBound.toFixed(2)} (${pct} confidence): the model leaks.`;
  }
  if (lowerBound > accountant) {
    return (
      `VIOLATION: the audit proves ε ≥ ${lowerBound.toFixed(2)} (${pct} confidence), above the claimed ε = ${accountant.toFixed(2)}. ` +
      (broken ? "As expected: this run was deliberately broken." : "The implementation does not deliver its guarantee.")
    );
  }
  return (
    `Consistent: the audit proves ε ≥ ${lowerBound.toFixed(2)} (${pct} confidence), which does not contradict the ` +
    `accountant's ε = ${accountant.toFixed(2)}. An audit can refute a claim, never prove it.`
  );
}

export async function auditTrainingRun(options: AuditRunOptions): Promise<{ output: AuditRunOutput; trace: AuditRunTrace }> {
  const data = options.data;
  if (!data || !Array.isArray(data.x) || data.x.length === 0 || !Array.isArray(data.x[0])) {
    throw new InputError("data.x", "a non-empty array of feature rows", data?.x);
  }
  const training = { ...(options.training ?? {}) } as TrainOptions;
  if ("gradientCanaries" in training) {
    throw new InputError("training.gradientCanaries", "absent (the audit plants its own canaries)", "set");
  }
  const kind = requireOneOf("kind", options.kind ?? "gradient", CANARY_KINDS);
  const count = requireNumber("canaries", options.canaries ?? (kind === "gradient" ? 1000 : 100), { min: 2, integer: true });
  const confidence = requireNumber("confidence", options.confidence ?? 0.95, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const model = requireOneOf("training.model", training.model ?? "logistic", MODEL_KINDS);
  const seed = requireNumber("training.seed", training.seed ?? 7, { integer: true });
  const auditSeed = requireNumber("seed", options.seed ?? seed, { integer: true });
  const clipNorm = training.clipNorm ?? TRAIN_DEFAULTS[model].clipNorm;
  const included = drawInclusion(count, auditSeed);
  const inputs = data.x[0].length;

  let trained: Awaited<ReturnType<typeof trainPrivately>>;
  let scores: number[];
  let released: ModelData;
  let paddedInputs = 0;
  let canaryGradientNorm: number | null = null;
  if (kind === "gradient") {
    canaryGradientNorm = requireNumber("canaryGradientNorm", options.canaryGradientNorm ?? 10 * clipNorm, { min: 0, minExclusive: true });
    const plan = planGradientCanaries({ inputs, count, model, hidden: training.hidden });
    paddedInputs = plan.paddedInputs;
    trained = await trainPrivately(
      { x: padRows(data.x, plan.paddedInputs), y: data.y },
      {
        ...training,
        gradientCanaries: { indices: plan.indices.filter((_, c) => included[c]), magnitude: canaryGradientNorm },
      },
    );
    const initial = initialModelFor({ model, hidden: training.hidden, inputs: inputs + plan.paddedInputs, seed });
    scores = gradientCanaryScores(initial, trained.output.model, plan.indices);
    released = stripPaddedInputs(trained.output.model, inputs);
  } else {
    const canaries = makeInputCanaries(data, count, auditSeed);
    const inRows = canaries.x.flatMap((_, c) => (included[c] ? [c] : []));
    trained = await trainPrivately(
      { x: [...data.x, ...inRows.map((c) => canaries.x[c])], y: [...data.y, ...inRows.map((c) => canaries.y[c])] },
      training,
    );
    const initial = initialModelFor({ model, hidden: training.hidden, inputs, seed });
    scores = inputCanaryScores(initial, trained.output.model, canaries);
    released = trained.output.model;
  }

  const t = trained.trace;
  const audit = oneRunAudit({ scores, included, delta: t.delta, confidence, guessSizes: options.guessSizes });
  const broken = t.unsafeForAudit !== undefined;
  return {
    output: { model: released, audit, scores, included },
    trace: {
      stage: "auditTrainingRun",
      method: "one-run audit (Steinke, Nasr & Jagielski 2023)",
      kind,
      canaries: count,
      included: audit.included,
      paddedInputs,
      canaryGradientNorm,
      epsilonClaimed: t.epsilonTarget,
      accountantEpsilon: t.epsilonSpent,
      delta: t.delta,
      noiseMultiplier: t.noiseMultiplier,
      epsilonLowerBound: audit.epsilonLowerBound,
      confidence,
      guesses: audit.best.guesses,
      correctGuesses: audit.best.correct,
      violation: audit.epsilonLowerBound > t.epsilonSpent,
      verdict: verdictFor(audit.epsilonLowerBound, t.epsilonSpent, confidence, broken),
      unsafeForAudit: t.unsafeForAudit ?? null,
      training: t,
      notes: [
        kind === "gradient"
          ? `White box: ${count} Dirac gradient canaries of norm ${canaryGradientNorm} on the first-layer weights of ` +
            `${paddedInputs} zero input column(s), Poisson-sampled, clipped and noised like rows; score = θ₀ − θ_T on each canary's weight.`
          : `Black box: ${count} input canaries (columns resampled from the data, random labels); score = loss before − loss after training.`,
        "Each canary was in with probability 1/2; the auditor guesses in/out for the highest/lowest scores only and the " +
          "number of correct guesses is converted to ε with Steinke et al.'s Theorem 5.2, each guess size at a Bonferroni-corrected level.",
        "The bound holds with the stated confidence over the run's randomness (sampling, noise, canary coin flips): a " +
          "seeded run is one draw of it.",
      ],
    },
  };
}
