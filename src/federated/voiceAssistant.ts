/**
 * The voice-assistant case end to end: the same users' utterances train three next-word models
 * — plain SGD on the pooled data (no privacy), example-level DP-SGD on the pooled data, and
 * user-level DP-FedAvg on the users' own devices — and each is measured for utility (next-word
 * accuracy on held-out users) and memorisation (exposure of every planted secret).
 */
import { UTTERANCE_WORDS, loadUtterances, secretSentence, type UtteranceDataset } from "../data/utterances";
import { InputError, requireNumber } from "../validation/errors";
import { useBackend } from "../runtime/tensorflow";
import { requireAccountantChoice, type AccountantChoice, type AccountantKind } from "../privacy/accountant";
import { trainCentral, type CentralOptions, type CentralTrace } from "./central";
import { trainFederated, type Client, type FederatedOptions, type FederatedTrace, type RoundTrace } from "./fedavg";
import { createNextWordModel, encodeUtterances, scoreNextWord, NEXT_WORD_DEFAULTS, type NextWordModel, type NextWordScore } from "./model";
import { secretExposure, type SecretExposure } from "./secrets";
import { boundContributions, splitUsers, type ContributionTrace, type UserSplitTrace } from "./users";

export const CASE_MODELS = ["nonPrivate", "exampleLevel", "userLevel"] as const;
export type CaseModel = (typeof CASE_MODELS)[number];

export const CASE_MODEL_LABELS: Record<CaseModel, string> = {
  nonPrivate: "no privacy (SGD, pooled)",
  exampleLevel: "example-level DP-SGD (pooled)",
  userLevel: "user-level DP-FedAvg (on devices)",
};

export interface VoiceAssistantOptions {
  /** Defaults to datasets/utterances.csv. */
  dataset?: UtteranceDataset;
  /** The ε of both private models (per example for DP-SGD, per user for DP-FedAvg); Infinity trains both without privacy. */
  epsilon?: number;
  delta?: number;
  /** The accountant of both private models (calibration and reported ε): "rdp" (default) or "pld". */
  accountant?: AccountantChoice;
  models?: readonly CaseModel[];
  maxUtterancesPerUser?: number;
  heldOutShare?: number;
  embedding?: number;
  federated?: Partial<Omit<FederatedOptions, "epsilon" | "delta" | "seed" | "accountant" | "onRound" | "signal">>;
  central?: Partial<Omit<CentralOptions, "epsilon" | "delta" | "seed" | "accountant" | "onStep" | "signal">>;
  seed?: number;
  onProgress?: (event: { model: CaseModel; done: number; total: number; round?: RoundTrace }) => void;
  signal?: AbortSignal;
}

export const CASE_DEFAULTS = {
  epsilon: 4,
  delta: 1e-5,
  maxUtterancesPerUser: 64,
  heldOutShare: 0.2,
  seed: 7,
} as const;

export interface CaseModelResult {
  model: CaseModel;
  label: string;
  heldOut: NextWordScore;
  train: NextWordScore;
  exposures: SecretExposure[];
  /** ε of the run and who it protects (null: no privacy). */
  privacy: { unit: "example" | "user"; epsilon: number; delta: number; noiseMultiplier: number; accountant: AccountantKind } | null;
}

export interface VoiceAssistantTrace {
  split: UserSplitTrace;
  contribution: ContributionTrace;
  vocabulary: number;
  parameters: number;
  trainExamples: number;
  heldOutExamples: number;
  federated?: FederatedTrace;
  central: Partial<Record<"nonPrivate" | "exampleLevel", CentralTrace>>;
  results: CaseModelResult[];
  notes: string[];
}

export async function runVoiceAssistantCase(
  options: VoiceAssistantOptions = {},
): Promise<{ output: { models: Partial<Record<CaseModel, NextWordModel>>; results: CaseModelResult[] }; trace: VoiceAssistantTrace }> {
  const epsilon = options.epsilon ?? CASE_DEFAULTS.epsilon;
  if (typeof epsilon !== "number" || !(epsilon > 0)) throw new InputError("epsilon", "a number > 0", epsilon);
  const delta = options.delta ?? CASE_DEFAULTS.delta;
  const seed = requireNumber("seed", options.seed ?? CASE_DEFAULTS.seed, { integer: true });
  const accountant = requireAccountantChoice(options.accountant);
  const models = [...(options.models ?? CASE_MODELS)];
  if (models.length === 0) throw new InputError("models", `a non-empty list of ${CASE_MODELS.join(", ")}`, models);
  models.forEach((m, i) => {
    if (!CASE_MODELS.includes(m)) throw new InputError(`models[${i}]`, `one of ${CASE_MODELS.join(", ")}`, m);
  });
  await useBackend();

  const dataset = options.dataset ?? loadUtterances();
  const split = splitUsers(dataset, { heldOutShare: options.heldOutShare ?? CASE_DEFAULTS.heldOutShare, seed });
  const sentences = new Map(dataset.secrets.map((s) => [s.userId, secretSentence(s.kind, s.secret)]));
  const bounded = boundContributions(split.output.train, {
    maxUtterancesPerUser: options.maxUtterancesPerUser ?? CASE_DEFAULTS.maxUtterancesPerUser,
    secrets: dataset.secrets,
    secretSentences: sentences,
    seed,
  });
  const initial = createNextWordModel({ words: UTTERANCE_WORDS, embedding: options.embedding ?? NEXT_WORD_DEFAULTS.embedding, seed });
  const clients: Client[] = bounded.output.map((u) => ({ userId: u.userId, examples: encodeUtterances(initial, u.utterances) }));
  const pooled = encodeUtterances(initial, bounded.output.flatMap((u) => u.utterances));
  const heldOut = encodeUtterances(initial, split.output.heldOut.flatMap((u) => u.utterances));

  const trained: Partial<Record<CaseModel, NextWordModel>> = {};
  const central: VoiceAssistantTrace["central"] = {};
  let federated: FederatedTrace | undefined;
  const privacyOf: Partial<Record<CaseModel, CaseModelResult["privacy"]>> = {};
  for (const which of models) {
    if (which === "userLevel") {
      const run = await trainFederated(initial, clients, {
        ...options.federated,
        epsilon,
        delta,
        seed,
        accountant,
        signal: options.signal,
        onRound: (round, done, total) => options.onProgress?.({ model: which, done, total, round }),
      });
      trained.userLevel = run.output;
      federated = run.trace;
      const p = run.trace.privacy;
      privacyOf.userLevel = p ? { unit: "user", epsilon: p.epsilon, delta: p.delta, noiseMultiplier: p.noiseMultiplier, accountant: p.accountant } : null;
    } else {
      const run = await trainCentral(initial, pooled, {
        ...options.central,
        epsilon: which === "exampleLevel" ? epsilon : Infinity,
        delta,
        seed,
        accountant,
        signal: options.signal,
        onStep: (done, total) => options.onProgress?.({ model: which, done, total }),
      });
      trained[which] = run.output;
      central[which] = run.trace;
      const p = run.trace.privacy;
      privacyOf[which] = p ? { unit: "example", epsilon: p.epsilon, delta: p.delta, noiseMultiplier: p.noiseMultiplier, accountant: p.accountant } : null;
    }
  }
  const results: CaseModelResult[] = models.map((which) => {
    const model = trained[which]!;
    return {
      model: which,
      label: CASE_MODEL_LABELS[which],
      heldOut: scoreNextWord(model, heldOut),
      train: scoreNextWord(model, pooled),
      exposures: dataset.secrets.map((s) => secretExposure(model, s)),
      privacy: privacyOf[which] ?? null,
    };
  });
  return {
    output: { models: trained, results },
    trace: {
      split: split.trace,
      contribution: bounded.trace,
      vocabulary: initial.vocabulary.length,
      parameters: initial.layers.reduce((s, l) => s + l.weights.length * l.bias.length + l.bias.length, 0),
      trainExamples: pooled.targets.length,
      heldOutExamples: heldOut.targets.length,
      ...(federated ? { federated } : {}),
      central,
      results,
      notes: [
        "All three models see the same training users' utterances, capped per user; utility is measured on held-out users.",
        "Exposure ranks each planted secret among every sentence of its shape by the model's log-perplexity (Carlini et al. 2019).",
      ],
    },
  };
}

/** The budgets of the lesson's utility chart (ε = 4 is also the side-by-side comparison's). */
export const LESSON_UTILITY_EPSILONS: readonly number[] = [1, 4, 16];

export interface UtilityPoint {
  /** Target ε per user (Infinity: non-private FedAvg). */
  epsilon: number;
  /** The accountant's ε for the run (≤ the target), null without privacy. */
  spentEpsilon: number | null;
  heldOutAccuracy: number;
  meanExposure: number;
}

/** One model's point on the utility chart: its target ε, the ε spent, held-out accuracy and mean exposure. */
export function utilityPoint(epsilon: number, result: CaseModelResult): UtilityPoint {
  return {
    epsilon,
    spentEpsilon: result.privacy?.epsilon ?? null,
    heldOutAccuracy: result.heldOut.accuracy,
    meanExposure: result.exposures.reduce((s, e) => s + e.exposure, 0) / Math.max(1, result.exposures.length),
  };
}

/**
 * Utility against ε for user-level DP-FedAvg: one federated run per ε, everything else as in
 * runVoiceAssistantCase. `Infinity` runs FedAvg without clipping or noise.
 */
export async function userLevelUtilitySweep(
  options: Omit<VoiceAssistantOptions, "epsilon" | "models"> & { epsilons: readonly number[] },
): Promise<{ output: UtilityPoint[]; trace: { points: UtilityPoint[]; runs: FederatedTrace[] } }> {
  if (!Array.isArray(options.epsilons) || options.epsilons.length === 0) {
    throw new InputError("epsilons", "a non-empty list of numbers > 0 (Infinity = no privacy)", options.epsilons);
  }
  options.epsilons.forEach((e, i) => {
    if (typeof e !== "number" || !(e > 0)) throw new InputError(`epsilons[${i}]`, "a number > 0 (Infinity = no privacy)", e);
  });
  const points: UtilityPoint[] = [];
  const runs: FederatedTrace[] = [];
  for (const epsilon of options.epsilons) {
    const { trace } = await runVoiceAssistantCase({ ...options, epsilon, models: ["userLevel"] });
    runs.push(trace.federated!);
    points.push(utilityPoint(epsilon, trace.results[0]));
  }
  return { output: points, trace: { points, runs } };
}
