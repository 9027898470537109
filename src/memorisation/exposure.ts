/**
 * Does the model memorise a unique record? The "secret sharer" test of Carlini et al. 2019
 * ("The secret sharer: evaluating and testing unintended memorization in neural networks"),
 * adapted from text to a tabular model.
 *
 * A canary is a record whose SECRET is which `secretSize` of the `secretColumns` are set (in
 * the hospital example: which rare diagnoses a patient has), on top of a fixed base record and
 * label. The candidates R are all possible secrets. After training with the canary inserted,
 * rank every candidate by the model's loss on it (lowest first); the canary's rank says how
 * much the model gives its secret away:
 *
 *   exposure = log₂|R| − log₂ rank
 *
 * 0 bits when the true secret looks like any other; log₂|R| bits when it is the model's
 * favourite, i.e. the model would reveal it to someone who tries every candidate. Ties are
 * ranked against the canary (a tie never adds exposure).
 */
import type { ModelData } from "../models/types";
import { createRng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";
import { perExampleLoss, type LabelledRows, type ShadowTrainer } from "../attacks/membershipInference";

export interface SecretTemplate {
  /** The canary's features; the secret columns are overwritten (0 or 1) by each candidate. */
  base: number[];
  label: 0 | 1;
  /** Columns that carry the secret (0/1 indicators). */
  secretColumns: number[];
  /** How many of those columns a secret sets to 1. */
  secretSize: number;
}

const MAX_CANDIDATES = 200_000;

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

function checkTemplate(t: SecretTemplate): void {
  if (!t || !Array.isArray(t.base) || t.base.length === 0) throw new InputError("template.base", "a non-empty feature row", t?.base);
  if (t.label !== 0 && t.label !== 1) throw new InputError("template.label", "0 or 1", t.label);
  if (!Array.isArray(t.secretColumns) || t.secretColumns.length < 2) {
    throw new InputError("template.secretColumns", "at least 2 column indices", t?.secretColumns);
  }
  const seen = new Set<number>();
  t.secretColumns.forEach((c, i) => {
    requireNumber(`template.secretColumns[${i}]`, c, { min: 0, max: t.base.length - 1, integer: true });
    if (seen.has(c)) throw new InputError(`template.secretColumns[${i}]`, "a column not listed twice", c);
    seen.add(c);
  });
  requireNumber("template.secretSize", t.secretSize, { min: 1, max: t.secretColumns.length - 1, integer: true });
  const count = binomial(t.secretColumns.length, t.secretSize);
  if (count > MAX_CANDIDATES) {
    throw new InputError("template.secretSize", `a size giving at most ${MAX_CANDIDATES} candidates`, `${count} candidates`);
  }
}

/** Every secret: each a sorted list of `size` columns out of `columns`, in lexicographic order. */
export function candidateSecrets(columns: readonly number[], size: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (from: number) => {
    if (pick.length === size) {
      out.push([...pick]);
      return;
    }
    for (let i = from; i <= columns.length - (size - pick.length); i++) {
      pick.push(columns[i]);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

/** The base record with exactly the secret's columns set to 1 among the secret columns. */
export function recordWithSecret(template: SecretTemplate, secret: readonly number[]): number[] {
  const row = [...template.base];
  for (const c of template.secretColumns) row[c] = 0;
  for (const c of secret) row[c] = 1;
  return row;
}

export function exposure(rank: number, candidates: number): number {
  requireNumber("candidates", candidates, { min: 1, integer: true });
  requireNumber("rank", rank, { min: 1, max: candidates, integer: true });
  return Math.log2(candidates) - Math.log2(rank);
}

export interface SecretRanking {
  /** 1 = the model's favourite candidate. */
  rank: number;
  candidates: number;
  exposure: number;
  /** The canary's loss and the median candidate's: how far it stands out. */
  canaryLoss: number;
  medianCandidateLoss: number;
}

/** Rank the true secret among all candidates by the model's loss (lower = more familiar). */
export function rankSecret(model: ModelData, template: SecretTemplate, secret: readonly number[]): SecretRanking {
  checkTemplate(template);
  const candidates = candidateSecrets(template.secretColumns, template.secretSize);
  const key = [...secret].sort((a, b) => a - b).join(",");
  const index = candidates.findIndex((c) => c.join(",") === key);
  if (index < 0) throw new InputError("secret", `${template.secretSize} of the secret columns`, secret.join(","));
  const losses = perExampleLoss(model, {
    x: candidates.map((c) => recordWithSecret(template, c)),
    y: candidates.map(() => template.label),
  });
  const canaryLoss = losses[index];
  const rank = 1 + losses.filter((l, i) => i !== index && l <= canaryLoss).length;
  const sorted = [...losses].sort((a, b) => a - b);
  return {
    rank,
    candidates: candidates.length,
    exposure: exposure(rank, candidates.length),
    canaryLoss,
    medianCandidateLoss: sorted[sorted.length >> 1],
  };
}

export interface ExposureTrace {
  test: "secret sharer (Carlini et al. 2019), tabular";
  secret: number[];
  repeats: number;
  candidates: number;
  /** log₂|R|: the exposure of a fully memorised secret. */
  maxExposure: number;
  rank: number;
  exposure: number;
  canaryLoss: number;
  medianCandidateLoss: number;
  seed: number;
  notes: string[];
}

/**
 * Insert one canary (`repeats` copies) into the training rows, train with `train`, and
 * measure its exposure. The secret is drawn from the seed among all candidates.
 */
export async function canaryExposureTest(params: {
  data: LabelledRows;
  template: SecretTemplate;
  train: ShadowTrainer;
  repeats?: number;
  seed?: number;
}): Promise<{ output: SecretRanking & { secret: number[]; model: ModelData }; trace: ExposureTrace }> {
  checkTemplate(params.template);
  if (!params.data || !Array.isArray(params.data.x) || params.data.x.length === 0) {
    throw new InputError("data.x", "a non-empty array of rows", params.data?.x);
  }
  if (params.data.x[0].length !== params.template.base.length) {
    throw new InputError("template.base", `a row of ${params.data.x[0].length} features like data.x`, params.template.base.length);
  }
  if (typeof params.train !== "function") throw new InputError("train", "a function (data, seed) => Promise<ModelData>", params.train);
  const repeats = requireNumber("repeats", params.repeats ?? 1, { min: 1, max: 1000, integer: true });
  const seed = requireNumber("seed", params.seed ?? 7, { integer: true });
  const candidates = candidateSecrets(params.template.secretColumns, params.template.secretSize);
  const secret = candidates[createRng(seed).fork("secret").int(candidates.length)];
  const canary = recordWithSecret(params.template, secret);
  const model = await params.train(
    {
      x: [...params.data.x, ...Array.from({ length: repeats }, () => canary)],
      y: [...params.data.y, ...Array.from({ length: repeats }, () => params.template.label)],
    },
    seed,
  );
  const ranking = rankSecret(model, params.template, secret);
  return {
    output: { ...ranking, secret, model },
    trace: {
      test: "secret sharer (Carlini et al. 2019), tabular",
      secret,
      repeats,
      candidates: ranking.candidates,
      maxExposure: Math.log2(ranking.candidates),
      rank: ranking.rank,
      exposure: ranking.exposure,
      canaryLoss: ranking.canaryLoss,
      medianCandidateLoss: ranking.medianCandidateLoss,
      seed,
      notes: [
        `The canary (${repeats} cop${repeats === 1 ? "y" : "ies"}) was one record with a unique combination of ` +
          `${params.template.secretSize} of ${params.template.secretColumns.length} secret columns.`,
        "An attacker who knows everything but the secret tries every candidate and ranks them by the model's loss; " +
          "exposure is how many bits of the secret that ranking gives away.",
      ],
    },
  };
}
