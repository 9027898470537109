/**
 * The one interface every privacy accountant implements (in the spirit of dp_accounting's
 * `PrivacyAccountant`): events are composed, and ε(δ) or δ(ε) is read off the whole history on
 * demand. An accountant knows whom it protects (its neighbouring relation and privacy unit) and
 * rejects an event it cannot account for before its state changes.
 */
import { InputError, requireNumber } from "../../validation/errors";
import type { DpEvent, NeighbouringRelation, PrivacyUnit } from "./events";

export type AccountantKind = "rdp" | "pld";
export const ACCOUNTANT_KINDS: readonly AccountantKind[] = ["rdp", "pld"];

export interface EpsilonReport {
  readonly epsilon: number;
  /** Why the number may be less than it seems: an edge of the order grid, an infinite bound. */
  readonly warnings: readonly string[];
}

/** One entry of an accountant's history: `count` runs of `event`. Serialisable. */
export interface LedgerEntry {
  readonly event: DpEvent;
  readonly count: number;
}

/** What an accountant is, as plain data for a trace. */
export interface AccountantDescription {
  readonly kind: AccountantKind;
  readonly neighbouring: NeighbouringRelation;
  readonly unit: PrivacyUnit;
  /** PLD: the loss grid's interval h (automatic or the caller's) and whether rounding errs upwards. */
  readonly discretisation?: { readonly interval: number; readonly automatic: boolean; readonly pessimistic: boolean; readonly tailMass: number };
  /** RDP: how many orders α are tracked, and the range. */
  readonly orders?: { readonly count: number; readonly smallest: number; readonly largest: number };
  /** One sentence for a reader. */
  readonly summary: string;
}

export interface Accountant {
  readonly kind: AccountantKind;
  readonly neighbouring: NeighbouringRelation;
  readonly unit: PrivacyUnit;
  /** Whether `compose` would accept the event (its parameters are not checked here). */
  supports(event: DpEvent): boolean;
  /** Records `count` (default 1, an integer ≥ 0) runs of the event; throws, unchanged, if unsupported or malformed. */
  compose(event: DpEvent, count?: number): void;
  /** The smallest ε for which everything composed so far is (ε, δ)-DP. */
  getEpsilon(delta: number): EpsilonReport;
  /** The smallest δ for which everything composed so far is (ε, δ)-DP. */
  getDelta(epsilon: number): number;
  /** The composed events, consecutive identical ones merged. */
  readonly ledger: readonly LedgerEntry[];
  describe(): AccountantDescription;
}

export interface AccountantBaseOptions {
  /** Default "add-remove": one person's record is added or removed. */
  neighbouring?: NeighbouringRelation;
  /** Default "example": a row; "user" when the sampling rate is users per round. */
  unit?: PrivacyUnit;
}

export function resolveWho(options: AccountantBaseOptions): { neighbouring: NeighbouringRelation; unit: PrivacyUnit } {
  const neighbouring = options.neighbouring ?? "add-remove";
  if (neighbouring !== "add-remove" && neighbouring !== "replace-one") {
    throw new InputError("neighbouring", 'one of "add-remove", "replace-one"', neighbouring);
  }
  const unit = options.unit ?? "example";
  if (unit !== "example" && unit !== "user") throw new InputError("unit", 'one of "example", "user"', unit);
  return { neighbouring, unit };
}

/** A leaf event the accountants compute a curve or distribution for. */
export type LeafEvent =
  | { readonly kind: "gaussian"; readonly noiseMultiplier: number }
  | { readonly kind: "laplace"; readonly noiseMultiplier: number }
  | { readonly kind: "pureDp"; readonly epsilon: number; readonly mechanism: string }
  | { readonly kind: "poissonSampled"; readonly sampleRate: number; readonly event: DpEvent };

/**
 * Checks an event's parameters (throwing an InputError naming the field) and flattens it into
 * leaf events with counts; noOp events disappear. Nothing is accounted here.
 */
export function flattenEvent(event: DpEvent, count: number, out: Array<{ leaf: LeafEvent; count: number }> = []): Array<{ leaf: LeafEvent; count: number }> {
  if (event === null || typeof event !== "object") throw new InputError("event", "a DpEvent object", event);
  switch (event.kind) {
    case "noOp":
      return out;
    case "gaussian":
    case "laplace":
      requireNumber(`${event.kind}.noiseMultiplier`, event.noiseMultiplier, { min: 0 });
      if (count > 0) out.push({ leaf: event, count });
      return out;
    case "pureDp":
      requireNumber("pureDp.epsilon", event.epsilon, { min: 0 });
      if (count > 0) out.push({ leaf: event, count });
      return out;
    case "poissonSampled":
      requireNumber("sampleRate", event.sampleRate, { min: 0, max: 1, minExclusive: true });
      flattenEvent(event.event, 1); // validates the inner event
      if (count > 0) out.push({ leaf: event, count });
      return out;
    case "selfComposed":
      requireNumber("selfComposed.count", event.count, { min: 0, integer: true });
      return flattenEvent(event.event, count * event.count, out);
    case "composed":
      if (!Array.isArray(event.events)) throw new InputError("composed.events", "an array of DpEvents", event.events);
      for (const inner of event.events) flattenEvent(inner, count, out);
      return out;
    default:
      throw new InputError("event.kind", "one of gaussian, laplace, pureDp, poissonSampled, selfComposed, composed, noOp", (event as { kind?: unknown }).kind);
  }
}

export function requireCount(count: unknown): number {
  return requireNumber("count", count, { min: 0, integer: true });
}

/** A stable key for an event (events are plain data). */
export function eventKey(event: DpEvent | LeafEvent): string {
  return JSON.stringify(event);
}

/** Appends to a ledger, merging with the last entry when it is the same event. */
export function appendToLedger(ledger: LedgerEntry[], event: DpEvent, count: number): void {
  if (count === 0) return;
  const last = ledger[ledger.length - 1];
  if (last && eventKey(last.event) === eventKey(event)) {
    ledger[ledger.length - 1] = Object.freeze({ event: last.event, count: last.count + count });
  } else {
    ledger.push(Object.freeze({ event: deepFreeze(structuredClone(event)), count }));
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export function describeEvent(leaf: LeafEvent): string {
  switch (leaf.kind) {
    case "gaussian":
      return `Gaussian (σ = ${leaf.noiseMultiplier})`;
    case "laplace":
      return `Laplace (b = ${leaf.noiseMultiplier})`;
    case "pureDp":
      return `${leaf.mechanism} (ε = ${leaf.epsilon})`;
    case "poissonSampled":
      return `Poisson-sampled (q = ${leaf.sampleRate}) ${leaf.event.kind}`;
  }
}
