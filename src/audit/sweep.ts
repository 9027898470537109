/**
 * Does the privacy hold across budgets? For each ε: train once with canaries (one-run audit),
 * then measure on the released model its test accuracy and how well a loss-threshold
 * membership-inference attack separates members from non-members. One table: utility,
 * empirical leakage and the audited ε lower bound against the accountant's ε.
 */
import { lossThresholdAttack } from "../attacks/membershipInference";
import { loadMembershipData, type MembershipData, type MembershipDatasetName } from "../data/membershipData";
import { evaluateModel } from "../models/predict";
import type { TrainOptions, UnsafeForAudit } from "../pipeline/train";
import { InputError, requireNumber } from "../validation/errors";
import { LongRun, type LongRunOptions } from "../runtime/longRun";
import { auditTrainingRun, type CanaryKind } from "./canaryAudit";

/** `signal` stops the sweep (inside a training run, or between budgets); `onProgress` follows the budgets. */
export interface AuditSweepOptions extends LongRunOptions {
  /** A dataset name or already-loaded members/non-members. Default "patients". */
  dataset?: MembershipDatasetName | MembershipData;
  /** Default [0.5, 1, 2, 4, 8, Infinity]. */
  epsilons?: number[];
  canaries?: number;
  kind?: CanaryKind;
  /** Training recipe shared by every ε (epsilon, seed and unsafeForAudit are set per run). */
  training?: Omit<TrainOptions, "epsilon" | "seed" | "gradientCanaries" | "unsafeForAudit">;
  /** Break every finite-ε run on purpose (audit demonstration). */
  unsafeForAudit?: UnsafeForAudit;
  seed?: number;
  confidence?: number;
  onPoint?: (point: AuditSweepPoint, done: number, total: number) => void;
}

export interface AuditSweepPoint {
  epsilonTarget: number;
  /** What the training run's accountant reports (∞ without privacy). */
  accountantEpsilon: number;
  noiseMultiplier: number;
  testAccuracy: number;
  trainAccuracy: number;
  /** Loss-threshold attack, members vs non-members. */
  attackAuc: number;
  attackTprAt1PctFpr: number;
  /** One-run audit lower bound on ε (gradient canaries by default). */
  auditLowerBound: number;
  violation: boolean;
  correctGuesses: number;
  guesses: number;
  broken: boolean;
}

export interface AuditSweepTrace {
  dataset: string;
  description: string;
  members: number;
  nonMembers: number;
  canaries: number;
  kind: CanaryKind;
  model: string;
  confidence: number;
  seed: number;
  notes: string[];
}

export const DEFAULT_AUDIT_EPSILONS: readonly number[] = [0.5, 1, 2, 4, 8, Infinity];

export async function runAuditSweep(
  options: AuditSweepOptions = {},
): Promise<{ output: { points: AuditSweepPoint[] }; trace: AuditSweepTrace }> {
  const seed = requireNumber("seed", options.seed ?? 7, { integer: true });
  const epsilons = options.epsilons ?? [...DEFAULT_AUDIT_EPSILONS];
  if (!Array.isArray(epsilons) || epsilons.length === 0) throw new InputError("epsilons", "at least one value", epsilons);
  epsilons.forEach((e, i) => {
    if (!(typeof e === "number" && e > 0)) throw new InputError(`epsilons[${i}]`, "a number > 0 (or Infinity)", e);
  });
  const dataset = options.dataset ?? "patients";
  const data = typeof dataset === "string" ? loadMembershipData(dataset, { seed }) : dataset;
  const kind = options.kind ?? "gradient";
  const points: AuditSweepPoint[] = [];
  let canaries = 0;
  const progress = new LongRun("runAuditSweep", epsilons.length, "budget", options);
  try {
    for (const epsilon of epsilons) {
      const broken = options.unsafeForAudit !== undefined && Number.isFinite(epsilon);
      const { output, trace } = await auditTrainingRun({
        data: data.members,
        training: { ...(options.training ?? {}), epsilon, seed, ...(broken ? { unsafeForAudit: options.unsafeForAudit } : {}) },
        canaries: options.canaries,
        kind,
        confidence: options.confidence,
        seed,
      });
      canaries = trace.canaries;
      const attack = lossThresholdAttack({ model: output.model, members: data.members, nonMembers: data.nonMembers });
      const point: AuditSweepPoint = {
        epsilonTarget: epsilon,
        accountantEpsilon: trace.accountantEpsilon,
        noiseMultiplier: trace.noiseMultiplier,
        testAccuracy: evaluateModel(output.model, data.nonMembers.x, data.nonMembers.y).accuracy,
        trainAccuracy: evaluateModel(output.model, data.members.x, data.members.y).accuracy,
        attackAuc: attack.output.roc.auc,
        attackTprAt1PctFpr: attack.output.roc.tprAt1PctFpr,
        auditLowerBound: trace.epsilonLowerBound,
        violation: trace.violation,
        correctGuesses: trace.correctGuesses,
        guesses: trace.guesses,
        broken,
      };
      points.push(point);
      options.onPoint?.(point, points.length, epsilons.length);
      await progress.step(points.length, { ε: epsilon, "audited ε ≥": trace.epsilonLowerBound });
    }
    progress.finish();
  } finally {
    progress.close();
  }
  return {
    output: { points },
    trace: {
      dataset: data.name,
      description: data.description,
      members: data.members.x.length,
      nonMembers: data.nonMembers.x.length,
      canaries,
      kind,
      model: options.training?.model ?? "logistic",
      confidence: options.confidence ?? 0.95,
      seed,
      notes: [
        "Test accuracy is measured on the non-members, who are also the attack's negatives.",
        "The audited bound holds with the stated confidence per ε; a seeded sweep is one draw. A bound below the " +
          "accountant's ε is what correct DP-SGD must show; it does not prove the accountant's ε is reached.",
        ...(options.unsafeForAudit ? ["BROKEN on purpose: every finite-ε run skipped " + Object.keys(options.unsafeForAudit).join(" and ") + "."] : []),
      ],
    },
  };
}
