/**
 * Refining a model for the groups it underserves, without retraining: per-group decision
 * thresholds. A group whose recall is below the overall recall gets a lower threshold —
 * chosen on a validation split, never on the rows it is judged on — just low enough that its
 * validation recall reaches the overall validation recall. This is the equal-opportunity
 * post-processing of Hardt, Price & Srebro (2016), "Equality of Opportunity in Supervised
 * Learning": equal true-positive rates across groups. Other groups keep the base threshold.
 *
 * The price is visible in the report: a lower threshold finds more of the group's buyers
 * (recall up) and also predicts more non-buyers to buy (precision usually down).
 *
 * Which flagged groups it refines: those flagged for a recall BELOW the rest — the bias a
 * threshold can correct under equal opportunity. A group flagged only for its precision or
 * accuracy is listed as not addressed (a threshold tweak would chase validation noise in
 * its recall; such a gap calls for better features or more data for the group).
 *
 * A row belongs to one group of each grouping (an age band and a location category). When
 * several of its groups have their own threshold, the row uses the lowest: lowering the
 * threshold for some of a group's rows can only raise that group's recall, so every group's
 * validation target stays met.
 */
import { InputError, requireNumber } from "../validation/errors";
import { findBiases, type BiasFinding, type FindBiasesOptions, type FindBiasesTrace } from "./bias";
import {
  checkGroups,
  checkLabelsAndProbabilities,
  metricsByGroup,
  METRIC_NAMES,
  type GroupMetricsReport,
  type MetricName,
} from "./groupMetrics";

export interface GroupRef {
  grouping: string;
  group: string;
}

export interface GroupThreshold extends GroupRef {
  threshold: number;
}

/** Labelled rows with the model's probabilities and group keys (a validation or test split). */
export interface ScoredRows {
  labels: readonly number[];
  probabilities: readonly number[];
  groups: Readonly<Record<string, readonly string[]>>;
}

/** Thresholds are kept at or above this so they stay inside (0, 1). */
export const MIN_THRESHOLD = 1e-6;

const keyOf = (ref: GroupRef) => `${ref.grouping}\u0000${ref.group}`;

function checkThresholds(thresholds: readonly GroupThreshold[], groupings: readonly string[], field: string): Map<string, number> {
  if (!Array.isArray(thresholds)) throw new InputError(field, "an array of { grouping, group, threshold }", thresholds);
  const map = new Map<string, number>();
  thresholds.forEach((t, i) => {
    if (!groupings.includes(t?.grouping)) throw new InputError(`${field}[${i}].grouping`, `one of the groupings (${groupings.join(", ")})`, t?.grouping);
    requireNumber(`${field}[${i}].threshold`, t.threshold, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
    map.set(keyOf(t), t.threshold);
  });
  return map;
}

/**
 * Each row's threshold: the lowest threshold among its groups that have one (optionally
 * ignoring one group), else the base threshold.
 */
function rowThresholdsFrom(
  groupings: [string, readonly string[]][],
  n: number,
  thresholds: Map<string, number>,
  base: number,
  ignore?: string,
): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let t = Infinity;
    for (const [grouping, keys] of groupings) {
      const key = keyOf({ grouping, group: keys[i] });
      if (key === ignore) continue;
      const own = thresholds.get(key);
      if (own !== undefined && own < t) t = own;
    }
    out[i] = t === Infinity ? base : t;
  }
  return out;
}

/** Predictions with per-group thresholds: each row's threshold and its 0/1 decision. */
export function applyGroupThresholds(input: {
  probabilities: readonly number[];
  groups: Readonly<Record<string, readonly string[]>>;
  thresholds: readonly GroupThreshold[];
  baseThreshold?: number;
}): { output: { rowThresholds: number[]; predictions: (0 | 1)[] }; trace: { rows: number; baseThreshold: number; thresholds: GroupThreshold[]; rowsChanged: number; rule: string } } {
  if (!Array.isArray(input.probabilities as unknown) || input.probabilities.length === 0) {
    throw new InputError("probabilities", "a non-empty array of numbers in [0, 1]", input.probabilities);
  }
  const n = input.probabilities.length;
  input.probabilities.forEach((p, i) => requireNumber(`probabilities[${i}]`, p, { min: 0, max: 1 }));
  const base = requireNumber("baseThreshold", input.baseThreshold ?? 0.5, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const groupings = checkGroups(input.groups, n);
  const map = checkThresholds(input.thresholds, groupings.map(([name]) => name), "thresholds");
  const rowThresholds = rowThresholdsFrom(groupings, n, map, base);
  return {
    output: { rowThresholds, predictions: input.probabilities.map((p, i) => (p >= rowThresholds[i] ? 1 : 0)) },
    trace: {
      rows: n,
      baseThreshold: base,
      thresholds: input.thresholds.map((t) => ({ grouping: t.grouping, group: t.group, threshold: t.threshold })),
      rowsChanged: rowThresholds.filter((t) => t !== base).length,
      rule: "predict 1 when probability ≥ the row's threshold: the lowest threshold among the row's groups that have one, else the base threshold",
    },
  };
}

/** What happened to one targeted group's threshold. */
export interface ThresholdChoice extends GroupRef {
  validationRows: number;
  validationPositives: number;
  /** The group's validation recall with the thresholds in force before this choice. */
  recallBefore: number | null;
  /** The overall validation recall it should reach. */
  target: number;
  /** The group's threshold before (the base when it had none) and after. */
  previousThreshold: number;
  threshold: number;
  recallAfter: number | null;
  changed: boolean;
  reason: string;
}

export interface ChooseThresholdsInput {
  validation: ScoredRows;
  /** The groups to refine (e.g. the findings of findBiases; duplicates are refined once). */
  targets: readonly GroupRef[];
  /** Thresholds already in force (from an earlier round); default none. */
  current?: readonly GroupThreshold[];
  baseThreshold?: number;
  /** A group needs at least this many validation positives for a threshold to be chosen; default 5. */
  minValidationPositives?: number;
}

/**
 * For each target group whose validation recall is below the overall validation recall, the
 * highest threshold at which its recall reaches it (the highest keeps its false positives
 * fewest). Recall only changes at the scores of the group's positives, so the threshold is
 * one of them: the k-th highest score among the positives not already caught.
 */
export function chooseGroupThresholds(input: ChooseThresholdsInput): {
  output: { thresholds: GroupThreshold[]; choices: ThresholdChoice[] };
  trace: { baseThreshold: number; target: number; validationRows: number; minValidationPositives: number; changed: number; rule: string; reference: string };
} {
  const { labels, probabilities } = input.validation ?? ({} as ScoredRows);
  const n = checkLabelsAndProbabilities(labels, probabilities, "validation.");
  const groupings = checkGroups(input.validation.groups, n, "validation.groups");
  const names = groupings.map(([name]) => name);
  const base = requireNumber("baseThreshold", input.baseThreshold ?? 0.5, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const minPositives = requireNumber("minValidationPositives", input.minValidationPositives ?? 5, { min: 1, integer: true });
  const map = checkThresholds(input.current ?? [], names, "current");
  if (!Array.isArray(input.targets)) throw new InputError("targets", "an array of { grouping, group }", input.targets);
  input.targets.forEach((t, i) => {
    if (!names.includes(t?.grouping)) throw new InputError(`targets[${i}].grouping`, `one of the validation groupings (${names.join(", ")})`, t?.grouping);
  });

  const positives = labels.reduce((s: number, y) => s + y, 0);
  if (positives === 0) throw new InputError("validation.labels", "at least one positive (recall is undefined without one)", "no 1s");
  const caughtAt = (rowThresholds: number[], rows: number[]) => rows.filter((i) => labels[i] === 1 && probabilities[i] >= rowThresholds[i]).length;
  const all = labels.map((_, i) => i);
  const target = caughtAt(rowThresholdsFrom(groupings, n, map, base), all) / positives;

  const choices: ThresholdChoice[] = [];
  const seen = new Set<string>();
  for (const ref of input.targets) {
    const key = keyOf(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    const keys = groupings.find(([name]) => name === ref.grouping)![1];
    const rows = all.filter((i) => keys[i] === ref.group);
    const groupPositives = rows.filter((i) => labels[i] === 1);
    const previousThreshold = map.get(key) ?? base;
    const before = rowThresholdsFrom(groupings, n, map, base);
    const recallBefore = groupPositives.length === 0 ? null : caughtAt(before, rows) / groupPositives.length;
    const choice = { grouping: ref.grouping, group: ref.group, validationRows: rows.length, validationPositives: groupPositives.length, recallBefore, target, previousThreshold };
    const unchanged = (reason: string) => choices.push({ ...choice, threshold: previousThreshold, recallAfter: recallBefore, changed: false, reason });
    if (recallBefore === null) {
      unchanged("no actual positives among the group's validation rows: its recall cannot be measured");
      continue;
    }
    if (groupPositives.length < minPositives) {
      unchanged(`only ${groupPositives.length} actual positives among the group's validation rows (fewer than ${minPositives}): a threshold fitted to them would be noise`);
      continue;
    }
    if (recallBefore >= target) {
      unchanged("validation recall already reaches the overall recall; equal opportunity asks nothing of this group (its threshold is not raised)");
      continue;
    }
    // Positives caught by the row's other groups' thresholds count whatever this group's is.
    const others = rowThresholdsFrom(groupings, n, map, base, key);
    const needed = Math.ceil(target * groupPositives.length - 1e-9);
    const uncaught = groupPositives.filter((i) => probabilities[i] < others[i]).map((i) => probabilities[i]).sort((a, b) => b - a);
    const k = needed - (groupPositives.length - uncaught.length);
    if (k <= 0) {
      // Only reachable through rounding of target × positives: the group is already there.
      unchanged("validation recall already reaches the overall recall (to rounding)");
      continue;
    }
    const threshold = Math.max(MIN_THRESHOLD, uncaught[k - 1]);
    map.set(key, threshold);
    const recallAfter = caughtAt(rowThresholdsFrom(groupings, n, map, base), rows) / groupPositives.length;
    choices.push({
      ...choice,
      threshold,
      recallAfter,
      changed: true,
      reason: `threshold lowered from ${previousThreshold.toFixed(3)} to ${threshold.toFixed(3)} so the group's validation recall reaches the overall ${(100 * target).toFixed(1)}%`,
    });
  }
  const thresholds = [...map.entries()].map(([key, threshold]) => {
    const [grouping, group] = key.split("\u0000");
    return { grouping, group, threshold };
  });
  return {
    output: { thresholds, choices },
    trace: {
      baseThreshold: base,
      target,
      validationRows: n,
      minValidationPositives: minPositives,
      changed: choices.filter((c) => c.changed).length,
      rule:
        "for each targeted group with validation recall below the overall validation recall, the highest threshold at which its validation recall reaches it; " +
        "groups already at or above it, and groups with too few validation positives, keep their threshold",
      reference: "equal opportunity (equal true-positive rates across groups): Hardt, Price & Srebro, NeurIPS 2016",
    },
  };
}

/** One group's metrics before and after refinement, on the evaluated (test) rows. */
export interface RefinementRow extends GroupRef {
  targeted: boolean;
  /** The group's own threshold after refinement, or null when its rows keep the base (or another grouping's) threshold. */
  threshold: number | null;
  n: number;
  positives: number;
  before: Record<MetricName, number | null>;
  after: Record<MetricName, number | null>;
}

/** What refineThresholds reads of a finding (a BiasFinding has all of it). */
export interface RefineFinding extends GroupRef {
  metric: MetricName;
  /** Group value − rest value. */
  gap: number;
}

export interface RefineInput extends ScoredRows {
  /** Where the thresholds are chosen: held-out rows that are not the ones evaluated. */
  validation: ScoredRows;
  /** findBiases findings; the groups with a recall finding below the rest are refined. */
  findings: readonly RefineFinding[];
  current?: readonly GroupThreshold[];
  baseThreshold?: number;
  minValidationPositives?: number;
}

export interface RefineOutput {
  /** Every group threshold in force after refinement. */
  thresholds: GroupThreshold[];
  choices: ThresholdChoice[];
  /** Flagged groups left alone: flagged only for precision or accuracy, or for a recall above the rest. */
  notAddressed: (GroupRef & { metrics: MetricName[]; reason: string })[];
  rowThresholds: number[];
  predictions: (0 | 1)[];
  before: GroupMetricsReport;
  after: GroupMetricsReport;
  perGroup: RefinementRow[];
}

/**
 * Chooses thresholds on validation for the groups flagged for a recall below the rest,
 * applies them to the evaluated rows, and reports before/after per group.
 */
export function refineThresholds(input: RefineInput): {
  output: RefineOutput;
  trace: {
    choice: ReturnType<typeof chooseGroupThresholds>["trace"];
    overall: { before: Record<MetricName, number | null>; after: Record<MetricName, number | null> };
    summary: string;
  };
} {
  const n = checkLabelsAndProbabilities(input.labels, input.probabilities);
  const groupings = checkGroups(input.groups, n);
  checkSameGroupings(groupings.map(([name]) => name), input.validation);
  const base = input.baseThreshold ?? 0.5;
  const current = input.current ?? [];
  const start = applyGroupThresholds({ probabilities: input.probabilities, groups: input.groups, thresholds: current, baseThreshold: base });
  const before = metricsByGroup({ labels: input.labels, probabilities: input.probabilities, groups: input.groups, rowThresholds: start.output.rowThresholds });
  if (!Array.isArray(input.findings as unknown)) throw new InputError("findings", "an array of findBiases findings", input.findings);
  const targets = input.findings.filter((f) => f.metric === "recall" && f.gap < 0);
  const targetKeys = new Set(targets.map(keyOf));
  const notAddressed = new Map<string, RefineOutput["notAddressed"][number]>();
  for (const f of input.findings) {
    if (targetKeys.has(keyOf(f))) continue;
    const entry = notAddressed.get(keyOf(f)) ?? {
      grouping: f.grouping,
      group: f.group,
      metrics: [],
      reason:
        "not flagged for a recall below the rest: an equal-opportunity threshold does not address it " +
        "(a precision or accuracy gap calls for better features, more data or reweighting for the group)",
    };
    entry.metrics.push(f.metric);
    notAddressed.set(keyOf(f), entry);
  }
  const chosen = chooseGroupThresholds({
    validation: input.validation,
    targets,
    current,
    baseThreshold: base,
    minValidationPositives: input.minValidationPositives,
  });
  const applied = applyGroupThresholds({ probabilities: input.probabilities, groups: input.groups, thresholds: chosen.output.thresholds, baseThreshold: base });
  const after = metricsByGroup({ labels: input.labels, probabilities: input.probabilities, groups: input.groups, rowThresholds: applied.output.rowThresholds });
  const own = new Map(chosen.output.thresholds.map((t) => [keyOf(t), t.threshold]));
  const values = (m: { accuracy: { value: number | null }; precision: { value: number | null }; recall: { value: number | null } }) =>
    Object.fromEntries(METRIC_NAMES.map((name) => [name, m[name].value])) as Record<MetricName, number | null>;
  const perGroup: RefinementRow[] = after.output.groupings.flatMap((grouping, gi) =>
    grouping.groups.map((g, k) => ({
      grouping: grouping.name,
      group: g.group,
      targeted: targetKeys.has(keyOf(g)),
      threshold: own.get(keyOf(g)) ?? null,
      n: g.n,
      positives: g.positives,
      before: values(before.output.groupings[gi].groups[k]),
      after: values(g),
    })),
  );
  const overall = { before: values(before.output.overall), after: values(after.output.overall) };
  const changed = chosen.output.choices.filter((c) => c.changed);
  const pct = (v: number | null) => (v === null ? "undefined" : `${(100 * v).toFixed(1)}%`);
  return {
    output: {
      thresholds: chosen.output.thresholds,
      choices: chosen.output.choices,
      notAddressed: [...notAddressed.values()],
      rowThresholds: applied.output.rowThresholds,
      predictions: applied.output.predictions,
      before: before.output,
      after: after.output,
      perGroup,
    },
    trace: {
      choice: chosen.trace,
      overall,
      summary:
        changed.length === 0
          ? targets.length === 0
            ? "no threshold changed: no group was flagged for a recall below the rest"
            : "no threshold changed: no targeted group was below the overall validation recall with enough validation positives"
          : `${changed.map((c) => `${c.grouping} "${c.group}" → ${c.threshold.toFixed(3)}`).join(", ")}; ` +
            `overall recall ${pct(overall.before.recall)} → ${pct(overall.after.recall)}, precision ${pct(overall.before.precision)} → ${pct(overall.after.precision)}`,
    },
  };
}

function checkSameGroupings(names: string[], validation: ScoredRows): void {
  const groups = validation?.groups;
  for (const name of names) {
    if (groups === null || typeof groups !== "object" || !(name in groups)) {
      throw new InputError(`validation.groups.${name}`, `the same groupings as the evaluated rows (${names.join(", ")})`, "missing");
    }
  }
}

export interface LoopRound {
  round: number;
  /** Metrics with the thresholds in force at the start of the round. */
  analysis: GroupMetricsReport;
  findings: BiasFinding[];
  /** null when nothing was flagged (the loop stopped). */
  refinement: Pick<RefineOutput, "choices" | "notAddressed" | "perGroup" | "thresholds"> | null;
}

export interface LoopRoundTrace {
  round: number;
  overall: Record<MetricName, number | null>;
  biases: FindBiasesTrace["summary"];
  flagged: string[];
  thresholdsChanged: { grouping: string; group: string; from: number; to: number }[];
  summary: string;
}

export interface AccurateTrendsLoopInput extends ScoredRows {
  validation: ScoredRows;
  /** Maximum analyse → find → refine rounds; default 3. */
  rounds?: number;
  baseThreshold?: number;
  bias?: FindBiasesOptions;
  minValidationPositives?: number;
}

/**
 * The course's "accurate trends" loop: analyse per group → find biases → refine the flagged
 * groups' thresholds (on validation) → re-analyse, until nothing is flagged, a refinement
 * changes nothing, or the rounds run out.
 */
export function accurateTrendsLoop(input: AccurateTrendsLoopInput): {
  output: {
    thresholds: GroupThreshold[];
    rowThresholds: number[];
    predictions: (0 | 1)[];
    rounds: LoopRound[];
    final: { metrics: GroupMetricsReport; findings: BiasFinding[] };
    /** True when the loop stopped itself (nothing flagged, or a refinement changed nothing), false when it ran out of rounds. */
    stoppedEarly: boolean;
    stoppedBecause: string;
  };
  trace: { rounds: LoopRoundTrace[]; parameters: { rounds: number; baseThreshold: number; bias: FindBiasesTrace["parameters"] }; caveat: string; summary: string };
} {
  const maxRounds = requireNumber("rounds", input.rounds ?? 3, { min: 1, max: 50, integer: true });
  const base = requireNumber("baseThreshold", input.baseThreshold ?? 0.5, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const n = checkLabelsAndProbabilities(input.labels, input.probabilities);
  checkSameGroupings(checkGroups(input.groups, n).map(([name]) => name), input.validation);
  // Check the validation rows now, not in the first round that needs them.
  const validationRows = checkLabelsAndProbabilities(input.validation.labels, input.validation.probabilities, "validation.");
  checkGroups(input.validation.groups, validationRows, "validation.groups");
  const analyse = (thresholds: GroupThreshold[]) => {
    const applied = applyGroupThresholds({ probabilities: input.probabilities, groups: input.groups, thresholds, baseThreshold: base });
    const metrics = metricsByGroup({ labels: input.labels, probabilities: input.probabilities, groups: input.groups, rowThresholds: applied.output.rowThresholds });
    const biases = findBiases(metrics.output, input.bias);
    return { applied: applied.output, metrics: metrics.output, biases };
  };
  const overallOf = (m: GroupMetricsReport) => Object.fromEntries(METRIC_NAMES.map((k) => [k, m.overall[k].value])) as Record<MetricName, number | null>;

  let thresholds: GroupThreshold[] = [];
  const rounds: LoopRound[] = [];
  const traces: LoopRoundTrace[] = [];
  let stoppedBecause = `ran all ${maxRounds} round(s)`;
  let stoppedEarly = false;
  let state = analyse(thresholds);
  for (let round = 1; round <= maxRounds; round++) {
    const findings = state.biases.output.findings;
    const roundTrace = {
      round,
      overall: overallOf(state.metrics),
      biases: state.biases.trace.summary,
      flagged: findings.map((f) => f.sentence),
    };
    if (findings.length === 0) {
      rounds.push({ round, analysis: state.metrics, findings, refinement: null });
      traces.push({ ...roundTrace, thresholdsChanged: [], summary: `round ${round}: nothing flagged; stop` });
      stoppedEarly = true;
      stoppedBecause = `no group flagged in round ${round}`;
      break;
    }
    const refined = refineThresholds({
      labels: input.labels,
      probabilities: input.probabilities,
      groups: input.groups,
      validation: input.validation,
      findings,
      current: thresholds,
      baseThreshold: base,
      minValidationPositives: input.minValidationPositives,
    });
    const changed = refined.output.choices.filter((c) => c.changed);
    rounds.push({
      round,
      analysis: state.metrics,
      findings,
      refinement: {
        choices: refined.output.choices,
        notAddressed: refined.output.notAddressed,
        perGroup: refined.output.perGroup,
        thresholds: refined.output.thresholds,
      },
    });
    traces.push({
      ...roundTrace,
      thresholdsChanged: changed.map((c) => ({ grouping: c.grouping, group: c.group, from: c.previousThreshold, to: c.threshold })),
      summary: `round ${round}: ${findings.length} finding(s); ${refined.trace.summary}`,
    });
    if (changed.length === 0) {
      stoppedEarly = true;
      stoppedBecause = `round ${round}: refinement changed no threshold (${refined.trace.summary.replace(/^no threshold changed: /, "")})`;
      break;
    }
    thresholds = refined.output.thresholds;
    state = analyse(thresholds);
  }
  return {
    output: {
      thresholds,
      rowThresholds: state.applied.rowThresholds,
      predictions: state.applied.predictions,
      rounds,
      final: { metrics: state.metrics, findings: state.biases.output.findings },
      stoppedEarly,
      stoppedBecause,
    },
    trace: {
      rounds: traces,
      parameters: { rounds: maxRounds, baseThreshold: base, bias: state.biases.trace.parameters },
      caveat:
        "groups are flagged on the evaluated rows and their thresholds fitted on the validation rows; the after-numbers on the evaluated rows " +
        "are therefore not a fully independent estimate (the choice of which groups to refine saw them) — confirm on a fresh split",
      summary: `${rounds.length} round(s), ${stoppedBecause}; ${thresholds.length} group threshold(s) in force; ${state.biases.output.findings.length} finding(s) remain`,
    },
  };
}
