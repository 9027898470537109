/** What every mechanism returns: a release function with its privacy map, its event and its trace. */
import type { DpEvent } from "../accountant/events";
import type { NoiseMode } from "./sampler";

/** An (ε, δ) guarantee; δ = 0 is pure ε-DP. */
export interface PrivacyLoss {
  epsilon: number;
  delta: number;
}

/**
 * What a mechanism does, as plain data. It depends only on the declared parameters, never on
 * the data, so it can be shown next to every release without leaking anything.
 */
export interface MechanismTrace {
  mechanism: string;
  /** seeded (teaching, reproducible) or secure (cryptographic, exact integer noise). */
  mode: NoiseMode;
  /** The noise distribution actually drawn. */
  noise: string;
  /** How far one person can move the query's answer, from the declared bounds. */
  sensitivity: number;
  /** The norm the sensitivity is measured in. */
  sensitivityNorm: "L1" | "L2" | "utility" | "one answer";
  /** Laplace scale b, Gaussian standard deviation σ, or a randomised-response flip probability. */
  noiseScale: number;
  /** The privacy it spends (rounded upwards). */
  epsilon: number;
  delta: number;
  /**
   * The neighbouring relation the guarantee is stated for: a person added or removed (central
   * mechanisms), or one person's answer replaced (randomised response, which shows who answered).
   */
  neighbouring: "add-remove one person" | "replace one person's answer";
  /** Why the numbers are what they are, and what the guarantee does not cover. */
  notes: string[];
}

export interface Release<T> {
  value: T;
  trace: MechanismTrace;
}

export interface Mechanism<I, O> {
  readonly trace: MechanismTrace;
  /** The release as an accountant event (see accountant/events.ts). */
  readonly event: DpEvent;
  /** The privacy loss when the datasets differ in `distance` people (group privacy). */
  privacyMap(distance: number): PrivacyLoss;
  release(input: I): Release<O>;
}
