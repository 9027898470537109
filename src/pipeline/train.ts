/**
 * Stage 4: train a binary classifier with DP-SGD (Abadi et al. 2016): Poisson-sampled
 * batches, per-example clipping, Gaussian noise calibrated to a target (ε, δ) with the RDP
 * accountant (Mironov et al. 2019) by default, or the tighter PLD accountant (`accountant: "pld"`).
 * `epsilon: Infinity` trains the same model without privacy (mean gradient, no clipping, no
 * noise) as the baseline.
 */
import { tf, useBackend } from "../runtime/tensorflow";
import { createRng } from "../random/rng";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import {
  bceWithLogits,
  createModel,
  DEFAULT_HIDDEN,
  disposeModel,
  forwardLogits,
  fromTensors,
  MODEL_KINDS,
  parameterCount,
  toVariables,
  type ModelData,
  type ModelKind,
  type ModelVariables,
} from "../models";
import {
  createSgd,
  disposeSgd,
  dpSgdStep,
  nonPrivateStep,
  poissonSample,
  stepsPerEpoch as stepsPerEpochOf,
  type Batch,
  type StepStats,
} from "../privacy/dpsgd";
import {
  accountantFor,
  accountantLabel,
  calibrateNoise,
  requireAccountantChoice,
  sampledGaussianEvent,
  stepRecorder,
  type AccountantChoice,
  type AccountantDescription,
} from "../privacy/accountant";
import { LongRun, type LongRunOptions } from "../runtime/longRun";

/** `signal` stops training between two steps (tensors freed); `onProgress` follows the epochs. */
export interface TrainOptions extends LongRunOptions {
  /** Target ε; Infinity trains without privacy. Default 1 (unless noiseMultiplier is given). */
  epsilon?: number;
  /**
   * A given noise multiplier σ > 0 instead of a target ε, for runs calibrated together with
   * others (see calibrateComposedNoise); ε is then what the accountant reports for this run.
   */
  noiseMultiplier?: number;
  delta?: number;
  /**
   * The accountant that calibrates σ and reports ε: "rdp" (default) or "pld" (tighter: the same
   * ε with less noise), or either with its options ({ kind: "pld", discretisation: 1e-4 }).
   */
  accountant?: AccountantChoice;
  epochs?: number;
  batchSize?: number;
  clipNorm?: number;
  learningRate?: number;
  /** Heavy-ball momentum in [0, 1). */
  momentum?: number;
  model?: ModelKind;
  /** Hidden layer widths of the MLP. Default [16]. */
  hidden?: number[];
  seed?: number;
  onEpoch?: (epoch: EpochTrace) => void;
  onStep?: (step: StepTrace) => void;
  /**
   * AUDIT ONLY: Dirac "gradient canaries" (Nasr et al. 2021; Steinke, Nasr & Jagielski 2023).
   * Each canary is an extra example whose loss gradient is `magnitude`·e_index (an index into
   * the flat parameter vector, flatParameters order). Like any row it is Poisson-sampled with
   * rate q at every step, clipped to C and noised with the batch (unclipped and averaged in
   * the non-private baseline). Used by src/audit; nothing else changes when absent.
   */
  gradientCanaries?: GradientCanaries;
  /**
   * DELIBERATELY BROKEN DP-SGD, for privacy audits only: skip the per-example clipping and/or
   * the noise while σ is still calibrated and ε still reported as if nothing were skipped.
   * The trace's warnings say loudly that the reported ε is false. Never train a real model so.
   */
  unsafeForAudit?: UnsafeForAudit;
}

export interface GradientCanaries {
  /** Distinct flat parameter indices, one per canary. */
  indices: readonly number[];
  /** Norm of each canary's gradient before clipping. */
  magnitude: number;
}

export interface UnsafeForAudit {
  skipClipping?: true;
  skipNoise?: true;
}

/**
 * Defaults for ε ≈ 1, δ = 1e-5, 5 epochs on ~800 rows of 5 standardised features. Chosen by a
 * grid search (batch × clip norm × learning rate × momentum, 3 seeds each) on fresh samples of
 * the course's generator (seeds 101–105), never on the committed dataset. Large batches: the
 * noise on the averaged gradient is σC/(qN), and σ grows more slowly than the batch (Abadi et
 * al. 2016, §5). C = 1 sits near the median per-example gradient norm after the first epoch,
 * so clipping bites on outliers without discarding the typical gradient's size.
 */
export const TRAIN_DEFAULTS: Record<
  ModelKind,
  { batchSize: number; clipNorm: number; learningRate: number; momentum: number }
> = {
  logistic: { batchSize: 128, clipNorm: 1, learningRate: 0.5, momentum: 0.5 },
  mlp: { batchSize: 128, clipNorm: 1, learningRate: 0.25, momentum: 0.9 },
};

export interface EpochTrace {
  epoch: number;
  /** Mean BCE on the whole training set after the epoch. */
  loss: number;
  trainAccuracy: number;
  /** ε spent so far (∞ without privacy). */
  epsilonSpent: number;
  noiseMultiplier: number;
  /** Mean per-example gradient norm before clipping (null without privacy: not computed). */
  meanGradNorm: number | null;
  clippedFraction: number;
  meanBatchSize: number;
  observation: string;
}

export interface StepTrace {
  step: number;
  epoch: number;
  batchSize: number;
  meanGradNorm: number | null;
  clippedFraction: number;
}

export interface TrainTrace {
  stage: "trainPrivately";
  private: boolean;
  modelKind: ModelKind;
  hidden: number[];
  parameterCount: number;
  n: number;
  features: number;
  batchSize: number;
  sampleRate: number;
  stepsPerEpoch: number;
  steps: number;
  noiseMultiplier: number;
  /** null without privacy: nothing is clipped. */
  clipNorm: number | null;
  learningRate: number;
  momentum: number;
  delta: number;
  /** The target ε, or with a given noise multiplier the ε the accountant reports for the planned steps. */
  epsilonTarget: number;
  epsilonSpent: number;
  /** The Rényi order at which the final ε was attained (null without privacy or under PLD). */
  rdpOrder: number | null;
  accountant: string;
  /** The accountant as plain data: its kind and its orders or loss grid (null without privacy). */
  accountantDetails: AccountantDescription | null;
  backend: string;
  seed: number;
  epochs: EpochTrace[];
  warnings: string[];
  notes: string[];
  /** Present only when gradient canaries were injected (audit runs). */
  gradientCanaries?: { count: number; magnitude: number; sampledTotal: number };
  /** Present only for deliberately broken runs: what was skipped. The ε above is then FALSE. */
  unsafeForAudit?: UnsafeForAudit;
}

export interface TrainResult {
  output: { model: ModelData };
  trace: TrainTrace;
}

/** The default (RDP) accountant's name in the trace; a PLD run names its grid instead. */
export const ACCOUNTANT = "RDP (Mironov et al. 2019), Poisson-subsampled Gaussian";

interface Settings {
  epsilon: number;
  /** Given σ (null: calibrated from epsilon). */
  noiseMultiplier: number | null;
  delta: number;
  epochs: number;
  batchSize: number;
  clipNorm: number;
  learningRate: number;
  momentum: number;
  model: ModelKind;
  hidden: number[];
  seed: number;
  accountant: AccountantChoice | undefined;
}

function validateData(data: { x: number[][]; y: number[] }): { n: number; features: number } {
  const { x, y } = data ?? {};
  if (!Array.isArray(x) || x.length === 0) throw new InputError("x", "a non-empty array of rows", x);
  const features = Array.isArray(x[0]) ? x[0].length : 0;
  if (features === 0) throw new InputError("x[0]", "a row of at least 1 number", x[0]);
  x.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== features) {
      throw new InputError(`x[${i}]`, `a row of ${features} numbers (like x[0])`, row);
    }
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new InputError(`x[${i}][${j}]`, "a finite number (row " + i + ", column " + j + ")", v);
      }
    });
  });
  if (!Array.isArray(y) || y.length !== x.length) {
    throw new InputError("y", `an array of ${x.length} labels (one per row of x)`, y);
  }
  y.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new InputError(`y[${i}]`, "0 or 1", v);
  });
  return { n: x.length, features };
}

function resolveSettings(options: TrainOptions, n: number): Settings {
  let noiseMultiplier: number | null = null;
  if (options.noiseMultiplier !== undefined) {
    if (options.epsilon !== undefined) {
      throw new InputError("noiseMultiplier", "absent when epsilon is given (give a target ε or a noise multiplier, not both)", options.noiseMultiplier);
    }
    noiseMultiplier = requireNumber("noiseMultiplier", options.noiseMultiplier, { min: 0, minExclusive: true });
  }
  // With a given σ, epsilon is filled in from the accountant once the steps are known.
  const epsilon = noiseMultiplier !== null ? NaN : (options.epsilon ?? 1);
  if (noiseMultiplier === null && epsilon !== Infinity) requireNumber("epsilon", epsilon, { min: 0, minExclusive: true });
  const delta = requireNumber("delta", options.delta ?? 1e-5, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  const epochs = requireNumber("epochs", options.epochs ?? 5, { min: 1, integer: true });
  const model = requireOneOf("model", options.model ?? "logistic", MODEL_KINDS);
  const defaults = TRAIN_DEFAULTS[model];
  const batchSize = options.batchSize ?? Math.min(defaults.batchSize, n);
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > n) {
    throw new InputError("batchSize", `an integer in [1, ${n}] (a batch cannot be larger than the data)`, batchSize);
  }
  const clipNorm = requireNumber("clipNorm", options.clipNorm ?? defaults.clipNorm, { min: 0, minExclusive: true });
  const learningRate = requireNumber("learningRate", options.learningRate ?? defaults.learningRate, {
    min: 0,
    minExclusive: true,
  });
  const momentum = requireNumber("momentum", options.momentum ?? defaults.momentum, {
    min: 0,
    max: 1,
    maxExclusive: true,
  });
  const hidden = model === "mlp" ? [...(options.hidden ?? DEFAULT_HIDDEN)] : [];
  hidden.forEach((w, i) => requireNumber(`hidden[${i}]`, w, { min: 1, integer: true }));
  const seed = requireNumber("seed", options.seed ?? 7);
  const accountant = requireAccountantChoice(options.accountant);
  return { epsilon, noiseMultiplier, delta, epochs, batchSize, clipNorm, learningRate, momentum, model, hidden, seed, accountant };
}

const signed = (v: number, digits: number) => `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(digits)}`;

/** A one-line reading of the epoch's numbers against the previous epoch's. */
export function observeEpoch(current: EpochTrace, previous: EpochTrace | undefined, isPrivate: boolean): string {
  const clipped =
    isPrivate && current.clippedFraction > 0.5
      ? `; ${(100 * current.clippedFraction).toFixed(0)}% of gradients were clipped`
      : "";
  if (!previous) {
    return `First pass over the data: loss ${current.loss.toFixed(3)}, accuracy ${(100 * current.trainAccuracy).toFixed(1)}%${clipped}`;
  }
  const dLoss = current.loss - previous.loss;
  const dAcc = 100 * (current.trainAccuracy - previous.trainAccuracy);
  const change = ` (loss ${signed(dLoss, 3)}, accuracy ${signed(dAcc, 1)} points)`;
  let text: string;
  if (dAcc <= -1) {
    text = isPrivate
      ? "Accuracy dipped: the privacy noise outweighed this epoch's signal"
      : "Accuracy dipped: the steps overshot this epoch";
  } else if (dLoss < -0.005 && dAcc >= 0.5) text = "Loss decreases, accuracy improves as model learns";
  else if (dLoss < -0.005) text = "Loss decreases while accuracy holds steady";
  else if (dLoss > 0.005 && dAcc >= 0.5) {
    text = "Accuracy improves while loss rises: some predictions became over-confident";
  } else if (dLoss > 0.005) {
    text = isPrivate
      ? "Loss rose: noisy updates moved the weights away from the optimum"
      : "Loss rose: the learning rate may be too high";
  } else text = "Training converges with stable loss and accuracy";
  return text + change + clipped;
}

function notesFor(s: Settings, isPrivate: boolean, accountant: string): string[] {
  if (!isPrivate) {
    return [
      "ε = ∞: non-private baseline, trained with the mean gradient, no clipping and no noise. " +
        "The model can memorise individual rows; it exists only to measure the cost of privacy.",
    ];
  }
  return [
    "ε covers the released model weights under DP-SGD with Poisson sampling (q = batchSize/N) and " +
      "add/remove-one-row neighbours, assuming each person contributes exactly one row. It is an upper " +
      `bound from the ${accountant} accountant; the true privacy loss may be smaller.`,
    "The noise comes from a seeded, non-cryptographic generator so runs are reproducible: anyone who " +
      "knows the seed can regenerate and subtract it. A deployment needs a secure generator (Opacus' secure mode).",
    "The noise is sampled in float32; floating-point Gaussian samples are not exactly Gaussian, which can " +
      "leak more than the analysis assumes (Mironov 2012).",
    `The hyper-parameters (batch ${s.batchSize}, clip norm ${s.clipNorm}, learning rate ${s.learningRate}, ` +
      `momentum ${s.momentum}, ${s.epochs} epochs) were not tuned privately: the defaults come from separate ` +
      "synthetic samples, and any chosen by comparing runs on this data cost privacy that ε does not count " +
      "(Papernot & Steinke 2022).",
    "The per-epoch loss, accuracy, gradient norms, clipped fractions and batch sizes in this trace are " +
      "computed from the training rows without noise: they are teaching diagnostics, not covered by ε. Release only the model.",
    "The guarantee is for this stage only: the feature scaling fitted on the same rows was not privatised.",
  ];
}

/** Mean BCE and accuracy of the current weights on all training rows. */
function evaluateOn(model: ModelVariables, x: tf.Tensor2D, y: tf.Tensor1D): { loss: number; accuracy: number } {
  return tf.tidy(() => {
    const logits = forwardLogits(model.layers, x);
    const loss = tf.mean(bceWithLogits(logits, y)).dataSync()[0];
    const correct = tf.sum(tf.equal(tf.cast(tf.greater(logits, 0), "float32"), y)).dataSync()[0];
    return { loss, accuracy: correct / y.shape[0] };
  });
}

/** The rows of a Poisson-sampled batch (possibly none). Caller disposes. */
function gatherBatch(x: tf.Tensor2D, y: tf.Tensor1D, indices: Int32Array): Batch {
  const [bx, by] = tf.tidy(() => {
    const idx = tf.tensor1d(indices, "int32");
    return [tf.gather(x, idx), tf.gather(y, idx)];
  });
  return { x: bx as tf.Tensor2D, y: by as tf.Tensor1D };
}

const emittedUnsafeWarnings = new Set<string>();

function validateUnsafe(unsafe: unknown, isPrivate: boolean): UnsafeForAudit | undefined {
  if (unsafe === undefined) return undefined;
  const allowed = "{ skipClipping?: true, skipNoise?: true } with at least one set, and a finite epsilon";
  if (unsafe === null || typeof unsafe !== "object" || !isPrivate) throw new InputError("unsafeForAudit", allowed, unsafe);
  const u = unsafe as Record<string, unknown>;
  const keys = Object.keys(u);
  if (keys.length === 0 || keys.some((k) => (k !== "skipClipping" && k !== "skipNoise") || u[k] !== true)) {
    throw new InputError("unsafeForAudit", allowed, JSON.stringify(unsafe));
  }
  return { ...(u.skipClipping ? { skipClipping: true } : {}), ...(u.skipNoise ? { skipNoise: true } : {}) };
}

function validateCanaries(canaries: unknown, parameters: number): GradientCanaries | undefined {
  if (canaries === undefined) return undefined;
  const c = canaries as Partial<GradientCanaries> | null;
  if (c === null || typeof c !== "object" || !Array.isArray(c.indices)) {
    throw new InputError("gradientCanaries", "{ indices: number[], magnitude: number }", canaries);
  }
  requireNumber("gradientCanaries.magnitude", c.magnitude, { min: 0, minExclusive: true });
  const seen = new Set<number>();
  c.indices.forEach((index, i) => {
    requireNumber(`gradientCanaries.indices[${i}]`, index, { min: 0, max: parameters - 1, integer: true });
    if (seen.has(index)) throw new InputError(`gradientCanaries.indices[${i}]`, "an index not used by another canary", index);
    seen.add(index);
  });
  return { indices: [...c.indices], magnitude: c.magnitude as number };
}

/**
 * The summed gradients of the canaries sampled this step, one dense tensor per parameter:
 * `value` (the canary's norm after clipping, if any) at each sampled canary's index. Caller disposes.
 */
function canaryGradientSum(
  shapes: readonly number[][],
  indices: readonly number[],
  value: number,
): tf.Tensor[] {
  const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const buffers = sizes.map((size) => new Float32Array(size));
  for (const index of indices) {
    let k = 0;
    let offset = index;
    while (offset >= sizes[k]) offset -= sizes[k++];
    buffers[k][offset] += value;
  }
  return buffers.map((b, k) => tf.tensor(b, shapes[k]));
}

/** The sampling rate and steps of a run with these settings on n rows. */
function planOf(s: Pick<Settings, "batchSize" | "epochs">, n: number): { sampleRate: number; stepsPerEpoch: number; steps: number } {
  const sampleRate = s.batchSize / n;
  const stepsPerEpoch = stepsPerEpochOf(sampleRate);
  return { sampleRate, stepsPerEpoch, steps: s.epochs * stepsPerEpoch };
}

/**
 * The DP-SGD run trainPrivately will make on n rows with these options (its ε or σ aside): the
 * sampling rate and the steps, for calibrating it together with another release on the same rows.
 */
export function trainingPlan(n: number, options: Omit<TrainOptions, "epsilon" | "noiseMultiplier"> = {}): { sampleRate: number; stepsPerEpoch: number; steps: number } {
  return planOf(resolveSettings({ ...options, epsilon: Infinity, noiseMultiplier: undefined }, n), n);
}

export async function trainPrivately(
  data: { x: number[][]; y: number[] },
  options: TrainOptions = {},
): Promise<TrainResult> {
  const { n, features } = validateData(data);
  let s = resolveSettings(options, n);
  const isPrivate = s.noiseMultiplier !== null || Number.isFinite(s.epsilon);
  const unsafe = validateUnsafe(options.unsafeForAudit, isPrivate);
  const warnings: string[] = [];
  if (unsafe) {
    const skipped = [unsafe.skipClipping ? "per-example clipping" : "", unsafe.skipNoise ? "noise" : ""].filter(Boolean).join(" and ");
    const warning =
      `BROKEN DP-SGD (unsafeForAudit): ${skipped} SKIPPED. The reported ε = ${s.epsilon} is FALSE: ` +
      "this model has NO differential-privacy guarantee. It exists only to show that a privacy audit catches the bug.";
    warnings.push(warning);
    // Once per process and message: an audit may train hundreds of broken runs.
    if (!emittedUnsafeWarnings.has(warning)) {
      emittedUnsafeWarnings.add(warning);
      process.emitWarning(warning, { code: "PRIVACY_COURSE_UNSAFE" });
    }
  }
  if (isPrivate && s.delta >= 1 / n) {
    const warning = `delta = ${s.delta} is ≥ 1/N = ${(1 / n).toPrecision(3)}: a mechanism that publishes one random row outright meets this δ; use δ ≪ 1/N`;
    warnings.push(warning);
    process.emitWarning(warning, { code: "PRIVACY_COURSE_DELTA" });
  }
  if (!tf.engine().backendName) await useBackend();

  const { sampleRate, stepsPerEpoch: perEpoch, steps } = planOf(s, n);
  if (s.noiseMultiplier !== null) {
    const planned = accountantFor(s.accountant);
    planned.compose(sampledGaussianEvent({ sampleRate, noiseMultiplier: s.noiseMultiplier, steps }));
    s = { ...s, epsilon: planned.getEpsilon(s.delta).epsilon };
  }
  const calibration = isPrivate && s.noiseMultiplier === null
    ? calibrateNoise({ targetEpsilon: s.epsilon, delta: s.delta, sampleRate, steps, accountant: s.accountant })
    : null;
  const sigma = s.noiseMultiplier ?? (calibration ? calibration.noiseMultiplier : 0);

  const rng = createRng(s.seed);
  const samplingRng = rng.fork("sampling");
  const noiseRng = rng.fork("noise");
  const initial = createModel({ kind: s.model, inputSize: features, hidden: s.hidden, seed: s.seed });
  const accountant = accountantFor(s.accountant);
  const recordStep = stepRecorder(accountant, sampledGaussianEvent({ noiseMultiplier: sigma, sampleRate }));

  const canaries = validateCanaries(options.gradientCanaries, parameterCount(initial));
  const canaryRng = rng.fork("canaries");
  const canaryValue = canaries
    ? isPrivate && !unsafe?.skipClipping
      ? Math.min(canaries.magnitude, s.clipNorm)
      : canaries.magnitude
    : 0;
  let canariesSampled = 0;

  // Before any tensor: an already aborted signal throws here with nothing to free.
  const run = new LongRun(isPrivate ? "trainPrivately" : "train (non-private)", s.epochs, "epoch", options);
  const model = toVariables(initial);
  const sgd = createSgd(model, { learningRate: s.learningRate, momentum: s.momentum });
  const shapes = model.layers.flatMap((l) => [l.weights.shape, l.bias.shape]);
  const xAll = tf.tensor2d(data.x);
  const yAll = tf.tensor1d(data.y);
  const epochs: EpochTrace[] = [];
  let finalModel: ModelData;
  let epsilonSpent = isPrivate ? 0 : Infinity;
  let rdpOrder: number | null = null;
  try {
    let step = 0;
    for (let epoch = 1; epoch <= s.epochs; epoch++) {
      let examples = 0;
      let normSum = 0;
      let clipped = 0;
      for (let k = 0; k < perEpoch; k++) {
        const batch = gatherBatch(xAll, yAll, poissonSample(n, sampleRate, samplingRng));
        const sampledCanaries = canaries ? canaries.indices.filter(() => canaryRng.uniform() < sampleRate) : [];
        canariesSampled += sampledCanaries.length;
        const extra = canaries ? canaryGradientSum(shapes, sampledCanaries, canaryValue) : undefined;
        let stats: StepStats;
        try {
          stats = isPrivate
            ? dpSgdStep(sgd, batch, {
                clipNorm: s.clipNorm,
                noiseMultiplier: sigma,
                expectedBatchSize: sampleRate * n,
                rng: noiseRng,
                ...(extra ? { extraGradientSum: extra } : {}),
                ...(unsafe ? { unsafeForAudit: unsafe } : {}),
              })
            : nonPrivateStep(sgd, batch, extra ? { sum: extra, count: sampledCanaries.length } : undefined);
        } finally {
          tf.dispose([batch.x, batch.y]);
          if (extra) tf.dispose(extra);
        }
        if (isPrivate) recordStep();
        step++;
        const stepNormSum = stats.norms.reduce((a, v) => a + v, 0);
        examples += stats.batchSize;
        normSum += stepNormSum;
        clipped += stats.clippedFraction * stats.batchSize;
        options.onStep?.({
          step,
          epoch,
          batchSize: stats.batchSize,
          meanGradNorm: isPrivate && stats.batchSize > 0 ? stepNormSum / stats.batchSize : null,
          clippedFraction: stats.clippedFraction,
        });
        await run.step(epoch - 1);
      }
      if (isPrivate) {
        const spent = accountant.getEpsilon(s.delta);
        epsilonSpent = spent.epsilon;
        rdpOrder = "order" in spent && typeof spent.order === "number" ? spent.order : null;
      }
      const { loss, accuracy } = evaluateOn(model, xAll, yAll);
      const trace: EpochTrace = {
        epoch,
        loss,
        trainAccuracy: accuracy,
        epsilonSpent,
        noiseMultiplier: sigma,
        meanGradNorm: isPrivate && examples > 0 ? normSum / examples : null,
        clippedFraction: examples > 0 ? Math.round(clipped) / examples : 0,
        meanBatchSize: examples / perEpoch,
        observation: "",
      };
      trace.observation = observeEpoch(trace, epochs[epochs.length - 1], isPrivate);
      epochs.push(trace);
      options.onEpoch?.(trace);
      await run.step(epoch, { loss, ε: isPrivate ? epsilonSpent : null });
    }
    finalModel = fromTensors(model);
    run.finish();
  } finally {
    run.close();
    disposeSgd(sgd);
    disposeModel(model);
    tf.dispose([xAll, yAll]);
  }

  return {
    output: { model: finalModel },
    trace: {
      stage: "trainPrivately",
      private: isPrivate,
      modelKind: s.model,
      hidden: s.hidden,
      parameterCount: parameterCount(finalModel),
      n,
      features,
      batchSize: s.batchSize,
      sampleRate,
      stepsPerEpoch: perEpoch,
      steps,
      noiseMultiplier: sigma,
      clipNorm: isPrivate ? s.clipNorm : null,
      learningRate: s.learningRate,
      momentum: s.momentum,
      delta: s.delta,
      epsilonTarget: s.epsilon,
      epsilonSpent,
      rdpOrder,
      accountant: isPrivate ? `${accountantLabel(accountant.describe())}, Poisson-subsampled Gaussian` : "none (non-private baseline, ε = ∞)",
      accountantDetails: isPrivate ? accountant.describe() : null,
      backend: tf.getBackend(),
      seed: s.seed,
      epochs,
      warnings,
      notes: notesFor(s, isPrivate, accountant.kind.toUpperCase()),
      ...(canaries
        ? { gradientCanaries: { count: canaries.indices.length, magnitude: canaries.magnitude, sampledTotal: canariesSampled } }
        : {}),
      ...(unsafe ? { unsafeForAudit: unsafe } : {}),
    },
  };
}
