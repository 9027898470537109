/**
 * Which training data gives the most accurate — and the most even — model? The course model
 * is trained on each candidate training set (the real rows, a k-anonymised release, a
 * synthetic table) and every model is tested on the SAME real held-out rows. For the
 * synthetic set this is "train on synthetic, test on real" (TSTR; Esteban, Hyland & Rätsch
 * 2017): synthetic data is useful when a model trained on it works on real people.
 *
 * Besides overall accuracy, precision and recall, each model gets the per-group analysis and
 * the bias search, because a release can keep the overall accuracy while losing a group
 * (anonymisation generalises small groups the most; a GAN can under-sample rare ones).
 */
import { columnValues, rowCount, type Table } from "../anonymity/table";
import { trainOnAnonymised } from "../anonymity/training";
import { InputError, requireNumber } from "../validation/errors";
import { findBiases, type BiasFinding, type FindBiasesOptions, type FindBiasesTrace } from "./bias";
import { metricsByGroup, type GroupMetricsReport } from "./groupMetrics";
import { customerGroups } from "./groups";

export interface TrainingSet {
  /** e.g. "non-anonymised", "anonymised (k = 5)", "synthetic (GAN)". */
  label: string;
  /** A customer-shaped table (trainOnAnonymised's train): exact, generalised or synthetic rows. */
  train: Table;
}

export interface CompareTrainingSetsInput {
  sets: readonly TrainingSet[];
  /** Real, exact held-out customers (a customerTable): every set's model is tested on these rows. */
  test: Table;
  epochs?: number;
  seed?: number;
  bias?: FindBiasesOptions;
}

/** One row per training set: the headline numbers. */
export interface OverallRow {
  set: string;
  trainRows: number;
  accuracy: number;
  precision: number | null;
  recall: number | null;
  /** Number of (group, metric) findings of findBiases. */
  biasesFound: number;
}

/** One row per training set × grouping × group. */
export interface GroupRow {
  set: string;
  grouping: string;
  group: string;
  n: number;
  positives: number;
  accuracy: number | null;
  accuracyLow: number | null;
  accuracyHigh: number | null;
  precision: number | null;
  recall: number | null;
  recallLow: number | null;
  recallHigh: number | null;
  accuracyGap: number | null;
  precisionGap: number | null;
  recallGap: number | null;
}

/** One row per finding. */
export interface BiasRow {
  set: string;
  grouping: string;
  group: string;
  metric: string;
  value: number;
  restValue: number;
  gap: number;
  pValue: number;
  adjustedPValue: number;
  sentence: string;
}

export interface SetResult {
  set: string;
  /** The model's P(buys) per test row, in test-row order. */
  probabilities: number[];
  metrics: GroupMetricsReport;
  findings: BiasFinding[];
}

export interface CompareTrainingSetsTrace {
  testRows: number;
  epochs: number;
  seed: number;
  groups: ReturnType<typeof customerGroups>["trace"];
  sets: {
    set: string;
    trainRows: number;
    imputed: { age: number; location: number };
    constantFeatures: string[];
    /** What trainOnAnonymised itself reported; equals this set's overall accuracy. */
    reportedAccuracy: number;
    training: string;
    biases: FindBiasesTrace["summary"];
  }[];
  bias: FindBiasesTrace["parameters"] | null;
  definition: string;
  summary: string;
}

export async function compareTrainingSets(
  input: CompareTrainingSetsInput,
): Promise<{ output: { overall: OverallRow[]; byGroup: GroupRow[]; biases: BiasRow[]; results: SetResult[] }; trace: CompareTrainingSetsTrace }> {
  const sets = input?.sets;
  if (!Array.isArray(sets) || sets.length === 0) throw new InputError("sets", "a non-empty array of { label, train }", sets);
  const seen = new Set<string>();
  sets.forEach((s, i) => {
    if (typeof s?.label !== "string" || s.label.trim() === "") throw new InputError(`sets[${i}].label`, "a non-empty name", s?.label);
    if (seen.has(s.label)) throw new InputError(`sets[${i}].label`, "a name no other set has", s.label);
    seen.add(s.label);
  });
  const epochs = requireNumber("epochs", input.epochs ?? 5, { min: 1, max: 1000, integer: true });
  const seed = requireNumber("seed", input.seed ?? 7, { min: 0, max: 2 ** 31 - 1, integer: true });
  const n = rowCount(input.test);
  const labels = Array.from(columnValues(input.test, "buysNextMonth", "test column"), (y, i) => {
    if (y !== 0 && y !== 1) throw new InputError(`test.buysNextMonth[${i}]`, "0 or 1", y);
    return y;
  });
  const groups = customerGroups(input.test);

  const overall: OverallRow[] = [];
  const byGroup: GroupRow[] = [];
  const biases: BiasRow[] = [];
  const results: SetResult[] = [];
  const traces: CompareTrainingSetsTrace["sets"] = [];
  let biasParameters: FindBiasesTrace["parameters"] | null = null;
  // One after another: tfjs has one engine per process.
  for (const set of sets) {
    const trained = await trainOnAnonymised({ train: set.train, test: input.test, epochs, seed });
    const probabilities = trained.output.probabilities;
    const metrics = metricsByGroup({ labels, probabilities, groups: { ...groups.output } }).output;
    const found = findBiases(metrics, input.bias);
    biasParameters = found.trace.parameters;
    const findings = found.output.findings;
    results.push({ set: set.label, probabilities, metrics, findings });
    overall.push({
      set: set.label,
      trainRows: trained.trace.trainRows,
      accuracy: metrics.overall.accuracy.value as number,
      precision: metrics.overall.precision.value,
      recall: metrics.overall.recall.value,
      biasesFound: findings.length,
    });
    for (const grouping of metrics.groupings) {
      for (const g of grouping.groups) {
        byGroup.push({
          set: set.label,
          grouping: grouping.name,
          group: g.group,
          n: g.n,
          positives: g.positives,
          accuracy: g.accuracy.value,
          accuracyLow: g.accuracy.interval?.low ?? null,
          accuracyHigh: g.accuracy.interval?.high ?? null,
          precision: g.precision.value,
          recall: g.recall.value,
          recallLow: g.recall.interval?.low ?? null,
          recallHigh: g.recall.interval?.high ?? null,
          accuracyGap: g.gap.accuracy,
          precisionGap: g.gap.precision,
          recallGap: g.gap.recall,
        });
      }
    }
    for (const f of findings) {
      biases.push({
        set: set.label,
        grouping: f.grouping,
        group: f.group,
        metric: f.metric,
        value: f.value,
        restValue: f.restValue,
        gap: f.gap,
        pValue: f.pValue,
        adjustedPValue: f.adjustedPValue,
        sentence: f.sentence,
      });
    }
    traces.push({
      set: set.label,
      trainRows: trained.trace.trainRows,
      imputed: trained.trace.imputed,
      constantFeatures: trained.trace.constantFeatures,
      reportedAccuracy: trained.output.accuracy,
      training: trained.trace.summary,
      biases: found.trace.summary,
    });
  }
  const pct = (v: number | null) => (v === null ? "undefined" : `${(100 * v).toFixed(1)}%`);
  return {
    output: { overall, byGroup, biases, results },
    trace: {
      testRows: n,
      epochs,
      seed,
      groups: groups.trace,
      sets: traces,
      bias: biasParameters,
      definition:
        "each set trains the course model (trainOnAnonymised: same features, epochs and seed) and is tested on the same real held-out rows " +
        "at threshold 0.5; for a synthetic set this is train-on-synthetic, test-on-real (TSTR)",
      summary: overall.map((r) => `${r.set}: accuracy ${pct(r.accuracy)}, precision ${pct(r.precision)}, recall ${pct(r.recall)}, ${r.biasesFound} finding(s)`).join("; "),
    },
  };
}
