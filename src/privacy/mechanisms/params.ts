/** Validation and rounding shared by every mechanism: bad input is a named InputError. */
import { InputError, requireNumber } from "../../validation/errors";

export function requireEpsilon(value: unknown, field = "epsilon"): number {
  return requireNumber(field, value, { min: 0, minExclusive: true });
}

/** δ ∈ (0, 1): δ = 0 would be pure DP (use the Laplace mechanism), δ = 1 promises nothing. */
export function requireMechanismDelta(value: unknown, field = "delta"): number {
  return requireNumber(field, value, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
}

export function requireSensitivity(value: unknown, field = "sensitivity"): number {
  return requireNumber(field, value, { min: 0, minExclusive: true });
}

/** Declared bounds [lower, upper] with lower < upper, both finite. */
export function requireBounds(lower: unknown, upper: unknown): { lower: number; upper: number } {
  const low = requireNumber("lower", lower);
  const high = requireNumber("upper", upper);
  if (!(low < high)) throw new InputError("upper", `a number > lower (${low})`, high);
  return { lower: low, upper: high };
}

export function requireNumbers(field: string, values: unknown): readonly number[] {
  if (!Array.isArray(values)) throw new InputError(field, "an array of finite numbers", values);
  values.forEach((v, i) => requireNumber(`${field}[${i}]`, v));
  return values as readonly number[];
}

const view = new DataView(new ArrayBuffer(8));

/**
 * The next double above x (x finite): privacy losses are rounded upwards, as OpenDP does, so
 * that a float computation never reports less ε than the exact value.
 */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** The next double below x: used for noise scales, so that ε = Δ/scale stays ≥ the target's share. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/** A trace is shared by every release of its mechanism: frozen, so no caller can rewrite it. */
export function freezeTrace<T extends { notes: string[] }>(trace: T): Readonly<T> {
  Object.freeze(trace.notes);
  return Object.freeze(trace);
}

/** The number of people two datasets differ in, for a privacy map: an integer ≥ 0. */
export function requireDistance(value: unknown): number {
  return requireNumber("distance", value, { min: 0, integer: true });
}

/** Group privacy for pure DP: datasets d people apart are d·ε apart (Dwork & Roth 2014, Thm 2.2). */
export function pureGroupLoss(epsilon: number, distance: unknown): { epsilon: number; delta: number } {
  const d = requireDistance(distance);
  return { epsilon: d === 0 ? 0 : nextUp(d * epsilon), delta: 0 };
}
