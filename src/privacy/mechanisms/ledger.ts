/**
 * A privacy ledger: every release a notebook makes on the same data, recorded as its DpEvent,
 * and the total privacy spent. Pure-ε releases add up (basic composition, Dwork & Roth 2014,
 * Thm 3.16); Gaussian releases are composed by the course's Rényi-DP accountant (their RDP
 * curves add order by order), and the two parts add up again by basic composition. Post-
 * processing a release spends nothing, so it is recorded as a no-op. The ledger keeps the
 * events themselves, so any accountant can re-read its history later.
 */
import { RdpAccountant } from "../accountant/accountant";
import type { DpEvent } from "../accountant/events";
import { InputError, requireNumber } from "../../validation/errors";
import { nextUp, requireEpsilon } from "./params";
import type { Mechanism, Release } from "./types";

export interface LedgerEntry {
  label: string;
  event: DpEvent;
}

export interface LedgerTotal {
  /** The total ε at `delta`, pure and Gaussian parts added. */
  epsilon: number;
  /** 0 when every release was pure ε-DP. */
  delta: number;
  /** Basic composition of the pure-ε releases. */
  pureEpsilon: number;
  /** The RDP accountant's ε for the Gaussian releases at `delta` (0 when there are none). */
  gaussianEpsilon: number;
  /** The Rényi order at which the Gaussian part's conversion was best. */
  order: number | null;
  releases: number;
  postProcessing: number;
}

export interface LedgerReport {
  entries: { label: string; kind: DpEvent["kind"]; epsilonAfter: number }[];
  total: LedgerTotal;
  budget: number | null;
  /** ε left under the budget (null without one). */
  remaining: number | null;
}

export interface LedgerBudget {
  epsilon: number;
  /** Needed once a Gaussian release is recorded: the δ at which its ε is reported. */
  delta?: number;
}

/** Thrown when a release would take the total past the ledger's budget; nothing is released. */
export class BudgetExceededError extends Error {
  constructor(
    readonly label: string,
    readonly spent: number,
    readonly wouldSpend: number,
    readonly budget: number,
  ) {
    super(`"${label}" would bring ε to ${wouldSpend.toFixed(4)} > the budget ${budget} (already spent ${spent.toFixed(4)}); it was not released`);
    this.name = "BudgetExceededError";
  }
}

export class PrivacyLedger {
  private readonly history: LedgerEntry[] = [];
  readonly budget: LedgerBudget | null;

  constructor(options: { budget?: LedgerBudget } = {}) {
    if (options.budget === undefined) {
      this.budget = null;
    } else {
      const epsilon = requireEpsilon(options.budget.epsilon, "budget.epsilon");
      const delta = options.budget.delta === undefined ? undefined : requireNumber("budget.delta", options.budget.delta, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
      this.budget = Object.freeze({ epsilon, delta });
    }
  }

  /** Runs the mechanism on the data and records it, unless that would exceed the budget. */
  release<I, O>(label: string, mechanism: Mechanism<I, O>, input: I): Release<O> {
    this.charge(label, mechanism.event);
    return mechanism.release(input);
  }

  /** Records an event (a release made elsewhere), refusing it when it would exceed the budget. */
  charge(label: string, event: DpEvent): void {
    if (typeof label !== "string" || label === "") throw new InputError("label", "a non-empty string naming the release", label);
    const entry = { label, event };
    flatten([entry]); // an event the ledger cannot account for is refused before anything changes
    if (this.budget) {
      const spent = this.history.length === 0 ? 0 : this.total().epsilon;
      const after = totalOf([...this.history, entry], this.budget.delta).epsilon;
      if (after > this.budget.epsilon) throw new BudgetExceededError(label, spent, after, this.budget.epsilon);
    }
    this.history.push(entry);
  }

  /** Records computing on earlier releases only (an estimate, a chart): it spends nothing. */
  postProcess(label: string): void {
    this.charge(label, { kind: "noOp" });
  }

  get entries(): readonly LedgerEntry[] {
    return this.history.map((e) => ({ ...e }));
  }

  /** Every release, as one composed event for any accountant. */
  get event(): DpEvent {
    return { kind: "composed", events: this.history.map((e) => e.event) };
  }

  /** The total so far, at the budget's δ or the one given (needed when a Gaussian release is recorded). */
  total(delta?: number): LedgerTotal {
    return totalOf(this.history, delta ?? this.budget?.delta);
  }

  /** Every entry with the total after it, for a chart of the budget running out. */
  report(delta?: number): LedgerReport {
    const at = delta ?? this.budget?.delta;
    const total = totalOf(this.history, at);
    return {
      entries: this.history.map((entry, i) => ({
        label: entry.label,
        kind: entry.event.kind,
        epsilonAfter: totalOf(this.history.slice(0, i + 1), at).epsilon,
      })),
      total,
      budget: this.budget?.epsilon ?? null,
      remaining: this.budget ? this.left(total) : null,
    };
  }

  /** ε left under the budget (Infinity without one). */
  remaining(): number {
    return this.budget ? this.left(this.total()) : Infinity;
  }

  private left(total: LedgerTotal): number {
    return this.budget ? Math.max(0, this.budget.epsilon - total.epsilon) : Infinity;
  }

  /** Two ledgers over the same data compose into one with both histories (and this one's budget). */
  merge(other: PrivacyLedger): PrivacyLedger {
    const merged = new PrivacyLedger(this.budget ? { budget: { ...this.budget } } : {});
    merged.history.push(...this.entries, ...other.entries);
    return merged;
  }

  toJSON(): { budget: LedgerBudget | null; entries: readonly LedgerEntry[] } {
    return { budget: this.budget, entries: this.entries };
  }
}

interface Flattened {
  pure: number;
  gaussianSteps: { noiseMultiplier: number; sampleRate: number; steps: number }[];
  releases: number;
  postProcessing: number;
}

/** The events as pure ε added up and Gaussian steps for the accountant; unsupported events are named errors. */
function flatten(entries: readonly LedgerEntry[]): Flattened {
  let pure = 0;
  let releases = 0;
  let postProcessing = 0;
  const gaussianSteps: Flattened["gaussianSteps"] = [];
  const visit = (event: DpEvent, count: number, path: string): void => {
    switch (event?.kind) {
      case "pureDp":
        pure += count * requireEpsilon(event.epsilon, `${path}.epsilon`);
        return;
      case "laplace":
        pure += count * nextUp(1 / requireNumber(`${path}.noiseMultiplier`, event.noiseMultiplier, { min: 0, minExclusive: true }));
        return;
      case "gaussian":
        gaussianSteps.push({ noiseMultiplier: requireNumber(`${path}.noiseMultiplier`, event.noiseMultiplier, { min: 0, minExclusive: true }), sampleRate: 1, steps: count });
        return;
      case "poissonSampled":
        if (event.event?.kind !== "gaussian") {
          throw new InputError(`${path}.event.kind`, '"gaussian" (the ledger accounts subsampling only for Gaussian releases)', event.event?.kind);
        }
        gaussianSteps.push({
          noiseMultiplier: requireNumber(`${path}.event.noiseMultiplier`, event.event.noiseMultiplier, { min: 0, minExclusive: true }),
          sampleRate: requireNumber(`${path}.sampleRate`, event.sampleRate, { min: 0, max: 1, minExclusive: true }),
          steps: count,
        });
        return;
      case "selfComposed":
        visit(event.event, count * requireNumber(`${path}.count`, event.count, { min: 0, integer: true }), `${path}.event`);
        return;
      case "composed":
        event.events.forEach((e, i) => visit(e, count, `${path}.events[${i}]`));
        return;
      case "noOp":
        return;
      default:
        throw new InputError(`${path}.kind`, "one of pureDp, laplace, gaussian, poissonSampled, selfComposed, composed, noOp", (event as { kind?: unknown })?.kind);
    }
  };
  entries.forEach((entry, i) => {
    if (entry.event.kind === "noOp") postProcessing++;
    else releases++;
    visit(entry.event, 1, `entries[${i}].event`);
  });
  return { pure, gaussianSteps, releases, postProcessing };
}

/** Pure ε by basic composition; Gaussian steps through the RDP accountant at δ; the two added. */
function totalOf(entries: readonly LedgerEntry[], delta: number | undefined): LedgerTotal {
  const { pure, gaussianSteps, releases, postProcessing } = flatten(entries);
  const gaussian = gaussianSteps.length > 0;
  const pureEpsilon = pure === 0 ? 0 : nextUp(pure);
  if (!gaussian) return { epsilon: pureEpsilon, delta: 0, pureEpsilon, gaussianEpsilon: 0, order: null, releases, postProcessing };
  if (delta === undefined) throw new InputError("delta", "given (in the budget or to total()) once a Gaussian release is recorded", delta);
  const accountant = new RdpAccountant();
  for (const step of gaussianSteps) accountant.step(step);
  const { epsilon, order } = accountant.getEpsilon(delta);
  return { epsilon: nextUp(pureEpsilon + epsilon), delta, pureEpsilon, gaussianEpsilon: epsilon, order, releases, postProcessing };
}
