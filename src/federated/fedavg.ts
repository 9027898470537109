/**
 * Federated averaging (McMahan et al. 2017) with clients simulated in-process, and its
 * user-level differentially private form DP-FedAvg (McMahan et al. 2018, "Learning
 * differentially private recurrent language models", Alg. 1 with the fixed-denominator
 * estimator):
 *
 *   each round, every user joins independently with probability q (Poisson sampling);
 *   each sampled user trains a copy of the global model on their own utterances only and
 *   sends back the change Δ_u;
 *   the server clips each Δ_u to norm C, sums them, adds N(0, (σC)²) per coordinate, divides by
 *   the EXPECTED number of users q·N (not the number that came), and moves the model by that.
 *
 * One user changes the sum by at most C whatever they said, so each round is a Poisson-
 * subsampled Gaussian mechanism with sampling rate q on USERS: the accountant (RDP by default,
 * or PLD) counts rounds at that rate and the (ε, δ) is per user, covering every utterance a
 * person contributed.
 */
import { tf } from "../runtime/tensorflow";
import { createRng, type Rng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";
import { poissonSample } from "../privacy/dpsgd/poisson";
import { createSgd, disposeSgd, nonPrivateStep } from "../privacy/dpsgd/step";
import { disposeModel, flatParameters, toVariables, type ModelVariables } from "../models/tensors";
import type { OneHotBatch } from "../privacy/dpsgd/perExampleGradients";
import { DEFAULT_ACCOUNTANT, requireAccountantChoice, type AccountantChoice } from "../privacy/accountant";
import { accountedRun, type RunPrivacy } from "./accounting";
import { exampleCount, flattenLayers, oneHotBatch, unflattenLayers, type NextWordExamples, type NextWordModel } from "./model";

/** One client: a user's id and their next-word examples (nobody else's). */
export interface Client {
  userId: string;
  examples: NextWordExamples;
}

export interface LocalTrainingOptions {
  /** Full-batch gradient steps on the user's own examples. */
  localSteps: number;
  learningRate: number;
}

/**
 * Trains copies of the global model on one client's data at a time. One set of tf variables is
 * reused for every client (their values are overwritten from the global model each time).
 */
export class LocalTrainer {
  private readonly variables: ModelVariables;
  private readonly shapes: number[][];
  private readonly batches = new Map<NextWordExamples, OneHotBatch>();

  constructor(private readonly like: NextWordModel) {
    this.variables = toVariables({ kind: "mlp", layers: like.layers });
    this.shapes = flatParameters(this.variables).map((p) => p.shape);
  }

  /** Δ = (model after local training on `examples`) − global. Depends on nothing but its arguments. */
  update(global: Float64Array, examples: NextWordExamples, options: LocalTrainingOptions): Float64Array {
    const params = flatParameters(this.variables) as tf.Variable[];
    let at = 0;
    params.forEach((p, k) => {
      const size = this.shapes[k].reduce((a, b) => a * b, 1);
      tf.tidy(() => p.assign(tf.tensor(Float32Array.from(global.subarray(at, at + size)), this.shapes[k])));
      at += size;
    });
    if (exampleCount(examples) > 0) {
      const batch = this.batchOf(examples);
      const sgd = createSgd(this.variables, { learningRate: options.learningRate });
      for (let s = 0; s < options.localSteps; s++) nonPrivateStep(sgd, batch);
      disposeSgd(sgd);
    }
    const delta = new Float64Array(global.length);
    at = 0;
    for (const p of params) {
      const values = p.dataSync();
      // Against the float32 start the client actually had, so an untrained client's Δ is exactly 0.
      for (let i = 0; i < values.length; i++, at++) delta[at] = values[i] - Math.fround(global[at]);
    }
    return delta;
  }

  /** A client's one-hot tensors, built once and reused in every round the client is sampled. */
  private batchOf(examples: NextWordExamples): OneHotBatch {
    let batch = this.batches.get(examples);
    if (!batch) {
      batch = oneHotBatch(this.like.vocabulary.length, examples);
      this.batches.set(examples, batch);
    }
    return batch;
  }

  dispose(): void {
    disposeModel(this.variables);
    for (const batch of this.batches.values()) tf.dispose([batch.x, batch.y]);
    this.batches.clear();
  }
}

export function l2Norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** Δ · min(1, C/‖Δ‖): the user's whole update scaled into the ball of radius C. */
export function clipUpdate(delta: ArrayLike<number>, clipNorm: number): { clipped: Float64Array; norm: number; factor: number } {
  requireNumber("clipNorm", clipNorm, { min: 0, minExclusive: true });
  const norm = l2Norm(delta);
  const factor = norm > clipNorm ? clipNorm / norm : 1;
  // A plain loop: Float64Array.from with a map function calls it per element (0.2 s of a lesson run).
  const clipped = new Float64Array(delta.length);
  for (let i = 0; i < delta.length; i++) clipped[i] = delta[i] * factor;
  return { clipped, norm, factor };
}

export interface RoundOptions {
  /** q: each user joins the round with this probability. */
  sampleRate: number;
  local: LocalTrainingOptions;
  /** The server's step on the averaged update (1 = plain FedAvg). */
  serverLearningRate: number;
  /** Server momentum μ (FedAvgM, Hsu et al. 2019): post-processing of the noisy averages, no privacy cost. */
  serverMomentum?: number;
  /** null = non-private FedAvg (no clipping, no noise; the mean of the updates that came). */
  privacy: { clipNorm: number; noiseMultiplier: number } | null;
  /** Keep every client's raw update in the output (tests, lessons). */
  keepUpdates?: boolean;
}

export interface RoundTrace {
  round: number;
  usersSampled: number;
  /** q·N: the divisor of the private sum. */
  expectedUsers: number;
  /** Norms of the users' updates before clipping, in sampling order. */
  updateNorms: number[];
  /** Norms after clipping (≤ C under privacy). */
  clippedNorms: number[];
  /** Share of the sampled users whose update was scaled down. */
  clippedFraction: number;
  /** Norm of the server's step before the server learning rate (noise included). */
  stepNorm: number;
  /** ε spent after this round (user level), filled in by trainFederated. */
  epsilon?: number;
}

/**
 * One round. Pure given its arguments: the same model, clients, options and round number give
 * the same result; the sampling and noise streams are forked from `rng` by round.
 */
export function federatedRound(
  global: NextWordModel,
  clients: readonly Client[],
  round: number,
  options: RoundOptions,
  rng: Rng,
  trainer: LocalTrainer,
  /** The server's momentum buffer, updated in place (FedAvgM); omit for plain FedAvg. */
  velocity?: Float64Array,
): { output: { model: NextWordModel; sampled: string[]; updates?: Float64Array[] }; trace: RoundTrace } {
  const flat = flattenLayers(global.layers);
  const sampled = poissonSample(clients.length, options.sampleRate, rng.fork(`round${round}/sampling`));
  const sum = new Float64Array(flat.length);
  const updateNorms: number[] = [];
  const clippedNorms: number[] = [];
  const updates: Float64Array[] = [];
  let clippedCount = 0;
  for (const index of sampled) {
    const delta = trainer.update(flat, clients[index].examples, options.local);
    if (options.keepUpdates) updates.push(delta);
    const { clipped, norm, factor } = options.privacy ? clipUpdate(delta, options.privacy.clipNorm) : { clipped: delta, norm: l2Norm(delta), factor: 1 };
    if (factor < 1) clippedCount++;
    updateNorms.push(norm);
    clippedNorms.push(norm * factor);
    for (let i = 0; i < sum.length; i++) sum[i] += clipped[i];
  }
  const expectedUsers = options.sampleRate * clients.length;
  const step = new Float64Array(flat.length);
  if (options.privacy) {
    // Noise is added even when nobody came: the release must not reveal who did.
    const noise = rng.fork(`round${round}/noise`);
    const std = options.privacy.noiseMultiplier * options.privacy.clipNorm;
    for (let i = 0; i < step.length; i++) step[i] = (sum[i] + std * noise.normal()) / expectedUsers;
  } else if (sampled.length > 0) {
    for (let i = 0; i < step.length; i++) step[i] = sum[i] / sampled.length;
  }
  if (velocity) {
    const mu = options.serverMomentum ?? 0;
    for (let i = 0; i < step.length; i++) step[i] = velocity[i] = mu * velocity[i] + step[i];
  }
  const next = flat.map((w, i) => w + options.serverLearningRate * step[i]);
  return {
    output: {
      model: { ...global, layers: unflattenLayers(next, global.layers) },
      sampled: Array.from(sampled, (i) => clients[i].userId),
      ...(options.keepUpdates ? { updates } : {}),
    },
    trace: {
      round,
      usersSampled: sampled.length,
      expectedUsers,
      updateNorms,
      clippedNorms,
      clippedFraction: sampled.length === 0 ? 0 : clippedCount / sampled.length,
      stepNorm: l2Norm(step),
    },
  };
}

export interface FederatedOptions {
  rounds?: number;
  usersPerRound?: number;
  /** Target ε per user; Infinity = non-private FedAvg. */
  epsilon?: number;
  delta?: number;
  clipNorm?: number;
  localSteps?: number;
  localLearningRate?: number;
  serverLearningRate?: number;
  serverMomentum?: number;
  seed?: number;
  /** The accountant that calibrates σ and reports ε: "rdp" (default) or "pld", as in trainPrivately. */
  accountant?: AccountantChoice;
  onRound?: (trace: RoundTrace, done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * The course's settings (the lesson, the CLI and the bench use them): 40 of 240 users a round
 * (q = 1/6) for 20 rounds, three local steps, updates clipped to 1, server steps of 1.5 with
 * momentum 0.7. Chosen by trying a few on this data, which the guarantee does not account for.
 */
export const FEDERATED_DEFAULTS = {
  rounds: 20,
  usersPerRound: 40,
  epsilon: 4,
  delta: 1e-5,
  clipNorm: 1,
  localSteps: 3,
  localLearningRate: 1.5,
  serverLearningRate: 1.5,
  serverMomentum: 0.7,
  seed: 7,
} as const;

export interface FederatedPrivacy extends RunPrivacy {
  sampleRate: number;
  rounds: number;
}

export interface FederatedTrace {
  algorithm: "FedAvg" | "DP-FedAvg (user level)";
  clients: number;
  rounds: RoundTrace[];
  /** null for the non-private run. */
  privacy: FederatedPrivacy | null;
  options: Required<Omit<FederatedOptions, "onRound" | "signal">>;
  notes: string[];
}

function validateFederated(clients: readonly Client[], options: FederatedOptions) {
  if (!Array.isArray(clients) || clients.length === 0) throw new InputError("clients", "a non-empty list of users", clients);
  // An option given as undefined takes its default.
  const o = { ...FEDERATED_DEFAULTS, ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as typeof options) };
  const rounds = requireNumber("rounds", o.rounds, { min: 1, max: 100_000, integer: true });
  const usersPerRound = requireNumber("usersPerRound", o.usersPerRound, { min: 1, max: clients.length, integer: true });
  if (typeof o.epsilon !== "number" || !(o.epsilon > 0)) throw new InputError("epsilon", "a number > 0 (Infinity = no privacy)", o.epsilon);
  const delta = requireNumber("delta", o.delta, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  return {
    rounds,
    usersPerRound,
    epsilon: o.epsilon,
    delta,
    clipNorm: requireNumber("clipNorm", o.clipNorm, { min: 0, minExclusive: true }),
    localSteps: requireNumber("localSteps", o.localSteps, { min: 1, max: 1000, integer: true }),
    localLearningRate: requireNumber("localLearningRate", o.localLearningRate, { min: 0, minExclusive: true }),
    serverLearningRate: requireNumber("serverLearningRate", o.serverLearningRate, { min: 0, minExclusive: true }),
    serverMomentum: requireNumber("serverMomentum", o.serverMomentum, { min: 0, max: 1, maxExclusive: true }),
    seed: requireNumber("seed", o.seed, { integer: true }),
    accountant: requireAccountantChoice(o.accountant) ?? DEFAULT_ACCOUNTANT,
  };
}

/**
 * FedAvg for `rounds` rounds with q = usersPerRound / clients; with a finite ε, DP-FedAvg with σ
 * calibrated so that the rounds spend at most ε per user.
 */
export async function trainFederated(
  initial: NextWordModel,
  clients: readonly Client[],
  options: FederatedOptions,
): Promise<{ output: NextWordModel; trace: FederatedTrace }> {
  const s = validateFederated(clients, options);
  const sampleRate = s.usersPerRound / clients.length;
  const isPrivate = Number.isFinite(s.epsilon);
  const accounting = isPrivate
    ? accountedRun({ targetEpsilon: s.epsilon, delta: s.delta, sampleRate, steps: s.rounds, unit: "user", accountant: s.accountant })
    : undefined;
  const rng = createRng(s.seed).fork("fedavg");
  const roundOptions: RoundOptions = {
    sampleRate,
    local: { localSteps: s.localSteps, learningRate: s.localLearningRate },
    serverLearningRate: s.serverLearningRate,
    serverMomentum: s.serverMomentum,
    privacy: accounting ? { clipNorm: s.clipNorm, noiseMultiplier: accounting.noiseMultiplier } : null,
  };
  const rounds: RoundTrace[] = [];
  let model = initial;
  const trainer = new LocalTrainer(initial);
  const velocity = s.serverMomentum > 0 ? new Float64Array(flattenLayers(initial.layers).length) : undefined;
  try {
    for (let r = 0; r < s.rounds; r++) {
      if (options.signal?.aborted) throw new Error(`federated training cancelled after ${r} rounds`);
      const { output, trace } = federatedRound(model, clients, r, roundOptions, rng, trainer, velocity);
      model = output.model;
      if (accounting) {
        accounting.record();
        trace.epsilon = accounting.epsilon();
      }
      rounds.push(trace);
      options.onRound?.(trace, r + 1, s.rounds);
      // Let the event loop breathe (progress output, a cancellation arriving).
      if (r % 5 === 4) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    trainer.dispose();
  }
  const privacy: FederatedPrivacy | null = accounting ? { ...accounting.privacy(s.clipNorm), sampleRate, rounds: s.rounds } : null;
  const clipped = rounds.reduce((a, r) => a + r.clippedFraction * r.usersSampled, 0);
  const sampledTotal = rounds.reduce((a, r) => a + r.usersSampled, 0);
  return {
    output: model,
    trace: {
      algorithm: isPrivate ? "DP-FedAvg (user level)" : "FedAvg",
      clients: clients.length,
      rounds,
      privacy,
      options: s,
      notes: isPrivate
        ? [
            `User-level DP: (ε = ${privacy!.epsilon.toFixed(2)}, δ = ${s.delta}) for everything one user said, from the ${privacy!.accountantName} accountant ` +
              `over ${s.rounds} rounds with user sampling rate q = ${s.usersPerRound}/${clients.length} and σ = ${accounting!.noiseMultiplier.toFixed(3)}.`,
            `Each user's update was clipped to norm ${s.clipNorm}; ${(100 * (sampledTotal ? clipped / sampledTotal : 0)).toFixed(0)} % of the ` +
              "updates were scaled down.",
            "Clients are simulated in one process and the noise comes from a seeded generator: right for teaching, " +
              "not a deployment (which needs secure aggregation or a trusted server, and a secure noise source).",
          ]
        : ["Non-private FedAvg: no clipping, no noise; raw utterances stay on the clients but their updates carry them."],
    },
  };
}
