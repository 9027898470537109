/**
 * One repeatable training iteration of the seed's "Iteration 2":
 *
 *   real rows → anonymity pipeline → GAN (DP discriminator, generator) → synthetic release
 *             → measures (fidelity, utility, privacy) and negative events → feedback
 *
 * and the loop that repeats it (iteration 1, 2, 3, …), adjusting the pipeline's tunable part
 * (generalisation levels, group size, ε) between iterations from the feedback. The same
 * iteration is the environment of the reinforcement-learning agent (./agent.ts), which learns
 * the settings by trial and error instead of by the rule below.
 *
 * Spaces. The generator learns from the pipeline's output. Its rows are released in the same
 * generalised space (a synthetic age is snapped to its band's midpoint, as the real ones were:
 * post-processing, free of privacy cost). Privacy is judged where people live in that space:
 * the training and holdout people generalised row by row (`generaliseRows`). Utility is judged
 * where the data user works: a model trained on the release, tested on exact held-out people,
 * against the same model trained on the exact training people.
 */
import { createHash } from "node:crypto";
import { dropColumns, rowCount, selectRows, type Cell, type Table } from "../anonymity/table";
import { encodeTable, fitEncoding, type NumericColumnEncoding, type TabularEncoding } from "../synthetic/encoding";
import { nearestRecords, quantile } from "../synthetic/distance";
import { nearCopyPenalty, type NearCopyPenalty } from "./penalty";
import { measureFidelity, type FidelityReport } from "../synthetic/fidelity";
import { distanceToClosestRecord, encodeForDistances, type DcrReport } from "../synthetic/privacy";
import { measureUtility, type UtilityReport } from "../synthetic/utility";
import { InputError, requireNumber } from "../validation/errors";
import { LongRun, type LongRunOptions } from "../runtime/longRun";
import { anonymityPipeline, generaliseRows, highestLevel, requireSettings, type AnonymityPipelineTrace, type PipelineSettings } from "./anonymityPipeline";
import type { Hierarchy } from "../anonymity/hierarchy";
import { customerHierarchies } from "../anonymity/customers";
import type { DatasetRoles } from "../anonymity/roles";
import type { GeneratorData } from "./generator";
import { detectNegativeEvents, type NegativeEventKind, type NegativeEventReport } from "./negativeEvents";
import { sampleSynthetic } from "./sample";
import { GAN_DEFAULTS, ganPlan, trainGan, type GanOptions, type GanPrivacy, type GanLogRecord, type GanSettings } from "./trainGan";
import { labelModelPlan, relabelRows, trainLabelModel, type LabelModel, type LabelModelOptions, type LabelModelTrace } from "./labelModel";
import { accountantFor, accountantKindOf, calibrateComposedNoise, DEFAULT_ACCOUNTANT, sampledGaussianEvent, type AccountantChoice, type CalibrationResult } from "../privacy/accountant";

/** GAN options an iteration passes through (ε comes from the pipeline settings, the seed from the iteration). */
export type IterationGanOptions = Omit<GanOptions, "targetEpsilon" | "noiseMultiplier" | "seed" | "onLog">;

/** `signal` stops the iteration (inside its GAN training, or between phases); `onProgress` follows it. */
export interface GanIterationOptions extends LongRunOptions {
  /** Real training people (a customerTable; direct identifiers are dropped by the pipeline). */
  train: Table;
  /** Real people neither the GAN nor any model saw: the near-copy baseline and the utility test set. */
  holdout: Table;
  settings: PipelineSettings;
  /** 1, 2, 3, …: a label for the trace (default 1). */
  iteration?: number;
  roles?: Partial<DatasetRoles>;
  hierarchies?: Readonly<Record<string, Hierarchy>>;
  /** Numeric columns that are categories (default: buysNextMonth when present). */
  categorical?: readonly string[];
  /**
   * The encoding of the pipeline's rows, declared from public metadata (declareEncoding): then no
   * statistic of it, nor the range rejection that uses it, reads a real row, and ε covers the
   * release given the declaration. Default: fitted on the pipeline's rows (not covered by ε).
   */
  encoding?: TabularEncoding;
  gan?: IterationGanOptions;
  /** Synthetic rows to release (default: as many as the training rows). */
  syntheticRows?: number;
  /** k of the small-group negative event (default 5). */
  k?: number;
  /** Near-copy threshold: this quantile of the holdout's distances to closest record (default 0.05). */
  nearCopyQuantile?: number;
  eventWeights?: Partial<Record<NegativeEventKind, number>>;
  /**
   * Weight of the near-copy penalty in the generator's loss (default 0: off). The penalty pushes
   * generated rows away from the training rows the GAN learns from, with the holdout's 5th
   * percentile distance as the margin. It reads real rows, so ε then no longer covers the generator.
   */
  nearCopyPenaltyWeight?: number;
  /**
   * Draw each released row's outcome from a label model (./labelModel.ts) trained with DP-SGD on
   * the pipeline's rows: `{}` for the defaults (label buysNextMonth, LABEL_MODEL_DEFAULTS). Its steps
   * and the discriminator's are calibrated together to the settings' ε (one σ for both) and
   * reported together in trace.privacy. Default: off (the generator's own outcome is released).
   */
  labelModel?: Partial<Pick<LabelModelOptions, "label" | "epochs" | "model" | "batchSize">>;
  /**
   * Drop generated rows closer to a training person than the holdout's 5th-percentile distance
   * before release (more rows are generated to make up for them). Default false. It reads the
   * training rows, so ε no longer covers the release, and it leaks in its own way: no released row
   * lies near a training person, a hole an attacker can look for. For showing that trade-off.
   */
  nearCopyFilter?: boolean;
  /** The utility goal: train-on-synthetic within this many accuracy points of train-on-real (default 5). */
  maxGapPoints?: number;
  /** Epochs of the utility model (default 5). */
  epochs?: number;
  seed?: number;
  /**
   * An earlier iteration trained on the same rows with the same training options (settings, gan,
   * labelModel, near-copy penalty, encoding, seed, iteration): its generator and label model are
   * released and measured again instead of trained again. Only what happens after training may
   * differ (nearCopyFilter, syntheticRows, k, the measures). No new DP-SGD run, so no new ε: the
   * release is post-processing of the same models. Refused when the training options differ.
   */
  reuseTraining?: { output: IterationOutput };
}

export interface IterationFeedback {
  /** Accuracy of the model trained on the release, in points (0–100): the utility the agent is rewarded for. */
  utilityPoints: number;
  gapPoints: number;
  eventCounts: Record<NegativeEventKind, number>;
  /** Σ weight × events (the weights of detectNegativeEvents). */
  penalty: number;
  goals: {
    utility: { met: boolean; rule: string };
    noCloseRecords: { met: boolean; rule: string; count: number };
    percentile: { met: boolean; rule: string };
  };
}

export interface IterationOutput {
  synthetic: Table;
  generator: GeneratorData;
  /** The label model that drew the released outcomes (null when off). */
  labelModel: LabelModel | null;
  /** The trained models with their traces, and the fingerprint of what trained them (for reuseTraining). */
  training: TrainedModels;
  encoding: TabularEncoding;
  fidelity: FidelityReport;
  utility: UtilityReport;
  dcr: DcrReport;
  /** Every negative event, the counts, weights and penalty, and the near-copy threshold. */
  negativeEvents: NegativeEventReport & { threshold: number };
  feedback: IterationFeedback;
}

export interface TrainedModels {
  /** SHA-256 of the training rows, the holdout rows and every option that shapes training; null with a custom generator penalty (a function cannot be compared). */
  key: string | null;
  gan: Awaited<ReturnType<typeof trainGan>>;
  labels: { output: LabelModel; trace: LabelModelTrace } | null;
}

export interface IterationTrace {
  stage: "ganIteration";
  iteration: number;
  /** Who reads what: GAN_FLOW. */
  flow: readonly string[];
  settings: PipelineSettings;
  pipeline: AnonymityPipelineTrace;
  gan: {
    privacy: GanPrivacy;
    log: GanLogRecord[];
    steps: number;
    /** The penalty in the generator's loss, if any (a near-copy penalty reads real rows: see privacy.coversGenerator). */
    generatorPenalty: GanSettings["generatorPenalty"];
    trainingMs: number;
    warnings: string[];
    /** true: the models of an earlier run (reuseTraining), not trained again; log and trainingMs are that run's. */
    reused: boolean;
  };
  /** The (ε, δ) of the whole release: every DP-SGD run that read the real rows, in one accountant (the GAN's choice, RDP by default). */
  privacy: ReleasePrivacy;
  /** The label model, and what it redrew among the generated rows (before any near-copy filter). */
  labelModel: (LabelModelTrace & { relabelled: ReturnType<typeof relabelRows>["trace"] }) | null;
  release: {
    rows: number;
    generated: number;
    discardedOutOfDomain: Record<string, number>;
    snappedTo: string;
    /** The near-copy filter, when on: candidate rows, how many were too close, and the threshold. */
    nearCopyFilter: { candidates: number; tooClose: number; threshold: number } | null;
  };
  fidelity: { meanKs: number | null; meanTv: number | null; meanAssociationDifference: number | null };
  utility: UtilityReport;
  dcr: { syntheticP5: number; holdoutP5: number; closeRows: number; exactCopies: number };
  events: { counts: Record<NegativeEventKind, number>; penalty: number; threshold: number; first: string[] };
  feedback: IterationFeedback;
  privacyNotes: string[];
  durations: { totalMs: number };
  summary: string;
}

/**
 * The data flow of one iteration, as the code runs it: real rows reach only the discriminator;
 * the generator starts from random noise and learns only through the privatised discriminator.
 */
export const GAN_FLOW: readonly string[] = Object.freeze([
  "real training rows → anonymity pipeline → discriminator (DP-SGD: sampled, clipped, noised)",
  "random noise z → generator → fake rows → discriminator",
  "discriminator's privatised gradients → generator (it never reads a real row)",
  "generator → synthetic rows → release (snapped to the pipeline's levels)",
]);

export interface ReleasePrivacy {
  /** ∞ without privacy. */
  epsilonSpent: number;
  delta: number;
  /** The one σ of every run (0 without privacy). */
  noiseMultiplier: number;
  /** The joint calibration, when there is more than one run. */
  calibration: CalibrationResult | null;
  /** Every DP-SGD run that read the real rows, with the σ it actually used (0 without privacy). */
  runs: { name: "discriminator" | "label model"; sampleRate: number; steps: number; noiseMultiplier: number }[];
  /**
   * Whether ε covers how every released row was generated, given the encoding: not when a generator
   * penalty or the near-copy filter read real rows.
   */
  coversRelease: boolean;
  /**
   * Whether the encoding (ranges, category lists) and the range rejection are covered: only when
   * the encoding was declared from public metadata; fitted on the rows, they are outside ε.
   */
  coversEncoding: boolean;
  /** The accountant that computed epsilonSpent (composeReleasePrivacy uses it too, unless told otherwise). */
  accountant: AccountantChoice;
}

const DEFAULT_K = 5;

/** Share of an iteration's progress bar the GAN's training takes (it takes most of the time). */
const GAN_SHARE = 0.8;

export async function runGanIteration(options: GanIterationOptions): Promise<{ output: IterationOutput; trace: IterationTrace }> {
  const run = new LongRun(`GAN iteration ${options?.iteration ?? 1}`, 1, "iteration", options ?? {});
  try {
    const result = await runOneIteration(options, run);
    run.finish();
    return result;
  } finally {
    run.close();
  }
}

async function runOneIteration(options: GanIterationOptions, run: LongRun): Promise<{ output: IterationOutput; trace: IterationTrace }> {
  const started = performance.now();
  if (options === null || typeof options !== "object") throw new InputError("options", "{ train, holdout, settings, … }", options);
  const settings = requireSettings(options.settings);
  const iteration = requireNumber("iteration", options.iteration ?? 1, { min: 1, integer: true });
  const seed = requireNumber("seed", options.seed ?? 7, { min: 0, max: 2 ** 31 - 1, integer: true });
  const k = requireNumber("k", options.k ?? DEFAULT_K, { min: 2, integer: true });
  const maxGapPoints = requireNumber("maxGapPoints", options.maxGapPoints ?? 5, { min: 0 });
  const trainRows = rowCount(options.train);
  const rows = requireNumber("syntheticRows", options.syntheticRows ?? trainRows, { min: 1, max: 1_000_000, integer: true });
  const categorical = options.categorical ?? ["buysNextMonth"].filter((c) => options.train.columns.includes(c));
  const shared = { roles: options.roles, hierarchies: options.hierarchies, categorical };

  // 1. The anonymity pipeline and the GAN on its output.
  const pipeline = anonymityPipeline(options.train, { ...shared, settings });
  if (options.encoding !== undefined && options.encoding?.source !== "declared") {
    throw new InputError("encoding", "an encoding declared from public metadata (declareEncoding); leave it out to fit one on the rows", options.encoding?.source ?? options.encoding);
  }
  const encoding = options.encoding ?? fitEncoding(pipeline.output, { categorical });
  const encodingDeclared = options.encoding !== undefined;
  const penaltyWeight = requireNumber("nearCopyPenaltyWeight", options.nearCopyPenaltyWeight ?? 0, { min: 0 });
  if (options.nearCopyFilter !== undefined && typeof options.nearCopyFilter !== "boolean") throw new InputError("nearCopyFilter", "true or false", options.nearCopyFilter);
  const holdoutPeople = generaliseRows(options.holdout, { ...shared, levels: settings.levels }).output;
  const generatorPenalty = penaltyWeight > 0 ? nearCopyPenaltyFor(pipeline.output, holdoutPeople, encoding, penaltyWeight) : options.gan?.generatorPenalty;
  const budget = planBudget(rowCount(pipeline.output), settings.targetEpsilon, options);
  const key = trainingKey(options, settings, seed, iteration, categorical);
  const reused = reusedTraining(options.reuseTraining, key);
  const gan = reused
    ? reused.gan
    : await trainGan(pipeline.output, encoding, { ...options.gan, generatorPenalty, ...budget.discriminator, seed: seed + iteration, ...run.nested(GAN_SHARE) });
  await run.step(GAN_SHARE);
  const labels = reused
    ? reused.labels
    : budget.labelModel
      ? await trainLabelModel(pipeline.output, encoding, {
          ...options.labelModel,
          label: options.labelModel?.label ?? "buysNextMonth",
          ...budget.labelModel,
          delta: budget.privacy.delta,
          ...(options.gan?.accountant === undefined ? {} : { accountant: options.gan.accountant }),
          seed: seed + iteration,
        })
      : null;

  // 2. The release: generated rows in the domain the encoding knows (outcomes redrawn by the
  // label model, if any), snapped to the generalised space.
  let relabelled: ReturnType<typeof relabelRows>["trace"] | null = null;
  const candidates = options.nearCopyFilter ? Math.ceil(rows * NEAR_COPY_OVERSAMPLING) : rows;
  const release = releaseRows(gan.output.generator, encoding, candidates, seed + iteration, (table) => {
    let drawn = table;
    if (labels) {
      const redrawn = relabelRows(table, labels.output, encoding, `${seed + iteration}:labels`);
      drawn = redrawn.output;
      relabelled = redrawn.trace;
    }
    return generaliseRows(drawn, { ...shared, levels: settings.levels }).output;
  });
  const trainPeople = generaliseRows(options.train, { ...shared, levels: settings.levels }).output;
  const filter = options.nearCopyFilter ? filterNearCopies(release.table, trainPeople, holdoutPeople, rows) : null;
  if (filter) release.table = filter.table;
  const privacy = releasePrivacy(budget.privacy, gan.trace.privacy, labels?.trace ?? null, filter === null, encodingDeclared, options.gan?.accountant);

  // 3. Real people in the same space, and the measures.
  const direct = pipeline.trace.droppedIdentifiers;
  const fidelity = measureFidelity(trainPeople, release.table, { categorical });
  const dcr = distanceToClosestRecord({ train: trainPeople, holdout: holdoutPeople, synthetic: release.table });
  const events = detectNegativeEvents({
    synthetic: release.table,
    train: trainPeople,
    holdout: holdoutPeople,
    quasi: pipeline.trace.roles.quasi,
    k,
    nearCopyQuantile: options.nearCopyQuantile,
    weights: options.eventWeights,
  });
  await run.step(GAN_SHARE + (1 - GAN_SHARE) / 2);
  const utility = await measureUtility({
    realTrain: dropColumns(options.train, direct),
    synthetic: release.table,
    realTest: dropColumns(options.holdout, direct),
    epochs: options.epochs,
    seed,
    maxGapPoints,
  });

  const close = dcr.output.closeRows.count;
  const feedback: IterationFeedback = {
    utilityPoints: 100 * utility.output.tstrAccuracy,
    gapPoints: utility.output.gapPoints,
    eventCounts: events.output.counts,
    penalty: events.output.penalty,
    goals: {
      utility: { met: utility.output.withinTolerance, rule: `train-on-synthetic accuracy within ${maxGapPoints} points of train-on-real` },
      noCloseRecords: {
        met: close === 0,
        count: close,
        rule: "no synthetic record strictly closer to a training record than the holdout baseline's 5th percentile",
      },
      percentile: {
        met: dcr.output.synthetic.p5 >= dcr.output.holdout.p5,
        rule: "the synthetic rows' 5th-percentile distance to closest record is at least the holdout's (no closer to the training people than new people are)",
      },
    },
  };
  const eps = privacy.epsilonSpent;
  const epsText = Number.isFinite(eps) ? `ε = ${eps.toFixed(2)}, δ = ${privacy.delta}` : "ε = ∞ (no DP)";
  return {
    output: {
      synthetic: release.table,
      generator: gan.output.generator,
      labelModel: labels?.output ?? null,
      training: { key, gan, labels },
      encoding,
      fidelity: fidelity.output,
      utility: utility.output,
      dcr: dcr.output,
      negativeEvents: events.output,
      feedback,
    },
    trace: {
      stage: "ganIteration",
      iteration,
      flow: GAN_FLOW,
      settings,
      pipeline: pipeline.trace,
      gan: {
        privacy: gan.trace.privacy,
        log: gan.trace.log,
        steps: gan.trace.options.steps,
        generatorPenalty: gan.trace.options.generatorPenalty,
        trainingMs: gan.trace.durations.trainingMs,
        warnings: gan.trace.warnings,
        reused: reused !== null,
      },
      privacy,
      labelModel: labels && relabelled ? { ...labels.trace, relabelled } : null,
      release: {
        rows,
        generated: release.generated,
        discardedOutOfDomain: release.discarded,
        snappedTo: "the pipeline's generalisation levels (row by row)",
        nearCopyFilter: filter && { candidates: filter.candidates, tooClose: filter.tooClose, threshold: filter.threshold },
      },
      fidelity: {
        meanKs: fidelity.output.summary.meanKs,
        meanTv: fidelity.output.summary.meanTv,
        meanAssociationDifference: fidelity.output.summary.meanAssociationDifference,
      },
      utility: utility.output,
      dcr: { syntheticP5: dcr.output.synthetic.p5, holdoutP5: dcr.output.holdout.p5, closeRows: close, exactCopies: dcr.output.exactCopies.count },
      events: {
        counts: events.output.counts,
        penalty: events.output.penalty,
        threshold: events.output.threshold,
        first: events.output.events.slice(0, 5).map((e) => e.sentence),
      },
      feedback,
      privacyNotes: [
        ...pipeline.trace.privacyNotes,
        ...gan.trace.privacy.notes,
        ...(labels
          ? [
              `The released ${labels.output.label} values are drawn from a label model trained with DP-SGD on the same rows; its steps and the discriminator's ` +
                "share one σ, calibrated so that both together spend the target ε (trace.privacy; the discriminator's own ε in trace.gan.privacy is only its part).",
            ]
          : []),
        ...(filter
          ? [
              `The near-copy filter dropped ${filter.tooClose} of ${filter.candidates} generated rows closer to a training person than ${filter.threshold.toFixed(3)}: it reads the training rows, so ε does NOT cover this release, ` +
                "and the rows it removes leave a hole around each training person that an attacker can look for.",
            ]
          : []),
        encodingDeclared
          ? "Rows outside the encoding's [min, max] are discarded and redrawn before release; those bounds are the declared public ones, so this reads no real row."
          : "Rows outside the encoding's [min, max] are discarded and redrawn before release; those bounds come from the real table (see the note on the encoding's statistics).",
        "The feedback (near-copy counts, negative events, accuracy on held-out people) is measured on real rows without noise: it is not covered by ε, and neither " +
          "is any setting chosen from it (iterations and the agent: see composeReleasePrivacy).",
      ],
      durations: { totalMs: performance.now() - started },
      summary:
        `iteration ${iteration}: ${describeSettings(settings)} → ${epsText}; TSTR ${(100 * utility.output.tstrAccuracy).toFixed(1)}% vs TRTR ` +
        `${(100 * utility.output.trtrAccuracy).toFixed(1)}% (gap ${utility.output.gapPoints.toFixed(1)} points); ${close} synthetic rows closer than the holdout's 5th percentile; ` +
        `negative events ${Object.entries(events.output.counts).map(([kind, n]) => `${kind} ${n}`).join(", ")}`,
    },
  };
}

/**
 * What shapes the trained models: the rows (training and holdout: the near-copy penalty reads
 * the holdout) and every training option, hashed. A function (a custom generator penalty) cannot
 * be compared, so it gets no key and its run cannot be reused.
 */
function trainingKey(options: GanIterationOptions, settings: PipelineSettings, seed: number, iteration: number, categorical: readonly string[]): string | null {
  const hash = createHash("sha256");
  const table = (t: Table) => {
    hash.update(JSON.stringify(t.columns));
    for (const c of t.columns) hash.update(JSON.stringify(Array.from(t.data[c] ?? [], (v) => [typeof v, String(v)])));
  };
  table(options.train);
  table(options.holdout);
  const { generatorPenalty, ...ganOptions } = options.gan ?? {};
  const shaping = {
    settings,
    seed,
    iteration,
    categorical,
    roles: options.roles ?? null,
    hierarchies: options.hierarchies ?? null,
    encoding: options.encoding ?? null,
    gan: ganOptions,
    customPenalty: generatorPenalty === undefined ? null : "a function",
    nearCopyPenaltyWeight: options.nearCopyPenaltyWeight ?? 0,
    labelModel: options.labelModel ?? null,
  };
  hash.update(JSON.stringify(shaping, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)));
  return generatorPenalty === undefined ? hash.digest("hex") : null;
}

/** The fingerprint guards against mistakes (another run passed by accident), not against a forged object: the caller vouches for what it passes. */
function reusedTraining(previous: GanIterationOptions["reuseTraining"], key: string | null): TrainedModels | null {
  if (previous === undefined) return null;
  const training = (previous as { output?: { training?: TrainedModels } } | null)?.output?.training;
  if (!training || !("key" in training)) throw new InputError("reuseTraining", "the result of an earlier runGanIteration", previous);
  if (key === null || training.key === null) {
    throw new InputError("reuseTraining", "runs without a custom gan.generatorPenalty (a function cannot be compared)", "a custom generator penalty");
  }
  if (training.key !== key) {
    throw new InputError(
      "reuseTraining",
      "a run trained on the same rows with the same settings, gan, labelModel, near-copy penalty, encoding, seed and iteration (only nearCopyFilter, syntheticRows, k and the measures may differ)",
      "a run trained differently",
    );
  }
  return training;
}

export function describeSettings(settings: PipelineSettings): string {
  const levels = Object.entries(settings.levels).map(([c, l]) => `${c} L${l}`).join(", ") || "exact";
  return `${levels}, group ${settings.groupSize === 1 ? "off" : `k = ${settings.groupSize}`}, ε ${settings.targetEpsilon === Infinity ? "∞" : settings.targetEpsilon}`;
}

/**
 * The negative event "near-copy" as a term of the generator's loss: fake rows closer to a row the
 * GAN learns from than the holdout people's 5th-percentile distance are pushed away.
 */
function nearCopyPenaltyFor(learnedFrom: Table, holdoutPeople: Table, encoding: TabularEncoding, weight: number): NearCopyPenalty {
  // Extra slots for categories the encoding has not seen only add distance, so the quantile is
  // the same as in the encoding's own space for every pair that both encode.
  const space = encodeForDistances({ train: learnedFrom, holdout: holdoutPeople, synthetic: holdoutPeople, encoding });
  const margin = quantile(nearestRecords(space.holdout, space.train).distances, 0.05);
  if (!(margin > 0)) {
    throw new InputError("nearCopyPenaltyWeight", "0 when the holdout's 5th-percentile distance is 0 (no margin to push fake rows beyond)", weight);
  }
  return nearCopyPenalty(encodeTable(learnedFrom, encoding), margin, { weight, readsRealRows: true });
}

/**
 * How the settings' ε is spent: all on the discriminator, or, with a label model, one σ for
 * both runs calibrated so that together they spend it.
 */
function planBudget(
  rows: number,
  targetEpsilon: number,
  options: GanIterationOptions,
): {
  discriminator: { targetEpsilon: number } | { noiseMultiplier: number };
  labelModel: { targetEpsilon: number } | { noiseMultiplier: number } | null;
  privacy: Pick<ReleasePrivacy, "delta" | "calibration"> & { runs: PlannedRun[] };
} {
  const delta = options.gan?.delta ?? GAN_DEFAULTS.delta;
  const runs: PlannedRun[] = [{ name: "discriminator", ...ganPlan(rows, options.gan) }];
  if (!options.labelModel) return { discriminator: { targetEpsilon }, labelModel: null, privacy: { delta, calibration: null, runs } };
  runs.push({ name: "label model", ...labelModelPlan(rows, options.labelModel) });
  if (!Number.isFinite(targetEpsilon)) return { discriminator: { targetEpsilon }, labelModel: { targetEpsilon }, privacy: { delta, calibration: null, runs } };
  const calibration = calibrateComposedNoise({ targetEpsilon, delta, mechanisms: runs, accountant: options.gan?.accountant });
  const sigma = { noiseMultiplier: calibration.noiseMultiplier };
  return { discriminator: sigma, labelModel: sigma, privacy: { delta, calibration, runs } };
}

type PlannedRun = Omit<ReleasePrivacy["runs"][number], "noiseMultiplier">;

/** ε of the whole release, from one accountant fed every run that read the real rows. */
function releasePrivacy(
  plan: ReturnType<typeof planBudget>["privacy"],
  gan: GanPrivacy,
  labels: LabelModelTrace | null,
  unfiltered: boolean,
  coversEncoding: boolean,
  choice: AccountantChoice | undefined,
): ReleasePrivacy {
  const coversRelease = unfiltered && gan.coversGenerator;
  const discriminator = { name: "discriminator" as const, sampleRate: gan.sampleRate, steps: gan.discriminatorSteps, noiseMultiplier: gan.noiseMultiplier };
  const accountant = choice ?? DEFAULT_ACCOUNTANT;
  if (!labels) return { epsilonSpent: gan.epsilonSpent, delta: gan.delta, noiseMultiplier: gan.noiseMultiplier, calibration: gan.calibration, runs: [discriminator], coversRelease, coversEncoding, accountant };
  const t = labels.training;
  const runs = [discriminator, { name: "label model" as const, sampleRate: t.sampleRate, steps: t.steps, noiseMultiplier: t.private ? t.noiseMultiplier : 0 }];
  if (!t.private || !gan.private) return { epsilonSpent: Infinity, delta: plan.delta, noiseMultiplier: 0, calibration: null, runs, coversRelease: false, coversEncoding, accountant };
  return { epsilonSpent: composedEpsilon(runs, plan.delta, choice), delta: plan.delta, noiseMultiplier: gan.noiseMultiplier, calibration: plan.calibration, runs, coversRelease, coversEncoding, accountant };
}

/** ε of DP-SGD runs on the same people, from one accountant fed every run (∞ if any run had no noise). */
function composedEpsilon(runs: readonly ReleasePrivacy["runs"][number][], delta: number, choice?: AccountantChoice): number {
  if (runs.some((r) => !(r.noiseMultiplier > 0))) return Infinity;
  const accountant = accountantFor(choice);
  for (const run of runs) accountant.compose(sampledGaussianEvent({ noiseMultiplier: run.noiseMultiplier, sampleRate: run.sampleRate }), run.steps);
  return accountant.getEpsilon(delta).epsilon;
}

/** What a sequence of releases on the same people spent together, and what that ε does not cover. */
export interface ComposedPrivacy {
  /** ε of every DP-SGD run of every release, from one accountant (∞ if any run was not private). */
  epsilonSpent: number;
  delta: number;
  /** The largest ε any single release reported: what reporting only one run would have claimed. */
  largestSingleEpsilon: number;
  releases: number;
  runs: Array<ReleasePrivacy["runs"][number] & { release: number }>;
  /** The accountant fed every run: the releases' own when they agree, else the default (or the one asked for). */
  accountant: AccountantChoice;
  /**
   * false: the choices between releases (which settings to try next, which release is best) were
   * made from measures that read real rows without noise, so no ε covers them.
   */
  tuningCovered: false;
  notes: string[];
}

/** The note every composed report carries: why the tuning is outside ε. */
export const TUNING_NOT_COVERED =
  "The choices between runs (the next settings, the agent's reward, the best release) come from near-copy counts, negative events and accuracy measured on " +
  "real training and held-out rows without noise: that tuning is NOT covered by ε. A private tuning would compute those measures with noise and add their ε " +
  "to the accountant, or tune on public data (Papernot & Steinke 2022, Hyperparameter tuning with Renyi differential privacy).";

/**
 * The releases' privacy composed: one accountant fed every DP-SGD run of every release, since all
 * of them read the same training people (adaptive composition holds for RDP, Mironov 2017,
 * Prop. 1, and for PLDs). Every release must use the same δ. The accountant is the one the
 * releases were accounted with when they all agree, else the default; `options.accountant` chooses.
 */
export function composeReleasePrivacy(releases: readonly ReleasePrivacy[], options: { accountant?: AccountantChoice } = {}): ComposedPrivacy {
  if (!Array.isArray(releases as unknown) || releases.length === 0) throw new InputError("releases", "a non-empty list of trace.privacy from runGanIteration", releases);
  const delta = releases[0].delta;
  releases.forEach((r, i) => {
    if (r === null || typeof r !== "object" || !Array.isArray(r.runs)) throw new InputError(`releases[${i}]`, "a trace.privacy from runGanIteration", r);
    if (r.delta !== delta) throw new InputError(`releases[${i}].delta`, `the same δ as releases[0] (${delta})`, r.delta);
  });
  const runs = releases.flatMap((r, release) => r.runs.map((run) => ({ ...run, release: release + 1 })));
  const used = releases.map((r) => JSON.stringify(r.accountant ?? DEFAULT_ACCOUNTANT));
  const agreed = used.every((u) => u === used[0]) ? (releases[0].accountant ?? DEFAULT_ACCOUNTANT) : DEFAULT_ACCOUNTANT;
  const accountant = options.accountant ?? agreed;
  const epsilonSpent = composedEpsilon(runs, delta, accountant);
  const largestSingleEpsilon = Math.max(...releases.map((r) => r.epsilonSpent));
  const uncovered = releases.flatMap((r, i) => (r.coversRelease ? [] : [i + 1]));
  return {
    epsilonSpent,
    delta,
    largestSingleEpsilon,
    releases: releases.length,
    runs,
    accountant,
    tuningCovered: false,
    notes: [
      `${releases.length} releases trained ${runs.length} DP-SGD runs on the same people; one ${accountantKindOf(accountant).toUpperCase()} accountant fed all of them gives ` +
        `${Number.isFinite(epsilonSpent) ? `ε = ${epsilonSpent.toFixed(2)}` : "ε = ∞"} at δ = ${delta} (the largest single release reported ${Number.isFinite(largestSingleEpsilon) ? largestSingleEpsilon.toFixed(2) : "∞"}).`,
      TUNING_NOT_COVERED,
      ...(uncovered.length > 0 ? [`Releases ${uncovered.join(", ")} read real rows outside DP-SGD (a near-copy penalty or filter): ε does not cover them either.`] : []),
      ...(releases.some((r) => !r.coversEncoding) ? ["Encodings fitted on the real rows (ranges, category lists) are outside ε; a declared public encoding (declareEncoding) is not."] : []),
    ],
  };
}

/** Candidates generated per released row when the near-copy filter is on (about 2–5 % are dropped on the course's data). */
const NEAR_COPY_OVERSAMPLING = 1.25;

/**
 * The first `rows` candidates whose distance to the closest training person is at least the
 * holdout's 5th percentile (the same measure and rule as the DCR report's close rows).
 */
function filterNearCopies(candidates: Table, train: Table, holdout: Table, rows: number): { table: Table; candidates: number; tooClose: number; threshold: number } {
  const { output } = distanceToClosestRecord({ train, holdout, synthetic: candidates, closestPairs: 0 });
  const keep = output.syntheticDistances.flatMap((d, i) => (d < output.threshold ? [] : [i]));
  const n = output.syntheticDistances.length;
  if (keep.length < rows) {
    throw new InputError("nearCopyFilter", `a generator with at least ${rows} of its ${n} candidate rows no closer to a training person than ${output.threshold}`, `${keep.length} such rows`);
  }
  return { table: selectRows(candidates, keep.slice(0, rows)), candidates: n, tooClose: n - keep.length, threshold: output.threshold };
}

/** Draws rows until `rows` lie inside every numeric column's [min, max] of the encoding, then snaps them. */
function releaseRows(
  generator: GeneratorData,
  encoding: TabularEncoding,
  rows: number,
  seed: number,
  snap: (table: Table) => Table,
): { table: Table; generated: number; discarded: Record<string, number> } {
  const numeric = encoding.columns.filter((c): c is NumericColumnEncoding => c.kind === "numeric");
  const discarded: Record<string, number> = {};
  const kept: Record<string, Cell[]> = Object.fromEntries(encoding.columns.map((c) => [c.name, [] as Cell[]]));
  let generated = 0;
  let keptRows = 0;
  for (let round = 0; keptRows < rows; round++) {
    if (round >= 20) {
      throw new InputError("generator", `a generator whose samples mostly fall inside the training data's range (${generated} drawn, ${keptRows} kept)`, discarded);
    }
    const batch = sampleSynthetic(generator, encoding, Math.ceil(rows * 1.25), `${seed}:release:${round}`).output;
    const n = rowCount(batch);
    generated += n;
    for (let i = 0; i < n && keptRows < rows; i++) {
      const outside = numeric.find((c) => {
        const v = batch.data[c.name][i] as number;
        return !Number.isFinite(v) || v < c.min || v > c.max;
      });
      if (outside) {
        discarded[outside.name] = (discarded[outside.name] ?? 0) + 1;
        continue;
      }
      for (const c of encoding.columns) kept[c.name].push(batch.data[c.name][i]);
      keptRows++;
    }
  }
  return { table: snap({ columns: encoding.columns.map((c) => c.name), data: kept }), generated, discarded };
}

// ---------------------------------------------------------------------------------------
// Repeating the iteration: the pipeline's settings adjusted from the feedback.

export interface SettingsLadders {
  /** ε values from least to most private (default [Infinity, 10, 5, 2, 1]). */
  epsilon: readonly number[];
  /** Group sizes from none to most (default [1, 3, 5, 10]). */
  groupSize: readonly number[];
}

export const DEFAULT_LADDERS: SettingsLadders = Object.freeze({ epsilon: [Infinity, 10, 5, 2, 1], groupSize: [1, 3, 5, 10] });

export interface Adjustment {
  settings: PipelineSettings;
  changed: string | null;
  reason: string;
}

/**
 * The feedback rule between iterations (the "backpropagation into the pipeline" of the seed):
 * near-copies → more privacy in the GAN (next ε down, else a larger group); small groups or
 * rare combinations → a coarser quasi-identifier (the one with the lowest level that can
 * still rise), else a larger group; no events but the utility goal missed → relax one step
 * (ε up, else a smaller group, else a finer level); otherwise keep the settings.
 */
export function adjustSettings(
  settings: PipelineSettings,
  feedback: IterationFeedback,
  options: { hierarchies?: Readonly<Record<string, Hierarchy>>; ladders?: SettingsLadders } = {},
): Adjustment {
  const s = requireSettings(settings);
  const hierarchies = options.hierarchies ?? customerHierarchies();
  const ladders = requireLadders(options.ladders ?? DEFAULT_LADDERS);
  // One rung up (+1, more private) or down (−1) a ladder; a value not on it joins at its place.
  const step = (ladder: readonly number[], value: number, by: 1 | -1, morePrivate: (a: number, b: number) => boolean): number | null => {
    // Least private first, whatever order the ladder was given in.
    const rungs = (by > 0 ? ladder.filter((v) => morePrivate(v, value)) : ladder.filter((v) => morePrivate(value, v))).sort((a, b) =>
      morePrivate(a, b) ? 1 : morePrivate(b, a) ? -1 : 0,
    );
    if (rungs.length === 0) return null;
    return by > 0 ? rungs[0] : rungs[rungs.length - 1];
  };
  const smallerEps = (a: number, b: number) => a < b;
  const largerGroup = (a: number, b: number) => a > b;
  const counts = feedback.eventCounts;
  const withPatch = (patch: Partial<PipelineSettings>, changed: string, reason: string): Adjustment => ({ settings: { ...s, ...patch, levels: { ...s.levels, ...(patch.levels ?? {}) } }, changed, reason });

  if (counts["near-copy"] > 0) {
    const eps = step(ladders.epsilon, s.targetEpsilon, 1, smallerEps);
    if (eps !== null) return withPatch({ targetEpsilon: eps }, "targetEpsilon", `${counts["near-copy"]} near-copies: more noise in the discriminator (ε ${fmt(s.targetEpsilon)} → ${fmt(eps)})`);
    const g = step(ladders.groupSize, s.groupSize, 1, largerGroup);
    if (g !== null) return withPatch({ groupSize: g }, "groupSize", `${counts["near-copy"]} near-copies at the smallest ε: larger groups (k ${s.groupSize} → ${g})`);
  }
  if (counts["small-group"] + counts["rare-combination"] > 0) {
    const raisable = Object.entries(hierarchies)
      .map(([column, h]) => ({ column, level: s.levels[column] ?? 0, max: highestLevel(h) }))
      .filter((c) => c.level < c.max)
      .sort((a, b) => a.level - b.level || a.column.localeCompare(b.column));
    const why = `${counts["small-group"]} small groups and ${counts["rare-combination"]} rare combinations`;
    if (raisable.length > 0) {
      const c = raisable[0];
      return withPatch({ levels: { [c.column]: c.level + 1 } }, `levels.${c.column}`, `${why}: generalise ${c.column} one level (${c.level} → ${c.level + 1})`);
    }
    const g = step(ladders.groupSize, s.groupSize, 1, largerGroup);
    if (g !== null) return withPatch({ groupSize: g }, "groupSize", `${why} at the coarsest levels: larger groups (k ${s.groupSize} → ${g})`);
  }
  const events = Object.values(counts).reduce((a, b) => a + b, 0);
  if (events === 0 && !feedback.goals.utility.met) {
    const eps = step(ladders.epsilon, s.targetEpsilon, -1, smallerEps);
    if (eps !== null) return withPatch({ targetEpsilon: eps }, "targetEpsilon", `no negative events but ${feedback.gapPoints.toFixed(1)} points of accuracy lost: less noise (ε ${fmt(s.targetEpsilon)} → ${fmt(eps)})`);
    const g = step(ladders.groupSize, s.groupSize, -1, largerGroup);
    if (g !== null) return withPatch({ groupSize: g }, "groupSize", `no negative events but the utility goal missed: smaller groups (k ${s.groupSize} → ${g})`);
  }
  return { settings: s, changed: null, reason: events === 0 ? "no negative events and the utility goal met: keep the settings" : "no setting left to change for these events: keep the settings" };
}

function requireLadders(ladders: SettingsLadders): SettingsLadders {
  if (ladders === null || typeof ladders !== "object") throw new InputError("ladders", "{ epsilon: number[], groupSize: number[] }", ladders);
  const rungs = (name: "epsilon" | "groupSize", check: (v: unknown, field: string) => void) => {
    const list = ladders[name];
    if (!Array.isArray(list) || list.length === 0) throw new InputError(`ladders.${name}`, "a non-empty list of values", list);
    list.forEach((v, i) => check(v, `ladders.${name}[${i}]`));
  };
  rungs("epsilon", (v, field) => {
    if (v !== Infinity) requireNumber(field, v, { min: 0, minExclusive: true });
  });
  rungs("groupSize", (v, field) => requireNumber(field, v, { min: 1, integer: true }));
  return ladders;
}

function fmt(eps: number): string {
  return eps === Infinity ? "∞" : String(eps);
}

export interface RunIterationsOptions extends Omit<GanIterationOptions, "iteration" | "settings"> {
  initialSettings: PipelineSettings;
  /** How many iterations (default 3). */
  iterations?: number;
  ladders?: SettingsLadders;
  onIteration?: (trace: IterationTrace) => void;
}

export interface IterationsTrace {
  iterations: Array<{ trace: IterationTrace; adjustment: Adjustment }>;
  /** Every iteration trained on the same people: their runs composed by one accountant. */
  privacy: ComposedPrivacy;
  summary: string[];
}

/** Iteration 1, 2, 3, …: each runs with the settings the previous one's feedback chose. */
export async function runGanIterations(options: RunIterationsOptions): Promise<{ output: { last: IterationOutput; settings: PipelineSettings }; trace: IterationsTrace }> {
  if (options === null || typeof options !== "object") throw new InputError("options", "{ train, holdout, initialSettings, iterations?, … }", options);
  const count = requireNumber("iterations", options.iterations ?? 3, { min: 1, max: 100, integer: true });
  let settings = requireSettings(options.initialSettings, "initialSettings");
  const records: IterationsTrace["iterations"] = [];
  let last: IterationOutput | null = null;
  const progress = new LongRun("GAN iterations", count, "iteration", options);
  try {
    for (let i = 1; i <= count; i++) {
      const run = await runGanIteration({ ...options, ...progress.nested(1), settings, iteration: i });
      const adjustment = adjustSettings(settings, run.output.feedback, { hierarchies: options.hierarchies, ladders: options.ladders });
      records.push({ trace: run.trace, adjustment });
      options.onIteration?.(run.trace);
      last = run.output;
      settings = adjustment.settings;
      await progress.step(i);
    }
    progress.finish();
  } finally {
    progress.close();
  }
  return {
    output: { last: last as IterationOutput, settings },
    trace: {
      iterations: records,
      privacy: composeReleasePrivacy(records.map((r) => r.trace.privacy)),
      summary: records.map((r) => `${r.trace.summary}. Next: ${r.adjustment.reason}`),
    },
  };
}
