/**
 * The comparison models, trained centrally on the pooled examples of all training users: plain
 * SGD (no privacy) and example-level DP-SGD (Abadi et al. 2016) with the course's DP-SGD step
 * (Poisson sampling, per-example clipping, calibrated Gaussian noise).
 *
 * "Example" here is one next-word prediction (a context and the word after it). An utterance of
 * n words is n + 1 examples, and a user who said their secret 50 times is hundreds of examples:
 * example-level DP protects each of them alone, and by group privacy the user only with a
 * guarantee that degrades with the group's size.
 */
import { tf } from "../runtime/tensorflow";
import { createRng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";
import { poissonSample } from "../privacy/dpsgd/poisson";
import { createSgd, disposeSgd, dpSgdStep, nonPrivateStep } from "../privacy/dpsgd/step";
import { disposeModel, fromTensors, toVariables } from "../models/tensors";
import { DEFAULT_ACCOUNTANT, requireAccountantChoice, stepsFor, type AccountantChoice } from "../privacy/accountant";
import { accountedRun, type RunPrivacy } from "./accounting";
import { exampleCount, oneHotBatch, type NextWordExamples, type NextWordModel } from "./model";

export interface CentralOptions {
  /** Target ε per example; Infinity = plain SGD. */
  epsilon: number;
  delta?: number;
  epochs?: number;
  batchSize?: number;
  clipNorm?: number;
  learningRate?: number;
  seed?: number;
  /** The accountant that calibrates σ and reports ε: "rdp" (default) or "pld", as in trainPrivately. */
  accountant?: AccountantChoice;
  onStep?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export const CENTRAL_DEFAULTS = {
  delta: 1e-5,
  epochs: 3,
  batchSize: 256,
  clipNorm: 1,
  learningRate: 2,
  seed: 7,
} as const;

export interface CentralTrace {
  algorithm: "SGD" | "DP-SGD (example level)";
  examples: number;
  steps: number;
  sampleRate: number;
  /** Share of clipped per-example gradients, over all steps (0 without privacy). */
  clippedFraction: number;
  privacy: RunPrivacy | null;
  options: Required<Omit<CentralOptions, "onStep" | "signal">>;
  notes: string[];
}

export async function trainCentral(
  initial: NextWordModel,
  examples: NextWordExamples,
  options: CentralOptions,
): Promise<{ output: NextWordModel; trace: CentralTrace }> {
  const n = exampleCount(examples);
  if (n === 0) throw new InputError("examples", "at least one next-word example", n);
  // An option given as undefined takes its default.
  const o = { ...CENTRAL_DEFAULTS, ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as typeof options) };
  if (typeof o.epsilon !== "number" || !(o.epsilon > 0)) throw new InputError("epsilon", "a number > 0 (Infinity = no privacy)", o.epsilon);
  const delta = requireNumber("delta", o.delta, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const epochs = requireNumber("epochs", o.epochs, { min: 0, max: 1000, minExclusive: true });
  const batchSize = requireNumber("batchSize", o.batchSize, { min: 1, max: n, integer: true });
  const clipNorm = requireNumber("clipNorm", o.clipNorm, { min: 0, minExclusive: true });
  const learningRate = requireNumber("learningRate", o.learningRate, { min: 0, minExclusive: true });
  const seed = requireNumber("seed", o.seed, { integer: true });
  const accountant = requireAccountantChoice(o.accountant) ?? DEFAULT_ACCOUNTANT;
  const sampleRate = batchSize / n;
  const steps = stepsFor({ epochs, sampleRate });
  const isPrivate = Number.isFinite(o.epsilon);
  const accounting = isPrivate
    ? accountedRun({ targetEpsilon: o.epsilon, delta, sampleRate, steps, unit: "example", accountant })
    : undefined;
  const rng = createRng(seed).fork("central");
  const sampling = rng.fork("sampling");
  const noise = rng.fork("noise");
  const variables = toVariables({ kind: "mlp", layers: initial.layers });
  const sgd = createSgd(variables, { learningRate });
  const v = initial.vocabulary.length;
  let clipped = 0;
  let seen = 0;
  try {
    for (let step = 0; step < steps; step++) {
      if (options.signal?.aborted) throw new Error(`training cancelled after ${step} steps`);
      const batch = oneHotBatch(v, examples, poissonSample(n, sampleRate, sampling));
      const stats = accounting
        ? dpSgdStep(sgd, batch, { clipNorm, noiseMultiplier: accounting.noiseMultiplier, expectedBatchSize: batchSize, rng: noise })
        : nonPrivateStep(sgd, batch);
      tf.dispose([batch.x, batch.y]);
      clipped += stats.clippedFraction * stats.batchSize;
      seen += stats.batchSize;
      accounting?.record();
      options.onStep?.(step + 1, steps);
      if (step % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    }
    const trained = fromTensors(variables);
    const privacy = accounting ? accounting.privacy(clipNorm) : null;
    return {
      output: { ...initial, layers: trained.layers },
      trace: {
        algorithm: isPrivate ? "DP-SGD (example level)" : "SGD",
        examples: n,
        steps,
        sampleRate,
        clippedFraction: seen === 0 ? 0 : clipped / seen,
        privacy,
        options: { epsilon: o.epsilon, delta, epochs, batchSize, clipNorm, learningRate, seed, accountant },
        notes: isPrivate
          ? [
              `Example-level DP: (ε = ${privacy!.epsilon.toFixed(2)}, δ = ${delta}) for one next-word example (a word and the ` +
                `${initial.context} before it), not for a sentence and not for a user; from the ${privacy!.accountantName} accountant.`,
              "By group privacy a user with k examples is covered only at about k·ε (and δ grows too): " +
                "a secret said 50 times is hundreds of examples, so the guarantee says next to nothing about it.",
            ]
          : ["Plain SGD on the pooled utterances: no clipping, no noise, no guarantee."],
      },
    };
  } finally {
    disposeSgd(sgd);
    disposeModel(variables);
  }
}
