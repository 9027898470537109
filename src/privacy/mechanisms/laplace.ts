/**
 * The Laplace mechanism (Dwork, McSherry, Nissim & Smith 2006; Dwork & Roth 2014, Thm 3.6):
 * a query whose answer moves by at most Δ₁ (its L1 sensitivity) when one person is added or
 * removed, released with Laplace noise of scale b = Δ₁/ε, is ε-DP. The sensitivity comes from
 * declared bounds, never from the data: values outside [lower, upper] are clamped to them.
 *
 * Secure mode adds discrete Laplace noise to an integer answer (CKS 2020, exact): counts are
 * integers already; sums are counted in units of a declared granularity.
 */
import type { DpEvent } from "../accountant/events";
import { InputError, requireNumber } from "../../validation/errors";
import { freezeTrace, nextUp, pureGroupLoss, requireBounds, requireEpsilon, requireNumbers, requireSensitivity } from "./params";
import { samplerFrom, type NoiseOptions, type NoiseSampler } from "./sampler";
import type { Mechanism, MechanismTrace } from "./types";

/** Pure ε for Laplace noise of scale b on a query of sensitivity Δ, rounded upwards. */
function laplaceEpsilon(sensitivity: number, scale: number): number {
  return nextUp(sensitivity / scale);
}

function laplaceEvent(sensitivity: number, scale: number, sampler: NoiseSampler, mechanism: string): DpEvent {
  // The continuous Laplace is described by its scale; the discrete one only by its pure ε.
  return sampler.mode === "seeded"
    ? { kind: "laplace", noiseMultiplier: scale / sensitivity }
    : { kind: "pureDp", epsilon: laplaceEpsilon(sensitivity, scale), mechanism: `discrete ${mechanism}` };
}

function laplaceTrace(
  mechanism: string,
  sensitivity: number,
  scale: number,
  sampler: NoiseSampler,
  notes: string[],
): MechanismTrace {
  return freezeTrace({
    mechanism,
    mode: sampler.mode,
    noise: sampler.mode === "seeded" ? `Laplace(0, ${scale})` : `discrete Laplace on ℤ, scale ${scale}`,
    sensitivity,
    sensitivityNorm: "L1",
    noiseScale: scale,
    epsilon: laplaceEpsilon(sensitivity, scale),
    delta: 0,
    neighbouring: "add-remove one person",
    notes: [
      ...notes,
      sampler.mode === "seeded"
        ? "seeded float noise: reproducible for teaching; a release needs the secure sampler (Mironov 2012)"
        : "secure: cryptographic randomness, noise sampled exactly on the integers",
    ],
  });
}

function noisyInteger(sampler: NoiseSampler, value: number, scale: number, field: string): number {
  if (sampler.mode === "secure") {
    if (!Number.isSafeInteger(value)) throw new InputError(field, "an integer (secure mode adds integer noise)", value);
    return value + sampler.discreteLaplace(scale);
  }
  return value + sampler.laplace(scale);
}

/**
 * Laplace noise on a numeric answer whose sensitivity the caller declares. Prefer laplaceCount,
 * laplaceSum and laplaceMean, which derive it from bounds.
 */
export function laplaceMechanism(options: { epsilon: number; sensitivity: number } & NoiseOptions): Mechanism<number, number> {
  const epsilon = requireEpsilon(options.epsilon);
  const sensitivity = requireSensitivity(options.sensitivity);
  const sampler = samplerFrom(options);
  const scale = sensitivity / epsilon;
  const trace = laplaceTrace("Laplace mechanism", sensitivity, scale, sampler, ["sensitivity declared by the caller"]);
  return {
    trace,
    event: laplaceEvent(sensitivity, scale, sampler, "Laplace mechanism"),
    privacyMap: (distance) => pureGroupLoss(trace.epsilon, distance),
    release(value) {
      return { value: noisyInteger(sampler, requireNumber("value", value), scale, "value"), trace };
    },
  };
}

/** A noisy count of the rows matching `where` (all rows by default): sensitivity 1. */
export function laplaceCount<R>(
  options: { epsilon: number; where?: (row: R) => boolean } & NoiseOptions,
): Mechanism<readonly R[], number> {
  const epsilon = requireEpsilon(options.epsilon);
  const sampler = samplerFrom(options);
  const where = options.where ?? (() => true);
  const scale = 1 / epsilon;
  const trace = laplaceTrace("Laplace count", 1, scale, sampler, ["one person adds or removes at most 1 to a count"]);
  return {
    trace,
    event: laplaceEvent(1, scale, sampler, "Laplace count"),
    privacyMap: (distance) => pureGroupLoss(trace.epsilon, distance),
    release(rows) {
      if (!Array.isArray(rows)) throw new InputError("rows", "an array of rows", rows);
      const count = rows.filter((row) => where(row)).length;
      return { value: noisyInteger(sampler, count, scale, "count"), trace };
    },
  };
}

interface BoundedOptions extends NoiseOptions {
  epsilon: number;
  lower: number;
  upper: number;
  /** Secure mode only: values are counted in units of this size (default: a power of two near (upper − lower)/1024). */
  granularity?: number;
}

/** How a bounded sum is computed: clamp, and in secure mode count units of a granularity. */
interface SumPlan {
  sensitivity: number;
  /** Integer units per value (secure) or 1 (seeded: values are used as they are). */
  unit: number;
  toUnits(values: readonly number[]): number;
  notes: string[];
}

function sumPlan(options: BoundedOptions, sampler: NoiseSampler): SumPlan {
  const { lower, upper } = requireBounds(options.lower, options.upper);
  const clamp = (v: number) => Math.min(upper, Math.max(lower, v));
  const clampNote = `each value clamped to the declared [${lower}, ${upper}]: sensitivity max(|lower|, |upper|), whatever the data`;
  if (sampler.mode === "seeded") {
    if (options.granularity !== undefined) throw new InputError("granularity", "absent in seeded mode (it applies to secure mode's integer noise)", options.granularity);
    return { sensitivity: Math.max(Math.abs(lower), Math.abs(upper)), unit: 1, toUnits: (values) => values.reduce((s, v) => s + clamp(v), 0), notes: [clampNote] };
  }
  const unit = requireNumber("granularity", options.granularity ?? 2 ** Math.floor(Math.log2((upper - lower) / 1024)), { min: 0, minExclusive: true });
  const units = (v: number) => Math.round(clamp(v) / unit);
  // Rounding is monotone, so every value's units lie between those of the bounds.
  const sensitivity = Math.max(Math.abs(Math.round(lower / unit)), Math.abs(Math.round(upper / unit)));
  return {
    sensitivity,
    unit,
    toUnits: (values) => values.reduce((s, v) => s + units(v), 0),
    notes: [clampNote, `secure: each clamped value rounded to a multiple of ${unit}; sensitivity ${sensitivity} units`],
  };
}

/** A noisy sum of values clamped to declared bounds. */
export function laplaceSum(options: BoundedOptions): Mechanism<readonly number[], number> {
  const epsilon = requireEpsilon(options.epsilon);
  const sampler = samplerFrom(options);
  const plan = sumPlan(options, sampler);
  const scale = plan.sensitivity / epsilon;
  const trace = laplaceTrace("Laplace bounded sum", plan.sensitivity * plan.unit, scale * plan.unit, sampler, plan.notes);
  return {
    trace,
    event: laplaceEvent(plan.sensitivity, scale, sampler, "Laplace bounded sum"),
    privacyMap: (distance) => pureGroupLoss(trace.epsilon, distance),
    release(values) {
      const total = plan.toUnits(requireNumbers("values", values));
      return { value: noisyInteger(sampler, total, scale, "sum") * plan.unit, trace };
    },
  };
}

/**
 * A noisy mean of values clamped to declared bounds: a noisy sum over a noisy count, each with
 * half of ε (basic composition). The ratio is post-processing, and so is clamping it back
 * into [lower, upper]; when the noisy count is below 1 the midpoint is returned.
 */
export function laplaceMean(options: BoundedOptions): Mechanism<readonly number[], number> {
  const epsilon = requireEpsilon(options.epsilon);
  const sampler = samplerFrom(options);
  const plan = sumPlan(options, sampler);
  const { lower, upper } = options;
  const sumScale = plan.sensitivity / (epsilon / 2);
  const countScale = 1 / (epsilon / 2);
  const sumEvent = laplaceEvent(plan.sensitivity, sumScale, sampler, "Laplace bounded sum");
  const countEvent = laplaceEvent(1, countScale, sampler, "Laplace count");
  const spent = nextUp(laplaceEpsilon(plan.sensitivity, sumScale) + laplaceEpsilon(1, countScale));
  const trace: MechanismTrace = freezeTrace({
    ...laplaceTrace("Laplace bounded mean", plan.sensitivity * plan.unit, sumScale * plan.unit, sampler, [
      ...plan.notes,
      `ε split in half: the sum gets Laplace scale ${sumScale * plan.unit}, the count scale ${countScale}`,
      "mean = noisy sum / noisy count, clamped into the bounds (post-processing)",
    ]),
    epsilon: spent,
  });
  return {
    trace,
    event: { kind: "composed", events: [sumEvent, countEvent] },
    privacyMap: (distance) => pureGroupLoss(spent, distance),
    release(values) {
      const checked = requireNumbers("values", values);
      const sum = noisyInteger(sampler, plan.toUnits(checked), sumScale, "sum") * plan.unit;
      const count = noisyInteger(sampler, checked.length, countScale, "count");
      const mean = count < 1 ? (lower + upper) / 2 : Math.min(upper, Math.max(lower, sum / count));
      return { value: mean, trace };
    },
  };
}
