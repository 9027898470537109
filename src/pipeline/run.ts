/**
 * runPipeline chains the six stages on the course's example data:
 * collect → anonymize → engineerFeatures → trainPrivately → evaluate → predict.
 * Every stage's trace is kept, plus the data-flow table of the seed document.
 */
import { generateCustomers } from "../data/generateCustomers";
import { withTrainSize } from "../data/split";
import type { LabelledCustomer } from "../data/schema";
import { useBackend, type BackendName } from "../runtime/tensorflow";
import { collect } from "./collect";
import { InputError } from "../validation/errors";
import { anonymize } from "./anonymize";
import { engineerFeatures } from "./features";
import { trainingPlan, trainPrivately, type EpochTrace } from "./train";
import { accountantFor, calibrateParameter, sampledGaussianEvent, type AccountantChoice } from "../privacy/accountant";
import type { DpEvent } from "../privacy/accountant/events";
import { SCALER_NOISE_RATIO, scalerEvent } from "./privateScaler";
import { evaluate } from "./evaluate";
import { predict } from "./predict";
import type { LongRunOptions } from "../runtime/longRun";

export interface PipelineConfig {
  epsilon: number;
  delta: number;
  /** The accountant that calibrates σ and reports ε; default "rdp" (see trainPrivately). */
  accountant?: AccountantChoice;
  epochs: number;
  /** Left undefined, trainPrivately's tuned defaults apply. */
  batchSize?: number;
  clipNorm?: number;
  learningRate?: number;
  model: "logistic" | "mlp";
  seed: number;
  /** Train the same model without privacy for comparison (on by default). */
  compareWithNonPrivate: boolean;
  /**
   * Release the feature scaler with DP too (Gaussian noise on clamped sums, privateScaler.ts), so
   * that ε covers it: its release and the training run share the budget, calibrated together.
   * Off by default: the scaler is then fitted without noise, which the prediction trace states.
   */
  privateScaler?: boolean;
  backend?: BackendName;
  /**
   * Train on only this many of the training rows; the test rows stay the same. The subset is
   * drawn once (TRAIN_SUBSET_SEED), not with the run's seed, so every seed and every budget sees
   * the same people and a sweep compares budgets, not samples; a smaller subset is part of every
   * larger one. Undefined: all of them.
   */
  trainSize?: number;
  /** Rows to run on instead of the committed dataset (with their split). */
  data?: { customers: LabelledCustomer[]; split: { train: number[]; test: number[] } };
  onEpoch?: (epoch: EpochTrace, run: "private" | "non-private") => void;
  /** Stops the training runs between two steps (default: the kernel's, in a notebook); not part of the trace. */
  signal?: AbortSignal;
  /** Follows each training run (default: a progress bar in a notebook); not part of the trace. */
  onProgress?: LongRunOptions["onProgress"];
}

/** The seed of the training subset `trainSize` takes (fixed: the same people whatever the run's seed). */
export const TRAIN_SUBSET_SEED = "train-subset";

export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = {
  epsilon: 1,
  delta: 1e-5,
  epochs: 5,
  model: "logistic",
  seed: 7,
  compareWithNonPrivate: true,
};

export interface DataFlowRow {
  step: number;
  stage: string;
  input: string;
  operation: string;
  output: string;
  example: string;
}

const shape = (rows: number, columns: number): string => `${rows} rows x ${columns} columns`;

function pick<T>(rows: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => rows[i]);
}

export async function runPipeline(overrides: Partial<PipelineConfig> = {}) {
  const config: PipelineConfig = { ...DEFAULT_PIPELINE_CONFIG, ...overrides };
  const backend = await useBackend(config.backend);

  const collected = collect(config.data ? { rows: config.data.customers, split: config.data.split } : {});
  const { customers } = collected.output;
  const split = config.trainSize === undefined ? collected.output.split : withTrainSize(collected.output.split, config.trainSize, TRAIN_SUBSET_SEED);

  const anonymised = anonymize(customers);
  if (config.privateScaler !== undefined && typeof config.privateScaler !== "boolean") throw new InputError("privateScaler", "true or false", config.privateScaler);
  const budget = config.privateScaler && Number.isFinite(config.epsilon) ? sharedBudget(config, split.train.length) : null;
  const features = engineerFeatures(anonymised.output, {
    trainIndices: split.train,
    ...(budget ? { privateScaler: { noiseMultiplier: SCALER_NOISE_RATIO * budget.noiseMultiplier, seed: `${config.seed}:scaler` } } : {}),
  });
  const { matrix, labels, names, scaler } = features.output;
  const train = { x: pick(matrix, split.train), y: pick(labels, split.train) };
  const test = { x: pick(matrix, split.test), y: pick(labels, split.test) };

  const trainOptions = {
    epsilon: config.epsilon,
    delta: config.delta,
    epochs: config.epochs,
    batchSize: config.batchSize,
    clipNorm: config.clipNorm,
    learningRate: config.learningRate,
    model: config.model,
    seed: config.seed,
    ...(config.accountant === undefined ? {} : { accountant: config.accountant }),
    signal: config.signal,
    onProgress: config.onProgress,
  };
  const trained = await trainPrivately(train, {
    ...trainOptions,
    // With the scaler released too, the run takes the σ calibrated for both.
    ...(budget ? { epsilon: undefined, noiseMultiplier: budget.noiseMultiplier } : {}),
    onEpoch: (epoch) => config.onEpoch?.(epoch, "private"),
  });
  const baseline =
    config.compareWithNonPrivate && Number.isFinite(config.epsilon)
      ? await trainPrivately(train, {
          ...trainOptions,
          epsilon: Infinity,
          onEpoch: (epoch) => config.onEpoch?.(epoch, "non-private"),
        })
      : null;

  const privacy = {
    // With the scaler released too: both releases, from one accountant.
    epsilon: budget ? epsilonOf(budget.event(budget.noiseMultiplier), config) : trained.trace.epsilonSpent,
    delta: config.delta,
    epsilonTarget: config.epsilon,
    accountant: trained.trace.accountant,
  };
  const evaluation = evaluate({ test, model: trained.output.model, baseline: baseline?.output.model, privacy });

  // A new customer the model has never seen: generated, fictional, with name and email.
  const newCustomer = generateCustomers({ rows: 1, seed: config.seed + 1_000_003 })[0];
  const { buysNextMonth: _unknownOutcome, ...newRow } = newCustomer;
  const prediction = predict({
    row: newRow,
    model: trained.output.model,
    scaler,
    featureNames: names,
    privacy,
  });

  const first = customers[0];
  const firstAnonymised = anonymised.output[0];
  const dataFlow: DataFlowRow[] = [
    {
      step: 1,
      stage: "Data Collection",
      input: shape(customers.length, 5),
      operation: "Collect raw user data including sensitive info",
      output: shape(customers.length, 5),
      example: `${first.name}, ${first.age}, ${first.location}, ${first.purchaseHistory.length} purchases, ${first.email}`,
    },
    {
      step: 2,
      stage: "Data Anonymization",
      input: shape(customers.length, 5),
      operation: "Remove or mask personal identifiers like name and email",
      output: shape(anonymised.output.length, 3),
      example: `${firstAnonymised.age}, ${firstAnonymised.location}, ${firstAnonymised.purchaseHistory.length} purchases`,
    },
    {
      step: 3,
      stage: "Feature Engineering",
      input: shape(anonymised.output.length, 3),
      operation: "Create new features from existing data without revealing identity",
      output: shape(matrix.length, names.length),
      example: names.map((n, i) => `${n} ${matrix[0][i].toFixed(2)}`).join(", "),
    },
    {
      step: 4,
      stage: "Model Training with Differential Privacy",
      input: shape(train.x.length, names.length),
      operation: `DP-SGD: clip each example's gradient to C = ${trained.trace.clipNorm}, add noise σ = ${trained.trace.noiseMultiplier.toFixed(3)}`,
      output: `Trained ${config.model} weights (${trained.trace.parameterCount} parameters)`,
      example: "Model learns patterns without memorizing exact user data",
    },
    {
      step: 5,
      stage: "Model Evaluation",
      input: `Test set ${shape(test.x.length, names.length)}`,
      operation: "Evaluate model accuracy and privacy metrics",
      output: "Accuracy score and privacy loss measure",
      example: `Accuracy ${(100 * evaluation.output.private.accuracy).toFixed(1)}%, ε = ${privacy.epsilon.toFixed(2)}`,
    },
    {
      step: 6,
      stage: "Prediction",
      input: "New user data 1 row x 5 columns",
      operation: "Model predicts outcome without exposing training data",
      output: "Prediction result",
      example: `Predicted purchase likelihood: ${prediction.output.probability.toFixed(2)}`,
    },
  ];

  return {
    config: { ...config, onEpoch: undefined, data: undefined, signal: undefined, onProgress: undefined },
    backend,
    dataFlow,
    stages: {
      collect: collected.trace,
      anonymize: anonymised.trace,
      engineerFeatures: features.trace,
      trainPrivately: trained.trace,
      nonPrivateBaseline: baseline?.trace ?? null,
      evaluate: { ...evaluation.trace, metrics: evaluation.output },
      predict: { ...prediction.trace, output: prediction.output },
    },
    model: trained.output.model,
  };
}

export type PipelineResult = Awaited<ReturnType<typeof runPipeline>>;

/**
 * One σ for the scaler's release (at SCALER_NOISE_RATIO · σ) and the DP-SGD run (at σ) on the same
 * training people, the smallest at which both together stay within the target ε.
 */
function sharedBudget(config: PipelineConfig, trainRows: number): { noiseMultiplier: number; event: (sigma: number) => DpEvent } {
  const plan = trainingPlan(trainRows, { epochs: config.epochs, batchSize: config.batchSize, model: config.model });
  const event = (sigma: number): DpEvent => ({
    kind: "composed",
    events: [scalerEvent(SCALER_NOISE_RATIO * sigma), sampledGaussianEvent({ noiseMultiplier: sigma, sampleRate: plan.sampleRate, steps: plan.steps })],
  });
  const found = calibrateParameter({ targetEpsilon: config.epsilon, delta: config.delta, eventFor: event, accountant: config.accountant, parameterName: "noiseMultiplier" });
  return { noiseMultiplier: found.parameter, event };
}

function epsilonOf(event: DpEvent, config: PipelineConfig): number {
  const accountant = accountantFor(config.accountant);
  accountant.compose(event);
  return accountant.getEpsilon(config.delta).epsilon;
}
