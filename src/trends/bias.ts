/**
 * Which groups does the model serve differently? A group is flagged when one of its metrics
 * differs from the rest of the data (the other groups of its grouping, pooled) by a gap that
 * matters (≥ minGap) AND by more than chance explains (a two-proportion z-test, significant
 * after Holm's correction for the many tests made). Both conditions: with enough rows any
 * tiny gap is significant, and with few rows any large gap can be noise.
 *
 * Comparing with the rest, not with the overall value, keeps the two samples disjoint (the
 * overall value contains the group itself), which is what the z-test assumes.
 */
import { logErfc } from "../privacy/accountant/logMath";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { METRIC_DEFINITIONS, METRIC_NAMES, type GroupMetricsReport, type MetricName } from "./groupMetrics";

export interface FindBiasesOptions {
  /** Metrics to test; default accuracy, recall, precision. */
  metrics?: readonly MetricName[];
  /** Smallest |group − rest| worth reporting, in proportion units; default 0.05 (5 points). */
  minGap?: number;
  /** Smallest number of trials (rows, actual positives or predicted positives) in the group and in the rest; default 20. */
  minSupport?: number;
  /** Family-wise error rate for the Holm-corrected tests; default 0.05. */
  alpha?: number;
}

/** One group × metric comparison with the rest of its grouping. */
export interface BiasTest {
  grouping: string;
  group: string;
  metric: MetricName;
  value: number;
  successes: number;
  trials: number;
  interval: { low: number; high: number } | null;
  restValue: number;
  restSuccesses: number;
  restTrials: number;
  /** value − restValue. */
  gap: number;
  z: number;
  /** Two-sided p-value of the two-proportion z-test. */
  pValue: number;
  /** Holm-adjusted p-value across every test made. */
  adjustedPValue: number;
  flagged: boolean;
}

export interface BiasFinding extends BiasTest {
  sentence: string;
}

export interface SkippedTest {
  grouping: string;
  group: string;
  metric: MetricName;
  reason: string;
}

export interface FindBiasesTrace {
  parameters: { metrics: MetricName[]; minGap: number; minSupport: number; alpha: number };
  testsMade: number;
  skipped: number;
  flagged: number;
  definitions: { rule: string; test: string; correction: string; metrics: Partial<Record<MetricName, string>> };
  summary: string;
}

const TRIALS: Record<MetricName, string> = { accuracy: "rows", precision: "predicted positives", recall: "actual positives" };

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|) = erfc(|z|/√2). */
export function twoSidedNormalPValue(z: number): number {
  if (Number.isNaN(z)) throw new InputError("z", "a number", z);
  return Math.min(1, Math.exp(logErfc(Math.abs(z) / Math.SQRT2)));
}

/**
 * The pooled two-proportion z-test of H0: both samples share one proportion.
 * z = (p₁ − p₂) / √(p̂(1 − p̂)(1/n₁ + 1/n₂)), p̂ = (x₁ + x₂)/(n₁ + n₂). When p̂ is 0 or 1 both
 * samples are identical (all failures or all successes): z = 0, p = 1.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): { z: number; pValue: number } {
  requireNumber("n1", n1, { min: 1, integer: true });
  requireNumber("n2", n2, { min: 1, integer: true });
  requireNumber("x1", x1, { min: 0, max: n1, integer: true });
  requireNumber("x2", x2, { min: 0, max: n2, integer: true });
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, pValue: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: twoSidedNormalPValue(z) };
}

/**
 * Holm's step-down adjustment (Holm 1979), in the input order: sort the m p-values,
 * multiply the i-th smallest by (m − i + 1), keep the running maximum, cap at 1. Rejecting
 * where the adjusted value ≤ α keeps the chance of any false flag ≤ α, like Bonferroni, but
 * rejects at least as much.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => requireNumber(`pValues[${i}]`, p, { min: 0, max: 1 }));
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** The groups whose metrics differ from the rest of the data by at least minGap, significantly after Holm. */
export function findBiases(
  report: GroupMetricsReport,
  options: FindBiasesOptions = {},
): { output: { findings: BiasFinding[]; tests: BiasTest[]; skipped: SkippedTest[] }; trace: FindBiasesTrace } {
  if (report === null || typeof report !== "object" || !Array.isArray(report.groupings) || !report.overall) {
    throw new InputError("groupMetrics", "the output of metricsByGroup", report);
  }
  const metrics: readonly MetricName[] = options.metrics ?? ["accuracy", "recall", "precision"];
  if (!Array.isArray(metrics as unknown) || metrics.length === 0) throw new InputError("metrics", `a non-empty list of ${METRIC_NAMES.join(", ")}`, metrics);
  metrics.forEach((m, i) => requireOneOf(`metrics[${i}]`, m, METRIC_NAMES));
  const minGap = requireNumber("minGap", options.minGap ?? 0.05, { min: 0, max: 1, maxExclusive: true });
  const minSupport = requireNumber("minSupport", options.minSupport ?? 20, { min: 1, integer: true });
  const alpha = requireNumber("alpha", options.alpha ?? 0.05, { min: 0, max: 1, minExclusive: true, maxExclusive: true });

  const candidates: Omit<BiasTest, "adjustedPValue" | "flagged">[] = [];
  const skipped: SkippedTest[] = [];
  for (const grouping of report.groupings) {
    for (const g of grouping.groups) {
      for (const metric of metrics) {
        const whole = report.overall[metric];
        const own = g[metric];
        // The groups of a grouping partition the rows, so the rest is overall minus the group.
        const restSuccesses = whole.successes - own.successes;
        const restTrials = whole.trials - own.trials;
        const skip = (reason: string) => skipped.push({ grouping: grouping.name, group: g.group, metric, reason });
        if (own.value === null) skip(`undefined in the group: ${own.undefinedReason}`);
        else if (own.trials < minSupport) skip(`${own.trials} ${TRIALS[metric]} in the group, fewer than minSupport = ${minSupport}`);
        else if (restTrials < minSupport) skip(`${restTrials} ${TRIALS[metric]} in the other groups, fewer than minSupport = ${minSupport}`);
        else {
          const { z, pValue } = twoProportionZTest(own.successes, own.trials, restSuccesses, restTrials);
          const restValue = restSuccesses / restTrials;
          candidates.push({
            grouping: grouping.name,
            group: g.group,
            metric,
            value: own.value,
            successes: own.successes,
            trials: own.trials,
            interval: own.interval,
            restValue,
            restSuccesses,
            restTrials,
            gap: own.value - restValue,
            z,
            pValue,
          });
        }
      }
    }
  }
  const adjusted = holmAdjust(candidates.map((c) => c.pValue));
  const tests: BiasTest[] = candidates.map((c, i) => ({
    ...c,
    adjustedPValue: adjusted[i],
    // A tiny tolerance so a gap of exactly minGap (e.g. 0.6 − 0.55) is not lost to rounding.
    flagged: Math.abs(c.gap) >= minGap - 1e-12 && adjusted[i] <= alpha,
  }));
  const findings = tests.filter((t) => t.flagged).map((t) => ({ ...t, sentence: findingSentence(t, tests.length) }));
  return {
    output: { findings, tests, skipped },
    trace: {
      parameters: { metrics: [...metrics], minGap, minSupport, alpha },
      testsMade: tests.length,
      skipped: skipped.length,
      flagged: findings.length,
      definitions: {
        rule:
          `a group is flagged for a metric when |group − rest| ≥ ${minGap} (rest = the other groups of the same grouping, pooled) ` +
          `and the Holm-adjusted p-value ≤ ${alpha}; groups with fewer than ${minSupport} trials (or rests with fewer) are not tested`,
        test: "two-sided pooled two-proportion z-test of H0: the group and the rest have the same proportion",
        correction:
          `Holm step-down correction across all ${tests.length} tests made (every tested grouping × group × metric), ` +
          `so the chance of flagging any group that is not different is at most ${alpha}`,
        metrics: Object.fromEntries(metrics.map((m) => [m, METRIC_DEFINITIONS[m]])),
      },
      summary:
        findings.length === 0
          ? `no group flagged in ${tests.length} Holm-corrected tests (${skipped.length} skipped for support)`
          : `${findings.length} of ${tests.length} Holm-corrected tests flagged: ${findings.map((f) => `${f.metric} of ${f.grouping} ${f.group}`).join("; ")}`,
    },
  };
}

function findingSentence(t: BiasTest, m: number): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const interval = t.interval ? ` (95% CI ${pct(t.interval.low)}–${pct(t.interval.high)}, ${t.trials} ${TRIALS[t.metric]})` : "";
  const direction = t.gap < 0 ? "lower" : "higher";
  const name = t.metric[0].toUpperCase() + t.metric.slice(1);
  return (
    `${name} for ${t.grouping} "${t.group}" is ${pct(t.value)}${interval} against ${pct(t.restValue)} for the other groups pooled: ` +
    `${(100 * Math.abs(t.gap)).toFixed(1)} points ${direction}; p = ${formatP(t.pValue)} (Holm-adjusted ${formatP(t.adjustedPValue)} across ${m} tests).`
  );
}

function formatP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
